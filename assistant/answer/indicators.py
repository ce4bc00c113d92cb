"""Parse indicator tables (主要发展指标) into rows: domain, indicator, unit, base and target.

Scraped tables arrive flattened: “指标 2015年 2020年 基本公共教育 九年义务教育巩固率(%) 95.7 97.5
义务教育…”. A row ends with its numbers and the next begins with a name; a domain label such as
基本公共教育 opens a group. Two repairs for flattening slips, both stated here:
- a row whose name begins with a unit character (岁以下儿童死亡率) took a digit that belongs to
  the row before (4.35 → 4.3 and 5岁以下…);
- a row with one value has it in the last (target) column, as in the source's 五年累计数 rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.structure import TABLE_HEADER
from ..textrules import NUMBER

DOMAINS = ("残疾人基本公共服务", "基本公共文化体育", "基本劳动就业创业", "基本公共教育", "基本社会保险",
           "基本医疗卫生", "基本社会服务", "基本住房保障")
VALUES = re.compile(rf"({NUMBER.pattern})(?:\s+({NUMBER.pattern}))?\s*$")
UNIT_CHARS = "岁年个万"


@dataclass(frozen=True)
class IndicatorRow:
    domain: str
    name: str
    unit: str
    base: str | None
    target: str | None
    base_year: str
    target_year: str

    def describe(self) -> str:
        unit = self.unit if self.unit and self.unit not in ("%",) else ""
        pct = "%" if self.unit == "%" else ""
        parts = []
        if self.base is not None:
            parts.append(f"{self.base_year}年 {self.base}{pct}{unit}")
        if self.target is not None:
            parts.append(f"{self.target_year}年 {self.target}{pct}{unit}")
        return "，".join(parts)


def parse_indicator_table(text: str) -> list[IndicatorRow]:
    header = TABLE_HEADER.search(text)
    if not header:
        return []
    y1, y2 = header.group(1), header.group(2)
    body = text[header.end():]
    body = re.split(r"注[:：]", body)[0]
    from ..ingest.chunking import sentence_spans
    pieces = [body[a:b] for a, b in sentence_spans(body, 0, len(body), table=True)]
    rows: list[IndicatorRow] = []
    domain = ""
    for piece in pieces:
        piece = piece.strip()
        if rows and piece[:1] in UNIT_CHARS:
            prev = rows[-1]
            last = prev.target if prev.target is not None else prev.base
            if last and len(last) >= 2 and last[-1].isdigit():
                moved = last[-1]
                fixed = last[:-1].rstrip(".")
                rows[-1] = IndicatorRow(prev.domain, prev.name, prev.unit,
                                        prev.base if prev.target is not None else fixed,
                                        fixed if prev.target is not None else None, y1, y2)
                piece = moved + piece
        for d in DOMAINS:
            if piece.startswith(d):
                domain = d
                piece = piece[len(d):]
                break
        m = VALUES.search(piece)
        if not m:
            continue
        label = piece[:m.start()].strip()
        um = re.search(r"[（(]([^（()）]*)[）)]\s*$", label)
        unit = um.group(1).strip() if um else ""
        name = label[:um.start()].strip() if um else label
        if not name:
            continue
        a, b = m.group(1), m.group(2)
        base, target = (a, b) if b is not None else (None, a)
        rows.append(IndicatorRow(domain, name, unit, base, target, y1, y2))
    return rows


def row_for_text(rows: list[IndicatorRow], text: str) -> IndicatorRow | None:
    """The parsed row whose indicator name occurs in a quoted table line."""
    best = None
    for r in rows:
        if r.name in text and (best is None or len(r.name) > len(best.name)):
            best = r
    return best
