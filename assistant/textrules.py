"""Text rules shared by every stage, written once: where a sentence ends, what a number is,
Chinese numerals (一…十 in 公文 headings), and the shape of a 文号 (国发〔2017〕9号).

Rules that only one stage needs stay in that stage; a rule two stages need lives here."""
from __future__ import annotations

import re

CJK = "\u4e00-\u9fff"

# A sentence ends at 。！？； (with closing quotes/brackets kept in it), at a full stop written
# as "." between Chinese characters (a common OCR/scrape slip), at a line break, or at the ：
# of a lead-in that its first item follows on the same line.
SENTENCE_END = re.compile(rf"[。！？；!?;]+[”’」）)]*|(?<=[{CJK}])\.(?=[{CJK}])|\n"
                          # a lead-in ends where its first item starts (…下列条件：(一)持有…)
                          r"|[：:](?=\s*(?:[（(][一二三四五六七八九十\d]{1,2}[）)]|\d{1,2}[.．、](?!\d)|[一二三四五六七八九十]{1,2}、))")

# A number as written in plan text: 95, 3.5, 1.2% (a decimal point never splits a number).
NUMBER = re.compile(r"\d+(?:\.\d+)?")
NUMBER_OR_PERCENT = re.compile(r"\d+(?:\.\d+)?%?")

# Chinese numerals as used for 公文 heading numbers (一、 （二） 十二、).
CN_DIGITS = "一二三四五六七八九十"
CN_NUMERAL = re.compile(rf"[{CN_DIGITS}]{{1,3}}")
_CN_VALUE = {ch: i for i, ch in enumerate(CN_DIGITS, 1)}

# A 文号: issuer abbreviation, year in 〔〕 (or [] （） or none), serial number, 号.
DOC_NUMBER = re.compile(rf"[{CJK}]{{1,8}}[〔\[（(]?\d{{4}}[〕\]）)]?\s*\d{{1,4}}\s*号")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences of text[start:end], ends included, blank ones dropped."""
    end = len(text) if end is None else end
    spans = []
    pos = start
    for m in SENTENCE_END.finditer(text, start, end):
        if m.end() > pos:
            spans.append((pos, m.end()))
            pos = m.end()
    if pos < end:
        spans.append((pos, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def numbers(text: str) -> list[str]:
    """The numbers a text states, as written (3.5 stays one number)."""
    return NUMBER.findall(text)


def cn_to_int(numeral: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 二十三 → 23 (heading numbers up to 九十九)."""
    if not numeral or any(ch not in _CN_VALUE for ch in numeral) or numeral.count("十") > 1:
        raise ValueError(f"不是中文数字：{numeral!r}")
    if "十" not in numeral:
        if len(numeral) != 1:
            raise ValueError(f"不是中文数字：{numeral!r}")
        return _CN_VALUE[numeral]
    tens, _, ones = numeral.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        raise ValueError(f"不是中文数字：{numeral!r}")
    return (_CN_VALUE[tens] if tens else 1) * 10 + (_CN_VALUE[ones] if ones else 0)
