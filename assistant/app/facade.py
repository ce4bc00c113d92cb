"""The `Assistant` facade: one object that the CLI, the web app and the evaluation all call."""
from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..answer.answer_check import AnswerCheck
from ..answer.citeformat import CITATION_MARK
from ..answer.extractive import ExtractiveAnswerer
from ..answer.lexicon import load_lexicon
from ..answer.question import analyse, resolve_follow_up
from ..answer.scope import (
    Scope,
    best_named,
    doc_places,
    place_spellings,
    plan_scope,
    side_questions,
    without_document_names,
    without_shared_name_words,
)
from ..config import Settings
from ..index.embedding import CachedEmbedder, LazyEmbedder
from ..index.indexer import Indexer, lexical_text
from ..index.lexical import LexicalIndex, normalize_query
from ..index.manifest import Manifest
from ..index.reconcile import ReconcileReport, reconcile
from ..index.retrieval import DocInfo, HybridRetriever
from ..index.vectorstore import VectorStore
from ..ingest.cleaning import OffsetMap
from ..ingest.read_limits import ReadLimits
from ..types import Answer, Chunk, Citation, DocumentInfo, IngestResult, LibraryStatus, Outcome, Passage, Turn

log = logging.getLogger("assistant.app.facade")

# Bumped when the stored index format changes (2: SQLite FTS5 lexical index instead of a pickle).
INDEX_VERSION = "2"


class LibraryBusy(RuntimeError):
    """Another process is writing the same data directory."""


class IndexMismatch(ValueError):
    """The stored vectors were built with another embedder (or index version)."""


@dataclass(frozen=True)
class LibraryView:
    """Everything a question reads, built completely before it replaces the previous one, so a
    reader never sees a half-updated library."""
    generation: int
    chunks_by_id: dict[str, Chunk]
    doc_chunks: dict[str, list[Chunk]]
    retriever: HybridRetriever
    answerer: ExtractiveAnswerer
    doc_places: list  # per document: the places it governs (scope.doc_places)


class Assistant:
    def __init__(self, settings: Settings, embedder=None, chat_model=None) -> None:
        self.settings = settings
        settings.ensure_dirs()
        # The model loads on the first embedding: listing documents never loads it.
        inner = embedder or LazyEmbedder(settings.embedder, settings.embed_threads)
        self.embedder = CachedEmbedder(inner, settings.data_dir / "embedding-cache.sqlite")
        self.manifest = Manifest(settings.data_dir / "manifest.sqlite")
        self.vectors = VectorStore(settings.data_dir, self.embedder.name, lambda: self.embedder.dim,
                                   settings.chroma_url)
        self.lexical = LexicalIndex(settings.data_dir / "lexical")
        self.indexer = Indexer(self.manifest, self.vectors, self.lexical, self.embedder,
                               settings.chunk_size, settings.chunk_overlap_sentences, settings.max_file_mb,
                               limits=ReadLimits.from_settings(settings))
        self._chat_model = chat_model
        self.lexicon = load_lexicon(str(settings.lexicon_path) if settings.lexicon_path else None)
        self._state_lock = threading.RLock()   # swaps of the library view
        self._write_lock = threading.Lock()    # writers in this process, one at a time
        from filelock import FileLock
        self._file_lock = FileLock(str(settings.data_dir / "write.lock"), thread_local=False)
        self._view: LibraryView | None = None
        self._offsets: dict[str, OffsetMap] = {}
        self._originals: dict[str, str] = {}
        self._checked = False
        self.last_reconcile: ReconcileReport | None = None
        self._drop_legacy_pickles()
        self.index_problem = self._check_index()

    # --- start-up checks ---------------------------------------------------------------
    def _drop_legacy_pickles(self) -> None:
        for f in self.settings.data_dir.glob("bm25-*.pkl"):
            # Never loaded (a pickle can run code); the FTS5 index is rebuilt from the manifest.
            log.warning("删除旧格式的关键词索引 %s（改用 SQLite FTS5，从清单重建）", f.name)
            f.unlink(missing_ok=True)

    def _check_index(self) -> str | None:
        """None when the stored vectors match the configured embedder, else the message to show."""
        recorded = self.manifest.get_setting("embedder")
        if self.manifest.get_setting("library_id") is None:
            self.manifest.set_setting("library_id", uuid.uuid4().hex)
        if recorded is None or not self.manifest.chunk_count():
            # A new library, or one written before the embedder was recorded (assumed current).
            self.manifest.set_setting("embedder", self.embedder.name)
            self.manifest.set_setting("index_version", INDEX_VERSION)
            return None
        if recorded != self.embedder.name:
            return (f"资料库的向量是用 {recorded} 建立的，当前设置的向量模型是 {self.embedder.name}："
                    f"请运行 assistant reindex 用新模型重建索引（共 {self.manifest.chunk_count()} 段），"
                    f"或把 ASSISTANT_EMBEDDER 改回原来的设置。")
        return None

    def _usable(self) -> None:
        if self.index_problem:
            raise IndexMismatch(self.index_problem)

    def _ready(self) -> None:
        """Once per process, before the stores are used: repair what a crash left behind."""
        if self._checked:
            return
        with self._write_lock:
            if self._checked:
                return
            self._check_shared_server()
            if not self._try_file_lock():
                log.info("另一个进程正在写入资料库，本次跳过启动检查")
                self._checked = True
                return
            try:
                self.last_reconcile = reconcile(
                    self.manifest, None if self.index_problem else self.vectors, self.lexical,
                    self.embedder, lexical_text)
                if self.last_reconcile.repaired:
                    log.warning(self.last_reconcile.summary())
                self.manifest.set_setting("index_version", INDEX_VERSION)
            finally:
                self._file_lock.release()
            self._checked = True

    def _try_file_lock(self) -> bool:
        from filelock import Timeout
        try:
            self._file_lock.acquire(timeout=0)
            return True
        except Timeout:
            return False

    def _check_shared_server(self) -> None:
        """A Chroma server shared by processes with different data dirs would serve vectors whose
        manifest and lexical rows only one of them has: refuse that instead of diverging."""
        if not self.settings.chroma_url or self.index_problem:
            return
        mine = self.manifest.get_setting("library_id") or ""
        owner = self.vectors.collection_metadata().get("library")
        if owner is None:
            self.vectors.set_collection_metadata(library=mine)
        elif owner != mine:
            raise IndexMismatch(
                f"Chroma 服务器上的集合 {self.vectors.collection_name} 属于另一个资料库（{owner}）。"
                f"共用一个 Chroma 服务器的程序必须共用同一个数据目录 ASSISTANT_DATA_DIR（文档清单和关键词索引在那里），"
                f"否则文档列表与检索结果会不一致。")

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Serialises writers: threads of this process wait; another process gets a clear error."""
        with self._write_lock:
            if not self._try_file_lock():
                raise LibraryBusy(f"资料库正被另一个进程写入（{self.settings.data_dir}）：请等它完成后再试。")
            try:
                yield
            finally:
                self._file_lock.release()

    # --- library -----------------------------------------------------------------------
    def ingest(self, paths: Iterable[Path], progress: Callable[[IngestResult], None] | None = None,
               force: bool = False) -> list[IngestResult]:
        """A batch: files are stored one by one (an interrupted batch resumes, stored files are
        未变), and the library view is refreshed once at the end."""
        self._usable()
        self._ready()
        with self._writing():
            g0 = self.manifest.generation()
            changed: set[str] | None = None  # unknown if interrupted: rebuild the view
            try:
                results = self.indexer.ingest(paths, progress=progress, force=force)
                changed = {r.doc_id for r in results if r.status in ("added", "updated") and r.doc_id}
            finally:
                self._refresh_after(g0, changed)
        return results

    def ingest_upload(self, path: Path, display_name: str) -> IngestResult:
        self._usable()
        self._ready()
        with self._writing():
            g0 = self.manifest.generation()
            result = self.indexer.ingest_one(path, display_name=display_name)
            self._refresh_after(g0, {result.doc_id} if result.doc_id else set())
        return result

    def remove(self, doc_id: str) -> bool:
        self._ready()
        with self._writing():
            g0 = self.manifest.generation()
            ok = self.indexer.remove(doc_id)
            self._refresh_after(g0, {doc_id})
        return ok

    def reindex(self, progress: Callable[[IngestResult], None] | None = None) -> list[IngestResult]:
        with self._writing():
            results = self.indexer.reindex_all(progress)
            self.manifest.set_setting("embedder", self.embedder.name)
            self.manifest.set_setting("index_version", INDEX_VERSION)
            self.index_problem = None
            self._refresh()
        self._checked = False
        self._ready()
        return results

    def documents(self) -> list[DocumentInfo]:
        return self.manifest.list_documents()

    def set_metadata(self, doc_id: str, **fields: str | None) -> None:
        with self._writing():
            g0 = self.manifest.generation()
            self.manifest.update_meta(doc_id, **fields)
            self._refresh_after(g0, {doc_id})

    def status(self) -> LibraryStatus:
        return LibraryStatus(
            embedder=self.embedder.name, dim=self.embedder.dim,
            llm=self.settings.llm_model if self.settings.llm_enabled else "离线抽取式",
            documents=len(self.manifest.doc_ids()), chunks=self.manifest.chunk_count(),
            data_dir=str(self.settings.data_dir),
            vector_store=self.settings.chroma_url or "Chroma（本地磁盘）",
            index_problem=self.index_problem)

    # --- the library view ----------------------------------------------------------------
    def _current(self) -> LibraryView:
        """The view, rebuilt when another process changed the library (generation moved)."""
        view = self._view
        if view is None or view.generation != self.manifest.generation():
            with self._state_lock:
                view = self._view
                if view is None or view.generation != self.manifest.generation():
                    if view is not None:  # another process changed the library
                        self.vectors.reopen()
                    self._refresh()
                    view = self._view
        assert view is not None
        return view

    @property
    def chunks_by_id(self) -> dict[str, Chunk]:
        return self._current().chunks_by_id

    @property
    def retriever(self) -> HybridRetriever:
        return self._current().retriever

    @property
    def answerer(self) -> ExtractiveAnswerer:
        return self._current().answerer

    def _refresh_after(self, g0: int, changed: set[str] | None) -> None:
        """After our own write: patch the view for the changed documents, unless someone else
        changed the library before (then rebuild it)."""
        old = self._view
        if old is not None and old.generation != g0:  # another process wrote before us
            self.vectors.reopen()
        if changed is None or old is None or old.generation != g0:
            self._refresh()
        else:
            self._refresh(changed)

    def _refresh(self, changed: set[str] | None = None) -> None:
        with self._state_lock:
            generation = self.manifest.generation()
            old = self._view
            if changed is None or old is None:
                self.lexical.reload()  # another process may have committed
                chunks = self.manifest.chunks()
                by_id = {c.chunk_id: c for c in chunks}
                doc_chunks: dict[str, list[Chunk]] = {}
                for c in chunks:
                    doc_chunks.setdefault(c.doc_id, []).append(c)
                self._offsets, self._originals = {}, {}
            else:
                by_id, doc_chunks = dict(old.chunks_by_id), dict(old.doc_chunks)
                for doc_id in changed:
                    for c in doc_chunks.pop(doc_id, []):
                        by_id.pop(c.chunk_id, None)
                    fresh = self.manifest.chunks(doc_id)
                    if fresh:
                        doc_chunks[doc_id] = fresh
                        by_id.update((c.chunk_id, c) for c in fresh)
                    self._offsets.pop(doc_id, None)
                    self._originals.pop(doc_id, None)
            listed = self.manifest.list_documents()
            docs = [DocInfo(d.doc_id, d.title, d.region) for d in listed]
            # What names each document (title and file name): its words say which file, not which sentence.
            doc_names = {d.doc_id: f"{d.title} {Path(d.path or '').stem}" for d in listed}
            s = self.settings
            retriever = HybridRetriever(self.vectors, self.lexical, self.embedder, by_id, docs,
                                        s.dense_weight, s.lexical_weight, s.candidates)
            # An IdfTable answers `get` and `max_idf` like the dict the answerer was written for,
            # looking terms up on demand instead of holding the whole vocabulary.
            idf: Any = self.lexical.idf()
            answerer = ExtractiveAnswerer(idf, self._offset_map, self._original,
                                          lambda d: doc_chunks.get(d, []), s.refusal_threshold,
                                          min_confidence=s.answer_min_confidence, similarity=self._similarity,
                                          rescue_min=s.meaning_rescue_min, rescue_margin=s.meaning_rescue_margin,
                                          name_for=doc_names.get)
            names = [normalize_query(n).lower() for n in doc_names.values()]
            answerer.check = AnswerCheck(answerer.weight, self.lexicon.official_form, place_spellings,
                                         s.focus_min, lambda: names, self._passage_share,
                                         official_forms=self.lexicon.official_forms)
            self._view = LibraryView(generation, by_id, doc_chunks, retriever, answerer,
                                     [doc_places(d) for d in listed])

    @property
    def _doc_places(self) -> list:
        return self._current().doc_places

    def _search_text(self, resolved: str, scope: Scope, ids: Sequence[str] | None) -> str:
        """What is searched: once retrieval is inside the documents the question names (in 《》 or
        by rare words of their names), less those names' words."""
        if scope.named:
            return without_document_names(resolved)
        if ids is not None and scope.named_by_words and set(ids) <= set(scope.named_by_words):
            names = [" ".join(d.names) for d in self._doc_places if d.doc_id in set(ids)]
            return without_shared_name_words(resolved, names)
        return resolved

    def _passage_share(self, term: str) -> float:
        """The share of the library's passages that hold the term."""
        n = self.lexical.document_count()
        return self.lexical.doc_freq(term) / n if n else 0.0

    def _similarity(self, question: str, sentences: list[str]) -> list[float]:
        if not sentences:
            return []
        q = self.embedder.embed_query(question)
        return [float(x) for x in self.embedder.embed_passages(sentences) @ q]

    def _offset_map(self, doc_id: str) -> OffsetMap:
        if doc_id not in self._offsets:
            doc = self.manifest.get_document(doc_id)
            if doc is None:
                raise ValueError(f"文档库中没有 {doc_id}")
            self._offsets[doc_id] = OffsetMap(doc.offset_runs)
            self._originals[doc_id] = doc.original
        return self._offsets[doc_id]

    def _original(self, doc_id: str) -> str:
        self._offset_map(doc_id)
        return self._originals[doc_id]

    def original_slice(self, chunk: Chunk) -> str:
        """What the file itself says where `chunk` is: its original text, not the cleaned one."""
        return self._original(chunk.doc_id)[chunk.orig_start:chunk.orig_end]

    def document(self, doc_id: str):
        return self.manifest.get_document(doc_id)

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return list(self._current().doc_chunks.get(doc_id, []))

    # --- questions ---------------------------------------------------------------------
    def retrieve(self, question: str, k: int | None = None, doc_ids: Sequence[str] | None = None,
                 mode: str = "hybrid"):
        self._usable()
        self._ready()
        return self.retriever.retrieve(question, k or self.settings.top_k, doc_ids, mode)

    def _passages_for(self, question: str, history: Sequence[Turn], doc_ids, k: int | None = None):
        """The question read against earlier turns, and the passages retrieved for it (within
        the documents of the place it names, if it names one)."""
        resolved = resolve_follow_up(question, list(history))
        scope = plan_scope(resolved, self._doc_places, self._passage_share)
        ids = _scoped_ids(scope, doc_ids, analyse(resolved).compare)
        if ids is not None and not ids:
            return resolved, []
        return resolved, self.retrieve(self.lexicon.expand(self._search_text(resolved, scope, ids)), k, ids)

    def ask(self, question: str, history: Sequence[Turn] = (), doc_ids: Sequence[str] | None = None,
            k: int | None = None, use_llm: bool | None = None, mode: str = "hybrid") -> Answer:
        """`mode` (hybrid | dense | lexical) changes only the retrieval, for the evaluation's rows."""
        question = (question or "").strip()
        if not question:
            raise ValueError("问题不能为空")
        t0 = time.perf_counter()
        resolved = resolve_follow_up(question, list(history))
        scope = plan_scope(resolved, self._doc_places, self._passage_share)
        if use_llm is None:
            use_llm = self.settings.llm_enabled or self._chat_model is not None
        compare = analyse(resolved).compare
        if len(scope.asked) == 1 and compare and _names_another_document(resolved):
            # 县方案和金普新区实施意见…分别: one side is a document, not a place; both are searched.
            scope = Scope((), {})
        if len(scope.asked) > 1 and not use_llm:
            answer, t1 = self._ask_places(question, resolved, scope, doc_ids, k, mode)
        else:
            ids = _scoped_ids(scope, doc_ids, compare)
            if ids is not None and not ids:
                passages: list[Passage] = []
            else:
                passages = self.retrieve(self.lexicon.expand(self._search_text(resolved, scope, ids)), k, ids, mode)
            t1 = time.perf_counter()
            if scope.silent:
                answer = self.answerer.refuse(question, [], related=False)
                answer = replace(answer, text=f"资料中没有{scope.silent[0]}的文件，未找到与该问题相关的内容。")
            elif use_llm:
                from ..answer.llm import LLMUnavailable
                try:
                    answer = self._llm().answer(question, passages, list(history))
                except LLMUnavailable as exc:  # the model failed, not the user: answer offline, say so
                    answer = replace(self._extract(question, resolved, passages), notice=exc.notice)
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
        sides = side_questions(resolved, scope.asked)
        for place in scope.asked:
            # Each place is asked its own part (北京积分落户…, 上海居住证积分…), so one side's words
            # never rule out the other side's document.
            side = sides.get(place, resolved)
            side_scope = plan_scope(side, self._doc_places, self._passage_share) if place in sides else scope
            ids = _narrow(doc_ids, scope.docs.get(place, ()))
            ids = best_named(side_scope.named_by_words, ids, keep_all=False) or ids
            search = self._search_text(side, side_scope, ids) if ids else side
            got = self.retrieve(self.lexicon.expand(search), k, ids, mode) if ids else []
            passages += got
            parts.append((place, self._extract(question, side, got, one_side=True) if got else
                          self.answerer.refuse(question, [], related=False)))
        t1 = time.perf_counter()
        lines: list[str] = []
        citations: list[Citation] = []
        for place, ans in parts:
            offset = len(citations)
            text = CITATION_MARK.sub(_renumber(offset), ans.text) \
                if ans.outcome == "answer" else ("资料中没有该地的文件。" if not scope.docs.get(place)
                                                 else "资料中未找到能直接回答的内容。")
            lines.append(f"【{place}】{text}")
            citations += [replace(c, n=c.n + offset) for c in ans.citations]
        all_answered = all(a.outcome == "answer" for _, a in parts)
        any_found = any(a.outcome != "not_found" for _, a in parts)
        outcome: Outcome = "answer" if all_answered else ("related" if any_found else "not_found")
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
        from ..answer.llm import LLMUnavailable
        _, passages = self._passages_for(question, history, doc_ids)
        try:
            yield from self._llm().stream(question, passages, list(history))
        except LLMUnavailable as exc:
            yield replace(self.ask(question, history, doc_ids, use_llm=False), notice=exc.notice)

    def _llm(self):
        from ..answer.llm import LLMAnswerer
        return LLMAnswerer(self._chat(), self.settings.prompts_dir, self._offset_map, self._original,
                           self.settings.llm_timeout_s)

    def _chat(self):
        if self._chat_model is None:
            from ..answer.llm import make_chat_model
            self._chat_model = make_chat_model(self.settings)
        return self._chat_model

    # --- drafting ----------------------------------------------------------------------
    def drafting_chat_model(self):
        """The chat model drafting should write with, or None for the offline composer."""
        if self.settings.llm_enabled or self._chat_model is not None:
            return self._chat()
        return None

    def draft(self, request):
        from ..drafting.pipeline import draft_plan
        return draft_plan(self, request)


def _renumber(offset: int) -> Callable[[re.Match[str]], str]:
    """[n] → [n + offset]: the marks of one place's answer after the places before it."""
    return lambda m: f"[{int(m.group(1)) + offset}]"


def _names_another_document(question: str) -> bool:
    """Does a comparison also name a document by kind (县方案, 两份文件) besides its one place?"""
    return bool(re.search(r"两份|两个文件|二者|两者|[县市区省]方案|[县市区省]的?(?:文件|规划|意见)", question))


def _scoped_ids(scope: Scope, doc_ids: Sequence[str] | None, compare: bool = False) -> Sequence[str] | None:
    """The documents a question may be answered from: its place's, and within them the document
    it names in 《》 when the library holds it, else those a rare word of their names picks out."""
    ids = _narrow(doc_ids, scope.docs[scope.asked[0]]) if len(scope.asked) == 1 else doc_ids
    named = _narrow(ids, scope.named) if scope.named else []
    return named or best_named(scope.named_by_words, ids, compare) or ids


def _narrow(doc_ids: Sequence[str] | None, scoped: Sequence[str]) -> list[str]:
    """The place's documents, within the documents the user picked (if any)."""
    return [d for d in scoped if doc_ids is None or d in set(doc_ids)]

