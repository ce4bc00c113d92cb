"""The `Assistant` facade: one object that the CLI, the web app and the evaluation all call."""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .cleaning import OffsetMap
from .config import Settings
from .embedding import CachedEmbedder, make_embedder
from .extractive import ExtractiveAnswerer, idf_from_lexical
from .ingest import Indexer
from .lexical import LexicalIndex
from .manifest import Manifest
from .question import analyse, resolve_follow_up
from .retrieval import DocInfo, HybridRetriever
from .types import Answer, Chunk, IngestResult, Turn
from .vectorstore import VectorStore


class Assistant:
    def __init__(self, settings: Settings, embedder=None, chat_model=None) -> None:
        self.settings = settings
        settings.ensure_dirs()
        inner = embedder or make_embedder(settings.embedder)
        self.embedder = CachedEmbedder(inner, settings.data_dir / "embedding-cache.sqlite")
        self.manifest = Manifest(settings.data_dir / "manifest.sqlite")
        self.vectors = VectorStore(settings.data_dir, self.embedder.name, self.embedder.dim, settings.chroma_url)
        self.lexical = LexicalIndex(settings.data_dir / f"bm25-{_safe(self.embedder.name)}.pkl")
        self.indexer = Indexer(self.manifest, self.vectors, self.lexical, self.embedder,
                               settings.chunk_size, settings.chunk_overlap_sentences, settings.max_file_mb)
        self._chat_model = chat_model
        self._refresh()

    # --- library -----------------------------------------------------------------------
    def ingest(self, paths: Iterable[Path], progress: Callable[[IngestResult], None] | None = None,
               force: bool = False) -> list[IngestResult]:
        results = self.indexer.ingest(paths, progress=progress, force=force)
        self._refresh()
        return results

    def ingest_upload(self, path: Path, display_name: str) -> IngestResult:
        result = self.indexer.ingest_one(path, display_name=display_name)
        self._refresh()
        return result

    def remove(self, doc_id: str) -> bool:
        ok = self.indexer.remove(doc_id)
        self._refresh()
        return ok

    def reindex(self) -> list[IngestResult]:
        results = self.indexer.reindex_all()
        self._refresh()
        return results

    def documents(self) -> list[dict]:
        return self.manifest.list_documents()

    def set_metadata(self, doc_id: str, **fields: str | None) -> None:
        self.manifest.update_meta(doc_id, **fields)
        self._refresh()

    def status(self) -> dict:
        return {"embedder": self.embedder.name, "dim": self.embedder.dim,
                "llm": self.settings.llm_model if self.settings.llm_enabled else "离线抽取式",
                "documents": len(self.manifest.doc_ids()), "chunks": self.manifest.chunk_count(),
                "data_dir": str(self.settings.data_dir),
                "vector_store": self.settings.chroma_url or "Chroma（本地磁盘）"}

    def _refresh(self) -> None:
        chunks = self.manifest.chunks()
        self.chunks_by_id = {c.chunk_id: c for c in chunks}
        self._doc_chunks: dict[str, list[Chunk]] = {}
        for c in chunks:
            self._doc_chunks.setdefault(c.doc_id, []).append(c)
        self._offsets: dict[str, OffsetMap] = {}
        self._originals: dict[str, str] = {}
        docs = [DocInfo(d["doc_id"], d["title"], d["region"]) for d in self.manifest.list_documents()]
        s = self.settings
        self.retriever = HybridRetriever(self.vectors, self.lexical, self.embedder, self.chunks_by_id, docs,
                                         s.dense_weight, s.lexical_weight, s.candidates)
        self.answerer = ExtractiveAnswerer(idf_from_lexical(self.lexical.tokens), self._offset_map, self._original,
                                           lambda d: self._doc_chunks.get(d, []), s.refusal_threshold)

    def _offset_map(self, doc_id: str) -> OffsetMap:
        if doc_id not in self._offsets:
            doc = self.manifest.get_document(doc_id)
            self._offsets[doc_id] = OffsetMap(doc.offset_runs)
            self._originals[doc_id] = doc.original
        return self._offsets[doc_id]

    def _original(self, doc_id: str) -> str:
        self._offset_map(doc_id)
        return self._originals[doc_id]

    def document(self, doc_id: str):
        return self.manifest.get_document(doc_id)

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return list(self._doc_chunks.get(doc_id, []))

    # --- questions ---------------------------------------------------------------------
    def retrieve(self, question: str, k: int | None = None, doc_ids: Sequence[str] | None = None,
                 mode: str = "hybrid"):
        return self.retriever.retrieve(question, k or self.settings.top_k, doc_ids, mode)

    def _passages_for(self, question: str, history: Sequence[Turn], doc_ids, k: int | None = None):
        """The question read against earlier turns, and the passages retrieved for it."""
        resolved = resolve_follow_up(question, list(history))
        return resolved, self.retrieve(resolved, k, doc_ids)

    def ask(self, question: str, history: Sequence[Turn] = (), doc_ids: Sequence[str] | None = None,
            k: int | None = None, use_llm: bool | None = None) -> Answer:
        question = (question or "").strip()
        if not question:
            raise ValueError("问题不能为空")
        t0 = time.perf_counter()
        resolved, passages = self._passages_for(question, history, doc_ids, k)
        t1 = time.perf_counter()
        info = analyse(resolved)
        if use_llm is None:
            use_llm = self.settings.llm_enabled or self._chat_model is not None
        if use_llm:
            from .llm import LLMAnswerer
            answer = LLMAnswerer(self._chat(), self.settings.prompts_dir, self._offset_map, self._original) \
                .answer(question, passages, list(history))
        else:
            answer = self.answerer.answer(question, info, passages)
        t2 = time.perf_counter()
        return replace(answer, resolved_question=resolved if resolved != question else None,
                       timings_ms={"retrieve": (t1 - t0) * 1000, "answer": (t2 - t1) * 1000,
                                   "total": (t2 - t0) * 1000})

    def stream_ask(self, question: str, history: Sequence[Turn] = (), doc_ids: Sequence[str] | None = None):
        """Yields partial answer texts while an LLM writes, then the final checked `Answer`."""
        if not (self.settings.llm_enabled or self._chat_model is not None):
            yield self.ask(question, history, doc_ids)
            return
        from .llm import LLMAnswerer
        _, passages = self._passages_for(question, history, doc_ids)
        llm = LLMAnswerer(self._chat(), self.settings.prompts_dir, self._offset_map, self._original)
        yield from llm.stream(question, passages, list(history))

    def _chat(self):
        if self._chat_model is None:
            from .llm import make_chat_model
            self._chat_model = make_chat_model(self.settings)
        return self._chat_model

    # --- drafting ----------------------------------------------------------------------
    def drafting_chat_model(self):
        """The chat model drafting should write with, or None for the offline composer."""
        if self.settings.llm_enabled or self._chat_model is not None:
            return self._chat()
        return None

    def draft(self, request):
        from .drafting.pipeline import draft_plan
        return draft_plan(self, request)


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)
