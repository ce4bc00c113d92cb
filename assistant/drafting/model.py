"""Typed values of the drafting pipeline."""
from __future__ import annotations

from dataclasses import dataclass, field

NOT_IN_TEMPLATES = "范本未涉及，需本地补充"
NO_MEASURES = "范本未涉及具体举措，需本地补充"


@dataclass(frozen=True)
class DraftRequest:
    county: str
    domains: tuple[str, ...]
    year_from: int
    year_to: int
    instruction: str = ""
    sections: tuple[str, ...] = ()
    sources_as: str = "appendix"   # appendix | comments


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


@dataclass(frozen=True)
class OutlineItem:
    level: int                    # 1 一、 2 （一） 3 1.
    number: str
    title: str
    points: tuple[str, ...] = ()  # 要点, already adapted to the new county
    sources: tuple[SourceRef, ...] = ()
    note: str = ""                # NOT_IN_TEMPLATES / NO_MEASURES
    kind: str = "text"            # text | table
    children: tuple["OutlineItem", ...] = ()

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

    def walk(self):
        for it in self.items:
            yield from it.walk()


@dataclass(frozen=True)
class Draft:
    outline: Outline
    sections: dict[str, list[str]] = field(default_factory=dict)  # item title -> paragraphs
    backend: str = "offline"
    unsupported: tuple[str, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
