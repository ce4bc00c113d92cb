"""`assistant eval-draft`: section coverage, sourced items, leaked template facts, time per draft.

Matching rule for a must-have section such as “教育·重点任务:义务教育(经费保障、…)”:
- the parenthetical is detail, scored separately (share of its 、-separated items found anywhere
  in the outline's text);
- the rest is split at : ： ·; text after a comma is dropped; parts that are instructions (they
  contain 标注 or start with 仅) are dropped;
- the last part must match an outline item's title, and the first part (when there are two or
  more) must match that item or one of its ancestors;
- two names match when one contains the other, or when at least half of the character bigrams of
  the must-have part occur in the title (总体目标 and 主要目标 count as the same);
- a must-have that mentions 范本未涉及 or 标注 also needs the matched item, a descendant or a
  sibling to carry the 范本未涉及 mark."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

from ..structure import strip_heading_number
from .facts import leaked_facts, template_target_numbers
from .model import Outline
from .pipeline import make_request

SYNONYMS = {"总体目标": "主要目标", "总体思路": "总体要求", "高中教育": "普通高中教育", "养老服务": "社会服务与养老"}


def _norm(text: str) -> str:
    text = strip_heading_number(text)
    text = re.sub(r"[（(].*?[）)]", "", text)
    text = re.sub(r"[\s“”\"'，,。:：、]", "", text)
    for a, b in SYNONYMS.items():
        text = text.replace(a, b)
    return text


def names_match(part: str, title: str) -> bool:
    a, b = _norm(part), _norm(title)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    grams = {a[i:i + 2] for i in range(len(a) - 1)}
    return bool(grams) and sum(g in b for g in grams) / len(grams) >= 0.5


def _parts(must: str) -> tuple[list[str], list[str], bool]:
    details = [d for p in re.findall(r"[（(](.*?)[）)]", must) for d in re.split(r"[、，,]", p) if d.strip()]
    main = re.sub(r"[（(].*?[）)]", "", must)
    parts = [re.split(r"[,，]", p)[0].strip() for p in re.split(r"[:：·]", main)]
    parts = [p for p in parts if p and "标注" not in p and not p.startswith("仅")]
    marks = "范本未涉及" in must or "标注" in must
    return parts, details, marks


def section_covered(must: str, outline: Outline) -> bool:
    parts, _, marks = _parts(must)
    if not parts:
        return False
    last, first = parts[-1], parts[0] if len(parts) > 1 else None
    entries = list(outline.walk())
    for item, ancestors in entries:
        if not names_match(last, item.title):
            continue
        if first and not any(names_match(first, t) for t in (*ancestors, item.title)):
            continue
        if marks:
            siblings = [i for i, anc in entries if anc == ancestors]
            marked = any(x.note for x, _ in item.walk()) or any(s.note for s in siblings)
            if not marked:
                continue
        return True
    return False


def own_text(outline: Outline, sections: dict[str, list[str]]) -> str:
    parts = [outline.title, outline.preamble]
    for item, _ in outline.walk():
        parts += [item.title, *item.points]
    for paras in sections.values():
        parts += [re.sub(r"（参照[^）]*）", "", p) for p in paras]
    return "\n".join(parts)


def template_facts(assistant) -> tuple[dict, list[str], set[str]]:
    """Documents, their place names and their target numbers: computed once per evaluation run."""
    from .facts import template_places
    docs = {d["doc_id"]: assistant.document(d["doc_id"]) for d in assistant.documents()}
    places = template_places([d.text for d in docs.values()], [d.meta.region for d in docs.values() if d.meta.region])
    return docs, places, template_target_numbers([d.text for d in docs.values()])


def evaluate_request(assistant, row: dict, out_dir: Path | None = None, facts=None) -> dict:
    from .export_docx import export_docx
    req = make_request(row["county"], row["domains"], f"{row['year_from']}-{row['year_to']}", row.get("instruction", ""))
    t0 = time.perf_counter()
    draft = assistant.draft(req)
    if out_dir:
        export_docx(draft, out_dir / f"{row['id']}.docx")
    elapsed = (time.perf_counter() - t0) * 1000
    outline = draft.outline
    musts = row.get("must_have_sections", [])
    covered = [m for m in musts if section_covered(m, outline)]
    text = own_text(outline, draft.sections)
    all_text = text + "\n" + "\n".join(i.name for i in outline.indicators) + "\n".join(
        it.note for it, _ in outline.walk())
    details = [d for m in musts for d in _parts(m)[1]]
    detail_hits = [d for d in details if _norm(d)[:4] and _norm(d)[:4] in _norm(all_text)]
    leaves = [it for it, _ in outline.walk() if not it.children and it.kind != "table"]
    sourced = [it for it in leaves if it.sources]
    docs, places, numbers = facts or template_facts(assistant)
    valid = [it for it in sourced if all(_valid(s, docs) for s in it.sources)]
    leaks = leaked_facts(text, places, numbers)
    return {"id": row["id"], "county": req.county, "sections_total": len(musts), "sections_covered": len(covered),
            "section_coverage": round(len(covered) / len(musts), 4) if musts else 1.0,
            "missing_sections": [m for m in musts if m not in covered],
            "detail_coverage": round(len(detail_hits) / len(details), 4) if details else 1.0,
            "items": len(leaves), "sourced_share": round(len(sourced) / len(leaves), 4) if leaves else 0.0,
            "valid_source_share": round(len(valid) / len(sourced), 4) if sourced else 0.0,
            "marked_local": sum(1 for it in leaves if it.note), "leaked_facts": len(leaks), "leaks": leaks,
            "replacements": len(outline.replacements), "time_ms": round(elapsed, 1)}


def _valid(src, docs) -> bool:
    doc = docs.get(src.doc_id)
    return bool(doc) and src.quote in doc.text and doc.original[src.start:src.end] == src.source_text


def run_eval_draft(args) -> int:
    from ..cli import _assistant
    a = _assistant(args)
    if not a.documents():
        a.ingest([a.settings.corpus_dir])
    rows = [json.loads(l) for l in Path(args.requests).read_text(encoding="utf-8").splitlines() if l.strip()]
    out_dir = Path(args.out_dir) if args.out_dir else None
    facts = template_facts(a)
    results = [evaluate_request(a, r, out_dir, facts) for r in rows]
    overall = {
        "requests": len(results),
        "section_coverage": round(sum(r["sections_covered"] for r in results) / max(1, sum(r["sections_total"] for r in results)), 4),
        "detail_coverage": round(sum(r["detail_coverage"] for r in results) / max(1, len(results)), 4),
        "sourced_share": round(sum(r["sourced_share"] for r in results) / max(1, len(results)), 4),
        "valid_source_share": round(sum(r["valid_source_share"] for r in results) / max(1, len(results)), 4),
        "leaked_facts": sum(r["leaked_facts"] for r in results),
        "time_ms_mean": round(sum(r["time_ms"] for r in results) / max(1, len(results)), 1),
    }
    print(f"{'id':<5}{'覆盖':>8}{'细项':>8}{'有出处':>8}{'出处有效':>8}{'待补充':>7}{'泄漏':>6}{'耗时ms':>9}")
    for r in results:
        print(f"{r['id']:<5}{r['sections_covered']:>4}/{r['sections_total']:<3}{r['detail_coverage']:>8.2f}"
              f"{r['sourced_share']:>8.2f}{r['valid_source_share']:>9.2f}{r['marked_local']:>7}{r['leaked_facts']:>6}"
              f"{r['time_ms']:>9.0f}")
        for m in r["missing_sections"]:
            print(f"      未覆盖：{m}")
    print(f"合计  覆盖 {overall['section_coverage']:.3f}  细项 {overall['detail_coverage']:.3f}  "
          f"有出处 {overall['sourced_share']:.3f}  出处有效 {overall['valid_source_share']:.3f}  "
          f"泄漏 {overall['leaked_facts']}  平均耗时 {overall['time_ms_mean']} ms")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"overall": overall, "requests": results}, ensure_ascii=False,
                                                  indent=2), encoding="utf-8")
    return 0
