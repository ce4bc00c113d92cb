"""Build the outline of a new plan from the indexed templates: every item carries its 要点
(adapted to the new county) and the template passages it comes from; items no template supports
are kept and marked 范本未涉及，需本地补充."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..chunking import sentence_spans
from ..cleaning import OffsetMap
from ..indicators import parse_indicator_table
from ..structure import strip_heading_number
from .facts import FactScrubber, template_places
from .model import NO_MEASURES, NOT_IN_TEMPLATES, DraftRequest, IndicatorLine, Outline, OutlineItem, SourceRef
from .skeleton import DOMAINS, GENERAL, LEAD_DEPARTMENT, TABLE_GROUPS, Topic, resolve_domain

CN = "一二三四五六七八九十"
TARGET_SENTENCE = re.compile(r"到\s*20\d{2}\s*年\s*[,，]?\s*([\u4e00-\u9fff（）()]{4,20}?)(?:达到|提高到|保持在)")


@dataclass(frozen=True)
class Sentence:
    doc_id: str
    title: str
    path: tuple[str, ...]
    label: str
    start: int           # cleaned offsets
    end: int
    text: str
    kind: str


class TemplateLibrary:
    """The indexed plans as sentences with their heading paths, and their indicator tables."""

    def __init__(self, assistant) -> None:
        self.docs = {}
        self.sentences: list[Sentence] = []
        self.tables: list[tuple[str, str, tuple[str, ...], str]] = []  # doc_id, title, path, table text
        self.truncated: set[tuple[str, tuple[str, ...]]] = set()  # sections cut off by the file's end
        for info in assistant.documents():
            doc = assistant.document(info["doc_id"])
            self.docs[doc.doc_id] = doc
            table_paths = {}
            chunks = assistant.chunks_of(doc.doc_id)
            if chunks and not re.search(r"[。！？；;!?）)]$", doc.text.rstrip()):
                self.truncated.add((doc.doc_id, chunks[-1].heading_path))
            for c in chunks:
                if c.kind == "table":
                    table_paths.setdefault(c.heading_path, []).append(c)
                    continue
                for a, b in sentence_spans(c.text, 0, len(c.text)):
                    text = c.text[a:b].strip()
                    if len(text) >= 4:
                        self.sentences.append(Sentence(doc.doc_id, doc.meta.title, c.heading_path, c.citation_label,
                                                       c.start + a, c.start + a + len(text), text, c.kind))
            for path, chunks in table_paths.items():
                self.tables.append((doc.doc_id, doc.meta.title, path, "".join(c.text for c in chunks)))

    def source(self, s: Sentence) -> SourceRef:
        doc = self.docs[s.doc_id]
        o_start, o_end = OffsetMap(doc.offset_runs).span(s.start, s.end)
        return SourceRef(s.doc_id, s.title, s.path, s.label, doc.text[s.start:s.end], doc.original[o_start:o_end],
                         o_start, o_end)

    def find(self, keywords: tuple[str, ...], within: tuple[str, ...] = (), limit: int = 2,
             exclude_paths: tuple[str, ...] = ()) -> list[Sentence]:
        """Sentences that mention the keywords, best first; `within` restricts to sections whose
        heading path mentions one of those words (the topic's part of the template)."""
        scored = []
        for s in self.sentences:
            if _is_heading(s):
                continue
            path_text = " ".join(s.path)
            if within and not any(w in path_text for w in within):
                continue
            if exclude_paths and any(w in path_text for w in exclude_paths):
                continue
            hits = sum(k in s.text for k in keywords)
            head = sum(k in (s.path[-1] if s.path else "") for k in keywords)
            if hits == 0 and head == 0:
                continue
            if hits == 0 and len(s.text) < 12:
                continue
            scored.append((hits * 2 + head, -s.start, s))
        scored.sort(key=lambda x: (-x[0], -x[1]))
        out: list[Sentence] = []
        for _, _, s in scored:
            if s.text.startswith("(责任单位") or any(s.text == o.text for o in out):
                continue
            out.append(s)
            if len(out) >= limit:
                break
        return out


class OutlineBuilder:
    def __init__(self, assistant, request: DraftRequest) -> None:
        self.req = request
        self.lib = TemplateLibrary(assistant)
        regions = [d.meta.region for d in self.lib.docs.values() if d.meta.region]
        self.places = template_places([d.text for d in self.lib.docs.values()], regions)
        self.scrubber = FactScrubber(request.county, request.year_from, request.year_to, regions, self.places)
        self.domains = [resolve_domain(d) for d in request.domains]

    # -- helpers ------------------------------------------------------------------------
    def item(self, level: int, title: str, sentences: list[Sentence] = (), note: str = "", points=None,
             children=(), kind: str = "text") -> OutlineItem:
        if points is None:
            points = tuple(self.scrubber.scrub(_trim(_strip_headings(s.text, s.path))) for s in sentences[:2])
        if not sentences and not note and points == () and not children and kind == "text":
            note = NOT_IN_TEMPLATES
        return OutlineItem(level=level, number="", title=title, points=tuple(points),
                           sources=tuple(self.lib.source(s) for s in sentences), note=note, kind=kind,
                           children=tuple(children))

    def topic_item(self, level: int, topic: Topic, domain: str) -> OutlineItem:
        words = DOMAINS[domain].keywords if domain in DOMAINS else ()
        within = tuple(set(topic.keywords[:2]) | set(words))
        found = self.lib.find(topic.keywords, within=within, exclude_paths=("专栏",))
        found = [s for s in found if any(k in s.text or k in s.path[-1] for k in topic.keywords)]
        if found:
            if any((s.doc_id, s.path) in self.lib.truncated for s in found):
                item = self.item(level, topic.title, found)
                return OutlineItem(item.level, item.number, item.title,
                                   item.points + ("范本原文在此处中断，其余内容需本地补充。",), item.sources,
                                   NOT_IN_TEMPLATES, item.kind, item.children)
            return self.item(level, topic.title, found)
        words = topic.keywords + topic.indicator_words + (DOMAINS[domain].indicator_words if domain in DOMAINS else ())
        indicators = [i.name for i in self.indicators() if any(w in i.name for w in words)]
        if indicators:
            return self.item(level, topic.title, note=NO_MEASURES,
                             points=(f"范本仅列有指标：{'、'.join(indicators)}（目标值待定），未给出具体举措。",))
        return self.item(level, topic.title, note=NOT_IN_TEMPLATES)

    # -- sections -----------------------------------------------------------------------
    def general(self) -> OutlineItem:
        guide = [s for s in self.lib.sentences if s.path and "指导思想" in s.path[-1]]
        guide = _first_per_doc(guide)
        principles_parent = [s for s in self.lib.sentences if len(s.path) >= 2 and "基本原则" in s.path[-2]]
        children = []
        seen = set()
        for s in principles_parent:
            name = s.path[-1]
            if name in seen:
                continue
            seen.add(name)
            body = [x for x in principles_parent if x.path[-1] == name and x.text.rstrip("。") != name
                    and not x.text.startswith("(")]
            children.append(self.item(3, name, body[:1]))
        principles = self.item(2, "基本原则", [], children=children, points=()) if children else \
            self.item(2, "基本原则", note=NOT_IN_TEMPLATES)
        goals = [s for s in self.lib.sentences if s.path and s.path[-1].endswith(("主要目标", "总体目标"))
                 and re.search(r"到\s*20\d{2}", s.text)]
        goals = _first_per_doc(goals)
        names = [i.name for i in self.indicators()]
        goal_points = [self.scrubber.scrub(_trim(_strip_headings(s.text, s.path))) for s in goals[:1]]
        if names:
            goal_points.append(f"主要量化指标：{'、'.join(names[:8])}等，目标值待定。")
        return self.item(1, "总体要求", children=[
            self.item(2, "指导思想", guide),
            principles,
            self.item(2, f"主要目标（到{self.req.year_to}年）", goals, points=tuple(goal_points)),
            self.item(2, "主要发展指标", [], points=(f"见附表：{self.req.county}{self.req.year_from}—{self.req.year_to}年"
                                                  f"主要发展指标（基期值/目标值待填）。",), kind="table",
                      note="" if names else NOT_IN_TEMPLATES),
        ], points=())

    def tasks(self) -> OutlineItem:
        children = []
        for dname, topic in self.domains:
            if topic is None:
                children.append(self.item(2, dname, note=NOT_IN_TEMPLATES))
                continue
            subs = [self.topic_item(3, t, dname) for t in topic.subtopics] or [self.topic_item(3, topic, dname)]
            subs.append(self.measures(dname, topic))
            subs.append(self.responsible(dname, topic))
            children.append(self.item(2, topic.title, children=subs, points=()))
        return self.item(1, "主要任务", children=children, points=())

    def measures(self, dname: str, topic: Topic) -> OutlineItem:
        """The domain's own 保障措施 from a template that has them (…> 2.保障措施 > run-ins)."""
        words = (topic.keywords + DOMAINS[dname].keywords) if dname in DOMAINS else topic.keywords
        heads, sents = [], []
        for s in self.lib.sentences:
            if len(s.path) >= 2 and "保障措施" in s.path[-2] and any(w in " ".join(s.path[:-2]) for w in words):
                if s.path[-1] not in heads:
                    heads.append(s.path[-1])
                    sents.append(s)
        if dname != topic.title:
            pairs = [(h, s) for h, s in zip(heads, sents) if any(k in h or k in s.text for k in topic.keywords)]
            heads, sents = [h for h, _ in pairs], [s for _, s in pairs]
        if not heads:
            return self.item(3, "保障措施", note=NOT_IN_TEMPLATES)
        point = self.scrubber.scrub(f"{'、'.join(heads)}。")
        return self.item(3, "保障措施", sents, points=(point,))

    def responsible(self, dname: str, topic: Topic) -> OutlineItem:
        lead = LEAD_DEPARTMENT.get(dname, "【牵头单位待定】")
        words = DOMAINS[dname].keywords if dname in DOMAINS else topic.keywords
        found = [s for s in self.lib.sentences if "责任单位" in s.text and any(w in " ".join(s.path[:2]) for w in words)]
        point = f"（责任单位：{lead}牵头，其他有关部门按职责分工负责）"
        return self.item(3, "责任单位", found[:1], points=(point,))

    def projects(self) -> OutlineItem:
        items = []
        box = [s for s in self.lib.sentences if s.kind == "item" or any("专栏" in p for p in s.path)]
        for dname, topic in self.domains:
            topics = list(topic.subtopics) if topic and topic.subtopics and topic.title == dname else ([topic] if topic else [])
            for t in topics:
                found = [s for s in box if s.path and any(k in s.path[-1] for k in t.keywords[:2] + (t.title[:2],))]
                if found:
                    items.append(self.item(2, f"{t.title}重点项目", found[:1]))
        if not items:
            return self.item(1, "重点项目专栏", note=NOT_IN_TEMPLATES)
        return self.item(1, "重点项目专栏", children=items, points=())

    def safeguards(self) -> OutlineItem:
        topics = [("加强组织领导", ("组织领导", "统筹协调", "领导")),
                  ("强化经费保障", ("经费投入", "经费保障", "财政保障")),
                  ("加强监督评估", ("监督", "评估", "考核"))]
        children = []
        for title, kws in topics:
            found = self.lib.find(kws, limit=1)
            children.append(self.item(2, title, found))
        return self.item(1, "保障措施", children=children, points=())

    # -- indicators ---------------------------------------------------------------------
    def indicators(self) -> list[IndicatorLine]:
        if hasattr(self, "_indicators"):
            return self._indicators
        lines: list[IndicatorLine] = []
        for doc_id, title, path, text in self.lib.tables:
            for row in parse_indicator_table(text):
                if self._relevant(row.domain, row.name):
                    lines.append(IndicatorLine(row.domain or "", row.name, row.unit, self._table_source(doc_id, row.name)))
        for s in self.lib.sentences:
            for m in TARGET_SENTENCE.finditer(s.text):
                name = m.group(1).strip("，,的")
                if self._relevant("", name) and not any(_similar(name, l.name) for l in lines):
                    lines.append(IndicatorLine(_domain_of(name), name, "%" if "率" in name else "", self.lib.source(s)))
        self._indicators = lines
        return lines

    def _relevant(self, group: str, name: str) -> bool:
        for dname, topic in self.domains:
            if topic is None:
                continue
            if topic.title == dname:
                if TABLE_GROUPS.get(dname) == group or (not group and _domain_of(name) == TABLE_GROUPS.get(dname)):
                    return True
                continue
            words = topic.indicator_words or topic.keywords[:1]
            if any(w in name for w in words):
                return True
        return False

    def _table_source(self, doc_id: str, name: str) -> SourceRef | None:
        doc = self.lib.docs[doc_id]
        i = doc.text.find(name)
        if i < 0:
            return None
        j = i + len(name)
        m = re.match(r"[^\u4e00-\u9fff]*", doc.text[j:])
        j += m.end() if m else 0
        o_start, o_end = OffsetMap(doc.offset_runs).span(i, j)
        return SourceRef(doc_id, doc.meta.title, (), "", doc.text[i:j], doc.original[o_start:o_end], o_start, o_end)

    # -- whole outline ------------------------------------------------------------------
    def build(self) -> Outline:
        req = self.req
        sections = [self.general(), self.tasks(), self.projects(), self.safeguards()]
        if req.sections:
            sections = [s for s in sections if any(w in s.title or any(w in c.title for c in s.children)
                                                   for w in req.sections)]
        numbered = tuple(_number(s, k) for k, s in enumerate(sections))
        domains = "、".join(t.title if t else d for d, t in self.domains)
        title = f"{req.county}{req.year_from}—{req.year_to}年基本公共服务能力提升实施方案"
        preamble = (f"为加快补齐{req.county}{domains}等领域基本公共服务短板，提升基本公共服务均等化水平，"
                    f"结合{req.county}实际，制定本实施方案。")
        return Outline(request=req, title=title, preamble=preamble, items=numbered,
                       indicators=tuple(self.indicators()), replacements=tuple(self.scrubber.replacements()))


def _number(item: OutlineItem, k: int) -> OutlineItem:
    if item.level == 1:
        number = f"{CN[k]}、"
    elif item.level == 2:
        number = f"（{CN[k]}）"
    else:
        number = f"{k + 1}."
    children = tuple(_number(c, i) for i, c in enumerate(item.children))
    return OutlineItem(item.level, number, item.title, item.points, item.sources, item.note, item.kind, children)


def _trim(text: str, limit: int = 160) -> str:
    text = strip_heading_number(text).strip()
    if len(text) <= limit:
        return text
    cut = max(text.rfind("，", 0, limit), text.rfind(",", 0, limit))
    return text[: cut if cut > 40 else limit] + "。"


def _strip_headings(text: str, path: tuple[str, ...]) -> str:
    """Scraped sentences can begin with their headings (一、总体要求(一)指导思想以…): drop them."""
    titles = [strip_heading_number(p) for p in path]
    changed = True
    while changed:
        changed = False
        rest = strip_heading_number(text)
        for t in titles:
            if t and rest.startswith(t) and len(rest) > len(t):
                text = rest[len(t):].lstrip("。.：:")
                changed = True
                break
    return text


def _is_heading(s: Sentence) -> bool:
    """A sentence that is only a heading (义务教育。 / (五)加快发展特殊教育。) says nothing."""
    bare = strip_heading_number(s.text).rstrip("。.；;")
    return any(bare == strip_heading_number(p) for p in s.path)


def _first_per_doc(sentences: list[Sentence]) -> list[Sentence]:
    out, seen = [], set()
    for s in sorted(sentences, key=lambda s: (s.doc_id, s.start)):
        if s.doc_id not in seen and len(s.text) > 15:
            seen.add(s.doc_id)
            out.append(s)
    return out


def _similar(a: str, b: str) -> bool:
    sa, sb = set(a), set(b)
    return len(sa & sb) / max(1, min(len(sa), len(sb))) >= 0.8


def _domain_of(name: str) -> str:
    for dname, topic in DOMAINS.items():
        for t in topic.subtopics:
            if any(w in name for w in (t.indicator_words or t.keywords[:1])):
                return TABLE_GROUPS.get(dname, dname)
    return ""
