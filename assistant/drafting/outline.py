"""Build the outline of a new document from its templates: structure from the templates' headings
(align.py), content from the templates' own sentences under each heading — whole sentences only,
newest template first, stale formulations and OCR-damaged text left out (and listed in the
sources with the reason), no sentence twice, every local fact replaced by a placeholder. Items no
template supports are kept and marked 范本未涉及，需本地补充."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..answer.indicators import parse_indicator_table
from ..ingest.chunking import citation_label
from ..ingest.cleaning import OffsetMap
from ..ingest.places import find_places
from ..ingest.structure import strip_heading_number
from .align import Item, Node, align, role, similarity
from .facts import FactScrubber, template_places
from .instruction import Instruction, read_instruction
from .lexicon import domain_words, domains
from .model import (
    NOT_IN_TEMPLATES,
    DraftRequest,
    IndicatorLine,
    Outline,
    OutlineItem,
    SourceRef,
    renumber,
)
from .templates import Template, choose
from .textcheck import (
    SENTENCE,
    is_whole,
    near_duplicate,
    ocr_damage,
    sentences,
    stale_in,
)

PER_ITEM = 3               # sentences under an item without children
PER_PARENT = 1             # sentences under an item that has children
MAX_PLACEHOLDERS = 2       # a sentence with more placeholders than this says nothing of its own
# Streets, roads, villages and named schools of the template's own place: local facts that no
# placeholder can stand in for sentence by sentence, so sentences naming them are not carried over.
LOCAL_NAME = re.compile(r"[\u4e00-\u9fff]{1,5}[路街道](?:以[东南西北]|与|交叉口|\d)|[\u4e00-\u9fff]{2,4}[村庄](?:[，、。）)]|以)"
                        r"|(?:第[一二三四五六七八九十\d]+|[\u4e00-\u9fff]{2,4}[路街山河湖])(?:中学|小学|学校|幼儿园)"
                        r"|\d+\s*(?:中|小)(?:学|学部)|[\u4e00-\u9fff]{2,6}(?:信息网|网站|公众号|热线)")
OWN_PLACE = re.compile(r"([\u4e00-\u9fff]{1,5}?(新区|开发区|市|区|县))")
DOC_TYPES = ("实施方案", "工作方案", "方案", "实施办法", "管理办法", "办法", "实施意见", "意见", "实施细则", "细则",
             "规定", "通知")


@dataclass(frozen=True)
class Candidate:
    template: Template
    start: int
    end: int
    text: str
    path: tuple[str, ...] = ()


def path_at(doc, pos: int) -> tuple[str, ...]:
    """Heading labels of the deepest section holding a position of the cleaned text."""
    inside = [s for s in doc.sections if s.start <= pos < s.end]
    return tuple(max(inside, key=lambda s: len(s.path)).path) if inside else ()


def mark(sentence: str, note: str) -> str:
    """The note inside the sentence, before its closing punctuation, so it stays with it."""
    body = sentence.rstrip("。！？!?")
    return f"{body}【{note}】{sentence[len(body):] or '。'}"


def plan_title(req: DraftRequest) -> str:
    years = f"{req.year_from}年" if req.year_from == req.year_to else f"{req.year_from}—{req.year_to}年"
    topic = req.topic.strip()
    topic = re.sub(r"^\d{4}(?:[-—–]\d{4})?年", "", topic)
    topic = topic.removeprefix(req.county)
    suffix = "" if topic.endswith(DOC_TYPES) else "实施方案"
    return f"{req.county}{years}{topic}{suffix}"


def doc_type(title: str) -> str:
    for t in DOC_TYPES:
        if title.endswith(t):
            return t[-2:] if t not in ("规定", "通知") else t
    return "方案"


class OutlineBuilder:
    def __init__(self, assistant, request: DraftRequest) -> None:
        if not request.topic and request.domains:
            request = DraftRequest(**{**request.__dict__, "topic": "基本公共服务能力提升"})
        self.req = request
        self.assistant = assistant
        self.templates = choose(assistant, request.topic or " ".join(request.domains), request.templates)
        docs = [t.doc for t in self.templates]
        regions = [d.meta.region for d in docs if d.meta.region]
        self.levels: dict[str, str] = {}
        for t in self.templates:       # a template's own place is the new county's counterpart
            own = [(p.name, p.level) for p in find_places(t.name) if p.level in ("区", "县", "新区", "开发区", "市")][-1:]
            m = None if own else OWN_PLACE.match(re.sub(r"^[\d年\s]+|^关于印发", "", t.name))
            if m:
                own = [(m.group(1), m.group(2))]
            regions += [name for name, _ in own]
            # 二七区 is also written 二七 (二七特色招生政策): the short form is the same place.
            regions += [name[:-1] for name, level in own if level in ("区", "县") and len(name) >= 3]
            if own:
                self.levels[t.doc.doc_id] = own[0][1]
        self.places = template_places(docs, [t.name for t in self.templates], regions)
        self.scrubber = FactScrubber(request.county, request.year_from, request.year_to, regions, self.places)
        self.used: list[str] = []
        self._headings: dict[str, set[str]] = {}
        self.used_at: dict[str, str] = {}      # sentence -> the title of the item it stands under
        self.current = ""
        self.table_title = ""      # the templates' own name for their indicator table
        self.instruction: Instruction = read_instruction(request.instruction)

    # -- one item -------------------------------------------------------------------------
    def source(self, c: Candidate, flag: str = "") -> SourceRef:
        doc = c.template.doc
        o_start, o_end = OffsetMap(doc.offset_runs).span(c.start, c.end)
        return SourceRef(doc.doc_id, c.template.name, c.path, citation_label(c.path) if c.path else "",
                         doc.text[c.start:c.end], doc.original[o_start:o_end], o_start, o_end, flag)

    def candidates(self, nodes: list[Node]) -> list[Candidate]:
        out = []
        for node in sorted(nodes, key=lambda n: (-n.template.year, -n.template.score)):
            text = node.template.doc.text
            for a, b in node.spans:
                for m in SENTENCE.finditer(text, a, b):
                    raw = m.group(0)
                    start = m.start() + len(raw) - len(raw.lstrip())
                    body = raw.strip()
                    before = text[:start].rstrip(" \t")
                    # A sentence that starts mid-way (the span began inside it) is not whole.
                    if body and (not before or before[-1] in "。！？!?；;：:\n"
                                 or start == node.start):
                        out.append(Candidate(node.template, start, start + len(body), body, node.path))
        return out

    def pick(self, cands: list[Candidate], limit: int) -> tuple[list[str], list[SourceRef]]:
        """Up to `limit` sentences fit to carry over, with their sources; sentences left out for a
        reason the user should know (stale, OCR damage) are listed in the sources with that reason."""
        points: list[str] = []
        sources: list[SourceRef] = []
        held: list[tuple[str, int]] = []   # usable only with a mark, if nothing better exists
        for c in cands:
            if len(points) >= limit:
                break
            [text] = sentences(c.text)[:1] or [""]
            if len(text) < 10 or not is_whole(text):
                continue
            scrubbed = self.scrubber.scrub(text, c.template.year or None, self.levels.get(c.template.doc.doc_id))
            if LOCAL_NAME.search(text) or scrubbed.count("【") > MAX_PLACEHOLDERS or any(near_duplicate(scrubbed, u) for u in self.used):
                continue
            if text.rstrip("。！？!?") in self.headings(c.template):
                continue       # a heading line of the template, not content
            stale = stale_in(scrubbed, self.req.year_from)
            damage = ocr_damage(text)
            if stale or damage:
                reasons, marked = [], scrubbed
                if stale:
                    reasons.append("较旧表述（" + "；".join(f"{f.text}，现行为{f.successor}" for f in stale) + "）")
                    marked = mark(marked, "表述待更新：" + "；".join(f"{f.text}→{f.successor}" for f in stale))
                if damage:
                    reasons.append(f"原文疑有识别错误（{damage}）")
                    marked = mark(marked, "原文疑有识别错误，需核对")
                sources.append(self.source(c, "；".join(reasons) + "，未采用"))
                held.append((marked, len(sources) - 1))
                continue
            points.append(scrubbed)
            self.used.append(scrubbed)
            self.used_at[scrubbed] = self.current
            sources.append(self.source(c))
        if not points and held:      # nothing better: the first one, marked, stays
            text, k = held[0]
            points.append(text)
            self.used.append(text)
            sources[k] = replace(sources[k], flag=sources[k].flag.replace("未采用", "已采用并在文中标注"))
        return points, sources

    def build_item(self, item: Item, level: int) -> OutlineItem | None:
        title = self.scrubber.scrub(item.title)
        if "【" in title:      # a heading about the template's own school, place or quota
            return None
        stale = stale_in(title, self.req.year_from)
        if stale:
            title = f"{title}【表述待更新：{stale[0].text}→{stale[0].successor}】"
        children = [c for c in (self.build_item(ch, level + 1) for ch in item.children) if c]
        self.current = title
        points, sources = self.pick(self.candidates(item.members), PER_PARENT if children else PER_ITEM)
        if not (points or children or item.primary):
            return None
        note = "" if points or children else NOT_IN_TEMPLATES
        return OutlineItem(level, "", title, tuple(points), tuple(sources), note, "text", tuple(children))

    def headings(self, t: Template) -> set[str]:
        if t.doc.doc_id not in self._headings:
            self._headings[t.doc.doc_id] = {strip_heading_number(s.title).strip().rstrip("。.：:")
                                            for s in t.doc.sections}
        return self._headings[t.doc.doc_id]

    # -- 起草要求 topics ------------------------------------------------------------------
    def topic_item(self, topic: str, level: int) -> OutlineItem:
        """An outline item for a topic the 起草要求 names: the template sentences that mention it,
        or the 范本未涉及 mark."""
        cands = []
        for t in self.templates:
            for m in re.finditer(r"[^。！？\n]*" + re.escape(topic) + r"[^。！？\n]*[。！？]", t.doc.text):
                lead = len(m.group(0)) - len(m.group(0).lstrip())
                cands.append(Candidate(t, m.start() + lead, m.end(), m.group(0).strip(), path_at(t.doc, m.start())))
        points, sources = self.pick(cands, PER_ITEM)
        if not points:
            # Its passages may already stand under another heading: say where, never repeat them.
            where = []
            for c in cands:
                for s in sentences(c.text)[:1]:
                    scrubbed = self.scrubber.scrub(s, c.template.year or None, self.levels.get(c.template.doc.doc_id))
                    holder = next((t for u, t in self.used_at.items() if near_duplicate(scrubbed, u)), None)
                    if holder and holder not in where:
                        where.append(holder)
                        sources.append(self.source(c))
            if where:
                points = ["范本中有关" + topic + "的内容已列入" + "、".join(f"“{w}”" for w in where) + "部分。"]
        return OutlineItem(level, "", topic, tuple(points), tuple(sources), "" if points else NOT_IN_TEMPLATES)

    # -- domains of a multi-domain plan ---------------------------------------------------
    def keep_for_domains(self, items: list[Item]) -> list[Item]:
        if not self.req.domains:
            return items
        wanted = {w for d in self.req.domains for w in domain_words(d)}
        every = {w for d in domains() for w in (d.name, d.subtopic, *d.words)}

        def names(it: Item) -> str:
            return " ".join([it.title] + [n.title for n in it.members])
        out = []
        for it in items:
            text = names(it)
            if any(w in text for w in every) and not any(w in text for w in wanted):
                continue
            it.children = self.keep_for_domains(it.children)
            out.append(it)
        return out

    # -- indicators -------------------------------------------------------------------------
    def indicators(self) -> list[IndicatorLine]:
        wanted = {w for d in self.req.domains for w in domain_words(d)}
        lines: list[IndicatorLine] = []
        for t in self.templates:
            tables: dict[tuple[str, ...], list] = {}
            for c in self.assistant.chunks_of(t.doc.doc_id):
                if c.kind == "table":
                    tables.setdefault(c.heading_path, []).append(c)
            for path, chunks in tables.items():
                if path and not self.table_title:
                    title = self.scrubber.scrub(strip_heading_number(path[-1]).strip("“”\" "))
                    if "【" not in title and "指标" in title:
                        self.table_title = title
                for row in parse_indicator_table("".join(c.text for c in chunks)):
                    label = f"{row.domain or ''}{row.name}"
                    if wanted and not any(w in label for w in wanted):
                        continue
                    if any(row.name == x.name for x in lines) or "【" in self.scrubber.scrub(row.name):
                        continue
                    lines.append(IndicatorLine(row.domain or "", row.name, row.unit, self._table_source(t, row.name)))
        return lines

    def _table_source(self, t: Template, name: str) -> SourceRef | None:
        doc = t.doc
        i = doc.text.find(name)
        if i < 0:
            return None
        return self.source(Candidate(t, i, i + len(name), name))

    # -- whole outline ------------------------------------------------------------------------
    def build(self) -> Outline:
        req = self.req
        frame = self.keep_for_domains(align(self.templates))
        frame = self.instruction.select(frame)
        items = [x for x in (self.build_item(it, 1) for it in frame) if x]
        items = self.add_topics(items)
        indicators = self.indicators()
        if indicators:
            items = self.place_indicator_item(items)
        title = plan_title(req)
        kind = doc_type(title)
        subject = next((req.topic[:-len(t)] for t in DOC_TYPES if req.topic.endswith(t)), req.topic)
        subject = subject if subject.endswith("工作") else subject + "工作"
        preamble = f"为做好{req.county}{subject}，根据国家和省、市有关规定，结合{req.county}实际，制定本{kind}。"
        return Outline(request=req, title=title, preamble=preamble, items=renumber(tuple(items)),
                       indicators=tuple(indicators), replacements=tuple(self.scrubber.replacements()),
                       templates=tuple(f"《{t.name}》" for t in self.templates))

    def add_topics(self, items: list[OutlineItem]) -> list[OutlineItem]:
        for topic in self.instruction.topics:
            if any(similarity(topic, it.title) >= 0.9 for top in items for it, _ in top.walk()):
                continue
            tasks = [i for i, it in enumerate(items) if role(it.title, "tasks")]
            if tasks:
                host = items[tasks[0]]
                items[tasks[0]] = OutlineItem(host.level, host.number, host.title, host.points, host.sources,
                                              host.note, host.kind, host.children + (self.topic_item(topic, 2),))
            else:
                closing = [i for i, it in enumerate(items) if role(it.title, "closing")]
                items.insert(closing[0] if closing else len(items), self.topic_item(topic, 1))
        return items

    def place_indicator_item(self, items: list[OutlineItem]) -> list[OutlineItem]:
        point = f"{self.req.county}{self.req.year_from}—{self.req.year_to}年主要指标见附表（基期值、目标值待填）。"
        table = OutlineItem(2, "", self.table_title or "主要指标", (point,), (), "", "table")
        for i, top in enumerate(items):
            for j, child in enumerate(top.children):
                if role(child.title, "goals"):
                    kids = top.children[:j + 1] + (table,) + top.children[j + 1:]
                    items[i] = OutlineItem(top.level, top.number, top.title, top.points, top.sources, top.note,
                                           top.kind, kids)
                    return items
        if items:
            top = items[0]
            items[0] = OutlineItem(top.level, top.number, top.title, top.points, top.sources, top.note, top.kind,
                                   top.children + (table,))
        return items
