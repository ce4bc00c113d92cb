"""Places: which place a text names (北京、郑州市二七区、县里), and whether a document's place
matches the place a question asks about. The gazetteer is package data (data/places.tsv);
names not in it are still found by their suffix (…省/市/区/县/新区/开发区)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LEVELS = ("省", "自治区", "市", "新区", "开发区", "区", "县", "镇", "街道")


@dataclass(frozen=True)
class Place:
    name: str                 # canonical: 北京市, 二七区
    level: str                # 省 | 市 | 区 | 县 | 新区 | 开发区 …
    parent: str | None = None
    aliases: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def gazetteer() -> tuple[Place, ...]:
    text = resources.files("assistant").joinpath("data/places.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = (line.split("\t") + ["", "", ""])[:4]
        name, level, parent, aliases = (c.strip() for c in cols)
        out.append(Place(name, level, parent or None, tuple(a for a in aliases.split(",") if a)))
    return tuple(out)


SUFFIX = re.compile(r"([\u4e00-\u9fff]{2,5}?(?:新区|开发区|自治区|省|市|区|县))")


def find_places(text: str) -> list[Place]:
    """Places named in the text, in order of first mention, longest names first at one spot."""
    found: dict[str, tuple[int, Place]] = {}
    for p in gazetteer():
        for name in (p.name, *p.aliases):
            if len(name) < 2:
                continue
            i = text.find(name)
            if i >= 0 and (p.name not in found or i < found[p.name][0]):
                found[p.name] = (i, p)
    return [p for _, p in sorted(found.values(), key=lambda x: x[0])]


def canonical(name: str | None) -> str | None:
    """北京 → 北京市; unknown names are returned unchanged."""
    if not name:
        return None
    for p in gazetteer():
        if name == p.name or name in p.aliases:
            return p.name
    return name


def same_place(a: str | None, b: str | None) -> bool:
    a, b = canonical(a), canonical(b)
    return bool(a and b and (a == b or a in b or b in a))
