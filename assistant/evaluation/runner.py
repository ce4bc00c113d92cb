"""`assistant eval`: runs a dataset through the same path as `assistant ask` and reports
retrieval, answer, citation, refusal and latency metrics, with dense-only, BM25-only and the
LangChain baseline as further rows."""
from __future__ import annotations

import json
from pathlib import Path

from .metrics import QuestionResult, summarize

METRIC_COLUMNS = ["recall@1", "recall@5", "recall@10", "mrr@10", "answer_accuracy", "citation_precision",
                  "citation_recall", "refusal_rate_unanswerable", "false_refusal_rate"]


def load_dataset(path: Path) -> list[dict]:
    rows = []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path} 第 {i} 行不是合法 JSON：{exc.msg}") from None
    if not rows:
        raise ValueError(f"{path} 中没有题目")
    return rows


def _original_slice(assistant, chunk) -> str:
    return assistant._original(chunk.doc_id)[chunk.orig_start:chunk.orig_end]


def evaluate_assistant(assistant, rows: list[dict], k: int = 5, mode: str = "hybrid") -> list[QuestionResult]:
    """Hybrid runs exactly `assistant.ask`; dense/lexical swap only the retrieval mode."""
    import time

    from ..question import analyse
    results = []
    assistant.ask(rows[0]["question"])  # warm-up: model and caches loaded
    for row in rows:
        if mode == "hybrid":
            ans = assistant.ask(row["question"], k=max(k, 10))
            passages = list(ans.passages)
            retrieve_ms, total_ms = ans.timings_ms["retrieve"], ans.timings_ms["total"]
        else:
            t0 = time.perf_counter()
            passages = assistant.retrieve(row["question"], k=10, mode=mode)
            t1 = time.perf_counter()
            ans = assistant.answerer.answer(row["question"], analyse(row["question"]), passages[:k])
            retrieve_ms, total_ms = (t1 - t0) * 1000, (time.perf_counter() - t0) * 1000
        ranked = [_original_slice(assistant, p.chunk) for p in passages]
        cited = [_original_slice(assistant, assistant.chunks_by_id[c.chunk_id]) for c in ans.citations]
        results.append(QuestionResult(row["id"], row.get("type", "?"), row.get("type") != "unanswerable",
                                      row.get("evidence") or [], row.get("answer", ""), row.get("aliases") or [],
                                      ranked, ans.text, not ans.grounded, cited, retrieve_ms, total_ms))
    return results


def evaluate_baseline(baseline, rows: list[dict]) -> list[QuestionResult]:
    out = []
    baseline.run(rows[0]["question"])
    for row in rows:
        ranked, answer, cited, r_ms, a_ms = baseline.run(row["question"])
        out.append(QuestionResult(row["id"], row.get("type", "?"), row.get("type") != "unanswerable",
                                  row.get("evidence") or [], row.get("answer", ""), row.get("aliases") or [],
                                  ranked, answer, False, cited, r_ms, a_ms))
    return out


def report(results: list[QuestionResult], dataset: str, baseline: dict | None) -> dict:
    overall = summarize(results)
    by_type = {}
    for t in sorted({r.qtype for r in results}):
        by_type[t] = summarize([r for r in results if r.qtype == t], with_latency=False)
    return {"dataset": dataset, **overall, "by_type": by_type, "baseline": baseline}


def format_table(rows: dict[str, dict]) -> str:
    names = ["n"] + METRIC_COLUMNS + ["answer_p50"]
    short = {"refusal_rate_unanswerable": "refuse_unans", "false_refusal_rate": "false_refuse",
             "citation_precision": "cit_prec", "citation_recall": "cit_rec", "answer_accuracy": "ans_acc"}
    header = f"{'':<22}" + "".join(f"{short.get(n, n):>13}" for n in names)
    lines = [header]
    for label, m in rows.items():
        vals = []
        for n in names:
            if n == "answer_p50":
                v = m.get("latency_ms", {}).get("answer_p50", "")
                vals.append(f"{v:>13}" if v != "" else f"{'':>13}")
            else:
                v = m.get(n, "")
                vals.append(f"{v:>13.3f}" if isinstance(v, float) else f"{v:>13}")
        lines.append(f"{label:<22}" + "".join(vals))
    return "\n".join(lines)


def run_eval(args) -> int:
    from ..bootstrap import build_assistant, settings_from_args
    settings = settings_from_args(args)
    corpus = Path(args.corpus) if getattr(args, "corpus", None) else settings.corpus_dir
    rows = load_dataset(Path(args.dataset))
    assistant = build_assistant(settings)
    failed = [r for r in assistant.ingest([corpus]) if r.status == "error"]
    for r in failed:
        print(f"导入失败 {r.error}")
    results = evaluate_assistant(assistant, rows, k=args.k)
    baseline_summary = None
    table_rows = {"assistant (hybrid)": summarize(results)}
    if args.baseline:
        for mode, label in (("dense", "dense only"), ("lexical", "bm25 only")):
            table_rows[label] = summarize(evaluate_assistant(assistant, rows, k=args.k, mode=mode))
        from ..ingest import iter_files
        from .baseline import LangChainBaseline
        base = LangChainBaseline(iter_files([corpus]), assistant.embedder.inner)
        base_results = evaluate_baseline(base, rows)
        baseline_summary = report(base_results, str(args.dataset), None)
        baseline_summary.pop("baseline")
        table_rows["langchain baseline"] = summarize(base_results)
    out = report(results, str(args.dataset), baseline_summary)
    print(f"数据集 {args.dataset}：{len(rows)} 题；向量模型 {assistant.embedder.name}；"
          f"融合权重 dense={settings.dense_weight} bm25={settings.lexical_weight}；拒答阈值 {settings.refusal_threshold}")
    print(format_table(table_rows))
    if args.baseline:
        a, b = table_rows["assistant (hybrid)"], table_rows["langchain baseline"]
        ratios = {n: (round(a[n] / b[n], 2) if b[n] else "∞" if a[n] else "-") for n in METRIC_COLUMNS
                  if n not in ("false_refusal_rate",)}
        print("assistant / baseline: " + ", ".join(f"{n}={v}" for n, v in ratios.items()))
    print("\nby type:")
    print(format_table({t: m for t, m in out["by_type"].items()}))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"\n已写入 {args.json_out}")
    return 0
