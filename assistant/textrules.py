"""Text rules shared by every stage, written once: where a sentence ends, what a number is,
Chinese numerals (一…十 in 公文 headings, 一百二十 in quantities), and the shape of a 文号
(国发〔2017〕9号).

Rules that only one stage needs stay in that stage; a rule two stages need lives here. (The
independent draft evaluator, drafting/evaluate.py, and the eval metrics keep their own: a judge
that shares the judged code's rules would share its mistakes.)"""
from __future__ import annotations

import re

CJK = "\u4e00-\u9fff"

# Marks that end a sentence, and the semicolons that end one of a list of sentences (一是…；二是…).
FULL_STOPS = "。！？!?"
SEMICOLONS = "；;"
STOPS = FULL_STOPS + SEMICOLONS
# Closing quotes and brackets stay with the sentence they close (二是“落实责任”！ / …。”).
CLOSERS = "”’」』）)"

# A sentence ends at 。！？； (with closing quotes/brackets kept in it), at a full stop written
# as "." between Chinese characters (a common OCR/scrape slip), at a line break, or at the ：
# of a lead-in that its first item follows on the same line.
SENTENCE_END = re.compile(rf"[{STOPS}]+[{CLOSERS}]*|(?<=[{CJK}])\.(?=[{CJK}])|\n"
                          # a lead-in ends where its first item starts (…下列条件：(一)持有…)
                          r"|[：:](?=\s*(?:[（(][一二三四五六七八九十\d]{1,2}[）)]|\d{1,2}[.．、](?!\d)|[一二三四五六七八九十]{1,2}、))")

# A number as written in plan text: 95, 3.5, 1.2% (a decimal point never splits a number).
NUMBER = re.compile(r"\d+(?:\.\d+)?")
NUMBER_OR_PERCENT = re.compile(rf"{NUMBER.pattern}%?")
# A whole number standing alone: not the tail of 1.2.3 or of a longer number.
WHOLE_NUMBER = re.compile(rf"(?<![\d.]){NUMBER.pattern}(?![\d.]*\d)")

# Chinese numerals as used for 公文 heading numbers (一、 （二） 十二、).
CN_DIGITS = "一二三四五六七八九十"
CN_NUMERAL = re.compile(rf"[{CN_DIGITS}]{{1,3}}")
_CN_VALUE = {ch: i for i, ch in enumerate(CN_DIGITS, 1)}
# Chinese numerals as written in quantities (两所, 一百二十名, 三千).
CN_QUANTITY_DIGITS = "零一二两三四五六七八九十百千"

# A 文号: issuer abbreviation, year in 〔〕 (or [] ［］ （） ()), serial number, 号. The strict
# shape is what a document's own number looks like (the metadata reader must be sure); the loose
# one also takes the year without brackets after 发 (青政发2026 1号), for scrubbing drafts, where
# missing one costs more than removing one too many.
YEAR_OPEN, YEAR_CLOSE = "〔\\[［（(", "〕\\]］）)"
DOC_NUMBER = re.compile(rf"[{CJK}]{{1,12}}[{YEAR_OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{YEAR_CLOSE}]\s*第?\s*\d{{1,5}}\s*号")
# A decree's number: 东府令第135号, 市政府令第21号 (a 文号 without a year).
DECREE_NUMBER = re.compile(rf"[{CJK}]{{1,8}}令\s*第?\s*\d{{1,5}}\s*号")
DOC_NUMBER_LOOSE = re.compile(rf"[{CJK}]{{1,8}}(?:发\s*[{YEAR_OPEN}]?\d{{4}}[{YEAR_CLOSE}]?|[{YEAR_OPEN}]\d{{4}}[{YEAR_CLOSE}])"
                              rf"\s*\d{{1,4}}\s*号")


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


def int_to_cn(k: int) -> str:
    """1 → 一, 11 → 十一, 20 → 二十, 23 → 二十三 (heading numbers, 1…99)."""
    if not 1 <= k <= 99:
        raise ValueError(f"标题序号超出范围：{k}")
    if k <= 10:
        return CN_DIGITS[k - 1]
    tens, ones = divmod(k, 10)
    return (CN_DIGITS[tens - 1] if tens > 1 else "") + "十" + (CN_DIGITS[ones - 1] if ones else "")


def cn_quantity_to_int(numeral: str) -> int | None:
    """一百二十 → 120, 两 → 2, 三千零五 → 3005; None when it is not a numeral of CN_QUANTITY_DIGITS."""
    s = numeral.replace("两", "二")
    if not s or any(c not in CN_QUANTITY_DIGITS for c in s):
        return None
    total, current = 0, 0
    for c in s:
        if c in "零一二三四五六七八九":
            current = "零一二三四五六七八九".index(c)
        else:
            total += (current or 1) * {"十": 10, "百": 100, "千": 1000}[c]
            current = 0
    return total + current
