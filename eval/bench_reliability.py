"""Reliability benchmark (issue 14): bad inputs, SIGKILL trials, concurrent users, LLM failures.
Prints one PASS/FAIL row per check with its measured figures, then a summary; exit 1 if any fails.

    python eval/bench_reliability.py                 # full: 1 GiB bomb, 20 kills, 16 users × 180 s
    python eval/bench_reliability.py --quick         # small: no 1 GiB bomb, 8 kills, 4 users × 20 s
    python eval/bench_reliability.py --only bad_inputs,llm_failures --json out.json
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "reliability"))
import harness

SECTIONS = ("bad_inputs", "kill_trials", "concurrent_load", "llm_failures")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--only", default=",".join(SECTIONS))
    p.add_argument("--kills", type=int, default=None)
    p.add_argument("--users", type=int, default=None)
    p.add_argument("--seconds", type=float, default=None)
    p.add_argument("--work", default=None, help="scratch folder (default: a new temp dir)")
    p.add_argument("--json", dest="json_out")
    args = p.parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="reliability-"))
    work.mkdir(parents=True, exist_ok=True)
    harness.preload()
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    rows = []
    for section in chosen:
        t = time.monotonic()
        if section == "bad_inputs":
            got = harness.bad_inputs(work, big=not args.quick)
        elif section == "kill_trials":
            got = harness.kill_trials(work, n=args.kills or (8 if args.quick else 20))
        elif section == "concurrent_load":
            got = harness.concurrent_load(work, users=args.users or (4 if args.quick else 16),
                                          seconds=args.seconds or (20 if args.quick else 180))
        elif section == "llm_failures":
            got = harness.llm_failures(work)
        else:
            raise SystemExit(f"未知的部分：{section}（可选 {', '.join(SECTIONS)}）")
        print(f"\n== {section} ({time.monotonic() - t:.0f} s) ==", flush=True)
        for r in got:
            figures = f"{r.wall_s:6.2f}s {r.peak_mb:6.0f}MB" if r.wall_s or r.peak_mb else " " * 15
            print(f"{'PASS' if r.ok else 'FAIL'}  {figures}  {r.name}  — {r.detail}", flush=True)
        rows += got
    print("\n== summary ==")
    for section in chosen:
        mine = [r for r in rows if r.section == section]
        print(f"{section}: {sum(r.ok for r in mine)}/{len(mine)} PASS"
              + (f"; max {max(r.wall_s for r in mine):.1f} s, max {max(r.peak_mb for r in mine):.0f} MB"
                 if mine and any(r.peak_mb for r in mine) else ""))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(harness.rows_json(rows), ensure_ascii=False, indent=1),
                                       encoding="utf-8")
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
