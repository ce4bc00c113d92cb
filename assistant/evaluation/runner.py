"""The evaluation behind `assistant eval`: runs a dataset through the same path as `assistant ask`
and reports retrieval, answer, citation, refusal and latency metrics, with dense-only, BM25-only
and the LangChain baseline as further rows. The command itself (building the assistant, printing)
is in the CLI."""
from __future__ import annotations

import json
from pathlib import Path

from .metrics import QuestionResult, place_key, summarize

METRIC_COLUMNS = ["recall@1", "recall@5", "recall@10", "mrr@10", "answer_accuracy", "citation_precision",
                  "citation_recall", "refusal_rate_unanswerable", "false_refusal_rate", "wrong_answer_rate",
                  "wrong_place_answers"]
MANIFEST_NAME = "MANIFEST.tsv"


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


def load_file_places(corpus: Path) -> dict[str, str]:
    """File name → place, from the corpus's MANIFEST.tsv (beside or above the corpus folder).
    The judge of wrong-place answers: taken from the dataset, never from the answerer."""
    for folder in (corpus, corpus.parent):
        path = folder / MANIFEST_NAME
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            head = lines[0].split("\t")
            if "file" in head and "place" in head:
                fi, pi = head.index("file"), head.index("place")
                return {cols[fi]: cols[pi] for cols in (ln.split("\t") for ln in lines[1:]) if len(cols) > pi}
    return {}


def asked_places(row: dict, file_places: dict[str, str]) -> tuple[str, ...]:
    """The place(s) a question is about: its source file's place; else the manifest places its
    text names (the follow-up's own words first, then the earlier question's)."""
    if row.get("source") and row["source"] in file_places:
        return (file_places[row["source"]],)
    known = sorted(set(file_places.values()), key=len, reverse=True)
    for text in [row["question"], *reversed(row.get("previous") or [])]:
        named = [p for p in known if place_key(p) and place_key(p) in text]
        named = [p for p in named if not any(p != q and place_key(p) in place_key(q) for q in named)]
        if named:
            return tuple(named)
    return ()


def _result(row: dict, ranked: list[str], answer_text: str, outcome: str, cited: list[str],
            retrieve_ms: float, total_ms: float, file_places: dict[str, str],
            cited_files: list[str]) -> QuestionResult:
    return QuestionResult(row["id"], row.get("type", "?"), row.get("type") != "unanswerable",
                          row.get("evidence") or [], row.get("answer", ""), row.get("aliases") or [],
                          ranked, answer_text, outcome != "answer", cited, retrieve_ms, total_ms,
                          outcome=outcome, asked_places=asked_places(row, file_places),
                          cited_places=tuple(file_places.get(f, "") for f in cited_files))


def evaluate_assistant(assistant, rows: list[dict], k: int = 5, mode: str = "hybrid",
                       file_places: dict[str, str] | None = None) -> list[QuestionResult]:
    """Every row runs exactly `assistant.ask`, follow-ups with their earlier turns as history;
    dense/lexical swap only the retrieval mode."""
    from ..types import Turn
    file_places = file_places or {}
    results = []
    assistant.ask(rows[0]["question"])  # warm-up: model and caches loaded
    for row in rows:
        history = [Turn(q) for q in row.get("previous") or []]
        ans = assistant.ask(row["question"], history=history, k=max(k, 10), mode=mode)
        ranked = [assistant.original_slice(p.chunk) for p in ans.passages]
        cited = [assistant.original_slice(assistant.chunks_by_id[c.chunk_id]) for c in ans.citations]
        cited_files = [Path(assistant.document(c.doc_id).path).name for c in ans.citations]
        results.append(_result(row, ranked, ans.text, ans.outcome, cited, ans.timings_ms["retrieve"],
                               ans.timings_ms["total"], file_places, cited_files))
    return results


def evaluate_baseline(baseline, rows: list[dict], file_places: dict[str, str] | None = None) -> list[QuestionResult]:
    out = []
    baseline.run(rows[0]["question"])
    for row in rows:
        # The baseline has no memory: a follow-up is sent with its earlier question before it.
        q = " ".join([*(row.get("previous") or []), row["question"]])
        ranked, answer, cited, r_ms, a_ms, sources = baseline.run(q)
        out.append(_result(row, ranked, answer, "answer", cited, r_ms, a_ms, file_places or {}, sources))
    return out


def report(results: list[QuestionResult], dataset: str, baseline: dict | None) -> dict:
    overall = summarize(results)
    by_type = {}
    for t in sorted({r.qtype for r in results}):
        by_type[t] = summarize([r for r in results if r.qtype == t], with_latency=False)
    return {"dataset": dataset, **overall, "by_type": by_type, "baseline": baseline}


def format_table(rows: dict[str, dict]) -> str:
    names = ["n"] + METRIC_COLUMNS + ["outcomes", "answer_p50"]
    short = {"refusal_rate_unanswerable": "refuse_unans", "false_refusal_rate": "false_refuse",
             "citation_precision": "cit_prec", "citation_recall": "cit_rec", "answer_accuracy": "ans_acc",
             "wrong_answer_rate": "wrong_ans", "wrong_place_answers": "wrong_place", "outcomes": "ans/rel/nf"}
    header = f"{'':<22}" + "".join(f"{short.get(n, n):>13}" for n in names)
    lines = [header]
    for label, m in rows.items():
        vals = []
        for n in names:
            if n == "outcomes":
                o = m.get("outcomes", {})
                vals.append(f"{o.get('answer', 0)}/{o.get('related', 0)}/{o.get('not_found', 0)}".rjust(13))
            elif n == "answer_p50":
                v = m.get("latency_ms", {}).get("answer_p50", "")
                vals.append(f"{v:>13}" if v != "" else f"{'':>13}")
            else:
                v = m.get(n, "")
                vals.append(f"{v:>13.3f}" if isinstance(v, float) else f"{v:>13}")
        lines.append(f"{label:<22}" + "".join(vals))
    return "\n".join(lines)
