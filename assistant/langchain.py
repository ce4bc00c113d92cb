"""The public Python API for LangChain users: `PolicyRetriever`, a `BaseRetriever` over the
assistant's hybrid search, to drop into one's own chain.

    from assistant import build_assistant
    from assistant.langchain import PolicyRetriever
    retriever = PolicyRetriever(assistant=build_assistant(), k=4)
    docs = retriever.invoke("到2025年学前教育三年毛入园率要达到多少?")

Each `Document` is one passage: `page_content` is the cleaned passage text; `metadata` says
exactly where it comes from (document, 公文 heading path, citation label, offsets into the
original file), so a chain's answer can be cited and checked."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .answer.citeformat import heading_text, source_label, source_line
from .types import Passage

if TYPE_CHECKING:
    from .app.facade import Assistant


def passage_document(passage: Passage) -> Document:
    """One retrieved passage as a LangChain Document. `start`/`end` index the original file text
    (what the file really says there); `heading_path` is a list, `heading` the same joined."""
    c = passage.chunk
    return Document(
        page_content=c.text,
        id=c.chunk_id,
        metadata={
            "doc_id": c.doc_id,
            "title": c.title,
            "heading_path": list(c.heading_path),
            "heading": heading_text(c.heading_path),
            "citation_label": c.citation_label,
            "source": source_label(c),
            "citation": source_line(c),
            "start": c.orig_start,
            "end": c.orig_end,
            "chunk_id": c.chunk_id,
            "kind": c.kind,
            "score": float(passage.score),
            "rank": passage.rank,
        },
    )


class PolicyRetriever(BaseRetriever):
    """Hybrid (dense + BM25) retrieval over the documents of one `Assistant`.
    `k`: passages per query (default: the assistant's top_k); `doc_ids`: search only these."""
    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Any  # assistant.app.facade.Assistant (Any: pydantic need not know the facade)
    k: int | None = None
    doc_ids: Sequence[str] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        facade: Assistant = self.assistant
        passages = facade.retrieve(query, k=self.k, doc_ids=list(self.doc_ids) if self.doc_ids else None)
        return [passage_document(p) for p in passages]


def format_docs(docs: Sequence[Document]) -> str:
    """Numbered passages with their source line, ready for a prompt: `[1] 《标题》二（一） …\\n正文`."""
    return "\n\n".join(f"[{i}] {d.metadata['citation']}\n{d.page_content}" for i, d in enumerate(docs, 1))
