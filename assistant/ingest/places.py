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


# places.tsv: the project's own list (user-extendable); places_cn.tsv: a general gazetteer of
# provinces, prefecture-level cities and the districts of the largest cities.
GAZETTEER_FILES = ("data/places.tsv", "data/places_cn.tsv")


@lru_cache(maxsize=1)
def gazetteer() -> tuple[Place, ...]:
    by_name: dict[str, Place] = {}
    for name_ in GAZETTEER_FILES:
        res = resources.files("assistant").joinpath(name_)
        if not res.is_file():
            continue
        for line in res.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = (line.split("\t") + ["", "", ""])[:4]
            name, level, parent, aliases = (c.strip() for c in cols)
            new = tuple(a for a in aliases.split(",") if a)
            old = by_name.get(name)
            if old:  # the first file wins on level/parent; aliases add up
                by_name[name] = Place(old.name, old.level, old.parent, tuple(dict.fromkeys(old.aliases + new)))
            else:
                by_name[name] = Place(name, level, parent or None, new)
    return tuple(by_name.values())


SUFFIX = re.compile(r"([\u4e00-\u9fff]{2,5}?(?:新区|开发区|自治区|省|市|区|县))")


def find_places(text: str) -> list[Place]:
    """Places named in the text, in order of first mention, longest names first at one spot."""
    index = _names_by_pair()
    pairs = {text[i:i + 2] for i in range(len(text) - 1)}
    found: dict[str, tuple[int, int, Place]] = {}
    # Only names whose first two characters occur in the text are searched for: a document's
    # title is looked up at every library refresh, and the gazetteer has thousands of names.
    for pair in pairs & index.keys():
        for k, name, p in index[pair]:
            i = text.find(name)
            while i >= 0 and _joins_words(text, i, name):
                i = text.find(name, i + 1)
            if i >= 0 and (p.name not in found or i < found[p.name][0]):
                found[p.name] = (i, k, p)
    return [p for _, _, p in sorted(found.values(), key=lambda x: (x[0], x[1]))]


CONJUNCTIONS = "和与及同跟或"


def _joins_words(text: str, i: int, name: str) -> bool:
    """厦门和平潭: a bare two-character name (和平) that starts with a conjunction right after a
    word, and is not followed by its level (和平区), reads as the conjunction: 厦门 和 平潭."""
    return (len(name) == 2 and name[0] in CONJUNCTIONS and i > 0 and "\u4e00" <= text[i - 1] <= "\u9fff"
            and not text.startswith(LEVELS, i + 2))


_PAIR_INDEX: tuple[tuple[Place, ...], dict[str, list[tuple[int, str, Place]]]] | None = None


def _names_by_pair() -> dict[str, list[tuple[int, str, Place]]]:
    """Every gazetteer name of two or more characters under its first two characters, with its
    place's position in the gazetteer (ties at one spot keep the gazetteer's order)."""
    global _PAIR_INDEX
    places = gazetteer()
    if _PAIR_INDEX is None or _PAIR_INDEX[0] is not places:
        index: dict[str, list[tuple[int, str, Place]]] = {}
        for k, p in enumerate(places):
            for name in (p.name, *p.aliases):
                if len(name) >= 2:
                    index.setdefault(name[:2], []).append((k, name, p))
        _PAIR_INDEX = (places, index)
    return _PAIR_INDEX[1]


def canonical(name: str | None) -> str | None:
    """北京 → 北京市; unknown names are returned unchanged."""
    if not name:
        return None
    return _canonical_names().get(name, name)


_CANONICAL: tuple[tuple[Place, ...], dict[str, str]] | None = None


def _canonical_names() -> dict[str, str]:
    """Every name and alias → the canonical name of the first gazetteer place that has it. A
    lookup, not a scan: place scoping asks it for every document of the library at every question
    (100 000 chunks, 4 300 documents: 400 ms a question as a scan of the gazetteer)."""
    global _CANONICAL
    places = gazetteer()
    if _CANONICAL is None or _CANONICAL[0] is not places:
        names: dict[str, str] = {}
        for p in places:
            for name in (p.name, *p.aliases):
                names.setdefault(name, p.name)
        _CANONICAL = (places, names)
    return _CANONICAL[1]


def same_place(a: str | None, b: str | None) -> bool:
    a, b = canonical(a), canonical(b)
    return bool(a and b and (a == b or a in b or b in a))


def most_specific(places: list[Place]) -> list[Place]:
    """上海黄浦区 names 上海市 and 上海市黄浦区: the question is about the district."""
    names = {p.name for p in places}
    return [p for p in places if not any(q.parent == p.name for q in places if q.name in names and q is not p)]


def place_key(name: str) -> str:
    """郑州市二七区 → 郑州二七: a name without level suffixes, for matching loosely written names."""
    return re.sub(r"(省|市|自治区|新区|开发区|区|县)", "", name)


def matches(doc_place: str | None, asked: str) -> bool:
    """Does a document of `doc_place` speak for the asked place? The same place, written
    with or without its city (二七区 / 郑州市二七区). A city's document does not speak for one of
    its districts nor the reverse: they are different governments with different rules."""
    if not doc_place:
        return False
    a, d = canonical(asked) or asked, canonical(doc_place) or doc_place
    if a == d:
        return True
    ka, kd = place_key(a), place_key(d)
    if not ka or not kd:
        return False
    return ka == kd or (len(ka) >= 2 and kd.endswith(ka) and _district_like(a)) or \
        (len(kd) >= 2 and ka.endswith(kd) and _district_like(d))


def _district_like(name: str) -> bool:
    return name.endswith(("区", "县", "新区", "开发区"))
