"""Title / place / year accuracy of the metadata read at ingest, against a corpus manifest.

    python eval/meta_accuracy.py [--corpus DIR] [--manifest MANIFEST.tsv] [--verbose]

Every file of the corpus is read exactly as ingest reads it (readers → cleaning → metadata), so the
figures are what a citation shows. Checks (see eval/README.md):
- place: `region` equals the manifest's `place` (canonical gazetteer name, e.g. 郑州市二七区).
- year:  `year` equals the manifest's `year`; rows whose year is undated (n.d.…) are left out.
- title: right when, after removing whitespace, it equals the title part of the file name (no extension,
  trailing year or 文号), or when it is written in the document's own text and names the same
  document as the file name: its core (title without 关于印发…的通知, 《》, （试行）, years) and the file
  name's core share a common subsequence covering ≥ 80 % of the file name's core and ≥ 50 % of its own.
  and the characters of its core outside that common part contain no digit or Latin letter.
  So 《居住证暂行条例》 for 福建省实施《居住证暂行条例》办法 is wrong (50 % of the file name), and so are
  site names, 索引号 lines, 文号, 00001 and 共印35份《…》实施细则. The check is written independently of assistant/ingest/metadata.py.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.index.indexer import build_document  # noqa: E402
from assistant.ingest.readers import ReadError  # noqa: E402

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "real"
DEFAULT_CORPUS = Path("/work/shared/eval/real/corpus") if not REAL.exists() else REAL / "corpus"


def _nows(s: str) -> str:
    return re.sub(r"[\s\u3000*]+", "", s)


def file_title(name: str) -> str:
    stem = re.sub(r"\.[A-Za-z]{2,4}$", "", name)
    stem = re.sub(r"[（(][^（）()]*号[）)]$", "", stem)
    stem = re.sub(r"(?:19|20)\d{2}$", "", stem)
    return _nows(stem.replace("_", ""))


def core(title: str) -> str:
    t = _nows(title)
    m = re.search(r"关于(?:印发|转发|发布|公布|批转)(.+?)的?通知$", t)
    t = m.group(1) if m else t
    t = re.sub(r"[《》〈〉“”\"]|[（(](?:试行|暂行)[）)]|(?:19|20)\d{2}年?", "", t)
    return t


def lcs(a: str, b: str) -> tuple[int, str]:
    """Length of the longest common subsequence, and the characters of `a` outside it."""
    n, m = len(a), len(b)
    t = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            t[i][j] = t[i + 1][j + 1] + 1 if a[i] == b[j] else max(t[i + 1][j], t[i][j + 1])
    i = j = 0
    rest = []
    while i < n and j < m:
        if a[i] == b[j]:
            i, j = i + 1, j + 1
        elif t[i + 1][j] >= t[i][j + 1]:
            rest.append(a[i])
            i += 1
        else:
            j += 1
    return t[0][0], "".join(rest) + a[i:]


def title_ok(title: str, name: str, text: str) -> bool:
    t, f = _nows(title), file_title(name)
    if t == f:
        return True
    if not t or t not in _nows(text):
        return False
    ct, cf = core(t), core(f)
    n, extra = lcs(ct, cf)
    # Words a real title adds to the file name's (关于, 实施, 的) are Chinese; digits or Latin outside
    # the common part are page furniture glued to it (共印35份, CLI.12.4792728, 00001).
    return bool(ct and cf) and n >= 0.8 * len(cf) and n >= 0.5 * len(ct) and not re.search(r"[0-9A-Za-z]", extra)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--manifest", type=Path, default=None)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    manifest = args.manifest or args.corpus.parent / "MANIFEST.tsv"
    rows = {r["file"]: r for r in csv.DictReader(open(manifest, encoding="utf-8"), delimiter="\t")}
    n = ok_title = ok_place = ok_year = n_year = 0
    unread, from_name = [], 0
    t0 = time.perf_counter()
    for path in sorted(args.corpus.iterdir()):
        row = rows.get(path.name)
        if not row:
            continue
        n += 1
        try:
            doc = build_document(path, path.read_bytes())
            meta, text = doc.meta, doc.text
        except ReadError as exc:
            unread.append(str(exc))
            print(f"UNREAD {exc}")
            continue
        t_ok = title_ok(meta.title, path.name, text)
        from_name += _nows(meta.title) == file_title(path.name) and _nows(meta.title) not in _nows(text)
        p_ok = meta.region == row["place"]
        year_known = bool(re.fullmatch(r"\d{4}", row["year"]))
        y_ok = year_known and meta.year == int(row["year"])
        ok_title += t_ok
        ok_place += p_ok
        n_year += year_known
        ok_year += y_ok
        if args.verbose or not (t_ok and p_ok and (y_ok or not year_known)):
            flags = "".join(c if good else "✗" for c, good in (("T", t_ok), ("P", p_ok), ("Y", y_ok or not year_known)))
            print(f"{flags} {path.name}\n    title={meta.title} | region={meta.region}({meta.place_level}) "
                  f"want {row['place']} | year={meta.year} want {row['year']} | issuer={meta.issuer} "
                  f"| 文号={meta.doc_number} | date={meta.date} | topic={meta.topic} | conf={meta.confidence}")
    secs = time.perf_counter() - t0
    print(f"\nfiles {n} (unreadable {len(unread)}), {secs:.1f} s")
    print(f"title accuracy {ok_title / n:.3f} ({ok_title}/{n}; {from_name} taken from the file name)")
    print(f"place accuracy {ok_place / n:.3f} ({ok_place}/{n})")
    print(f"year accuracy  {ok_year / max(n_year, 1):.3f} ({ok_year}/{n_year}; {n - n_year} undated rows left out)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
