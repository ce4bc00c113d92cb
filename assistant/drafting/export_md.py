"""Markdown export for quick review."""
from __future__ import annotations

from pathlib import Path

from ..answer.citeformat import source_label
from .compose import source_note
from .model import Draft


def to_markdown(draft: Draft) -> str:
    o = draft.outline
    lines = [f"# {o.title}", "", o.preamble, ""]
    for top in o.items:
        for item, _ in top.walk():
            hashes = "#" * min(item.level + 1, 4)
            lines.append(f"{hashes} {item.number}{item.title}" + (f"  【{item.note}】" if item.note else ""))
            for p in item.points:
                lines.append(f"- {p}")
            if item.sources:
                lines.append(f"  - 来源{source_note(item)}")
                for s in item.sources:
                    if s.flag:
                        continue
                    lines.append(f"    - {source_label(s)}：“{s.quote}”")
            if item.kind == "table":
                lines += ["", "| 领域 | 指标 | 单位 | 基期值 | 目标值 |", "|---|---|---|---|---|"]
                lines += [f"| {i.domain} | {i.name} | {i.unit} | 【待填】 | 【目标值待定】 |" for i in o.indicators]
            lines.append("")
    if draft.sections and draft.backend == "llm":
        lines += ["## 分节初稿", ""]
        for title, paras in draft.sections.items():
            lines.append(f"### {title}")
            lines += [p + "\n" for p in paras]
    if o.templates:
        lines += ["## 所依范本", "", *[f"- {t}" for t in o.templates], ""]
    flagged = [(it, s) for it, _ in o.walk() for s in it.sources if s.flag]
    if flagged:
        lines += ["## 未采用的范本原文", ""]
        lines += [f"- {it.number}{it.title}：《{s.title}》“{s.quote}”——{s.flag}" for it, s in flagged]
        lines.append("")
    if o.replacements:
        lines += ["## 已替换的范本内容", ""]
        lines += [f"- “{r.original}” → “{r.replacement}”（{r.count} 处）" for r in o.replacements]
    return "\n".join(lines) + "\n"


def export_markdown(draft: Draft, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_markdown(draft), encoding="utf-8")
    return path
