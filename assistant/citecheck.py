"""Checks that each `[n]` in a generated text is supported by passage n.

A sentence's citation holds when every number in the sentence occurs in the cited passage and,
beyond numbers, enough of its key words do (a name or key phrase must occur in it). Citations to
passages that do not exist are dropped; sentences left with no supported citation are flagged."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexical import normalize_query, tokenize

CITE = re.compile(r"\[(\d{1,2})\]")
SENTENCE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;]|\n|$)")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
REFUSAL = "资料中未找到"
MIN_KEYWORD_SHARE = 0.5


@dataclass(frozen=True)
class CheckedSentence:
    text: str            # without its [n] markers
    cited: tuple[int, ...]
    supported: tuple[int, ...]

    @property
    def ok(self) -> bool:
        return bool(self.supported)


def supports(sentence: str, passage: str) -> bool:
    s, p = normalize_query(sentence), normalize_query(passage)
    for num in NUMBER.findall(s):
        if num not in p:
            return False
    words = [w for w in tokenize(s) if len(w) >= 2 and not NUMBER.fullmatch(w)]
    if not words:
        return bool(NUMBER.findall(s))
    return sum(w in p for w in words) / len(words) >= MIN_KEYWORD_SHARE


def check(text: str, passages: dict[int, str]) -> list[CheckedSentence]:
    out = []
    for m in SENTENCE.finditer(text):
        raw = m.group(0).strip()
        if not raw:
            continue
        cited = tuple(int(n) for n in CITE.findall(raw))
        plain = CITE.sub("", raw).strip()
        if not plain.strip("。；;，, "):
            continue
        valid = tuple(n for n in cited if n in passages)
        supported = tuple(n for n in valid if supports(plain, passages[n]))
        out.append(CheckedSentence(plain, cited, supported))
    return out


def is_refusal(text: str) -> bool:
    return REFUSAL in text and not CITE.search(text)
