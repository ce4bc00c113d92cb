"""Section-aware chunks that never cut a sentence or a table row.

Sections tile the cleaned text into segments; each segment is packed into chunks of whole
sentences up to `chunk_size` characters. A segment that is only a heading (一、总体思路) is
carried into the next one so no chunk is a bare title.
"""
from __future__ import annotations

import hashlib
import re

from ..textrules import CJK, CN_DIGITS
from ..textrules import sentence_spans as _sentences
from ..types import Chunk, Section
from .cleaning import OffsetMap

# In a flattened indicator table a row ends with its numbers, the next begins with a name.
TABLE_ROW_END = re.compile(rf"(?<=[\d%])(?=[{CJK}“（(])(?!年)")
# Heading numbers that make up a citation label: 二、 → 二, （一）/（1） kept whole, 1. → 1, 专栏2.
LABEL_PARTS = (re.compile(r"(第[一二三四五六七八九十百零〇]{1,7}[章条])"), re.compile(rf"([{CN_DIGITS}]{{1,3}})、"), re.compile(rf"(（[{CN_DIGITS}]{{1,3}}）|（\d{{1,2}}）)"),
               re.compile(r"(\d{1,2})\."), re.compile(r"(专栏\d+)"))
MIN_SEGMENT = 40


def table_row_cuts(text: str, start: int, end: int) -> list[int]:
    """Row boundaries of a flattened table: after a header (指标 2015年 2020年), and where a
    number is followed by the next row's name, never inside brackets such as (1/10万)."""
    from .structure import TABLE_HEADER
    cuts = [m.end() for m in TABLE_HEADER.finditer(text, start, end)]
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif depth == 0 and i > start and TABLE_ROW_END.match(text, i):
            cuts.append(i)
    return sorted(set(cuts))


def sentence_spans(text: str, start: int, end: int, table: bool = False) -> list[tuple[int, int]]:
    """Sentences of text[start:end]; in a table, rows (a line each in a table read from Word or
    a web page, cells joined by |)."""
    if not table:
        return _sentences(text, start, end)
    if "|" in text[start:end]:
        return [(start + m.start(), start + m.end()) for m in re.finditer(r"[^\n]+", text[start:end])
                if m.group(0).strip()]
    spans = []
    pos = start
    for cut in table_row_cuts(text, start, end):
        if cut > pos:
            spans.append((pos, cut))
            pos = cut
    if pos < end:
        spans.append((pos, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def citation_label(path: tuple[str, ...]) -> str:
    """The heading numbers of a path run together: ("二、…", "（一）…", "1.…") → 二（一）1."""
    parts = []
    for label in path:
        for pattern in LABEL_PARTS:
            m = pattern.match(label)
            if m:
                parts.append(m.group(1))
                break
    if any(p.endswith("条") for p in parts):  # articles number through the document: 第十二条 alone
        parts = [p for p in parts if not p.endswith("章")]
    return "".join(parts)


def _segments(text: str, sections: list[Section]) -> list[tuple[int, int, Section | None]]:
    cut_set = {0, len(text)}
    for s in sections:
        cut_set.add(s.start)
        cut_set.add(min(s.end, len(text)))
    cuts = sorted(cut_set)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        owner = None
        for s in sections:
            if s.start <= a < s.end and (owner is None or s.start >= owner.start and s.level >= owner.level):
                owner = s
        out.append((a, b, owner))
    return out


def chunk_document(doc_id: str, title: str, text: str, sections: list[Section], offsets: OffsetMap,
                   chunk_size: int = 300, overlap_sentences: int = 0) -> list[Chunk]:
    chunks: list[Chunk] = []
    carry_from: int | None = None
    seen_ids: dict[str, int] = {}
    segs = _segments(text, sections)
    for idx, (a, b, owner) in enumerate(segs):
        if carry_from is not None:
            a = carry_from
            carry_from = None
        body = text[a:b]
        if not body.strip():
            continue
        nxt_owner = segs[idx + 1][2] if idx + 1 < len(segs) else None
        heading_only = nxt_owner is not None and nxt_owner is not owner and segs[idx + 1][0] == b and (
            owner is None or nxt_owner.path[:len(owner.path)] == owner.path)  # a bare title or heading
        if len(body.strip()) < MIN_SEGMENT and heading_only:
            carry_from = a  # a bare heading (一、总体思路) opens its first child's chunk
            continue
        is_table = owner is not None and owner.kind == "table"
        units = sentence_spans(text, a, b, table=is_table)
        groups: list[list[tuple[int, int]]] = []
        current: list[tuple[int, int]] = []
        for unit in _split_long(units, text, chunk_size * 2):
            size = unit[1] - (current[0][0] if current else unit[0])
            if current and size > chunk_size and current[-1][1] - current[0][0] >= MIN_SEGMENT:
                groups.append(current)
                current = current[-overlap_sentences:] if overlap_sentences else []
            current.append(unit)
        if current:
            if groups and current[-1][1] - current[0][0] < MIN_SEGMENT:
                groups[-1] = groups[-1] + [u for u in current if u not in groups[-1]]
            else:
                groups.append(current)
        path = owner.path if owner else ()
        for group in groups:
            s, e = group[0][0], group[-1][1]
            while s < e and text[s] in " \n":
                s += 1
            while e > s and text[e - 1] in " \n":
                e -= 1
            chunk_text = text[s:e]
            digest = hashlib.sha1(f"{doc_id}\x00{chunk_text}".encode()).hexdigest()[:12]
            k = seen_ids.get(digest, 0)
            seen_ids[digest] = k + 1
            chunk_id = f"{doc_id}:{digest}" + (f"-{k}" if k else "")
            o_start, o_end = offsets.span(s, e)
            chunks.append(Chunk(chunk_id=chunk_id, doc_id=doc_id, title=title, heading_path=path,
                                citation_label=citation_label(path), text=chunk_text, start=s, end=e,
                                orig_start=o_start, orig_end=o_end,
                                kind=owner.kind if owner and owner.kind in ("table", "box", "item") else "text",
                                ordinal=len(chunks)))
    return chunks


def _split_long(units: list[tuple[int, int]], text: str, limit: int) -> list[tuple[int, int]]:
    """A 'sentence' longer than `limit` (text without punctuation) is cut at commas, then hard."""
    out = []
    for a, b in units:
        while b - a > limit:
            window = text[a:a + limit]
            cut = max(window.rfind("，"), window.rfind(","), window.rfind("、"))
            cut = a + (cut + 1 if cut > limit // 3 else limit)
            out.append((a, cut))
            a = cut
        out.append((a, b))
    return out
