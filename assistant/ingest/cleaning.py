"""Clean scraped plan text for retrieval while keeping a map back to the original characters.

Removed: site boilerplate lines (《…》由会员分享…), long lines of encoded data (base64, CSS), page markers that start each scraped page
(`2、` at line starts, with the line break before them), PDF footer page numbers standing alone
between spaces (` 7 `, detected as a running sequence 1, 2, 3 …), whitespace inside Chinese
text, and the line breaks of hard-wrapped text (PDF lines, fixed-width scrapes) inside a sentence. Nothing is rewritten: every cleaned character is an original character, so any cleaned
span maps back to the exact place in the file.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

BOILERPLATE = re.compile(r"由会员分享|可在线阅读|文库上搜索|原创力文档|道客巴巴|豆丁网|下载券")
PAGE_MARKER = re.compile(r"^(\d{1,3})、[ \t\u3000]*")
FOOTER_NUMBER = re.compile(r"(?<=[ \t\u3000])(\d{1,3})(?=[ \t\u3000])")
# A printed page number between dashes (—8—, － 3 －): it can fall in the middle of a sentence.
DASHED_PAGE_NUMBER = re.compile(r"[—－][ \t\u3000]?\d{1,3}[ \t\u3000]?[—－]")
SPACE = re.compile(r"[ \t\u3000\xa0\u2002\u2003\u200b\r]+")
KEEP_SPACE_BETWEEN = re.compile(r"[A-Za-z0-9.%]")
# Hard-wrapped text: most long lines have about the same width and end mid-sentence.
WRAP_MIN_LINES = 8
# A full line is within 10% of the typical width, or wider by half-width digits and letters.
WRAP_BAND = (0.85, 1.6)
WRAP_MIN_SHARE = 0.4     # of the long lines, this many are full lines
WRAP_MIN_OPEN = 0.7      # of the full lines, this many end mid-sentence
LINE_END_PUNCT = "。；！？：;!?:"
# A line that starts a heading or an item starts a paragraph even after a full line.
PARAGRAPH_START = re.compile(r"[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|"
                             r"\d{1,2}[.．、]|第[一二三四五六七八九十百零〇]{1,7}[章条节]|附件|专栏)")


@dataclass(frozen=True)
class OffsetMap:
    """Aligned runs (clean_start, orig_start, length): cleaned text is their concatenation."""
    runs: tuple[tuple[int, int, int], ...]

    def to_original(self, i: int) -> int:
        starts = [r[0] for r in self.runs]
        k = bisect.bisect_right(starts, i) - 1
        if k < 0:
            return 0
        cs, os_, length = self.runs[k]
        if i - cs < length:
            return os_ + (i - cs)
        return os_ + length  # past the end of a run: the next original position

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) that covers cleaned [start, end)."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.to_original(end - 1) + 1


@dataclass(frozen=True)
class Cleaned:
    text: str
    offsets: OffsetMap


def _page_marker_lines(lines: list[tuple[int, str]]) -> bool:
    """Scraped pages: nearly every line starts with a running number 1、2、3、…"""
    content = [s for _, s in lines if s.strip() and not BOILERPLATE.search(s)]
    if len(content) < 2:
        return False
    numbers = []
    for s in content:
        m = PAGE_MARKER.match(s)
        if m:
            numbers.append(int(m.group(1)))
    if len(numbers) < 0.8 * len(content):
        return False
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _encoded_data(line: str) -> bool:
    """A long line without Chinese text: base64, CSS or a MIME header saved inside a web page."""
    if len(line) < 400:
        return False
    han = sum("\u4e00" <= c <= "\u9fff" for c in line)
    return han < 0.01 * len(line)


def _footer_numbers(original: str, deleted: list[bool]) -> list[tuple[int, int]]:
    """Footer page numbers: stand-alone integers forming the sequence 1,2,3,… (gaps of one)."""
    chain: list[tuple[int, int]] = []
    expected = 1
    for m in FOOTER_NUMBER.finditer(original):
        if deleted[m.start()]:
            continue
        value = int(m.group(1))
        if value in (expected, expected + 1) and (chain or value <= 2):
            chain.append((m.start(), m.end()))
            expected = value + 1
    return chain if len(chain) >= 3 else []


def clean(original: str) -> Cleaned:
    deleted = [False] * len(original)

    def drop(a: int, b: int) -> None:
        for i in range(a, b):
            deleted[i] = True

    # Lines with their start offsets.
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in original.splitlines(keepends=True):
        lines.append((pos, line))
        pos += len(line)

    for start, line in lines:
        if (BOILERPLATE.search(line) and len(line) < 300) or _encoded_data(line):
            drop(start, start + len(line))

    if _page_marker_lines(lines):
        for start, line in lines:
            m = PAGE_MARKER.match(line)
            if m and not deleted[start]:
                drop(start, start + m.end())
                # The page break cut a sentence: join it to the previous page.
                k = start - 1
                while k >= 0 and original[k] in "\r\n" and not deleted[k]:
                    deleted[k] = True
                    k -= 1

    for a, b in _footer_numbers(original, deleted):
        drop(a, b)

    for m in DASHED_PAGE_NUMBER.finditer(original):
        drop(m.start(), m.end())
    for start, line in lines:  # a line that held only a page number goes, its break with it
        if line.strip() and DASHED_PAGE_NUMBER.fullmatch(line.strip()):
            drop(start, start + len(line))

    for i in _wrapped_line_breaks(original, lines, deleted):
        deleted[i] = True

    # Whitespace: keep a single space only between two ASCII alphanumerics (95.7 97.5).
    for m in SPACE.finditer(original):
        a, b = m.start(), m.end()
        left = next((original[k] for k in range(a - 1, -1, -1) if not deleted[k]), "")
        right = next((original[k] for k in range(b, len(original)) if not deleted[k]), "")
        if KEEP_SPACE_BETWEEN.match(left or "x") and KEEP_SPACE_BETWEEN.match(right or "x") \
                and left and right and left not in "\n" and right not in "\n":
            # collapse to one space
            drop(a + 1, b)
        else:
            drop(a, b)
    # Spaces around line breaks are noise; line breaks themselves separate paragraphs.
    for m in re.finditer(r"\n[ \t\u3000]+|[ \t\u3000]+\n", original):
        for i in range(m.start(), m.end()):
            if original[i] != "\n":
                deleted[i] = True

    runs: list[tuple[int, int, int]] = []
    pieces: list[str] = []
    clean_pos = 0
    i = 0
    n = len(original)
    while i < n:
        if deleted[i]:
            i += 1
            continue
        j = i
        while j < n and not deleted[j]:
            j += 1
        runs.append((clean_pos, i, j - i))
        pieces.append(original[i:j])
        clean_pos += j - i
        i = j
    text = "".join(pieces)
    # Leading/trailing line breaks left by removed lines.
    lead = len(text) - len(text.lstrip("\n"))
    if lead:
        text, runs = _trim_front(text, runs, lead)
    text = text.rstrip("\n")
    return Cleaned(text=text, offsets=OffsetMap(tuple(runs)))


def _wrapped_line_breaks(original: str, lines: list[tuple[int, str]], deleted: list[bool]) -> list[int]:
    """Offsets of the line breaks that only wrap a sentence: the text is hard-wrapped (most long
    lines share one width and end without a sentence end), the line is a full line ending
    mid-sentence, and the next line does not start a heading or item. Two ASCII digits or letters
    on both sides keep their break (95.7 / 97.5 must not become one number)."""
    # Widths as printed (a page number that ended the line still took its place); removed lines
    # (boilerplate, encoded data) do not count.
    visible = [(start, line, sum(1 for ch in line if not ch.isspace())) for start, line in lines
               if not all(deleted[start + k] for k in range(len(line.rstrip())))]
    widths = sorted(n for _, _, n in visible if n >= 12)
    if len(widths) < WRAP_MIN_LINES:
        return []
    width = widths[int(0.75 * len(widths))]
    full = [(start, line) for start, line, n in visible if WRAP_BAND[0] * width <= n <= WRAP_BAND[1] * width]
    if len(full) / len(widths) < WRAP_MIN_SHARE:
        return []
    open_ = [(start, line) for start, line in full if line.rstrip()[-1:] not in LINE_END_PUNCT]
    if len(open_) / len(full) < WRAP_MIN_OPEN:
        return []
    out = []
    for start, line in open_:
        end = start + len(line.rstrip("\r\n"))
        nxt = end + len(line) - len(line.rstrip("\r\n"))
        left = line.rstrip()[-1:]
        right = original[nxt:nxt + 1]
        if nxt >= len(original) or PARAGRAPH_START.match(original, nxt):
            continue
        if KEEP_SPACE_BETWEEN.match(left or "x") and KEEP_SPACE_BETWEEN.match(right or "x") and left and right:
            continue
        out += [k for k in range(end, nxt) if original[k] in "\r\n"]
    return out


def _trim_front(text: str, runs: list[tuple[int, int, int]], k: int):
    out = []
    for cs, os_, length in runs:
        new_cs = cs - k
        if new_cs + length <= 0:
            continue
        if new_cs < 0:
            os_ += -new_cs
            length += new_cs
            new_cs = 0
        out.append((new_cs, os_, length))
    return text[k:], out
