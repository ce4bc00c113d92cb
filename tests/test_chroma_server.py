"""Multi-user deployments point ASSISTANT_CHROMA_URL at a Chroma server; test against a real one."""
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.bootstrap import build_assistant
from assistant.fakes import HashEmbedder

from conftest import SEED_000, make_settings

pytestmark = pytest.mark.slow  # starts a Chroma server

CHROMA = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")


@pytest.mark.skipif(not Path(CHROMA).exists(), reason="chroma CLI not installed")
def test_ingest_and_ask_through_a_chroma_http_server(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([CHROMA, "run", "--path", str(tmp_path / "srv"), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.25)
        settings = make_settings(tmp_path / "d", chroma_url=f"http://127.0.0.1:{port}")
        a = build_assistant(settings, embedder=HashEmbedder())
        [r] = a.ingest([SEED_000])
        assert r.status == "added"
        assert a.vectors.count() == r.chunks
        assert not (tmp_path / "d" / "chroma").exists()  # vectors live in the server
        other = build_assistant(settings, embedder=HashEmbedder())  # a second user sees the same store
        assert other.vectors.count() == r.chunks
        assert other.status()["vector_store"] == f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
