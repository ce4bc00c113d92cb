import json
import subprocess
import sys

import pytest

from conftest import REPO_ROOT

pytestmark = pytest.mark.slow  # runs an evaluation

KEYS = {"dataset", "n", "recall@1", "recall@5", "recall@10", "mrr@10", "answer_accuracy", "citation_precision",
        "citation_recall", "refusal_rate_unanswerable", "false_refusal_rate", "wrong_answer_rate",
        "wrong_place_answers", "outcomes", "latency_ms", "by_type", "baseline"}


def test_assistant_eval_on_five_questions(tmp_path, real_data_dir):
    rows = [json.loads(line) for line in (REPO_ROOT / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    picked = [r for r in rows if r["id"] in ("dev-001", "dev-008", "dev-021", "dev-029", "dev-039")]
    ds = tmp_path / "five.jsonl"
    ds.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in picked), encoding="utf-8")
    out = tmp_path / "out.json"
    env = {"ASSISTANT_DATA_DIR": str(real_data_dir), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    r = subprocess.run([sys.executable, "-m", "assistant.app.cli", "eval", "--dataset", str(ds), "--baseline",
                        "--json", str(out)], capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "langchain baseline" in r.stdout and "bm25 only" in r.stdout and "dense only" in r.stdout
    d = json.loads(out.read_text(encoding="utf-8"))
    assert set(d) == KEYS
    assert (d["dataset"], d["n"]) == (str(ds), 5)
    # dev-021 has four evidence strings in four chunks; its top 5 holds three of them.
    assert (d["recall@5"], d["answer_accuracy"], d["citation_precision"], d["citation_recall"]) == (0.75, 1.0, 1.0, 1.0)
    assert (d["refusal_rate_unanswerable"], d["false_refusal_rate"]) == (1.0, 0.0)
    assert set(d["latency_ms"]) == {"retrieve_p50", "retrieve_p95", "answer_p50", "answer_p95"}
    assert set(d["by_type"]) == {"number", "list", "table", "unanswerable"}
    assert set(d["baseline"]) == KEYS - {"baseline"}
    assert d["baseline"]["refusal_rate_unanswerable"] == 0.0
