"""The reliability suite (issue 14 "Done when"), smaller than eval/bench_reliability.py but the same
code: each section runs the benchmark in a fresh process and every row must PASS. The rows that
fail name the input or trial and what went wrong."""
import json
import subprocess
import sys

import pytest

from conftest import REPO_ROOT

pytestmark = pytest.mark.slow


def _bench(tmp_path, section: str, *extra: str) -> list[dict]:
    out = tmp_path / f"{section}.json"
    run = subprocess.run([sys.executable, str(REPO_ROOT / "eval" / "bench_reliability.py"), "--quick", "--only", section,
                          "--work", str(tmp_path / "work"), "--json", str(out), *extra],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=1800, check=False)
    assert out.exists(), run.stdout[-2000:] + run.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


def _failures(rows: list[dict]) -> list[str]:
    return [f"{r['name']}: {r['detail']}" for r in rows if not r["ok"]]


def test_bad_inputs_are_refused_or_ingested_within_budget_and_leave_the_library_unchanged(tmp_path):
    rows = _bench(tmp_path, "bad_inputs")
    assert len([r for r in rows if r["wall_s"]]) >= 40
    assert _failures(rows) == []


def test_sigkill_during_ingest_update_remove_and_reindex_leaves_stores_that_agree_after_restart(tmp_path):
    rows = _bench(tmp_path, "kill_trials", "--kills", "8")
    assert len(rows) == 8
    assert _failures(rows) == []


def test_concurrent_users_get_unchanged_answers_while_documents_come_and_go(tmp_path):
    rows = _bench(tmp_path, "concurrent_load", "--users", "4", "--seconds", "20")
    assert _failures(rows) == []


def test_a_failing_llm_gives_the_offline_answer_with_a_notice_in_python_cli_and_api(tmp_path):
    rows = _bench(tmp_path, "llm_failures")
    assert {r["name"].split()[0] for r in rows} == {"Python", "CLI", "API"} and len(rows) == 12
    assert _failures(rows) == []
