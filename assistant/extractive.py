"""The offline answerer: quotes the sentence(s) that answer the question, verbatim, each with
its citation, or says 资料中未找到 and shows the nearest passages as related.

Confidence is the share of the question's key terms (IDF-weighted) found in the quoted sentence
and its headings, and the sentence must hold the kind of value asked for (a number, a year, an
amount in 元 …). Lists are answered from the document's structure when a heading names them
(基本原则 → its run-in items); comparisons take the best sentence from each document."""
from __future__ import annotations

import math
from dataclasses import dataclass

from .chunking import sentence_spans
from .cleaning import OffsetMap
from .indicators import parse_indicator_table, row_for_text
from .lexical import normalize_query
from .question import QuestionInfo, answers_type
from .structure import TABLE_HEADER, strip_heading_number
from .types import Answer, Chunk, Citation, Passage

FOCUS_MIN = 0.5
REFUSAL_TEXT = "资料中未找到与该问题直接相关的内容。以下是最接近的段落，仅供参考，不构成答案。"


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    start: int        # offsets in the chunk's document (cleaned text)
    end: int
    text: str
    coverage: float
    score: float
    typed: bool


class ExtractiveAnswerer:
    def __init__(self, idf: dict[str, float], offsets_for, original_for, chunks_for_doc,
                 threshold: float = 0.4) -> None:
        self.idf = idf
        # An IdfTable (lexical.py) looks terms up on demand and knows its maximum.
        self.max_idf = getattr(idf, "max_idf", None) or (max(idf.values()) if idf else 1.0)
        self.offsets_for = offsets_for        # doc_id -> OffsetMap
        self.chunks_for_doc = chunks_for_doc  # doc_id -> list[Chunk]
        self.original_for = original_for      # doc_id -> original file text
        self.threshold = threshold

    def weight(self, term: str) -> float:
        # Terms the corpus never uses are the most telling: a question about them is likely
        # unanswerable. Single characters carry little meaning.
        w = self.idf.get(term, self.max_idf)
        return max(w, 0.1) * (0.3 if len(term) == 1 else 1.0)

    def coverage(self, terms: tuple[str, ...], text: str) -> float:
        if not terms:
            return 0.0
        norm = normalize_query(text).lower()
        total = sum(self.weight(t) for t in terms)
        got = sum(self.weight(t) for t in terms if t in norm)
        return got / total if total else 0.0

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
            for a, b in sentence_spans(c.text, 0, len(c.text), table=(c.kind == "table")):
                sent = c.text[a:b]
                if len(sent.strip("。；; \n")) < 4:
                    continue
                if c.kind == "table" and TABLE_HEADER.search(sent):
                    continue  # the header row is context, never the answer
                cov_s = self.coverage(own, sent)
                cov_all = self.coverage(info.terms, sent + " " + context)
                typed = answers_type(info, sent)
                score = 0.55 * cov_s + 0.3 * cov_all + 0.15 * (p.score / top if top > 0 else 0)
                if named:
                    score += 0.15
                if not typed:
                    score *= 0.6
                out.append(Candidate(p, c.start + a, c.start + b, sent.strip(), cov_all, score, typed))
        out.sort(key=lambda x: -x.score)
        return out

    def answer(self, question: str, info: QuestionInfo, passages: list[Passage]) -> Answer:
        cands = self.candidates(info, passages)
        if not cands:
            return self.refuse(question, passages)
        best = cands[0]
        if info.wants_list:
            listed = self.list_from_structure(info, passages)
            if listed:
                return self.compose(question, listed, passages, intro=True)
        if best.coverage < self.threshold or not best.typed:
            return self.refuse(question, passages)
        if info.wants_number and not self.about_focus(info, best):
            return self.refuse(question, passages)
        chosen = [best]
        if info.compare:
            other = next((c for c in cands if c.passage.chunk.doc_id != best.passage.chunk.doc_id
                          and c.coverage >= self.threshold * 0.8 and c.typed), None)
            if other:
                chosen.append(other)
        return self.compose(question, chosen, passages)

    def about_focus(self, info: QuestionInfo, cand: Candidate) -> bool:
        """A number question must be about the same thing: 每千人口执业医师数 is not answered by
        a sentence about 义务教育巩固率 that happens to say 到2025年 and a percentage."""
        c = cand.passage.chunk
        focus = [t for t in info.focus if t not in c.title.lower()]
        if len([t for t in focus if len(t) > 1]) < 2:
            return True  # too little named to judge
        context = cand.text + " " + (c.heading_path[-1] if c.heading_path else "")
        if c.kind == "table":
            context += " " + " ".join(c.heading_path) + " " + self.table_header(c)
        return self.coverage(tuple(focus), context) >= FOCUS_MIN

    def table_header(self, chunk: Chunk) -> str:
        for c in self.chunks_for_doc(chunk.doc_id):
            if c.heading_path == chunk.heading_path:
                m = TABLE_HEADER.search(c.text)
                if m:
                    return m.group(0)
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
                        head = next(((a, b) for a, b in spans if c.heading_path[-1] in c.text[a:b]), spans[0])
                        nxt = next(((a, b) for a, b in spans if a >= head[1]), None)
                        a, b = head[0], (nxt[1] if nxt else head[1])
                        out.append(Candidate(Passage(c, p.score, 0), c.start + a, c.start + b,
                                             c.text[a:b].strip(), 1.0, 1.0, True))
                    return out
        return []

    def compose(self, question: str, chosen: list[Candidate], passages: list[Passage], intro: bool = False) -> Answer:
        citations = []
        lines = []
        by_doc = len({c.passage.chunk.doc_id for c in chosen}) > 1
        for n, cand in enumerate(chosen, start=1):
            chunk = cand.passage.chunk
            offsets: OffsetMap = self.offsets_for(chunk.doc_id)
            o_start, o_end = offsets.span(cand.start, cand.end)
            original = self.original_for(chunk.doc_id)
            citations.append(Citation(n=n, doc_id=chunk.doc_id, title=chunk.title, heading_path=chunk.heading_path,
                                      citation_label=chunk.citation_label, quote=cand.text,
                                      source_text=original[o_start:o_end], start=o_start, end=o_end,
                                      chunk_id=chunk.chunk_id, score=round(cand.score, 4)))
            where = f"《{chunk.title}》{chunk.citation_label}"
            quoted = f"“{cand.text}”"
            if chunk.kind == "table":
                reading = _table_reading(self.chunks_for_doc(chunk.doc_id), chunk, cand.text)
                quoted += f"（即{reading}）" if reading else ""
            if intro:
                lines.append(f"{chunk.heading_path[-1]}：{quoted}[{n}]")
            elif by_doc:
                lines.append(f"{where}：{quoted}[{n}]")
            else:
                lines.append(f"据{where}：{quoted}[{n}]")
        if intro:
            first = chosen[0].passage.chunk
            parent = first.heading_path[-2] if len(first.heading_path) >= 2 else ""
            names = "、".join(c.passage.chunk.heading_path[-1] for c in chosen)
            head = (f"据《{first.title}》{first.citation_label}{('“' + parent + '”') if parent else ''}，"
                    f"共{len(chosen)}项：{names}。")
            text = head + "\n" + "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))
        else:
            text = "\n".join(lines)
        return Answer(question=question, text=text, grounded=True, citations=tuple(citations),
                      passages=tuple(passages), outcome="answer",
                      confidence=min(1.0, max(c.coverage for c in chosen)))

    def refuse(self, question: str, passages: list[Passage]) -> Answer:
        return Answer(question=question, text=REFUSAL_TEXT, grounded=False, citations=(), passages=tuple(passages),
                      outcome="related" if passages else "not_found")


def _table_reading(doc_chunks: list[Chunk], chunk: Chunk, quote: str) -> str:
    """The quoted table line read by its columns: 2015年 26.2%，2020年 80%."""
    table_text = "".join(c.text for c in doc_chunks if c.heading_path == chunk.heading_path)
    row = row_for_text(parse_indicator_table(table_text), quote)
    return f"{row.name}：{row.describe()}" if row else ""


def idf_from_lexical(tokens: list[list[str]]) -> dict[str, float]:
    n = len(tokens)
    df: dict[str, int] = {}
    for toks in tokens:
        for t in set(toks):
            df[t] = df.get(t, 0) + 1
    return {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
