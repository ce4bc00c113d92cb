"""Sentence-level checks the drafter applies to template text before it carries it over: whole
sentences only, stale formulations (by the plan's first year), OCR-damaged-looking text, and
near-duplicates."""
from __future__ import annotations

import re
from functools import lru_cache

from ..ingest.structure import strip_heading_number
from ..textrules import CLOSERS, FULL_STOPS
from .lexicon import Formulation, fixed_phrases, formulations

# A draft carries whole sentences over (…；…。 is one), so only a full stop ends one here.
SENTENCE = re.compile(rf"[^{FULL_STOPS}\n]*[{FULL_STOPS}]+[{CLOSERS}]*|[^{FULL_STOPS}\n]+")
ARTICLE_NUMBER = re.compile(r"^第[一二三四五六七八九十百]{1,4}条\s*(?:[（(][^）)]{2,16}[）)])?")
TERMINAL = ("。", "！", "？", "!", "?", "。”", "。）")
# Digits glued to punctuation the wrong way round (92.以上, 97%0), latin letters between Chinese
# characters, a decimal point followed by a Chinese character: typical OCR slips.
OCR_PATTERNS = (
    re.compile(r"\d\.(?=[\u4e00-\u9fff])"),
    re.compile(r"[%％]\s*[0oO]"),
    re.compile(r"(?<=[\u4e00-\u9fff])[A-Za-z]{1,2}(?=[\u4e00-\u9fff])"),
    re.compile(r"[■□�]"),
    re.compile(r"(?<=[\u4e00-\u9fff])\.(?=[\u4e00-\u9fff])"),
)


def sentences(text: str) -> list[str]:
    """Whole sentences (ending in 。！？), leading list numbers removed; fragments without an end are
    returned too so callers can tell them apart with `is_whole`."""
    out = []
    for m in SENTENCE.finditer(text):
        s = m.group(0).strip()
        s = strip_heading_number(s).strip() if s else s
        s = ARTICLE_NUMBER.sub("", s)
        if s:
            out.append(s)
    return out


def is_whole(sentence: str) -> bool:
    s = sentence.rstrip("”」』）) ")
    return s.endswith(("。", "！", "？", "!", "?")) and _balanced(sentence)


def _balanced(s: str) -> bool:
    return s.count("（") + s.count("(") == s.count("）") + s.count(")") and s.count("《") == s.count("》") \
        and s.count("“") == s.count("”")


def stale_in(text: str, year_from: int) -> list[Formulation]:
    """Formulations no longer current in `year_from` (党的十九大 in a 2027 plan), longest match wins."""
    found: list[tuple[int, Formulation]] = []
    taken: list[tuple[int, int]] = []
    for f in formulations():
        for m in re.finditer(re.escape(f.text), text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            if f.stale_for(year_from) and all(f is not g for _, g in found):
                found.append((m.start(), f))
    return [f for _, f in sorted(found, key=lambda x: x[0])]


def era_of(text: str) -> int:
    """The latest year a text's formulations place it in (党的二十大 -> 2022; none -> 0)."""
    years = [f.current_from for f in formulations() if f.text in text]
    return max(years, default=0)


def ocr_damage(text: str) -> str:
    """What looks OCR-damaged in a sentence ('' when nothing does)."""
    for p in OCR_PATTERNS:
        m = p.search(text)
        if m:
            return text[max(0, m.start() - 3):m.end() + 3]
    for phrase in fixed_phrases():
        if phrase in text or len(phrase) < 4:
            continue
        for i in range(1, len(phrase) - 1):      # one character dropped: 五位体
            broken = phrase[:i] + phrase[i + 1:]
            if broken in text:
                return broken
        for i in range(len(phrase)):             # one character misread: 中富多彩
            m = re.search(re.escape(phrase[:i]) + r"[\u4e00-\u9fff]" + re.escape(phrase[i + 1:]), text)
            if m:
                return m.group(0)
    return ""


@lru_cache(maxsize=8192)
def bigrams(text: str) -> frozenset[str]:
    """Cached: a draft compares each candidate sentence with every sentence already used."""
    t = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)
    return frozenset(t[i:i + 2] for i in range(len(t) - 1))


def near_duplicate(a: str, b: str) -> bool:
    ga, gb = bigrams(a), bigrams(b)
    if not ga or not gb:
        return a == b
    return len(ga & gb) / min(len(ga), len(gb)) >= 0.7
