"""Apply a person's outline edits (reorder, delete, rename) to a draft before export.

Rows come from the page's outline editor: (position key "2.1.3", order, level, title, keep).
Items keep their points and sources; numbers are given afresh per level (一、/（一）/1.)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .model import Draft, OutlineItem, renumber


def _keep(value) -> bool:
    return str(value).strip() not in ("否", "0", "False", "false", "删除", "")


def apply_outline_edits(draft: Draft, rows: Sequence[Sequence]) -> Draft:
    edits: dict[str, tuple[float, str, bool]] = {}
    for row in rows:
        key, order, _level, title, keep = (list(row) + [None] * 5)[:5]
        try:
            order_f = float(order)
        except (TypeError, ValueError):
            raise ValueError(f"提纲第 {key} 项的顺序应为数字") from None
        edits[str(key)] = (order_f, str(title or "").strip(), _keep(keep))

    renamed: dict[str, str] = {}

    def rebuild(items: tuple[OutlineItem, ...], prefix: str) -> tuple[OutlineItem, ...]:
        kept = []
        for i, it in enumerate(items, 1):
            key = f"{prefix}{i}"
            order, title, keep = edits.get(key, (float(i), it.title, True))
            if not keep:
                continue
            title = title or it.title
            if title != it.title:
                renamed[it.title] = title
            kept.append((order, i, replace(it, title=title, children=rebuild(it.children, key + "."))))
        kept.sort(key=lambda t: (t[0], t[1]))
        return tuple(it for _, _, it in kept)

    # Numbers are given afresh by the outline's own rule (一、/（一）/1./（1）).
    items = renumber(rebuild(draft.outline.items, ""))
    if not items:
        raise ValueError("提纲至少要保留一项")
    top = {it.title for it in items}
    sections = {renamed.get(t, t): paras for t, paras in draft.sections.items() if renamed.get(t, t) in top}
    ordered = {it.title: sections[it.title] for it in items if it.title in sections}
    return replace(draft, outline=replace(draft.outline, items=items), sections=ordered)
