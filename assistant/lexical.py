"""BM25 over jieba tokens, with numbers and percentages kept whole (95%, 2025, 4.3).

The index is SQLite FTS5 over the jieba tokens (space-joined), so it updates one document at a
time, answers from an inverted index in C rather than scoring every chunk in Python, and is
stored in a format that cannot execute code (the previous index was a pickle). Chosen by
eval/lexical_bench.py; figures in eval/README.md."""
from __future__ import annotations

import logging
import math
import re
import sqlite3
import threading
import unicodedata
from pathlib import Path
from collections.abc import Iterable, Sequence

NUMBER = re.compile(r"\d+(?:\.\d+)?%?")
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
        if re.fullmatch(r"\d+(?:\.\d+)?", s):
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
    for m in NUMBER.finditer(text):
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


# jieba keeps these ASCII characters inside a token (c++, 4.3, 95%, covid-19); FTS5's ascii
# tokenizer treats every non-ASCII character as part of a token, so Chinese words stay whole.
TOKENCHARS = ".%+#&_-"
_INDEXABLE = re.compile(r"[0-9a-z\u0080-\U0010ffff]")

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS rows (rowid INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS rows_doc ON rows(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(tokens, tokenize="ascii tokenchars '{TOKENCHARS}'");
CREATE VIRTUAL TABLE IF NOT EXISTS vocab USING fts5vocab(fts, row);
"""


def _terms(tokens: Iterable[str]) -> list[str]:
    return [t for t in tokens if _INDEXABLE.search(t)]


def _match_expr(terms: Sequence[str]) -> str:
    # Each term quoted (so no token is read as FTS5 syntax); repeated terms count again, as in BM25Okapi.
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


class LexicalIndex:
    """BM25 over FTS5 (k1=1.2, b=0.75). Thread-safe: one connection behind a lock; every change
    is one transaction, so a reader sees a document's chunks all or none."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._lock = threading.RLock()
        self._df_cache: dict[str, int] = {}

    # --- writes -------------------------------------------------------------------------
    def replace_doc(self, doc_prefix: str, ids: Sequence[str], texts: Sequence[str]) -> None:
        self.replace_docs({doc_prefix: (ids, texts)})

    def replace_docs(self, docs: dict[str, tuple[Sequence[str], Sequence[str]]]) -> None:
        """Replace each document's chunks (empty lists remove it), all in one transaction."""
        tokenised = {d: [" ".join(_terms(tokenize(t))) for t in texts] for d, (_, texts) in docs.items()}
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for doc_id, (ids, _) in docs.items():
                    self._delete_doc(doc_id)
                    self._delete_chunks(ids)
                    self._insert(doc_id, ids, tokenised[doc_id])
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._df_cache.clear()

    def add_chunks(self, doc_id: str, ids: Sequence[str], texts: Sequence[str]) -> None:
        """Add (or overwrite) these chunks of a document, leaving its other chunks in place."""
        tokenised = [" ".join(_terms(tokenize(t))) for t in texts]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._delete_chunks(ids)
                self._insert(doc_id, ids, tokenised)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._df_cache.clear()

    def add_tokenised(self, doc_id: str, ids: Sequence[str], tokens: Sequence[Sequence[str]]) -> None:
        """Add chunks already tokenised with `tokenize` (benchmarks build large libraries this way)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._insert(doc_id, ids, [" ".join(_terms(t)) for t in tokens])
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._df_cache.clear()

    def _insert(self, doc_id: str, ids: Sequence[str], tokenised: Sequence[str]) -> None:
        for cid, toks in zip(ids, tokenised):
            cur = self._db.execute("INSERT INTO rows(chunk_id, doc_id) VALUES (?, ?)", (cid, doc_id))
            self._db.execute("INSERT INTO fts(rowid, tokens) VALUES (?, ?)", (cur.lastrowid, toks))

    def delete_chunks(self, ids: Sequence[str]) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._delete_chunks(ids)
            self._db.execute("COMMIT")
            self._df_cache.clear()

    def _delete_doc(self, doc_id: str) -> None:
        rowids = [r[0] for r in self._db.execute("SELECT rowid FROM rows WHERE doc_id = ?", (doc_id,))]
        self._delete_rowids(rowids)

    def _delete_chunks(self, ids: Sequence[str]) -> None:
        rowids = []
        for cid in ids:
            row = self._db.execute("SELECT rowid FROM rows WHERE chunk_id = ?", (cid,)).fetchone()
            if row:
                rowids.append(row[0])
        self._delete_rowids(rowids)

    def _delete_rowids(self, rowids: list[int]) -> None:
        self._db.executemany("DELETE FROM fts WHERE rowid = ?", [(r,) for r in rowids])
        self._db.executemany("DELETE FROM rows WHERE rowid = ?", [(r,) for r in rowids])

    # --- reads --------------------------------------------------------------------------
    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        terms = _terms(tokenize(query))
        if not terms:
            return []
        sql = ("SELECT rows.chunk_id, -bm25(fts) AS s FROM fts JOIN rows ON rows.rowid = fts.rowid "
               "WHERE fts MATCH ?")
        params: list = [_match_expr(terms)]
        if allowed is not None:
            if not allowed:
                return []
            sql += f" AND rows.doc_id IN ({','.join('?' * len(allowed))})"
            params += sorted(allowed)
        sql += " ORDER BY bm25(fts) LIMIT ?"
        params.append(int(k))
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [(cid, float(s)) for cid, s in rows if s > 0]

    def document_count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM rows").fetchone()[0]

    def doc_freq(self, term: str) -> int:
        """Number of chunks containing `term` (one B-tree lookup, cached until the next change)."""
        with self._lock:
            if term not in self._df_cache:
                row = self._db.execute("SELECT doc FROM vocab WHERE term = ?", (term,)).fetchone()
                self._df_cache[term] = int(row[0]) if row else 0
            return self._df_cache[term]

    def chunk_ids(self, doc_id: str | None = None) -> set[str]:
        with self._lock:
            if doc_id is None:
                return {r[0] for r in self._db.execute("SELECT chunk_id FROM rows")}
            return {r[0] for r in self._db.execute("SELECT chunk_id FROM rows WHERE doc_id = ?", (doc_id,))}

    @property
    def ids(self) -> list[str]:
        return sorted(self.chunk_ids())

    def idf(self) -> IdfTable:
        return IdfTable(self)

    def close(self) -> None:
        with self._lock:
            self._db.close()


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
