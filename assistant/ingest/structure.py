"""Recognise the 公文 hierarchy in cleaned text: 第X章 / 第X条 (办法, 规定, 细则), 一、 /（一）/ 1. / （1）,
run-in headings (完善学前教育服务体系。), 专栏 boxes with their item labels, and indicator tables.

Scraped plans are flattened into few long lines, so headings are found inline and validated by
their running numbers (二、 only after 一、; （二） only after （一） under the same parent).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..textrules import CJK, CLOSERS, SENTENCE_END, cn_quantity_to_int, cn_to_int
from ..textrules import CN_DIGITS as CN
from ..textrules import STOPS as END
from ..types import Section

LEVEL1 = re.compile(rf"([{CN}]{{1,3}})、")
LEVEL2 = re.compile(rf"[（(]([{CN}]{{1,3}})[）)]")
LEVEL3 = re.compile(rf"(?<![\d.．A-Za-z%])(\d{{1,2}})(?:[.．、](?!\d)|(?=[{CJK}]))")
LEVEL4 = re.compile(r"[（(](\d{1,2})[）)]")
# 第三章 申请条件 / 第十二条 … : the chapters and articles of 办法, 规定 and 细则.
LEGAL_NUMERAL = "一二三四五六七八九十百零〇"
CHAPTER = re.compile(rf"第([{LEGAL_NUMERAL}]{{1,5}})章")
ARTICLE = re.compile(rf"第([{LEGAL_NUMERAL}]{{1,7}})条")
# After 第十条 these mean a reference (第十条规定的, 第十条、第十一条, 第十条第二款), not an article.
REFERENCE_AFTER = "规的之、和或及至到中第（(款项”》"
CHAPTER_LEVEL, ARTICLE_LEVEL = 0, 1  # 一、 inside an article moves one level down
LEGAL_GAP = 3  # a missed or unreadable article/chapter still lets the next ones through
BOX = re.compile(r"专栏\s*(\d{1,2})")
TABLE_HEADER = re.compile(r"指\s*标\s*(\d{4})\s*年\s*(\d{4})\s*年")
TABLE_NOTE = re.compile(r"注[:：][^。]*。")
ITEM = re.compile(rf"([{CJK}]{{2,8}})[:：]")

HEADING_LEXICON = ("主要任务和措施", "指导思想", "基本原则", "主要目标", "总体目标", "总体要求", "总体思路",
                   "重点任务", "保障措施", "组织实施", "工作目标", "实施步骤", "工作要求", "发展目标")
TITLE_SUFFIXES = ("体系", "发展", "服务", "建设", "教育", "机制", "保障", "制度", "措施", "要求", "思路",
                  "目标", "原则", "任务", "水平", "能力", "工程", "计划", "行动", "改革", "管理", "质量",
                  "环境", "供给", "工作", "均等化")
BOX_SUFFIXES = ("项目", "工程", "行动", "计划", "指标", "清单")
PUNCT = "，,、；;：:。！？!?（）()“”\"'"
HEADING_NUMBER = re.compile(rf"^(?:第[{LEGAL_NUMERAL}]{{1,7}}[章条]\s*|专栏\d+|[{CN}]{{1,3}}、|[（(][{CN}\d]{{1,3}}[）)]|\d{{1,2}}[.．、](?!\d)"
                            rf"|\d(?=[\u4e00-\u9fff])(?![岁年个万元人名所户张月日]))")
RUNIN_MAX = 18
RUNIN_SHORT = 6        # short topic labels (义务教育, 医疗保险) are headings even with little text
RUNIN_MIN_BODY = 60    # longer candidates must introduce a real paragraph
CLASSIFIERS = "名个所人年次万元项家条级批期倍岁户张月日天台套座"


def strip_heading_number(label: str) -> str:
    """二、主要任务 / （一）指导思想 / 1.重点任务 / 专栏1教育… -> the title alone."""
    return HEADING_NUMBER.sub("", label, count=1)


def cn_number(s: str) -> int:
    """The value of a heading's Chinese number; 0 (never a valid next number) when it is none."""
    try:
        return cn_to_int(s)
    except ValueError:
        return 0


def legal_number(s: str) -> int:
    """一百二十三 → 123, 一百零五 → 105, 四十 → 40 (chapter and article numbers); 0 if unreadable."""
    return cn_quantity_to_int(s.replace("〇", "零")) or 0


def _legal_boundary(text: str, i: int, end: int) -> bool:
    """第X条 starts an article only at a line start, after a sentence end or after a space, and is
    not followed by the words of a reference (依照本办法第十条规定)."""
    if end < len(text) and text[end] in REFERENCE_AFTER:
        return False
    k = i
    while k > 0 and text[k - 1] in " \t\u3000":
        k -= 1
    return k == 0 or k < i or text[k - 1] == "\n" or text[k - 1] in END


def _legal_title(text: str, start: int, stop: int, chapter: bool) -> tuple[int, int, int]:
    """(title_start, title_end, body_start) after 第X章 / 第X条. A chapter's title is the short rest of
    its line (or the words before the next article in flattened text); an article has a title only
    when one is written in 【】 or on its own short line."""
    pos = start
    while pos < stop and text[pos] in " \t\u3000\n":
        pos += 1
    line_end = text.find("\n", pos, stop)
    line_end = stop if line_end < 0 else line_end
    line = text[pos:line_end]
    if text.startswith("【", pos):
        close = text.find("】", pos, min(stop, pos + 20))
        if close > 0:
            return pos + 1, close, close + 1
    if chapter:
        cut = next((k for k, ch in enumerate(line) if ch in PUNCT), len(line))
        if cut <= 20:
            return pos, pos + cut, pos + cut
        return pos, pos, pos
    if 2 <= len(line.strip()) <= 12 and not any(ch in PUNCT for ch in line) and line_end < stop:
        return pos, line_end, line_end + 1
    return pos, pos, pos


@dataclass
class _Mark:
    level: int
    number: str
    start: int
    title_start: int
    kind: str = "heading"


def _at_boundary(text: str, i: int) -> bool:
    """A heading marker starts a line, follows a sentence end, or closes a heading title."""
    if i == 0 or text[i - 1] == "\n":
        return True
    return text[i - 1] in END + CLOSERS or "\u4e00" <= text[i - 1] <= "\u9fff"


def _title_end(text: str, start: int, stop: int, suffixes=TITLE_SUFFIXES) -> tuple[int, int]:
    """(title_end, body_start) for a heading whose title begins at `start`; `stop` is the next
    heading marker. Titles end at 。, at the next marker, or (run-on scraped text) at a known
    heading word or the longest phrase ending in a typical heading suffix."""
    limit = min(stop, start + 40)
    seg = text[start:limit]
    nl = seg.find("\n")
    if nl >= 0:  # one heading per line (docx, md, clean txt)
        line = seg[:nl]
        if not any(p in line.rstrip("。") for p in "。；;"):
            end = start + len(line.rstrip("。."))
            return end, start + nl + 1
        seg = line
    for word in HEADING_LEXICON:
        if seg.startswith(word):
            after = start + len(word)
            body = after + 1 if after < len(text) and text[after] in "。.：:" else after
            return after, body
    first_punct = next((k for k, ch in enumerate(seg) if ch in PUNCT), None)
    if first_punct is not None and seg[first_punct] in "。." and first_punct <= 30:
        return start + first_punct, start + first_punct + 1
    if stop - start <= 30 and (first_punct is None or first_punct >= stop - start):
        return stop, stop
    cut = first_punct if first_punct is not None else len(seg)
    seg = seg[:min(cut, 30)]
    best = 0
    for k in range(len(seg), 1, -1):
        if any(seg[:k].endswith(s) for s in suffixes):
            best = k
            break
    if best >= 4:
        return start + best, start + best
    return start + len(seg), start + len(seg)


def _find_table(text: str, lo: int, hi: int) -> tuple[int, int, int] | None:
    """(table_start, header_end, table_end) for a flattened indicator table within [lo, hi)."""
    m = TABLE_HEADER.search(text, lo, hi)
    if not m:
        return None
    # The title is the text after the previous sentence end (…主要发展指标).
    k = m.start()
    while k > lo and text[k - 1] not in END + "\n":
        k -= 1
    note = TABLE_NOTE.search(text, m.end(), hi)
    nxt = LEVEL1.search(text, m.end(), hi)
    end = note.end() if note and (not nxt or note.end() <= nxt.start()) else (nxt.start() if nxt else hi)
    return k, m.end(), end


def _pipe_tables(text: str) -> list[tuple[int, int]]:
    """Tables read from .docx are consecutive lines with ' | ' between cells."""
    spans = []
    pos = 0
    run_start = None
    for line in text.split("\n") + [""]:
        is_row = "|" in line and len(line) < 400
        if is_row and run_start is None:
            run_start = pos
        if not is_row and run_start is not None:
            spans.append((run_start, pos - 1))
            run_start = None
        pos += len(line) + 1
    return spans


def parse_sections(text: str) -> list[Section]:
    marks: list[_Mark] = []
    tables: list[tuple[int, int, int]] = []
    t = _find_table(text, 0, len(text))
    while t:
        tables.append(t)
        t = _find_table(text, t[2], len(text))
    for a, b in _pipe_tables(text):
        tables.append((a, a, b))
    in_table = lambda i: any(a <= i < e for a, _, e in tables)  # noqa: E731

    # Numbered headings, validated by their running numbers. Chapters and articles number through
    # the whole document; a new article restarts the （一） and 1. numbering inside it.
    counters = {1: 0, 2: 0, 3: 0, 4: 0}
    legal_counters = {"chapter": 0, "article": 0}
    candidates: list[tuple[int, int, str, int, int]] = []  # (pos, level, number, value, title_start)
    for level, rx in ((1, LEVEL1), (2, LEVEL2), (3, LEVEL3), (4, LEVEL4)):
        for m in rx.finditer(text):
            value = cn_number(m.group(1)) if level <= 2 else int(m.group(1))
            candidates.append((m.start(), level, m.group(1), value, m.end()))
    kind_of: dict[tuple[int, int], str] = {}
    for legal, level, rx in (("chapter", CHAPTER_LEVEL, CHAPTER), ("article", ARTICLE_LEVEL, ARTICLE)):
        for m in rx.finditer(text):
            if _legal_boundary(text, m.start(), m.end()):
                candidates.append((m.start(), level, m.group(1), legal_number(m.group(1)), m.end()))
                kind_of[(m.start(), level)] = legal
    candidates.sort()
    for pos, level, number, value, title_start in candidates:
        if kind_of.get((pos, level)):
            legal = kind_of[(pos, level)]
            if in_table(pos) or not legal_counters[legal] < value <= legal_counters[legal] + LEGAL_GAP:
                continue
            legal_counters[legal] = value
            for deeper in range(1, 5):
                counters[deeper] = 0
            marks.append(_Mark(level, f"第{number}{'章' if legal == 'chapter' else '条'}", pos, title_start, legal))
            continue
        if in_table(pos) or (level in (1, 3) and not _at_boundary(text, pos)):
            continue
        if level == 3 and title_start < len(text) and text[title_start - 1].isdigit():
            # A bare digit heading (1重点任务。) only when a short run-in title follows.
            rest = text[title_start:title_start + 12]
            if rest[:1] in CLASSIFIERS or "。" not in rest or any(p in rest.split("。")[0] for p in PUNCT):
                continue
        if value != counters[level] + 1:
            continue
        counters[level] = value
        for deeper in range(level + 1, 5):
            counters[deeper] = 0
        label = {1: f"{number}、", 2: f"（{number}）", 3: f"{number}.", 4: f"（{number}）"}[level]
        marks.append(_Mark(level, label, pos, title_start))
    for m in BOX.finditer(text):
        if not in_table(m.start()):
            marks.append(_Mark(6, f"专栏{m.group(1)}", m.start(), m.end(), "box"))
    marks.sort(key=lambda mk: mk.start)

    sections: list[Section] = []
    stack: list[Section] = []
    raw: list[tuple[_Mark, int, int]] = []
    for idx, mk in enumerate(marks):
        stop = marks[idx + 1].start if idx + 1 < len(marks) else len(text)
        if mk.kind in ("chapter", "article"):
            tstart, tend, body = _legal_title(text, mk.title_start, stop, mk.kind == "chapter")
            mk.title_start = tstart
        else:
            tend, body = _title_end(text, mk.title_start, stop, BOX_SUFFIXES if mk.kind == "box" else TITLE_SUFFIXES)
        raw.append((mk, tend, body))

    def close_until(level: int, pos: int) -> None:
        while stack and stack[-1].level >= level:
            done = stack.pop()
            sections[sections.index(done)] = _with_end(done, pos)

    all_items: list[tuple[int, int, str, str, int, int, str]] = []  # (start, level, number, title, tend, body, kind)
    for mk, tend, body in raw:
        title = text[mk.title_start:tend].strip()
        if mk.kind == "chapter":
            title = re.sub(r"\s+", "", title)  # 总 则 → 总则
        all_items.append((mk.start, mk.level, mk.number, title, tend, body, mk.kind))
    for a, h, _end in tables:
        title = text[a:h].strip() if h > a else "表格"
        title = TABLE_HEADER.sub("", title) or title
        all_items.append((a, 7, "", title, h, h, "table"))
    all_items.sort(key=lambda x: (x[0], x[1]))

    for start, level, number, title, _tend, body, kind in all_items:
        # Boxes and tables nest under the current numbered heading; numbered headings close them.
        # Inside an article, 一、 and （一） are the article's items: one level below it.
        if kind == "heading" and any(s.number.startswith("第") and s.number.endswith("条") for s in stack):
            level = min(level + ARTICLE_LEVEL, 4)
        if kind in ("box", "table"):
            close_until(6, start)
        else:
            close_until(level, start)
        label = title if kind == "table" else f"{number} {title}" if kind == "chapter" and title else f"{number}{title}"
        path = (stack[-1].path if stack else ()) + (label,)
        sec = Section(number=number, title=title, level=level, start=start, body_start=body,
                      end=len(text), path=path, kind="heading" if kind in ("chapter", "article") else kind)
        sections.append(sec)
        stack.append(sec)
        if kind == "table":
            close_until(7, _table_end(tables, start))
    close_until(0, len(text))

    sections += _runin_headings(text, sections, tables)
    sections += _box_items(text, sections)
    sections.sort(key=lambda s: (s.start, s.level))
    return sections


def _table_end(tables, start):
    return next(e for a, _, e in tables if a == start)


def _with_end(sec: Section, end: int) -> Section:
    return Section(sec.number, sec.title, sec.level, sec.start, sec.body_start, end, sec.path, sec.kind)


def _runin_headings(text: str, sections: list[Section], tables) -> list[Section]:
    """Short title-like sentences that open a paragraph of a numbered section (the bold run-in
    headings of the original layout). Candidates must open a paragraph (not follow ；), must not
    directly follow another candidate, and longer ones must introduce a real paragraph."""
    out: list[Section] = []
    for sec in (s for s in sections if s.kind == "heading"):
        children = [c for c in sections if c is not sec and sec.start < c.start < sec.end]
        own_end = min([c.start for c in children] + [sec.end])
        pos = sec.body_start
        prev_term = "。"
        cands: list[tuple[int, int, str]] = []
        while pos < own_end:
            m = SENTENCE_END.search(text, pos, own_end)
            sent_end = m.end() if m else own_end
            sentence = text[pos:sent_end].rstrip("。.;；\n")
            if (m and 4 <= len(sentence) <= RUNIN_MAX and prev_term not in ";；"
                    and not any(p in sentence for p in PUNCT) and not re.search(r"\d", sentence)
                    and sent_end < own_end and not any(a <= pos < e for a, _, e in tables)):
                cands.append((pos, sent_end, sentence))
            prev_term = text[sent_end - 1] if m else "。"
            pos = sent_end
        # Two candidates in a row: a long one is a sentence closing the previous paragraph
        # (…申报工作。职业培训。); a short one is a repeated label (教师队伍建设。队伍建设。).
        for k in range(len(cands) - 1, 0, -1):
            if cands[k - 1][1] == cands[k][0]:
                del cands[k - 1 if len(cands[k - 1][2]) > RUNIN_SHORT else k]
        keep = []
        for k, (a, b, title) in enumerate(cands):
            nxt = cands[k + 1][0] if k + 1 < len(cands) else own_end
            at_doc_end = nxt >= len(text) - 1  # a truncated file ends inside the paragraph
            if len(title) <= RUNIN_SHORT or nxt - b >= RUNIN_MIN_BODY or at_doc_end:
                keep.append((a, b, title))
        cands = keep
        for k, (a, b, title) in enumerate(cands):
            end = cands[k + 1][0] if k + 1 < len(cands) else own_end
            out.append(Section(number="", title=title, level=5, start=a, body_start=b, end=end,
                               path=sec.path + (title,), kind="runin"))
    return out


def _box_items(text: str, sections: list[Section]) -> list[Section]:
    out = []
    for box in (s for s in sections if s.kind == "box"):
        items = [m for m in ITEM.finditer(text, box.body_start, box.end)
                 if m.start() == box.body_start or text[m.start() - 1] in END + "\n"]
        for k, m in enumerate(items):
            end = items[k + 1].start() if k + 1 < len(items) else box.end
            out.append(Section(number="", title=m.group(1), level=8, start=m.start(), body_start=m.end(),
                               end=end, path=box.path + (m.group(1),), kind="item"))
    return out
