"""The offline answerer: quotes the sentence(s) that answer the question, verbatim, each with
its citation, or says 资料中未找到 and shows the nearest passages as related.

Confidence is the share of the question's key terms (IDF-weighted) found in the quoted sentence
and its headings, and the sentence must hold the kind of value asked for (a number, a year, an
amount in 元 …). Lists are answered from the document's structure when a heading names them
(基本原则 → its run-in items); comparisons take the best sentence from each document."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from ..index.lexical import normalize_query
from ..ingest.chunking import sentence_spans
from ..ingest.cleaning import OffsetMap
from ..ingest.structure import HEADING_NUMBER, TABLE_HEADER, strip_heading_number
from ..types import NOT_FOUND_TEXT, RELATED_TEXT, Answer, Chunk, Citation, Passage
from .answer_check import AnswerCheck, Verdict, names_a_unit, repeated_group, unit_in_header, weighted_share
from .answer_check import Candidate as CheckInput
from .citeformat import quoted as quote_for_answer
from .citeformat import source_label
from .indicators import parse_indicator_table, row_for_text
from .question import PER_PART, YEAR, QuestionInfo, answers_type

FOCUS_MIN = 0.5
MAX_ITEMS = 12
RESCUE_POOL = 8
RESCUE_FOCUS_FLOOR = 0.1   # a rescued sentence still shares something with the question
CAPTION_MAX = 24
CAPTION_CHARS = 40   # a table's caption: a short line, never the paragraph above the table
# A sentence that points back at the clause before its items (存在前款情况的, 有上述情形之一的).
REFERS_BACK = re.compile(r"前款|上述|前述|前项|以上情形|以上行为")
LIST_LEAD = re.compile(r"(下列|以下|如下)[^，。]{0,12}[：:]?$")
ITEM = re.compile(r"^(（[一二三四五六七八九十]{1,3}）|\([一二三四五六七八九十]{1,3}\)|（\d{1,2}）|\(\d{1,2}\)|\d{1,2}[.、．]|"
                  r"[一二三四五六七八九十]{1,3}是|[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}[，,、]|[①-⑳])")


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    start: int        # offsets in the chunk's document (cleaned text)
    end: int
    text: str
    coverage: float
    score: float
    typed: bool
    verdict: Verdict | None = None
    lead: str = ""    # the lead-in (…应同时具备下列条件：) of the list this sentence is an item of


class ExtractiveAnswerer:
    def __init__(self, idf: dict[str, float], offsets_for, original_for, chunks_for_doc,
                 threshold: float = 0.4, check: AnswerCheck | None = None, min_confidence: float = 0.5,
                 similarity=None, rescue_min: float = 1.0, rescue_margin: float = 0.01, name_for=None) -> None:
        self.idf = idf
        # An IdfTable (lexical.py) looks terms up on demand and knows its maximum.
        self.max_idf = getattr(idf, "max_idf", None) or (max(idf.values()) if idf else 1.0)
        self.check = check or AnswerCheck(self.weight)
        self.min_confidence = min_confidence
        # (question, sentences) -> cosine similarities; the dense signal for the rescue.
        self.similarity = similarity
        self.rescue_min, self.rescue_margin = rescue_min, rescue_margin
        # doc_id -> what names the document (title and file name): its words say which file.
        self.name_for = name_for or (lambda doc_id: "")
        self._doc_years: dict[str, frozenset[str]] = {}
        self._table_context: dict[str, str] = {}   # chunk_id -> caption and header
        self.offsets_for = offsets_for        # doc_id -> OffsetMap
        self.chunks_for_doc = chunks_for_doc  # doc_id -> list[Chunk]
        self.original_for = original_for      # doc_id -> original file text
        self.threshold = threshold

    def doc_years(self, doc_id: str) -> frozenset[str]:
        if doc_id not in self._doc_years:
            text = normalize_query("".join(c.text for c in self.chunks_for_doc(doc_id)))
            self._doc_years[doc_id] = frozenset(YEAR.findall(text))
        return self._doc_years[doc_id]

    def weight(self, term: str) -> float:
        # Terms the corpus never uses are the most telling: a question about them is likely
        # unanswerable. Single characters carry little meaning.
        w = self.idf.get(term, self.max_idf)
        return max(w, 0.1) * (0.3 if len(term) == 1 else 1.0)

    def coverage(self, terms: tuple[str, ...], text: str) -> float:
        return weighted_share(self.weight, terms, text)

    def candidates(self, info: QuestionInfo, passages: list[Passage]) -> list[Candidate]:
        out = []
        top = passages[0].score if passages else 1.0
        for p in passages:
            c = p.chunk
            context = " ".join(c.heading_path) + " " + c.title
            # Words that only name the document (金普新区, 一揽子解决方案) say which file, not
            # which sentence: they count for the context, not for the sentence.
            own = tuple(t for t in info.terms if t not in c.title.lower()) or info.terms
            innermost = strip_heading_number(c.heading_path[-1]) if c.heading_path else ""
            named = len(innermost) >= 2 and innermost in info.text
            lead = self.parent_lead(c)
            opening = lead   # the article's lead-in, kept past its items for 前款/上述 to refer to
            header = self.table_header(c) if c.kind == "table" else ""  # once per chunk, not per row
            if header:  # a row is read under its table's caption and header
                context += " " + self.table_context(c)
            spans = sentence_spans(c.text, 0, len(c.text), table=(c.kind == "table"))
            if header:
                spans = [g for a, b in spans for g in row_groups(c.text, a, b, header)]
            for a, b in spans:
                sent = c.text[a:b]
                stripped = sent.strip()
                # An item of a list reads with its lead-in: （三）人均…12平方米以下 is a 条件 of 申请.
                item_lead = lead if ITEM.match(stripped) else ""
                if not item_lead and opening and REFERS_BACK.search(stripped):
                    # 申请人存在前款情况的，…5年内不得再受理: what 前款 is, its lead-in says.
                    item_lead = opening
                if stripped.endswith(("：", ":")):
                    lead = opening = stripped
                elif not item_lead:
                    lead = ""
                if len(sent.strip("。；; \n")) < 4:
                    continue
                if c.kind == "table" and (TABLE_HEADER.search(sent) or stripped == header):
                    continue  # the header row is context, never the answer
                cov_s = self.coverage(own, sent)
                cov_all = self.coverage(info.terms, sent + " " + context)
                typed = answers_type(info, sent, table=c.kind == "table") or \
                    c.kind == "table" and unit_in_header(info, sent, header)
                if info.wants_unit_of_work:
                    typed = typed and (names_a_unit(info.text, sent)
                                       or bool(item_lead) and names_a_unit(info.text, item_lead))
                score = 0.55 * cov_s + 0.3 * cov_all + 0.15 * (p.score / top if top > 0 else 0)
                if named:
                    score += 0.15
                if not typed:
                    score *= 0.6
                out.append(Candidate(p, c.start + a, c.start + b, sent.strip(), cov_all, score, typed,
                                     lead=item_lead))
        out.sort(key=lambda x: -x.score)
        return out

    def parent_lead(self, chunk: Chunk) -> str:
        """The lead-in an item continues when the item starts a chunk of its own: （二）家庭人口计算
        标准：… read under its article's “具体标准如下：” at the end of the chunk before it, the
        items in between included."""
        if len(chunk.heading_path) < 2 or not ITEM.match(chunk.text.lstrip()):
            return ""
        parent = chunk.heading_path[:-1]
        before = [c for c in self.chunks_for_doc(chunk.doc_id)
                  if c.end <= chunk.start and c.heading_path[:len(parent)] == parent]
        if not before:
            return ""
        lead = ""
        for c in sorted(before, key=lambda c: c.start):  # items (一)…(三) may fill chunks of their own
            for a, b in sentence_spans(c.text, 0, len(c.text)):
                sent = c.text[a:b].strip()
                if sent.endswith(("：", ":")):
                    lead = sent
                elif not ITEM.match(sent) and tuple(c.heading_path) == tuple(parent):
                    lead = ""  # the article's own text goes on: the list is over (an item's own
                    # further sentences, in the item's chunk, do not end it)
        caption = self.caption(min(before, key=lambda c: c.start))
        # An article's caption heads every list in it, the lead-in the item's own list.
        return lead if caption in lead else (f"{caption} {lead}".strip() if lead else caption)

    @staticmethod
    def caption(first: Chunk) -> str:
        """An article's caption line (第十四条 租赁住房补贴计算方法：) heads all of its items, even
        when a formula or a rule stands between the caption and the items."""
        for a, b in sentence_spans(first.text, 0, len(first.text)):
            sent = re.sub(r"^第[一二三四五六七八九十百零\d]+条\s*", "", first.text[a:b].strip())
            if not sent:
                continue
            return sent if sent.endswith(("：", ":")) and len(sent) <= CAPTION_MAX else ""
        return ""

    def verify(self, info: QuestionInfo, cand: Candidate) -> Candidate:
        c = cand.passage.chunk
        verdict = self.check.verify(info, CheckInput(
            sentence=cand.text, heading_path=c.heading_path, title=self.name_for(c.doc_id) or c.title,
            section_text=c.text, kind=c.kind, table_header=self.table_context(c),
            doc_years=self.doc_years(c.doc_id), lead=cand.lead))
        return replace(cand, verdict=verdict)

    def confidence(self, cand: Candidate) -> float:
        """How sure the answer is: the focus share held by the quote, the coverage of all the
        question's terms, and how the passage ranked. 0..1."""
        focus = cand.verdict.focus_share if cand.verdict else 0.0
        return round(min(1.0, 0.5 * focus + 0.3 * cand.coverage + 0.2 * min(1.0, cand.score)), 4)

    def answer(self, question: str, info: QuestionInfo, passages: list[Passage]) -> Answer:
        cands = self.candidates(info, passages)
        if not cands:
            return self.refuse(question, passages)
        if info.wants_list:
            listed = self.list_from_structure(info, passages)
            if listed:
                return self.compose(question, listed, passages, intro=True)
            enumerated = self.list_from_enumeration(info, cands)
            if enumerated:
                return self.compose(question, enumerated, passages, lead=True)
        verified = []
        for cand in cands[:12]:
            if cand.coverage < self.threshold or not cand.typed:
                continue
            cand = self.verify(info, cand)
            if cand.verdict is not None and cand.verdict.ok and self.confidence(cand) >= self.min_confidence:
                verified.append(cand)
                break
        if not verified:
            verified = self.rescue_by_meaning(info, cands)
        if not verified:
            return self.refuse(question, passages, related=cands[0].coverage >= self.threshold * 0.5)
        best = verified[0]
        if info.wants_unit_of_work and best.lead and not names_a_unit(info.text, best.text):
            lead = self.lead_candidate(best)
            if lead is None:  # the unit is named where it cannot be quoted: no answer
                return self.refuse(question, passages)
            return self.compose(question, [lead, best], passages, lead=True)  # lead-in, then the item
        if (PER_PART.search(info.text) or info.wants_list) and not info.compare:
            # 按家庭人口分别是多少 / 可以入读哪些学校: one clause of a run on by ； is one part only.
            best = self.with_parallel_clauses(info, best)
        chosen = [best]
        if info.compare:
            for c in cands:
                if c.passage.chunk.doc_id != best.passage.chunk.doc_id and c.coverage >= self.threshold * 0.8 \
                        and c.typed:
                    c = self.verify(info, c)
                    if c.verdict is not None and c.verdict.ok:
                        chosen.append(c)
                        break
            if len(chosen) < 2:
                # A comparison answered from one document only answers half the question.
                return self.refuse(question, passages)
        return self.compose(question, chosen, passages)

    def lead_candidate(self, item: Candidate) -> Candidate | None:
        """The lead-in sentence of a list item, found where it stands: in the item's chunk or, for
        an item that starts a chunk of its own, in the chunks before it."""
        chunk = item.passage.chunk
        # The lead may be an article's caption and its list's own lead-in: the last one is the item's.
        lead = item.lead.split(" ")[-1]
        i = chunk.text.rfind(lead, 0, max(0, item.start - chunk.start))
        if i >= 0:
            return Candidate(item.passage, chunk.start + i, chunk.start + i + len(lead), lead,
                             item.coverage, item.score, True)
        for c in sorted(self.chunks_for_doc(chunk.doc_id), key=lambda c: -c.start):
            if c.end <= chunk.start:
                i = c.text.rfind(lead)
                if i >= 0:
                    return Candidate(Passage(c, item.passage.score, 0), c.start + i, c.start + i + len(lead),
                                     lead, item.coverage, item.score, True)
        return None

    def with_parallel_clauses(self, info: QuestionInfo, best: Candidate) -> Candidate:
        """按家庭人口分别是多少: the verified clause (1人户家庭不超过20平方米；) and the clauses run on
        with it by ；, each of the kind asked (2人户…40平方米；3人以上…50平方米。), quoted as one."""
        chunk = best.passage.chunk
        spans = [(chunk.start + a, chunk.start + b) for a, b in sentence_spans(chunk.text, 0, len(chunk.text))]
        at = next((k for k, (a, b) in enumerate(spans) if a <= best.start < b), None)
        if at is None:
            return best
        def text(k: int) -> str:
            a, b = spans[k]
            return chunk.text[a - chunk.start:b - chunk.start].strip()
        def runs_on(k: int) -> bool:
            return text(k).endswith(("；", ";"))
        first = last = at
        while first > 0 and runs_on(first - 1) and answers_type(info, text(first - 1)):
            first -= 1
        while last + 1 < len(spans) and runs_on(last) and answers_type(info, text(last + 1)):
            last += 1
        if first == last == at:
            return best
        a, b = spans[first][0], spans[last][1]
        return replace(best, start=a, end=b, text=chunk.text[a - chunk.start:b - chunk.start].strip())

    def rescue_by_meaning(self, info: QuestionInfo, cands: list[Candidate]) -> list[Candidate]:
        """Everyday wording the lexicon does not know: a sentence that passes every part of the
        check but the focus is still the answer when its dense similarity to the question is
        high and clearly above every other candidate's."""
        if self.similarity is None or self.rescue_min >= 1.0:
            return []
        pool = cands[:RESCUE_POOL]
        sims = self.similarity(info.text, [c.text for c in pool])
        order = sorted(range(len(pool)), key=lambda i: -sims[i])
        if not order:
            return []
        top = order[0]
        margin = sims[top] - (sims[order[1]] if len(order) > 1 else 0.0)
        if sims[top] < self.rescue_min or margin < self.rescue_margin or not pool[top].typed:
            return []
        cand = self.verify(info, pool[top])
        v = cand.verdict
        if v and v.not_heading and v.kind and v.year and v.focus_share >= RESCUE_FOCUS_FLOOR:
            return [cand]
        return []

    def list_from_enumeration(self, info: QuestionInfo, cands: list[Candidate]) -> list[Candidate]:
        """“符合下列条件：（一）…（二）…”: the items that follow the verified lead-in sentence, each
        cited to its own place in the document."""
        for cand in cands[:8]:
            lead = cand.text.rstrip()
            if not (lead.endswith(("：", ":")) or LIST_LEAD.search(lead)):
                continue
            v = self.verify(info, Candidate(cand.passage, cand.start, cand.end, cand.text, cand.coverage,
                                            cand.score, True)).verdict
            if not (v and v.focus and v.year):  # a lead-in ends with ：, so not_heading does not apply
                continue
            items = self.items_after(cand)
            if (info.unit or info.wants_number) and not all(answers_type(info, it.text) for it in items):
                continue  # 哪几科，各科多少分: items without their figures do not answer
            if len(items) >= 2:
                return [Candidate(cand.passage, cand.start, cand.end, cand.text, cand.coverage, cand.score, True, v),
                        *items]
        return []

    def items_after(self, lead: Candidate) -> list[Candidate]:
        doc_chunks = sorted(self.chunks_for_doc(lead.passage.chunk.doc_id), key=lambda c: c.start)
        out: list[Candidate] = []
        style = None
        for c in doc_chunks:
            if c.end <= lead.end:
                continue
            # Items are sentences: one per line, or run on in a flattened page (…；(二)…；).
            for sa, sb in sentence_spans(c.text, 0, len(c.text)):
                a, b = c.start + sa, c.start + sb
                if b <= lead.end:
                    continue
                line = c.text[sa:sb].strip()
                m = ITEM.match(line)
                kind = _item_style(m.group(0)) if m else None
                last = out[-1] if out else None
                if kind is None and last is not None and last.passage.chunk is c \
                        and "\n" not in c.text[last.end - c.start:sa] and not HEADING_NUMBER.match(line):
                    # A further sentence of the same item, on its line: the item goes on.
                    out[-1] = replace(last, end=b, text=c.text[last.start - c.start:sb].strip())
                    continue
                if kind is None or (style is not None and kind != style):
                    return out if len(out) >= 2 else []
                style = kind
                out.append(Candidate(Passage(c, lead.passage.score, 0), a, b, line, 1.0, 1.0, True))
                if len(out) >= MAX_ITEMS:
                    return out
        return out if len(out) >= 2 else []

    def table_header(self, chunk: Chunk) -> str:
        """The header of the table a chunk belongs to: 指标 2015年 2020年 of a flattened indicator
        table, or the first row of a table read with its cells (考试科目|考试形式|满分分值)."""
        same = [c for c in sorted(self.chunks_for_doc(chunk.doc_id), key=lambda c: c.start)
                if c.heading_path == chunk.heading_path]
        for c in same:
            m = TABLE_HEADER.search(c.text)
            if m:
                return m.group(0)
        # Several tables may sit under one heading: a row's header is its own table's, the
        # header-like row in its chunk or the last one before it.
        own = next((ln.strip() for ln in chunk.text.split("\n") if "|" in ln and _header_like(ln)), "")
        if own:
            return own
        before = [ln.strip() for c in same if c.start < chunk.start for ln in c.text.split("\n")
                  if "|" in ln and _header_like(ln)]
        if before:
            return before[-1]
        return next((ln.strip() for c in same for ln in c.text.split("\n") if "|" in ln), "")

    def table_context(self, chunk: Chunk) -> str:
        """A table chunk's caption and header, as the check reads them; worked out once per chunk."""
        if chunk.kind != "table":
            return ""
        if chunk.chunk_id not in self._table_context:
            self._table_context[chunk.chunk_id] = (self.table_caption(chunk) + " " + self.table_header(chunk)).strip()
        return self._table_context[chunk.chunk_id]

    def table_caption(self, chunk: Chunk) -> str:
        """The lines above a table's first row (个人账户养老金计发月数表): what the table is of."""
        same = [c for c in sorted(self.chunks_for_doc(chunk.doc_id), key=lambda c: -c.start)
                if c.heading_path == chunk.heading_path and c.start <= chunk.start and "|" in c.text]
        for c in same:  # the row's own chunk first, then the chunks before it
            lines = c.text.split("\n")
            first = next(i for i, ln in enumerate(lines) if "|" in ln)
            caption = " ".join(ln.strip() for ln in lines[:first] if ln.strip())
            if caption:
                return caption[:CAPTION_CHARS]
        return ""

    def list_from_structure(self, info: QuestionInfo, passages: list[Passage]) -> list[Candidate]:
        """If a retrieved passage sits under a heading the question names and that heading has
        run-in sub-headings, the answer is those sub-headings, each cited to its own passage."""
        for p in passages[:3]:
            path = p.chunk.heading_path
            for depth in range(len(path) - 1, -1, -1):
                heading = strip_heading_number(path[depth])
                if len(heading) < 2 or heading not in info.text:
                    continue
                parent = path[:depth + 1]
                items = [c for c in self.chunks_for_doc(p.chunk.doc_id)
                         if len(c.heading_path) == depth + 2 and c.heading_path[:depth + 1] == parent]
                firsts: dict[str, Chunk] = {}
                for c in items:
                    firsts.setdefault(c.heading_path[-1], c)
                if any(strip_heading_number(name) in info.text for name in firsts):
                    return []  # the question names one item (…专栏里,普通高中类…): answer that item
                if len(firsts) >= 2:
                    out = []
                    for c in firsts.values():
                        spans = sentence_spans(c.text, 0, len(c.text))
                        title = strip_heading_number(c.heading_path[-1])  # 1.在本市… is written 1．在本市… in the text
                        head = next(((a, b) for a, b in spans if title and title in c.text[a:b]), spans[0])
                        nxt = next(((a, b) for a, b in spans if a >= head[1]), None)
                        a, b = head[0], (nxt[1] if nxt else head[1])
                        out.append(Candidate(Passage(c, p.score, 0), c.start + a, c.start + b,
                                             c.text[a:b].strip(), 1.0, 1.0, True))
                    return out
        return []

    def compose(self, question: str, chosen: list[Candidate], passages: list[Passage], intro: bool = False,
                lead: bool = False) -> Answer:
        """`intro`: a list of run-in sub-headings; `lead`: a lead-in sentence and its enumerated items."""
        citations = []
        lines = []
        by_doc = len({c.passage.chunk.doc_id for c in chosen}) > 1
        as_sentences = intro and _titles_are_sentences(chosen)
        for n, cand in enumerate(chosen, start=1):
            chunk = cand.passage.chunk
            offsets: OffsetMap = self.offsets_for(chunk.doc_id)
            o_start, o_end = offsets.span(cand.start, cand.end)
            original = self.original_for(chunk.doc_id)
            citations.append(Citation(n=n, doc_id=chunk.doc_id, title=chunk.title, heading_path=chunk.heading_path,
                                      citation_label=chunk.citation_label, quote=cand.text,
                                      source_text=original[o_start:o_end], start=o_start, end=o_end,
                                      chunk_id=chunk.chunk_id, score=round(cand.score, 4)))
            where = source_label(chunk)
            quoted = quote_for_answer(cand.text)
            if chunk.kind == "table":
                reading = _table_reading(self.chunks_for_doc(chunk.doc_id), chunk, cand.text, self.table_header(chunk))
                quoted += f"（即{reading}）" if reading else ""
            if lead:
                lines.append(f"{quoted}[{n}]")
            elif intro and not as_sentences:
                lines.append(f"{chunk.heading_path[-1]}：{quoted}[{n}]")
            elif intro:
                lines.append(f"{quoted}[{n}]")
            elif by_doc:
                lines.append(f"{where}：{quoted}[{n}]")
            else:
                lines.append(f"据{where}：{quoted}[{n}]")
        if lead:
            first = chosen[0].passage.chunk
            text = (f"据{source_label(first)}：{lines[0]}\n"
                    + "\n".join(f"{i}. {line}" for i, line in enumerate(lines[1:], 1)))
        elif intro:
            first = chosen[0].passage.chunk
            parent = first.heading_path[-2] if len(first.heading_path) >= 2 else ""
            # Items whose “titles” are the start of their own sentences (2.无违反人口和计划…) are
            # quoted whole, never listed by a cut title.
            names = "" if as_sentences else "、".join(c.passage.chunk.heading_path[-1] for c in chosen)
            head = (f"据{source_label(first)}{('“' + parent + '”') if parent else ''}，"
                    f"共{len(chosen)}项" + (f"：{names}。" if names else "："))
            text = head + "\n" + "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))
        else:
            text = "\n".join(lines)
        conf = min((self.confidence(c) for c in chosen if c.verdict), default=1.0 if intro or lead else 0.0)
        return Answer(question=question, text=text, grounded=True, citations=tuple(citations),
                      passages=tuple(passages), outcome="answer", confidence=conf)

    def refuse(self, question: str, passages: list[Passage], related: bool = True) -> Answer:
        """No verified answer: 相关内容 when the passages share enough with the question to help
        a reader, 未找到 when nothing does."""
        if passages and related:
            return Answer(question=question, text=RELATED_TEXT, grounded=False, citations=(),
                          passages=tuple(passages), outcome="related")
        return Answer(question=question, text=NOT_FOUND_TEXT, grounded=False, citations=(), passages=tuple(passages),
                      outcome="not_found")


def _table_reading(doc_chunks: list[Chunk], chunk: Chunk, quote: str, header: str = "") -> str:
    """The quoted table line read by its columns: 2015年 26.2%，2020年 80%; a row of a table
    read with its cells, cell by cell under the header's names (满分分值：180分)."""
    rows = [ln.strip() for c in sorted(doc_chunks, key=lambda c: c.start) if c.heading_path == chunk.heading_path
            for ln in c.text.split("\n") if "|" in ln]
    if rows and "|" in quote:
        header = header if "|" in header else rows[0]  # the row's own table's header
        return _read_by_header(header, quote) if quote.strip() != header else ""
    table_text = "".join(c.text for c in doc_chunks if c.heading_path == chunk.heading_path)
    row = row_for_text(parse_indicator_table(table_text), quote)
    return f"{row.name}：{row.describe()}" if row else ""


def _header_like(row: str) -> bool:
    """Most cells name something (考试科目|考试形式), none is a bare figure row (60|139)."""
    cells = [c.strip() for c in row.split("|") if c.strip()]
    named = [c for c in cells if not re.search(r"\d", c)]
    return bool(cells) and len(named) * 2 > len(cells)


def row_groups(text: str, a: int, b: int, header: str) -> list[tuple[int, int]]:
    """The spans of a row to read one by one: each block of a folded table (60|139 · 64|109 ·
    68|75 under 年龄|月数 ×3), or the whole row."""
    g = repeated_group(header)
    row = text[a:b]
    cells = row.split("|")
    if not g or len(cells) != len(header.split("|")) or row.strip() == header.strip():
        return [(a, b)]
    starts = [0]
    for cell in cells[:-1]:
        starts.append(starts[-1] + len(cell) + 1)
    out = []
    for k in range(0, len(cells), g):
        s = starts[k]
        e = starts[k + g - 1] + len(cells[k + g - 1])
        if row[s:e].replace("|", "").strip():
            out.append((a + s, a + e))
    return out


def _titles_are_sentences(chosen: list[Candidate]) -> bool:
    """Each item's heading is its own quoted sentence, or only the opening words of it (2.无违反
    人口和计划… cut by the parser): not a run-in title followed by its text (保障基本。守住底线…)."""
    def sentence_like(c: Candidate) -> bool:
        if not c.passage.chunk.heading_path:
            return False
        quote = strip_heading_number(c.text.strip())
        title = strip_heading_number(c.passage.chunk.heading_path[-1].strip())
        if not title or not quote.startswith(title):
            return False
        rest = quote[len(title):]
        return not rest.strip("。.；;：: \n") or rest[0] not in "。.：:"
    return all(sentence_like(c) for c in chosen)


def _read_by_header(header: str, row: str) -> str:
    """科学|闭卷|120分钟 under 考试科目|考试形式|答卷时间 → 考试科目：科学，考试形式：闭卷，答卷时间：120分钟.
    Nothing when the row has more cells than the header names (a merged or repeated layout)."""
    names = [re.sub(r"\s+", "", h) for h in header.split("|")]
    cells = [re.sub(r"\s+", "", c) for c in row.split("|")]
    if len(cells) > len(names) or not any(names):
        return ""
    return "，".join(f"{n}：{c}" for n, c in zip(names, cells) if n and c)


def idf_from_lexical(tokens: list[list[str]]) -> dict[str, float]:
    n = len(tokens)
    df: dict[str, int] = {}
    for toks in tokens:
        for t in set(toks):
            df[t] = df.get(t, 0) + 1
    return {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}


def _item_style(marker: str) -> str:
    """Items of one list share a marker style: （一）, 1., 一是 …"""
    if marker.startswith(("（", "(")):
        return "paren-cn" if re.search(r"[一二三四五六七八九十]", marker) else "paren-num"
    # Before isdigit(), which is true of ①…⑨ (not of ⑩…⑳): one circled list is one style.
    if marker[0] in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
        return "circled"
    if marker[0].isdigit():
        return "num"
    if marker.endswith("是"):
        return "shi"
    if marker.startswith("第"):
        return "di"
    return "cn"
