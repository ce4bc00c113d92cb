"""Chooses the lexical index: rank_bm25 (the previous index), SQLite FTS5, bm25s and tantivy on the
same chunks. Prints index build time, per-query latency at 1k/10k/100k chunks, and how far each
agrees with rank_bm25's ranking on eval/dev.jsonl (top-5 / top-30 overlap on the real library).

    python eval/lexical_bench.py [--sizes 1000,10000,100000] [--rank-bm25-max 100000]

Chunks: the bundled corpus and ../shared/eval/real/corpus, chunked as the app does (hash
embedder, so no model is loaded); larger libraries add synthetic chunks, each the first half of
one real chunk's tokens joined to the second half of another's (different texts, real term
statistics). Everything is tokenised once with `lexical.tokenize`; timings exclude tokenising."""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import REPO_ROOT, Settings, force_offline

REAL = next((p for p in (REPO_ROOT.parent / "shared", REPO_ROOT.parent.parent / "shared")
             if (p / "eval" / "real" / "corpus").exists()), REPO_ROOT) / "eval" / "real" / "corpus"


def real_chunks(work: Path) -> list[tuple[str, str]]:
    from assistant.app.bootstrap import build_assistant
    from assistant.fakes import HashEmbedder
    from assistant.index.indexer import lexical_text
    a = build_assistant(Settings(data_dir=work / "real"), embedder=HashEmbedder())
    paths = [REPO_ROOT / "corpus"] + ([REAL] if REAL.exists() else [])
    a.ingest(paths)
    return [(c.chunk_id, lexical_text(c)) for c in a.manifest.chunks()]


def synthetic(base: list[tuple[str, list[str]]], n: int, rng: random.Random) -> list[tuple[str, list[str]]]:
    out = list(base)
    while len(out) < n:
        (_, a), (_, b) = rng.choice(base), rng.choice(base)
        out.append((f"syn{len(out)}:x", a[: len(a) // 2] + b[len(b) // 2:]))
    return out[:n]


class RankBM25:
    name = "rank_bm25"

    def build(self, chunks, work):
        from rank_bm25 import BM25Okapi
        self.ids = [c for c, _ in chunks]
        self.bm25 = BM25Okapi([t for _, t in chunks])

    def search(self, q, k):
        scores = self.bm25.get_scores(q)
        order = sorted(range(len(scores)), key=lambda i: -scores[i])[:k]
        return [self.ids[i] for i in order if scores[i] > 0]


class Fts5:
    """SQLite FTS5 over the same tokens (the candidate first tried in assistant/index/lexical.py)."""
    name = "sqlite_fts5"

    def build(self, chunks, work):
        import sqlite3
        self.db = sqlite3.connect(str(work / "fts5.sqlite"))
        self.db.executescript("""CREATE TABLE rows (rowid INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE, doc_id TEXT);
            CREATE VIRTUAL TABLE fts USING fts5(tokens, tokenize="ascii tokenchars '.%+#&_-'");""")
        with self.db:
            for i, (cid, toks) in enumerate(chunks):
                self.db.execute("INSERT INTO rows VALUES (?, ?, ?)", (i + 1, cid, cid.split(":")[0]))
                self.db.execute("INSERT INTO fts(rowid, tokens) VALUES (?, ?)", (i + 1, " ".join(toks)))

    def search(self, q, k):
        terms = [t for t in q if re.search(r"[0-9a-z\u0080-\U0010ffff]", t)]
        if not terms:
            return []
        expr = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        sql = ("SELECT rows.chunk_id FROM fts JOIN rows ON rows.rowid = fts.rowid WHERE fts MATCH ? "
               "ORDER BY bm25(fts) LIMIT ?")
        return [r[0] for r in self.db.execute(sql, (expr, k))]


class Tantivy:
    """assistant.index.lexical.LexicalIndex, the chosen index (tantivy, whitespace-tokenised terms)."""
    name = "tantivy (LexicalIndex)"

    def build(self, chunks, work):
        from assistant.index.lexical import LexicalIndex
        self.index = LexicalIndex(work / "tantivy")
        for i in range(0, len(chunks), 5000):
            part = chunks[i:i + 5000]
            self.index.add_tokenised(f"d{i}", [c for c, _ in part], [t for _, t in part])

    def search(self, q, k):
        from assistant.index.lexical import _terms
        t = self.index._t
        terms = _terms(q)
        if not terms:
            return []
        query = t.Query.boolean_query([(t.Occur.Should, t.Query.term_query(self.index._schema, "body", w))
                                       for w in terms])
        searcher = self.index._index.searcher()
        return [searcher.doc(a)["chunk_id"][0] for _, a in searcher.search(query, k, count=False).hits]


class Bm25s:
    name = "bm25s"

    def build(self, chunks, work):
        import bm25s
        self.ids = [c for c, _ in chunks]
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(t, len(vocab)) for t in toks] for _, toks in chunks]
        self.vocab = vocab
        self.model = bm25s.BM25(method="robertson")
        self.model.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)

    def search(self, q, k):
        q = [t for t in q if t in self.vocab]
        if not q:
            return []
        res, scores = self.model.retrieve([q], k=min(k, len(self.ids)), show_progress=False, n_threads=1)
        return [self.ids[i] for i, s in zip(res[0], scores[0]) if s > 0]


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> int:
    force_offline()
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--rank-bm25-max", type=int, default=100000)
    args = ap.parse_args()
    from assistant.index.lexical import tokenize
    work = Path(tempfile.mkdtemp(prefix="lexbench-"))
    t0 = time.perf_counter()
    real = [(cid, tokenize(text)) for cid, text in real_chunks(work)]
    print(f"real chunks: {len(real)} (read, chunked and tokenised in {time.perf_counter() - t0:.1f} s)")
    questions = [json.loads(line)["question"] for line in
                 (REPO_ROOT / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    queries = [tokenize(q) for q in questions]
    rng = random.Random(7)
    engines = [RankBM25, Fts5, Bm25s, Tantivy]
    rows = []
    sizes = [len(real)] + [int(s) for s in args.sizes.split(",")]
    reference: dict[int, list[list[str]]] = {}
    for n in sizes:
        chunks = real if n == len(real) else synthetic(real, n, rng)
        for cls in engines:
            if cls is RankBM25 and n > args.rank_bm25_max:
                continue
            eng = cls()
            d = work / f"{eng.name}-{n}"
            d.mkdir()
            t0 = time.perf_counter()
            eng.build(chunks, d)
            build = time.perf_counter() - t0
            eng.search(queries[0], 30)
            lat, results = [], []
            for q in queries:
                t0 = time.perf_counter()
                results.append(eng.search(q, 30))
                lat.append((time.perf_counter() - t0) * 1000)
            row = {"engine": eng.name, "chunks": n, "build_s": round(build, 2),
                   "query_p50_ms": round(pct(lat, .5), 2), "query_p95_ms": round(pct(lat, .95), 2),
                   "query_mean_ms": round(statistics.mean(lat), 2)}
            if cls is RankBM25:
                reference[n] = results
            elif n in reference:
                ref = reference[n]
                row["top5_overlap"] = round(statistics.mean(
                    len(set(r[:5]) & set(x[:5])) / max(1, len(set(r[:5]))) for r, x in zip(ref, results)), 3)
                row["top30_overlap"] = round(statistics.mean(
                    len(set(r) & set(x)) / max(1, len(set(r))) for r, x in zip(ref, results)), 3)
                row["top1_same"] = round(statistics.mean(
                    bool(r) and bool(x) and r[0] == x[0] for r, x in zip(ref, results)), 3)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
            del eng
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
