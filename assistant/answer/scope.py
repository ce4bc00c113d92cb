"""Which documents a question may be answered from. A question that names a place is answered
only from that place's documents: a document's place is its manifest region when that is a
known place, and the place its title or file name names otherwise (both count). Places never
blend: a question about 成都 is never answered from 武汉's look-alike document. A question that
names a document in 《》 is answered from that document when the library holds it."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..ingest.places import CONJUNCTIONS, Place, find_places, matches, most_specific
from ..types import DocumentInfo


@dataclass(frozen=True)
class DocPlace:
    doc_id: str
    places: tuple[str, ...]   # canonical names; empty when the document names none
    names: tuple[str, ...] = ()  # what names the document: its title and file name


@dataclass(frozen=True)
class Scope:
    asked: tuple[str, ...]                      # places the question names (most specific)
    docs: dict[str, tuple[str, ...]]            # asked place -> its documents
    named: tuple[str, ...] = ()                 # documents the question names in 《》
    # documents rare words of their names pick out, with the weight of those words
    named_by_words: dict[str, float] = field(default_factory=dict)

    @property
    def silent(self) -> tuple[str, ...]:
        """Asked places that have no document."""
        return tuple(p for p in self.asked if not self.docs.get(p))


def doc_places(doc: DocumentInfo) -> DocPlace:
    """The manifest region when it is a known place; the title's (else the file name's) place
    when the region is unknown or the title names a place inside it (a district's document
    whose region was read as its city)."""
    names = tuple(n for n in (doc.title or "", Path(doc.path or "").stem) if n)
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
        return DocPlace(doc.doc_id, (named_place.name,), names)
    chosen = region or named_place
    return DocPlace(doc.doc_id, (chosen.name,) if chosen else (), names)


def asked_places(question: str) -> list[Place]:
    """The places a question is about. 上海黄浦区: the district. 福建省…意见要求福州、厦门…: the
    province's document, whose text names its cities; 广东省…和深圳…: both sides."""
    found = find_places(question)
    at = {p.name: _first_mention(question, p) for p in found}
    content: set[str] = set()
    joined: set[str] = set()
    for outer in found:
        inner = sorted((p for p in found if p.parent == outer.name and at[p.name] > at[outer.name]),
                       key=lambda p: at[p.name])
        if not inner:
            continue
        gap = question[at[outer.name]:at[inner[0].name]]
        spelled = next((n for n in sorted((outer.name, *outer.aliases), key=len, reverse=True)
                        if gap.startswith(n)), "")
        between = gap[len(spelled):]
        core = between.strip("的之 ")
        if not core:
            continue  # 广东省深圳市, 广东省的深圳市: one place, written with its province
        if between[-1] not in CONJUNCTIONS + "，, ":
            # Words stand between the place and the places inside it, and no conjunction joins
            # them: those places are what the place's document speaks of, not other sides.
            content.update(p.name for p in inner)
        else:
            joined.add(outer.name)  # 广东省…和深圳…: the province is a side of its own
    kept = [p for p in found if p.name not in content]
    specific = {p.name for p in most_specific(kept)}
    return [p for p in kept if p.name in specific or p.name in joined]


def _first_mention(text: str, place: Place) -> int:
    spots = [text.find(n) for n in (place.name, *place.aliases) if n and text.find(n) >= 0]
    return min(spots) if spots else len(text)


COUNTY = "县"


def plan_scope(question: str, docs: list[DocPlace],
               text_share: Callable[[str], float] = lambda term: 0.0) -> Scope:
    """The asked places and their documents. 县里/全县 (a county named by its level only) is the
    side whose documents are a county's or name no place: never a city's or a district's."""
    from .question import COUNTY_WORD
    asked = list(dict.fromkeys(p.name for p in asked_places(question)))
    by_place = {a: tuple(d.doc_id for d in docs if any(matches(dp, a) for dp in d.places)) for a in asked}
    if COUNTY_WORD.search(question) and not any(a.endswith("县") for a in asked):
        asked.append(COUNTY)
        by_place[COUNTY] = tuple(d.doc_id for d in docs if not d.places or any(p.endswith("县") for p in d.places))
    return Scope(tuple(asked), by_place, named_documents(question, docs),
                 docs_named_by_words(question, docs, text_share))


# A document named in 《》: at least a few characters, so 《条例》 alone names nothing.
DOC_NAME = re.compile(r"《([^《》]{4,80})》")
MIN_NAME = 6
# A document picked by name words must hold at least this share of the best document's weight.
NAME_PICK_SHARE = 0.6


def _bare(name: str) -> str:
    return re.sub(r"[\s_（）()〔〕\[\]【】《》“”\"'、，,.·-]", "", name)


def named_documents(question: str, docs: list[DocPlace]) -> tuple[str, ...]:
    """The documents whose title or file name holds a name the question writes in 《》 (or is held
    by it: 《关于印发《X》的通知》 names X). None when the library holds no such document: the
    question then asks about a document the library does not have."""
    out: list[str] = []
    for m in DOC_NAME.finditer(question):
        want = _bare(m.group(1))
        if len(want) < MIN_NAME:
            continue
        for d in docs:
            for name in map(_bare, d.names):
                if want in name or (len(name) >= MIN_NAME and name in want):
                    out.append(d.doc_id)
                    break
    return tuple(dict.fromkeys(out))


def docs_named_by_words(question: str, docs: list[DocPlace],
                        text_share: Callable[[str], float] = lambda term: 0.0) -> dict[str, float]:
    """Documents picked out by words of the question that name a few documents (廉租 among the
    住房 files of one city; see `is_name_word`), each with the number of such words its name
    holds. Place names and question frame words never count."""
    from ..index.lexical import normalize_query, tokenize
    from .answer_check import frame_words, is_name_word
    if not docs:
        return {}
    q = normalize_query(DOC_NAME.sub(" ", question))
    for spelling in sorted(place_spellings(q), key=len, reverse=True):
        q = q.replace(spelling, " ")
    names = {d.doc_id: normalize_query(" ".join(d.names)).lower() for d in docs}
    weights: dict[str, float] = {}
    for term in dict.fromkeys(tokenize(q)):
        if len(term) < 2 or term in frame_words() or term.isdigit():
            continue
        holders = [doc_id for doc_id, name in names.items() if term in name]
        if is_name_word(len(holders) / len(docs), text_share(term)):
            for doc_id in holders:
                weights[doc_id] = weights.get(doc_id, 0.0) + 1.0
    return weights


def best_named(weights: dict[str, float], within: Sequence[str] | None, keep_all: bool) -> list[str]:
    """Of the documents picked by name words (within the allowed ones), those whose names hold
    most of the question's words; all of them for a comparison (廉租住房和经济适用住房分别…)."""
    picked = {d: w for d, w in weights.items() if within is None or d in set(within)}
    if not picked:
        return []
    top = max(picked.values())
    return [d for d, w in picked.items() if keep_all or w >= NAME_PICK_SHARE * top]


def without_shared_name_words(question: str, names: list[str]) -> str:
    """The question less the words every one of the chosen documents' names holds (中山…城乡居民
    基本养老保险 when the search is inside 中山市城乡居民基本养老保险实施办法): inside those
    documents they rank nothing, and they drown the words that do (缴费标准, 档次)."""
    bare = [_bare(n) for n in names if n]
    if not bare:
        return question
    out, i = [], 0
    while i < len(question):
        k = next((k for k in range(min(len(question), i + 30), i + 1, -1)
                  if all(question[i:k] in n for n in bare)), i)
        if k - i >= 2:
            out.append(" ")
            i = k
        else:
            out.append(question[i])
            i += 1
    rest = "".join(out).strip()
    return rest if len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 4 else question


def side_questions(question: str, places: Sequence[str]) -> dict[str, str]:
    """Each place's own question in a question about several (北京积分落户和上海居住证积分，每缴纳1年
    社会保险分别积几分 → 北京积分落户，每缴纳1年…; 上海居住证积分，每缴纳1年…): the words between a
    place and the next are that place's; what follows the last side's clause is shared. A side
    that is its place alone (北京和武汉的中考) shares the next side's words. {} when a place is
    not found in the question as written."""
    spots = []
    named = find_places(question)
    for name in places:
        spellings = {name, *[a for p in named if p.name == name for a in p.aliases]}
        found = [(question.find(sp), -len(sp), sp) for sp in spellings if sp and sp in question]
        if not found:
            return {}
        at, _, spelling = min(found)
        spots.append((at, name, spelling))
    spots.sort()
    last_at = spots[-1][0]
    cut = min((i for i in (question.find(c, last_at) for c in "，,；;？?") if i >= 0), default=len(question))
    shared = question[cut:]
    if len(re.findall(r"[\u4e00-\u9fff]", shared)) < 4:
        return {}  # no clause shared after the sides (县方案和金普新区实施意见对…分别…): no sides to split
    segments = []
    for k, (at, name, spelling) in enumerate(spots):
        end = spots[k + 1][0] if k + 1 < len(spots) else cut
        segments.append((name, spelling, re.sub(r"(?:以及|[和与及、同跟\s])+$", "", question[at:end])))
    out: dict[str, str] = {}
    for k, (name, spelling, seg) in enumerate(segments):
        rest = seg
        if len(seg) <= len(spelling) + 1 and k + 1 < len(segments):
            _, nxt_spelling, nxt = segments[k + 1]
            rest = spelling + nxt[len(nxt_spelling):]  # a bare place borrows what the next side says
        out[name] = rest + shared
    return out


def without_document_names(question: str) -> str:
    """The question less the names it writes in 《》: inside the named document every passage
    shares those words, so they rank nothing."""
    rest = DOC_NAME.sub(" ", question).strip()
    return rest if len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 4 else question


def place_spellings(text: str) -> list[str]:
    """Every spelling of every place the text names (for taking place names out of a focus)."""
    out = []
    for p in find_places(text):
        out += [n for n in (p.name, *p.aliases) if len(n) >= 2 and n in text]
    return out
