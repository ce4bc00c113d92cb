"""BM25 over jieba tokens, with numbers and percentages kept whole (95%, 2025, 4.3).

The index is tantivy (a Rust inverted index with block-max WAND) over the jieba tokens, indexed
with its whitespace tokenizer so our tokens are its terms. It updates one document at a time (each
change is one atomic commit), answers without scoring every chunk (p50 1.0 ms at 100k chunks against
2.2 s for the previous pure-Python rank_bm25, 100 ms for SQLite FTS5), and its files are data, not
code (the previous index was a pickle). Chosen by eval/lexical_bench.py; figures in eval/README.md."""
from __future__ import annotations

import logging
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..textrules import NUMBER, NUMBER_OR_PERCENT

STOP = set("的 了 和 与 及 是 在 对 为 等 将 把 被 中 上 下 要 到 由 从 以 之 其 或 并 也 而 就 都 个 哪些 什么 多少 "
           "哪 哪个 哪次 哪项 哪类 哪种 哪一 哪几 哪一年 几 如何 文件 两份 分别 各自 具体 一下  怎么 怎样 是否 吗 呢 么 啊 请问 提出 方面 有关 关于 按照 根据 里 县里 这份".split())
_jieba_lock = threading.Lock()
_jieba = None


def _tokenizer():
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import jieba
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _jieba = jieba
    return _jieba


def normalize_query(text: str) -> str:
    """Full-width digits and punctuation to half-width, 百分之N to N%."""
    text = unicodedata.normalize("NFKC", text)
    cn = "零一二三四五六七八九"

    def pct(m: re.Match) -> str:
        s = m.group(1)
        if NUMBER.fullmatch(s):
            return s + "%"
        if all(c in cn + "十点" for c in s):
            return _cn_to_number(s) + "%"
        return m.group(0)
    return re.sub(r"百分之([\d零一二三四五六七八九十点.]+)", pct, text)


def _cn_to_number(s: str) -> str:
    cn = "零一二三四五六七八九"
    if "点" in s:
        a, b = s.split("点", 1)
        return _cn_to_number(a) + "." + "".join(str(cn.index(c)) for c in b if c in cn)
    if s == "十":
        return "10"
    if "十" in s:
        a, _, b = s.partition("十")
        return str((cn.index(a) if a else 1) * 10 + (cn.index(b) if b else 0))
    return "".join(str(cn.index(c)) for c in s if c in cn)


def tokenize(text: str) -> list[str]:
    text = normalize_query(text)
    jieba = _tokenizer()
    tokens: list[str] = []
    pos = 0
    for m in NUMBER_OR_PERCENT.finditer(text):
        tokens += _words(jieba, text[pos:m.start()])
        tokens.append(m.group(0))
        if m.group(0).endswith("%"):
            tokens.append(m.group(0)[:-1])
        pos = m.end()
    tokens += _words(jieba, text[pos:])
    return tokens


def _words(jieba, text: str) -> list[str]:
    out = []
    for w in jieba.cut_for_search(text):
        w = w.strip().lower()
        if w and w not in STOP and not all(unicodedata.category(c)[0] in "PZS" for c in w):
            out.append(w)
    return out


WRITER_HEAP = 15_000_000


def _terms(tokens: Iterable[str]) -> list[str]:
    return [t for t in tokens if t and not any(c.isspace() for c in t)]


class LexicalIndex:
    """BM25 (k1=1.2, b=0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5)), as the answerer's) over a
    tantivy index in the directory `path`. Writers in this process are serialised by a lock;
    readers use the last committed state, so they see a document's chunks all or none."""

    def __init__(self, path: Path) -> None:
        import tantivy
        self._t = tantivy
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("chunk_id", stored=True, tokenizer_name="raw")
        sb.add_text_field("doc_id", stored=True, tokenizer_name="raw")
        sb.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
        self._schema = sb.build()
        self._index = tantivy.Index(self._schema, path=str(path), reuse=True)
        self._lock = threading.RLock()
        self._df_cache: dict[str, int] = {}

    # --- writes -------------------------------------------------------------------------
    def _commit(self, change) -> None:
        with self._lock:
            writer = self._index.writer(WRITER_HEAP, 1)
            try:
                change(writer)
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()  # also releases tantivy's writer lock
            self.reload()

    def _add(self, writer, doc_id: str, ids: Sequence[str], tokenised: Sequence[Sequence[str]]) -> None:
        for cid, toks in zip(ids, tokenised):
            writer.delete_documents_by_term("chunk_id", cid)
            writer.add_document(self._t.Document(chunk_id=cid, doc_id=doc_id, body=" ".join(_terms(toks))))

    def replace_doc(self, doc_prefix: str, ids: Sequence[str], texts: Sequence[str]) -> None:
        self.replace_docs({doc_prefix: (ids, texts)})

    def replace_docs(self, docs: dict[str, tuple[Sequence[str], Sequence[str]]]) -> None:
        """Replace each document's chunks (empty lists remove it), all in one commit."""
        tokenised = {d: [tokenize(t) for t in texts] for d, (_, texts) in docs.items()}

        def change(writer) -> None:
            for doc_id, (ids, _) in docs.items():
                writer.delete_documents_by_term("doc_id", doc_id)
                self._add(writer, doc_id, ids, tokenised[doc_id])
        self._commit(change)

    def add_chunks(self, doc_id: str, ids: Sequence[str], texts: Sequence[str]) -> None:
        """Add (or overwrite) these chunks of a document, leaving its other chunks in place."""
        self.add_tokenised(doc_id, ids, [tokenize(t) for t in texts])

    def add_tokenised(self, doc_id: str, ids: Sequence[str], tokens: Sequence[Sequence[str]]) -> None:
        """Add chunks already tokenised with `tokenize` (benchmarks build large libraries this way)."""
        self.add_tokenised_docs([(doc_id, ids, tokens)])

    def add_tokenised_docs(self, docs: Sequence[tuple[str, Sequence[str], Sequence[Sequence[str]]]]) -> None:
        def change(writer) -> None:
            for doc_id, ids, tokens in docs:
                self._add(writer, doc_id, ids, tokens)
        self._commit(change)

    def delete_chunks(self, ids: Sequence[str]) -> None:
        def change(writer) -> None:
            for cid in ids:
                writer.delete_documents_by_term("chunk_id", cid)
        self._commit(change)

    def reload(self) -> None:
        """See the last commit (ours, or another process's)."""
        with self._lock:
            self._index.reload()
            self._df_cache.clear()

    # --- reads --------------------------------------------------------------------------
    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        terms = _terms(tokenize(query))
        if not terms or (allowed is not None and not allowed):
            return []
        t = self._t
        # Repeated terms are repeated clauses: they count again, as in BM25Okapi.
        q = t.Query.boolean_query([(t.Occur.Should, t.Query.term_query(self._schema, "body", term))
                                   for term in terms])
        if allowed is not None:
            only = t.Query.const_score_query(t.Query.term_set_query(self._schema, "doc_id", sorted(allowed)), 0.0)
            q = t.Query.boolean_query([(t.Occur.Must, q), (t.Occur.Must, only)])
        searcher = self._index.searcher()
        hits = searcher.search(q, int(k), count=False).hits
        return [(searcher.doc(addr)["chunk_id"][0], float(score)) for score, addr in hits if score > 0]

    def document_count(self) -> int:
        return int(self._index.searcher().num_docs)

    def doc_freq(self, term: str) -> int:
        """Number of chunks containing `term` (one dictionary lookup, cached until the next change)."""
        with self._lock:
            if term not in self._df_cache:
                self._df_cache[term] = int(self._index.searcher().doc_freq("body", term))
            return self._df_cache[term]

    def chunk_ids(self, doc_id: str | None = None) -> set[str]:
        t = self._t
        searcher = self._index.searcher()
        n = searcher.num_docs
        if not n:
            return set()
        q = t.Query.all_query() if doc_id is None else t.Query.term_query(self._schema, "doc_id", doc_id)
        hits = searcher.search(q, n, count=False).hits
        return {searcher.doc(addr)["chunk_id"][0] for _, addr in hits}

    @property
    def ids(self) -> list[str]:
        return sorted(self.chunk_ids())

    def idf(self) -> IdfTable:
        return IdfTable(self)

    def close(self) -> None:
        pass


class IdfTable:
    """BM25 IDF per term, looked up on demand (the answerer asks for a few terms per question),
    with the same formula as extractive.idf_from_lexical. Unknown terms get `max_idf`."""

    def __init__(self, index: LexicalIndex) -> None:
        self._index = index
        self.n = index.document_count()
        self.max_idf = self._idf(1) if self.n else 1.0

    def _idf(self, df: int) -> float:
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def get(self, term: str, default: float | None = None) -> float | None:
        df = self._index.doc_freq(term)
        return self._idf(df) if df else default

    def __getitem__(self, term: str) -> float:
        value = self.get(term)
        if value is None:
            raise KeyError(term)
        return value

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self._index.doc_freq(term) > 0

    def __bool__(self) -> bool:
        return self.n > 0
