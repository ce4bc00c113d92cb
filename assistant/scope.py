"""Which documents a question may be answered from. A question that names a place is answered
only from that place's documents: a document's place is its manifest region when that is a
known place, and the place its title or file name names otherwise (both count). Places never
blend: a question about 成都 is never answered from 武汉's look-alike document."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .places import Place, find_places, matches, most_specific
from .types import DocumentInfo


@dataclass(frozen=True)
class DocPlace:
    doc_id: str
    places: tuple[str, ...]   # canonical names; empty when the document names none


@dataclass(frozen=True)
class Scope:
    asked: tuple[str, ...]                      # places the question names (most specific)
    docs: dict[str, tuple[str, ...]]            # asked place -> its documents

    @property
    def silent(self) -> tuple[str, ...]:
        """Asked places that have no document."""
        return tuple(p for p in self.asked if not self.docs.get(p))


def doc_places(doc: DocumentInfo) -> DocPlace:
    """The manifest region when it is a known place; the title's (else the file name's) place
    when the region is unknown or the title names a place inside it (a district's document
    whose region was read as its city)."""
    region = None
    if doc.region:
        named = most_specific(find_places(doc.region))
        region = named[0] if named else None
    named_place = None
    for text in (doc.title or "", Path(doc.path or "").stem):
        named = most_specific(find_places(text))
        if named:
            named_place = named[0]
            break
    if region and named_place and named_place.parent == region.name:
        return DocPlace(doc.doc_id, (named_place.name,))
    chosen = region or named_place
    return DocPlace(doc.doc_id, (chosen.name,) if chosen else ())


def asked_places(question: str) -> list[Place]:
    return most_specific(find_places(question))


COUNTY = "县"


def plan_scope(question: str, docs: list[DocPlace]) -> Scope:
    """The asked places and their documents. 县里/全县 (a county named by its level only) is the
    side whose documents are a county's or name no place: never a city's or a district's."""
    from .question import COUNTY_WORD
    asked = list(dict.fromkeys(p.name for p in asked_places(question)))
    by_place = {a: tuple(d.doc_id for d in docs if any(matches(dp, a) for dp in d.places)) for a in asked}
    if COUNTY_WORD.search(question) and not any(a.endswith("县") for a in asked):
        asked.append(COUNTY)
        by_place[COUNTY] = tuple(d.doc_id for d in docs if not d.places or any(p.endswith("县") for p in d.places))
    return Scope(tuple(asked), by_place)


def place_spellings(text: str) -> list[str]:
    """Every spelling of every place the text names (for taking place names out of a focus)."""
    out = []
    for p in find_places(text):
        out += [n for n in (p.name, *p.aliases) if len(n) >= 2 and n in text]
    return out
