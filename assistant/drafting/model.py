"""Typed values of the drafting pipeline."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..textrules import int_to_cn

NOT_IN_TEMPLATES = "范本未涉及，需本地补充"
NO_MEASURES = "范本未涉及具体举措，需本地补充"


@dataclass(frozen=True)
class DraftRequest:
    """What to draft. `topic` (义务教育招生入学工作) names the document; `templates` are the doc_ids the
    user picked (empty: retrieval finds them for the topic); `domains` limits a multi-domain plan
    (基本公共服务 across 教育、医疗卫生…) to the named domains."""
    county: str
    domains: tuple[str, ...]
    year_from: int
    year_to: int
    instruction: str = ""
    sections: tuple[str, ...] = ()
    sources_as: str = "appendix"   # appendix | comments
    topic: str = ""
    templates: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.county.strip():
            raise ValueError("请填写县（区）名称")
        if self.year_from > self.year_to:
            raise ValueError("起始年份不能晚于结束年份")
        if not (self.topic.strip() or self.domains or self.templates):
            raise ValueError("请填写起草主题，或选择范本、领域")


@dataclass(frozen=True)
class SourceRef:
    doc_id: str
    title: str
    heading_path: tuple[str, ...]
    citation_label: str
    quote: str          # exact substring of the document's cleaned text
    source_text: str    # the same place in the original file
    start: int          # offsets in the original file
    end: int
    flag: str = ""      # why this passage was not used as it stands (较旧表述…, 原文疑有识别错误)


@dataclass(frozen=True)
class OutlineItem:
    level: int                    # 1 一、 2 （一） 3 1.
    number: str
    title: str
    points: tuple[str, ...] = ()  # 要点, already adapted to the new county
    sources: tuple[SourceRef, ...] = ()
    note: str = ""                # NOT_IN_TEMPLATES / NO_MEASURES
    kind: str = "text"            # text | table
    children: tuple[OutlineItem, ...] = ()

    def walk(self, path: tuple[str, ...] = ()):
        here = path + (self.title,)
        yield self, path
        for c in self.children:
            yield from c.walk(here)


@dataclass(frozen=True)
class IndicatorLine:
    domain: str
    name: str
    unit: str
    source: SourceRef | None


@dataclass(frozen=True)
class Replacement:
    original: str
    replacement: str
    kind: str          # place | doc_number | project | target | year
    count: int


@dataclass(frozen=True)
class Outline:
    request: DraftRequest
    title: str
    preamble: str
    items: tuple[OutlineItem, ...]
    indicators: tuple[IndicatorLine, ...]
    replacements: tuple[Replacement, ...] = ()
    templates: tuple[str, ...] = ()    # names of the templates the outline follows, frame first

    def walk(self):
        for it in self.items:
            yield from it.walk()

    # -- editing before export (the web page calls these; each returns a renumbered copy) --------
    # An item is addressed by its index path: (1,) is the second top-level item, (1, 0) its first child.
    def _siblings(self, path: tuple[int, ...]) -> tuple[OutlineItem, ...]:
        items = self.items
        for i in path[:-1]:
            items = items[i].children
        return items

    def _with_siblings(self, path: tuple[int, ...], siblings: tuple[OutlineItem, ...]) -> Outline:
        def rebuild(items: tuple[OutlineItem, ...], rest: tuple[int, ...]) -> tuple[OutlineItem, ...]:
            if not rest:
                return siblings
            i = rest[0]
            return items[:i] + (replace(items[i], children=rebuild(items[i].children, rest[1:])),) + items[i + 1:]
        return replace(self, items=renumber(rebuild(self.items, path[:-1])))

    def _check(self, path: tuple[int, ...]) -> tuple[OutlineItem, ...]:
        siblings = self._siblings(path) if path else ()
        if not path or not 0 <= path[-1] < len(siblings):
            raise ValueError(f"提纲中没有第 {'.'.join(str(i + 1) for i in path)} 项")
        return siblings

    def move(self, path: tuple[int, ...], to: int) -> Outline:
        """Moves an item to position `to` among its siblings."""
        siblings = list(self._check(path))
        item = siblings.pop(path[-1])
        siblings.insert(max(0, min(to, len(siblings))), item)
        return self._with_siblings(path, tuple(siblings))

    def delete(self, path: tuple[int, ...]) -> Outline:
        siblings = list(self._check(path))
        siblings.pop(path[-1])
        return self._with_siblings(path, tuple(siblings))

    def rename(self, path: tuple[int, ...], title: str) -> Outline:
        title = (title or "").strip()
        if not title:
            raise ValueError("标题不能为空")
        siblings = list(self._check(path))
        siblings[path[-1]] = replace(siblings[path[-1]], title=title)
        return self._with_siblings(path, tuple(siblings))

    def find(self, title: str) -> tuple[int, ...] | None:
        """Index path of the first item with this title."""
        def search(items: tuple[OutlineItem, ...], prefix: tuple[int, ...]) -> tuple[int, ...] | None:
            for i, it in enumerate(items):
                if it.title == title:
                    return prefix + (i,)
                found = search(it.children, prefix + (i,))
                if found:
                    return found
            return None
        return search(self.items, ())


def number_for(level: int, k: int) -> str:
    """The 公文 number of the k-th (0-based) item at a level: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{int_to_cn(k + 1)}、"
    if level == 2:
        return f"（{int_to_cn(k + 1)}）"
    if level == 3:
        return f"{k + 1}."
    return f"（{k + 1}）"


def renumber(items: tuple[OutlineItem, ...], level: int = 1) -> tuple[OutlineItem, ...]:
    return tuple(replace(it, level=level, number=number_for(level, k), children=renumber(it.children, level + 1))
                 for k, it in enumerate(items))


@dataclass(frozen=True)
class Draft:
    outline: Outline
    sections: dict[str, list[str]] = field(default_factory=dict)  # item title -> paragraphs
    backend: str = "offline"
    unsupported: tuple[str, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
