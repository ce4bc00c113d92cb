"""Multi-user deployments point ASSISTANT_CHROMA_URL at a Chroma server; test against a real one."""
import pytest

from assistant.app.bootstrap import build_assistant
from assistant.fakes import HashEmbedder

from conftest import SEED_000, make_settings

pytestmark = pytest.mark.slow  # starts a Chroma server


def test_ingest_and_ask_through_a_chroma_http_server(tmp_path, chroma_server_url):
    settings = make_settings(tmp_path / "d", chroma_url=chroma_server_url)
    a = build_assistant(settings, embedder=HashEmbedder())
    [r] = a.ingest([SEED_000])
    assert r.status == "added"
    assert a.vectors.count() == r.chunks
    assert not (tmp_path / "d" / "chroma").exists()  # vectors live in the server
    other = build_assistant(settings, embedder=HashEmbedder())  # a second user sees the same store
    assert other.vectors.count() == r.chunks
    assert other.status().vector_store == chroma_server_url
