"""政策通 (assistant): cited Q&A and drafting over Chinese plan documents, offline.

The public Python API: `from assistant import build_assistant` (the facade over one data
directory) and `assistant.langchain.PolicyRetriever` (a LangChain retriever over it)."""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["build_assistant"]


def __getattr__(name: str) -> Any:
    # Imported on first use: `import assistant.textrules` must not load the application.
    if name == "build_assistant":
        from .app.bootstrap import build_assistant
        return build_assistant
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
