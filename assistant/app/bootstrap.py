"""The composition root: the one place that turns settings into a working `Assistant`.

The CLI, the web app, the evaluation and the tests all build the facade here, so a model or
store is swapped (a fake chat model in a test, an already-loaded embedder in a benchmark) by
passing it in, never by assigning a private attribute afterwards."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings

if TYPE_CHECKING:
    from ..index.embedding import Embedder
    from .facade import Assistant

# Command-line options that override one setting each: option attribute -> setting name.
_OVERRIDES = {"data_dir": "data_dir"}


def settings_from_args(args: Any = None, base: Settings | None = None) -> Settings:
    """Settings from the environment, with the options a command line gave (`--data-dir`)
    applied on top. Options left unset (None or missing) keep the environment's value."""
    settings = base if base is not None else Settings()
    update: dict[str, Any] = {}
    for option, name in _OVERRIDES.items():
        value = getattr(args, option, None) if args is not None else None
        if value is not None and value != "":
            update[name] = Path(value) if name.endswith("_dir") else value
    return settings.model_copy(update=update) if update else settings


def build_assistant(settings: Settings | None = None, *, embedder: Embedder | None = None,
                    chat_model: Any = None) -> Assistant:
    """The facade over one data directory. `embedder` defaults to the one `settings.embedder`
    names; `chat_model` (a LangChain chat model) defaults to the one the LLM settings describe,
    made on first use; giving one turns LLM answers on."""
    from .facade import Assistant
    return Assistant(settings if settings is not None else Settings(), embedder=embedder, chat_model=chat_model)
