"""The `Assistant` facade: one object that the CLI, the web app and the evaluation all call."""
from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from .answer_check import AnswerCheck
from .cleaning import OffsetMap
from .config import Settings
from .embedding import CachedEmbedder, make_embedder
from .extractive import ExtractiveAnswerer, idf_from_lexical
from .ingest import Indexer
from .lexical import LexicalIndex, normalize_query
from .lexicon import load_lexicon
from .manifest import Manifest
from .question import analyse, resolve_follow_up
from .retrieval import DocInfo, HybridRetriever
from .scope import Scope, doc_places, place_spellings, plan_scope
from .types import Answer, Chunk, IngestResult, Passage, Turn
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
        self.lexicon = load_lexicon(str(settings.lexicon_path) if settings.lexicon_path else None)
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
        listed = self.manifest.list_documents()
        docs = [DocInfo(d["doc_id"], d["title"], d["region"]) for d in listed]
        self._doc_places = [doc_places(d) for d in listed]
        self._doc_names = {d["doc_id"]: f"{d['title']} {Path(d.get('path') or '').stem}" for d in listed}
        s = self.settings
        self.retriever = HybridRetriever(self.vectors, self.lexical, self.embedder, self.chunks_by_id, docs,
                                         s.dense_weight, s.lexical_weight, s.candidates)
        idf = idf_from_lexical(self.lexical.tokens)
        self.answerer = ExtractiveAnswerer(idf, self._offset_map, self._original,
                                           lambda d: self._doc_chunks.get(d, []), s.refusal_threshold,
                                           min_confidence=s.answer_min_confidence, similarity=self._similarity,
                                           rescue_min=s.meaning_rescue_min, rescue_margin=s.meaning_rescue_margin,
                                           name_for=self._doc_names.get)
        names = [normalize_query(n).lower() for n in self._doc_names.values()]
        self.answerer.check = AnswerCheck(self.answerer.weight, self.lexicon.official_form, place_spellings,
                                          s.focus_min, lambda: names)

    def _similarity(self, question: str, sentences: list[str]) -> list[float]:
        if not sentences:
            return []
        q = self.embedder.embed_query(question)
        return [float(x) for x in self.embedder.embed_passages(sentences) @ q]

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
        """The question read against earlier turns, and the passages retrieved for it (within
        the documents of the place it names, if it names one)."""
        resolved = resolve_follow_up(question, list(history))
        scope = plan_scope(resolved, self._doc_places)
        ids = _narrow(doc_ids, scope.docs[scope.asked[0]]) if len(scope.asked) == 1 else doc_ids
        if ids is not None and not ids:
            return resolved, []
        return resolved, self.retrieve(self.lexicon.expand(resolved), k, ids)

    def ask(self, question: str, history: Sequence[Turn] = (), doc_ids: Sequence[str] | None = None,
            k: int | None = None, use_llm: bool | None = None, mode: str = "hybrid") -> Answer:
        """`mode` (hybrid | dense | lexical) changes only the retrieval, for the evaluation's rows."""
        question = (question or "").strip()
        if not question:
            raise ValueError("问题不能为空")
        t0 = time.perf_counter()
        resolved = resolve_follow_up(question, list(history))
        scope = plan_scope(resolved, self._doc_places)
        if use_llm is None:
            use_llm = self.settings.llm_enabled or self._chat_model is not None
        if len(scope.asked) == 1 and analyse(resolved).compare and _names_another_document(resolved):
            # 县方案和金普新区实施意见…分别: one side is a document, not a place; both are searched.
            scope = Scope((), {})
        if len(scope.asked) > 1 and not use_llm:
            answer, t1 = self._ask_places(question, resolved, scope, doc_ids, k, mode)
        else:
            ids = _narrow(doc_ids, scope.docs[scope.asked[0]]) if len(scope.asked) == 1 else doc_ids
            if ids is not None and not ids:
                passages: list[Passage] = []
            else:
                passages = self.retrieve(self.lexicon.expand(resolved), k, ids, mode)
            t1 = time.perf_counter()
            if scope.silent:
                answer = self.answerer.refuse(question, [], related=False)
                answer = replace(answer, text=f"资料中没有{scope.silent[0]}的文件，未找到与该问题相关的内容。")
            elif use_llm:
                from .llm import LLMAnswerer
                answer = LLMAnswerer(self._chat(), self.settings.prompts_dir, self._offset_map, self._original) \
                    .answer(question, passages, list(history))
            else:
                answer = self._extract(question, resolved, passages)
        t2 = time.perf_counter()
        return replace(answer, resolved_question=resolved if resolved != question else None,
                       timings_ms={"retrieve": (t1 - t0) * 1000, "answer": (t2 - t1) * 1000,
                                   "total": (t2 - t0) * 1000})

    def _extract(self, question: str, resolved: str, passages: list[Passage], one_side: bool = False) -> Answer:
        """The extractive answer, read first in the question's own words and then, if that finds
        no verified answer, with everyday wordings replaced by the official terms. `one_side`:
        one place of a comparison, answered on its own."""
        def read(text: str):
            info = analyse(text)
            return replace(info, compare=False) if one_side else info
        answer = self.answerer.answer(question, read(resolved), passages)
        official = self.lexicon.official_form(resolved)
        if answer.outcome != "answer" and official != resolved:
            second = self.answerer.answer(question, read(official), passages)
            if second.outcome == "answer":
                return second
        return answer

    def _ask_places(self, question: str, resolved: str, scope: Scope, doc_ids, k, mode) -> tuple[Answer, float]:
        """A question naming several places (东莞和中山…分别…) is answered per place, each part
        labelled with its place; a place whose documents are silent says so. It is 答案 only
        when every place is answered."""
        parts: list[tuple[str, Answer]] = []
        passages: list[Passage] = []
        for place in scope.asked:
            ids = _narrow(doc_ids, scope.docs.get(place, ()))
            got = self.retrieve(self.lexicon.expand(resolved), k, ids, mode) if ids else []
            passages += got
            parts.append((place, self._extract(question, resolved, got, one_side=True) if got else
                          self.answerer.refuse(question, [], related=False)))
        t1 = time.perf_counter()
        lines, citations = [], []
        for place, ans in parts:
            offset = len(citations)
            text = re.sub(r"\[(\d+)\]", lambda m, o=offset: f"[{int(m.group(1)) + o}]", ans.text) \
                if ans.outcome == "answer" else ("资料中没有该地的文件。" if not scope.docs.get(place)
                                                 else "资料中未找到能直接回答的内容。")
            lines.append(f"【{place}】{text}")
            citations += [replace(c, n=c.n + offset) for c in ans.citations]
        all_answered = all(a.outcome == "answer" for _, a in parts)
        any_found = any(a.outcome != "not_found" for _, a in parts)
        outcome = "answer" if all_answered else ("related" if any_found else "not_found")
        conf = min(a.confidence for _, a in parts) if all_answered else 0.0
        if not all_answered:
            lines.insert(0, "未能对每个地方都找到可核实的答案，以下内容仅供参考：")
        return Answer(question=question, text="\n".join(lines), grounded=all_answered,
                      citations=tuple(citations) if all_answered else (), passages=tuple(passages),
                      outcome=outcome, confidence=conf), t1

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
    def draft(self, request):
        from .drafting.pipeline import draft_plan
        return draft_plan(self, request)


def _names_another_document(question: str) -> bool:
    """Does a comparison also name a document by kind (县方案, 两份文件) besides its one place?"""
    return bool(re.search(r"两份|两个文件|二者|两者|[县市区省]方案|[县市区省]的?(?:文件|规划|意见)", question))


def _narrow(doc_ids: Sequence[str] | None, scoped: Sequence[str]) -> list[str]:
    """The place's documents, within the documents the user picked (if any)."""
    return [d for d in scoped if doc_ids is None or d in set(doc_ids)]


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)
