"""The cleaner's rules one by one, on texts written for the test: when scraped page markers
(1、 2、 at line starts) and footer page numbers ( 7 ) are removed, and when they are not."""
from __future__ import annotations

import pytest

from assistant.ingest.cleaning import OffsetMap, clean


@pytest.mark.parametrize("original,cleaned", [
    # Page markers: two numbered lines already make a scraped dump; blank lines do not count.
    ("1、甲方案内容。\n2、乙方案内容。", "甲方案内容。乙方案内容。"),
    ("1、甲内容。\n\n2、乙内容。\n\n3、丙内容。", "甲内容。乙内容。丙内容。"),
    ("1、甲。\n2、乙。\n3、丙。\n4、丁。\n戊没有编号。", "甲。乙。丙。丁。\n戊没有编号。"),  # 4 of 5 lines is enough
    ("1、总体要求。", "1、总体要求。"),                            # one line is a list item, not a page
    ("1、甲。\n乙。\n丙。\n丁。\n戊。", "1、甲。\n乙。\n丙。\n丁。\n戊。"),  # too few numbered lines
    ("1、甲。\n3、乙。\n7、丙。", "1、甲。\n3、乙。\n7、丙。"),          # numbers that do not run on
    # Footer page numbers: a running sequence of at least three, starting at 1 or 2, one page may be missing.
    ("甲 1 乙 2 丙 3 丁", "甲乙丙丁"),
    ("甲 1 乙 3 丙 4 丁", "甲乙丙丁"),
    ("甲 2 乙 3 丙 4 丁", "甲乙丙丁"),
    ("甲 1 乙 2 丙 3 丁 6 戊", "甲乙丙丁6戊"),
    ("甲 3 乙 4 丙 5 丁", "甲3乙4丙5丁"),
    ("甲 1 乙 2 丙", "甲1乙2丙"),
    # A number on a removed boilerplate line does not break the footer sequence after it.
    ("由会员分享 9 页\n正文 1 正文 2 正文 3 正文", "正文正文正文正文"),
    # Spaces: one kept between ASCII letters/digits, none next to Chinese or at line ends.
    ("比例 95.7  97.5 提高", "比例95.7 97.5提高"),
    ("  第一段  \n  第二段", "第一段\n第二段"),
    ("\n\n由会员分享\n正文。\n\n", "正文。"),
    ("A B甲", "A B甲"),                  # the first character of the file is a left neighbour too
    (" A甲A", "A甲A"),                   # nothing left of a leading space: dropped
    ("1、甲。\r\n2、乙。", "甲。乙。"),
])
def test_cleaning_rules(original, cleaned):
    result = clean(original)
    assert result.text == cleaned
    # Whatever was removed, the map still reproduces every kept character.
    assert "".join(original[o:o + n] for _, o, n in result.offsets.runs).startswith(cleaned)


def test_only_short_lines_are_boilerplate():
    short = "由会员分享" + "字" * 293 + "\n"      # 299 characters with its line break
    long = "由会员分享" + "字" * 294 + "\n"       # 300: a paragraph that happens to say it
    assert clean(short + "正文。").text == "正文。"
    assert clean(long + "正文。").text == long + "正文。"


def test_empty_spans_map_to_the_place_after_a_removed_marker():
    cleaned = clean("1、第一页内容。\n2、第二页内容。")
    assert cleaned.text == "第一页内容。第二页内容。"
    assert cleaned.offsets.span(6, 6) == (11, 11)     # before 第二页, after the removed "\n2、"
    assert cleaned.offsets.span(5, 7) == (7, 12)      # 。 and 第 across the removed marker
    assert cleaned.offsets.span(0, 1) == (2, 3)
    assert cleaned.offsets.to_original(len(cleaned.text)) == 17


def test_offset_map_on_hand_written_runs():
    m = OffsetMap(((0, 3, 4), (4, 10, 2)))           # cleaned 0-3 -> original 3-6, 4-5 -> 10-11
    assert [m.to_original(i) for i in range(6)] == [3, 4, 5, 6, 10, 11]
    assert m.to_original(6) == 12                       # past the end: the next original position
    assert m.span(2, 5) == (5, 11) and m.span(0, 4) == (3, 7) and m.span(4, 4) == (10, 10)
    assert m.span(5, 3) == (11, 11)
    assert OffsetMap(()).to_original(5) == 0
