"""Benchmarks: ingest throughput (cold and with the embedding cache), index size on disk, query
latency (retrieval and full answer) and peak memory. Prints figures; asserts nothing.

    python eval/bench.py [--copies 10] [--rounds 3]

`--copies` ingests that many renamed copies of corpus/ so throughput is measured on more than
the two seed files (~10 k characters)."""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import REPO_ROOT, Settings, force_offline  # noqa: E402


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> int:
    force_offline()
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from assistant.service import Assistant

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    corpus = work / "corpus"
    corpus.mkdir()
    for k in range(args.copies):
        for f in sorted((REPO_ROOT / "corpus").glob("*.txt")):
            # Vary the text so the embedding cache cannot help the cold run.
            text = f.read_text(encoding="utf-8").replace("。", f"。{k}", 1)
            (corpus / f"{f.stem}-{k:03d}.txt").write_text(text, encoding="utf-8")
    chars = sum(len(f.read_text(encoding="utf-8")) for f in corpus.iterdir())

    results = {}
    t0 = time.perf_counter()
    a = Assistant(Settings(data_dir=work / "cold"))
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    a.ingest([corpus])
    cold_s = time.perf_counter() - t0
    chunks = a.manifest.chunk_count()
    results["model_load_s"] = round(load_s, 2)
    results["ingest_cold"] = {"files": args.copies * 2, "chars": chars, "chunks": chunks, "seconds": round(cold_s, 2),
                              "chars_per_s": round(chars / cold_s), "chunks_per_s": round(chunks / cold_s, 1)}
    # Warm: a fresh index that reuses the embedding cache (re-ingest after a reset or a chunking change).
    warm_dir = work / "warm"
    warm_dir.mkdir()
    shutil.copy(work / "cold" / "embedding-cache.sqlite", warm_dir / "embedding-cache.sqlite")
    b = Assistant(Settings(data_dir=warm_dir), embedder=a.embedder.inner)
    t0 = time.perf_counter()
    b.ingest([corpus])
    warm_s = time.perf_counter() - t0
    results["ingest_cached"] = {"seconds": round(warm_s, 2), "chars_per_s": round(chars / warm_s),
                                "chunks_per_s": round(chunks / warm_s, 1)}
    results["index_bytes"] = {"total": dir_size(work / "cold"), "chroma": dir_size(work / "cold" / "chroma"),
                              "bm25": sum(f.stat().st_size for f in (work / "cold").glob("bm25-*.pkl")),
                              "manifest": (work / "cold" / "manifest.sqlite").stat().st_size,
                              "embedding_cache": (work / "cold" / "embedding-cache.sqlite").stat().st_size}

    # Query latency on the bundled corpus, as `assistant ask` sees it.
    q = Assistant(Settings(data_dir=work / "seed"), embedder=a.embedder.inner)
    q.ingest([REPO_ROOT / "corpus"])
    questions = [json.loads(line)["question"] for line in (REPO_ROOT / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    q.ask(questions[0])
    retrieve, total = [], []
    for _ in range(args.rounds):
        for question in questions:
            ans = q.ask(question)
            retrieve.append(ans.timings_ms["retrieve"])
            total.append(ans.timings_ms["total"])
    results["query_ms"] = {"n": len(total), "retrieve_p50": round(pct(retrieve, .5), 2),
                           "retrieve_p95": round(pct(retrieve, .95), 2), "answer_p50": round(pct(total, .5), 2),
                           "answer_p95": round(pct(total, .95), 2), "answer_mean": round(statistics.mean(total), 2)}
    # Drafting, through the same facade.
    from assistant.drafting.pipeline import make_request
    t0 = time.perf_counter()
    q.draft(make_request("青禾县", "教育,医疗卫生,劳动就业创业,社会保险", "2026-2030"))
    results["draft_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
