"""Mutation benchmark: how many deliberately planted bugs the fast tests catch.

    python eval/mutation.py                      # every module below, one after another
    python eval/mutation.py cleaning chunking    # some of them

For each module, the checkout's code, tests and data are copied into a scratch folder, a
[tool.mutmut] section naming that one module and the fast tests that cover it is added to the
copy's pyproject.toml, and `mutmut run --max-children N` (default 1: the benchmark must not take
over a shared machine) mutates it. The kill score per module is killed (or timed-out) mutants
over all tested mutants; mutmut's own listing of survivors is kept in the scratch folder
(`mutmut results`, `mutmut show NAME` there). The figures go in eval/README.md."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# module -> (file to mutate, test files that cover it; globs, missing ones are skipped)
MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "cleaning": ("assistant/ingest/cleaning.py", ("tests/test_offset_properties.py", "tests/test_cleaning_structure.py",
                                           "tests/test_cleaning*.py")),
    "chunking": ("assistant/ingest/chunking.py", ("tests/test_chunking.py", "tests/test_cleaning_structure.py")),
    # The checker's own fast tests; the end-to-end ones through a model endpoint (tens of seconds
    # each) are left to the ordinary test run.
    "citecheck": ("assistant/answer/citecheck.py", (
        "tests/test_citecheck*.py", "tests/test_llm.py::test_citation_checks_on_crafted_outputs",
        *(f"tests/test_llm_safety.py::{t}" for t in (
            "test_each_forgery_is_caught_and_true_paraphrases_pass",
            "test_a_true_figure_given_to_another_subject_in_the_same_passage_is_caught",
            "test_list_style_paraphrases_of_measures_pass", "test_a_measure_given_to_another_field_or_negated_is_caught",
            "test_whole_numbers_with_units", "test_reasons_are_kept_per_citation")))),
    "export_docx": ("assistant/drafting/export_docx.py", ("tests/test_export*.py", "tests/test_drafting_docx.py")),
    "citeformat": ("assistant/answer/citeformat.py", ("tests/test_citeformat*.py",)),
    # The answer check on its own fast tests. The end-to-end answer tests share an ingested corpus
    # (a module-scoped fixture); run in mutmut's forked children they took a minute each and were
    # cut off as timeouts even for mutants that raise at once, which would count as kills.
    "answer_check": ("assistant/answer/answer_check.py", (
        "tests/test_answer_check*.py",
        *(f"tests/test_answer_trust.py::{t}" for t in (
            "test_unit_phrasings_are_recognised", "test_yipi_is_not_a_number", "test_heading_alone_is_refused",
            "test_focus_must_be_in_the_sentence_or_its_headings")),
        # the parts added for real 办法/规定 files, on hand-made sentences (no index)
        *(f"tests/test_answer_mechanisms.py::{t}" for t in (
            "test_a_unit_of_work_doing_what_the_question_asks", "test_a_list_item_reads_with_its_lead_in",
            "test_an_item_ending_with_a_semicolon_is_never_a_bare_heading",
            "test_a_numbered_item_with_a_figure_is_not_a_bare_heading",
            "test_the_word_that_narrows_the_thing_measured_must_be_quoted",
            "test_name_words_are_rare_among_names_and_not_common_in_the_text",
            "test_a_decree_number_names_the_document_not_the_thing_asked",
            "test_a_compound_over_a_frame_word_is_no_focus_term",
            "test_a_year_that_names_the_documents_edition_does_not_rule_out_other_years_in_it")))),
    # The answerer on hand-made chunks with a stub answer check (no index: see answer_check above).
    "extractive": ("assistant/answer/extractive.py", ("tests/test_extractive*.py",)),
}
NOT_BY_DEFAULT: set[str] = set()
COPY = ("assistant", "tests", "corpus", "prompts", "eval", "setup.py", "README.md", "pyproject.toml")


def _tests(patterns: tuple[str, ...]) -> list[str]:
    """Test files (globs) or single tests (file::name); a pattern that matches nothing is skipped."""
    found: list[str] = []
    for pattern in patterns:
        file_part, sep, name = pattern.partition("::")
        for path in sorted(ROOT.glob(file_part)):
            rel = str(path.relative_to(ROOT)) + sep + name
            if rel not in found:
                found.append(rel)
    return found


def _workdir(name: str, target: str, tests: list[str], base: Path) -> Path:
    work = base / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for item in COPY:
        src = ROOT / item
        if src.is_dir():
            shutil.copytree(src, work / item, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "mutants"))
        elif src.exists():
            shutil.copy2(src, work / item)
    section = {
        "source_paths": ["assistant"],
        "only_mutate": [target],
        "also_copy": ["corpus", "prompts", "eval", "setup.py", "README.md"],
        "pytest_add_cli_args": ["-q", "-x", "-p", "no:cacheprovider", "-m", "not slow"],
        "pytest_add_cli_args_test_selection": tests,
        "use_git_change_detection": False,
        # A mutant that loops forever is killed after 3× the clean run's time, not mutmut's 15×.
        "timeout_multiplier": 3.0,
    }
    lines = ["", "[tool.mutmut]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in section.items()]
    with (work / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return work


def _limit_memory(gb: float):
    """A mutant that loops while appending would eat the machine's memory: cap each process."""
    def apply() -> None:
        import resource
        limit = int(gb * 1024 ** 3)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply if gb > 0 and os.name == "posix" else None


def run_module(name: str, base: Path, children: int, memory_gb: float = 4.0) -> dict:
    target, patterns = MODULES[name]
    tests = _tests(patterns)
    if not tests:
        return {"module": name, "error": "no tests found"}
    work = _workdir(name, target, tests, base)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ASSISTANT_DATA_DIR=str(work / "data"))
    t0 = time.time()
    done = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(children)], cwd=work,
                          env=env, capture_output=True, text=True, preexec_fn=_limit_memory(memory_gb))
    subprocess.run([sys.executable, "-m", "mutmut", "export-cicd-stats"], cwd=work, env=env, capture_output=True)
    stats_file = work / "mutants" / "mutmut-cicd-stats.json"
    if done.returncode != 0 or not stats_file.exists():
        return {"module": name, "error": (done.stdout + done.stderr)[-1500:], "work": str(work)}
    stats = json.loads(stats_file.read_text())
    tested = int(stats.get("total", 0)) - int(stats.get("skipped", 0))
    killed = int(stats.get("killed", 0)) + int(stats.get("timeout", 0))
    return {"module": name, "file": target, "tests": tests, "mutants": tested, "killed": killed,
            "survived": int(stats.get("survived", 0)), "no_tests": int(stats.get("no_tests", 0)),
            "score": round(100.0 * killed / tested, 1) if tested else 0.0,
            "minutes": round((time.time() - t0) / 60, 1), "work": str(work)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*",
                        help="of: " + ", ".join(MODULES) + " (default: all"
                        + (" but " + ", ".join(sorted(NOT_BY_DEFAULT)) if NOT_BY_DEFAULT else "") + ")")
    parser.add_argument("--max-children", type=int, default=1)
    parser.add_argument("--memory-gb", type=float, default=4.0, help="address-space cap per process (0: none)")
    parser.add_argument("--work", default=os.environ.get("MUTATION_WORK", "/tmp/assistant-mutation"))
    parser.add_argument("--json", dest="json_out")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module {unknown}; known: {', '.join(MODULES)}")
    results = []
    for name in args.modules or [m for m in MODULES if m not in NOT_BY_DEFAULT]:
        r = run_module(name, Path(args.work), args.max_children, args.memory_gb)
        results.append(r)
        if "error" in r:
            print(f"{name:<12} 失败：{r['error']}", flush=True)
        else:
            print(f"{name:<12} {r['killed']:>4}/{r['mutants']:<4} killed  {r['score']:5.1f}%  "
                  f"({r['survived']} survived, {r['no_tests']} not covered, {r['minutes']} min)", flush=True)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
