"""Chunking on documents written for the test: overlap, carried headings, long sentences,
table rows, stable ids, offsets into the original and citation labels."""
from __future__ import annotations

import hashlib

from assistant.ingest.chunking import (
    MIN_SEGMENT,
    _split_long,
    chunk_document,
    citation_label,
    sentence_spans,
    table_row_cuts,
)
from assistant.ingest.cleaning import OffsetMap
from assistant.types import Chunk, Section

SENTENCES = [f"第{i}条措施要求各地加快建设公办幼儿园。" for i in range(1, 7)]  # 19 characters each
HEAD = "（一）发展学前教育\n"
TEXT = HEAD + "".join(SENTENCES)
SECTION = Section("（一）", "发展学前教育", 2, 0, len(HEAD), len(TEXT), ("（一）发展学前教育",))


def identity(text: str) -> OffsetMap:
    return OffsetMap(((0, 0, len(text)),))


def chunks_of(size: int, overlap: int) -> list[Chunk]:
    return chunk_document("d", "范本", TEXT, [SECTION], identity(TEXT), size, overlap)


def test_without_overlap_every_sentence_is_in_exactly_one_chunk():
    chunks = chunks_of(40, 0)
    assert [c.text for c in chunks] == [HEAD + SENTENCES[0] + SENTENCES[1], "".join(SENTENCES[2:])]
    assert [(c.start, c.end) for c in chunks] == [(0, 48), (48, 124)]
    assert [c.ordinal for c in chunks] == [0, 1]


def test_overlap_repeats_the_last_sentences_of_the_previous_chunk():
    one = chunks_of(40, 1)
    assert [c.text for c in one] == [HEAD + SENTENCES[0] + SENTENCES[1], "".join(SENTENCES[1:4]),
                                     "".join(SENTENCES[3:6])]
    assert [(c.start, c.end) for c in one] == [(0, 48), (29, 86), (67, 124)]
    two = chunks_of(40, 2)
    assert [c.text for c in two][1:] == ["".join(SENTENCES[i:i + 3]) for i in range(0, 4)]
    assert [c.ordinal for c in two] == [0, 1, 2, 3, 4]
    # Every chunk of an overlapping run still starts and ends on sentence boundaries.
    assert all(c.text.endswith("。") for c in one + two)


def test_chunk_fields_ids_and_offsets():
    chunks = chunks_of(40, 1)
    for c in chunks:
        digest = hashlib.sha1(f"d\x00{c.text}".encode()).hexdigest()[:12]
        assert c.chunk_id == f"d:{digest}"
        assert (c.doc_id, c.title, c.heading_path, c.citation_label, c.kind) == (
            "d", "范本", ("（一）发展学前教育",), "（一）", "text")
        assert TEXT[c.start:c.end] == c.text and (c.orig_start, c.orig_end) == (c.start, c.end)
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_original_offsets_come_from_the_offset_map():
    # The original had two characters (a page number) before the text and a space deleted after 10 chars.
    runs = ((0, 2, 10), (10, 13, len(TEXT) - 10))
    chunks = chunk_document("d", "范本", TEXT, [SECTION], OffsetMap(runs), 40, 0)
    assert [(c.orig_start, c.orig_end) for c in chunks] == [(2, 51), (51, 127)]


def test_identical_texts_get_distinct_ids():
    line = "重复的一句话用来检验编号是否唯一可靠，这一句话要写得足够长才能自成一段，所以再多写几个字。\n"
    text = line * 3
    chunks = chunk_document("d", "t", text, [], identity(text), 40, 0)
    ids = [c.chunk_id for c in chunks]
    digest = ids[0].split(":")[1]
    assert len(chunks) == 3 and len(set(ids)) == 3
    assert ids == [f"d:{digest}", f"d:{digest}-1", f"d:{digest}-2"]
    assert all(not c.text.startswith("\n") and not c.text.endswith("\n") for c in chunks)
    assert chunks[0].heading_path == () and chunks[0].citation_label == ""


def test_a_bare_heading_opens_its_first_childs_chunk():
    text = "一、总体要求\n（一）发展学前教育\n扩大普惠性学前教育资源，到2025年毛入园率达到95%以上，每个街道至少有1所公办中心园。"
    child = text.index("（一）")
    sections = [Section("一", "总体要求", 1, 0, 7, len(text), ("一、总体要求",)),
                Section("（一）", "发展学前教育", 2, child, child + 10, len(text), ("一、总体要求", "（一）发展学前教育"))]
    chunks = chunk_document("d", "t", text, sections, identity(text), 300, 0)
    assert len(chunks) == 1
    assert (chunks[0].start, chunks[0].end, chunks[0].text) == (0, len(text), text)
    assert chunks[0].heading_path == ("一、总体要求", "（一）发展学前教育") and chunks[0].citation_label == "一（一）"


def test_a_section_with_its_own_body_is_not_carried():
    body = "坚持公益普惠，坚持政府主导，到2025年基本建成覆盖城乡、布局合理、公益普惠的学前教育公共服务体系。"
    text = "一、总体要求\n" + body + "\n（一）发展学前教育\n扩大普惠性资源。"
    child = text.index("（一）")
    sections = [Section("一", "总体要求", 1, 0, 7, len(text), ("一、总体要求",)),
                Section("（一）", "发展学前教育", 2, child, child + 10, len(text), ("一、总体要求", "（一）发展学前教育"))]
    chunks = chunk_document("d", "t", text, sections, identity(text), 300, 0)
    assert [c.text for c in chunks] == ["一、总体要求\n" + body, "（一）发展学前教育\n扩大普惠性资源。"]
    assert [c.citation_label for c in chunks] == ["一", "一（一）"]


def test_short_last_group_joins_the_previous_chunk():
    chunks = chunks_of(60, 0)
    assert chunks[-1].text == "".join(SENTENCES[2:])  # 第6条 alone would be shorter than MIN_SEGMENT
    assert len(SENTENCES[5]) < MIN_SEGMENT


def test_a_long_sentence_is_cut_at_commas_then_hard():
    s = "甲" * 30 + "，" + "乙" * 30 + "，" + "丙" * 30 + "。"
    assert _split_long([(0, len(s))], s, 40) == [(0, 31), (31, 62), (62, 93)]
    hard = "丁" * 100
    assert _split_long([(0, 100)], hard, 40) == [(0, 40), (40, 80), (80, 100)]
    early = "戊" * 5 + "，" + "己" * 60  # a comma in the first third is not used
    assert _split_long([(0, len(early))], early, 40) == [(0, 40), (40, 66)]
    exact = "庚" * 40
    assert _split_long([(0, 40)], exact, 40) == [(0, 40)]
    assert _split_long([(3, 10), (10, 20)], "x" * 20, 40) == [(3, 10), (10, 20)]


def test_sentence_spans_keep_closing_quotes_and_drop_blank_ones():
    text = "要求“全面推进。”其次！ \n是否？最后"
    spans = sentence_spans(text, 0, len(text))
    assert [text[a:b] for a, b in spans] == ["要求“全面推进。”", "其次！", "是否？", "最后"]
    assert sentence_spans(text, 2, 9) == [(2, 9)]


TABLE = "指标2015年2020年毛入园率(%)90 95巩固率(1/10万)93 96“双师型”比例40 50床位数5 6"


def test_table_rows_are_cut_after_the_header_and_after_each_rows_numbers():
    assert table_row_cuts(TABLE, 0, len(TABLE)) == [12, 24, 39, 51]
    rows = [TABLE[a:b] for a, b in sentence_spans(TABLE, 0, len(TABLE), table=True)]
    assert rows == ["指标2015年2020年", "毛入园率(%)90 95", "巩固率(1/10万)93 96", "“双师型”比例40 50", "床位数5 6"]
    # A number followed by 年 is a year inside a name, not a row end.
    assert table_row_cuts("到2025年目标90完成率", 0, 13) == [10]


def test_a_table_chunk_is_split_between_rows_and_marked_table():
    text = "专栏1 重点项目\n" + TABLE * 3
    sections = [Section("专栏1", "重点项目", 6, 0, 8, len(text), ("专栏1 重点项目",), "box"),
                Section("", "表格", 7, 9, 9, len(text), ("专栏1 重点项目", "表格"), "table")]
    chunks = chunk_document("d", "t", text, sections, identity(text), 60, 0)
    assert {c.kind for c in chunks} == {"table"} and len(chunks) >= 2
    assert chunks[0].text.startswith("专栏1 重点项目\n指标2015年2020年")
    rows = ("指标2015年2020年", "毛入园率(%)90 95", "巩固率(1/10万)93 96", "“双师型”比例40 50", "床位数5 6")
    for c in chunks:  # every chunk is whole rows
        rest = c.text.removeprefix("专栏1 重点项目\n")
        while rest:
            row = next(r for r in rows if rest.startswith(r))
            rest = rest[len(row):]
    assert all(c.citation_label == "专栏1" for c in chunks)


def test_citation_labels_join_the_heading_numbers():
    assert citation_label(("二、主要任务", "（一）发展学前教育", "1.扩大资源", "（2）新建园")) == "二（一）1（2）"
    assert citation_label(("十二、保障措施", "（十）加强领导")) == "十二（十）"
    assert citation_label(("三、重点工程", "专栏3 教育项目", "学前教育：")) == "三专栏3"
    assert citation_label(("完善学前教育服务体系。",)) == ""
    assert citation_label(("12.加强监督", "（3）公开")) == "12（3）"
    assert citation_label(()) == ""


def test_embedding_text_carries_title_and_headings():
    c = chunks_of(40, 0)[1]
    assert c.embedding_text() == "范本 （一）发展学前教育\n" + c.text
    bare = chunk_document("d", "范本", "没有标题的一段文字，长度足够长，不会被并入任何别的段落之中去。", [], identity("x" * 40), 300, 0)[0]
    assert bare.embedding_text() == "范本\n" + bare.text


def sentence(n: int, i: int) -> str:
    """A sentence of exactly n characters (i < 10)."""
    return f"第{i}句" + "字" * (n - 4) + "。"


def plain(text: str, size: int, overlap: int = 0, sections: list[Section] | None = None) -> list[str]:
    return [c.text for c in chunk_document("d", "t", text, sections or [], identity(text), size, overlap)]


def test_a_chunk_may_reach_exactly_chunk_size():
    s = [sentence(45, i) for i in range(1, 4)]
    assert plain("".join(s), 90) == [s[0] + s[1], s[2]]
    assert plain("".join(s), 89) == [s[0], s[1], s[2]]


def test_a_group_of_exactly_min_segment_characters_is_closed():
    s = [sentence(MIN_SEGMENT, i) for i in range(1, 4)]
    assert plain("".join(s), 50) == s
    short = [sentence(MIN_SEGMENT - 1, i) for i in range(1, 4)]
    assert plain("".join(short), 50) == ["".join(short)]  # no group closes below MIN_SEGMENT


def test_a_short_tail_joins_the_last_of_several_chunks():
    s = [sentence(45, i) for i in range(1, 5)] + [sentence(10, 5)]
    assert plain("".join(s), 50) == [s[0], s[1], s[2], s[3] + s[4]]
    tail = [sentence(45, i) for i in range(1, 4)] + [sentence(MIN_SEGMENT, 4)]
    assert plain("".join(tail), 50) == tail  # a tail of MIN_SEGMENT characters stands alone
    with_overlap = plain("".join(s), 50, overlap=1)
    assert with_overlap == [s[0], s[0] + s[1], s[1] + s[2], s[2] + s[3], s[3] + s[4]]


def test_defaults_are_300_characters_without_overlap():
    s = [sentence(100, i) for i in range(1, 5)]
    text = "".join(s)
    default = [c.text for c in chunk_document("d", "t", text, [], identity(text))]
    assert default == [s[0] + s[1] + s[2], s[3]]


def test_chunk_size_counts_from_the_chunks_own_start():
    # Far into a document, a section's short sentences still make one chunk.
    lead = "".join(sentence(50, i) for i in range(1, 9))  # 400 characters of another section
    own = "".join(sentence(20, i) for i in range(1, 5))
    text = lead + own
    sections = [Section("一", "甲", 1, 0, 0, len(lead), ("一、甲",)),
                Section("二", "乙", 1, len(lead), len(lead), len(text), ("二、乙",))]
    assert plain(text, 100, sections=sections)[-1] == own


def test_a_long_unpunctuated_sentence_is_cut_inside_chunk_document():
    text = "丁" * 50
    chunks = chunk_document("d", "t", text, [], identity(text), 20, 0)
    assert [(c.start, c.end) for c in chunks] == [(0, 50)]  # cut at 40, the 10-character tail rejoins
    longer = "丁" * 130
    assert [len(t) for t in plain(longer, 20)] == [40, 40, 50]


def test_chunk_edges_drop_spaces_and_line_breaks():
    a, b = sentence(45, 1), "第2句" + "字" * 41 + "\n"
    text = a + " " + b + sentence(45, 3)
    chunks = chunk_document("d", "t", text, [], identity(text), 50, 0)
    assert [c.text for c in chunks] == [a, b.rstrip("\n"), sentence(45, 3)]
    assert [(c.start, c.end) for c in chunks] == [(0, 45), (46, 90), (91, 136)]


def test_commas_of_every_kind_and_the_last_one_is_used():
    head = "前缀"
    for mark in ("，", ",", "、"):
        body = "甲" * 15 + mark + "乙" * 10 + mark + "丙" * 30
        text = head + body
        assert _split_long([(2, len(text))], text, 40) == [(2, 2 + 27), (29, len(text))], mark
    mixed = "甲" * 15 + "，" + "乙" * 10 + "、" + "丙" * 10 + "," + "丁" * 30
    assert _split_long([(0, len(mixed))], mixed, 40)[0] == (0, 38)
    at_third = "甲" * 13 + "，" + "乙" * 60  # a comma at exactly a third of the limit is too early
    assert _split_long([(0, len(at_third))], at_third, 40)[0] == (0, 40)
    after_third = "甲" * 14 + "，" + "乙" * 60
    assert _split_long([(0, len(after_third))], after_third, 40)[0] == (0, 15)
    assert _split_long([(0, len(after_third))], after_third, 39)[0] == (0, 15)  # 14 > 39 // 3 = 12


def test_table_cuts_stay_inside_the_range_and_outside_nested_brackets():
    text = "指标2015年2020年床位数5 6" + "指标2016年2021年"
    assert table_row_cuts(text, 0, 18) == [12]  # the second header lies beyond the end
    nested = "比例((1)10万)90 95床位数5 6"
    assert table_row_cuts(nested, 0, len(nested)) == [nested.index("床")]


def test_the_deepest_section_that_starts_at_the_same_place_owns_the_text():
    text = "专栏1 学前教育\n指标2015年2020年毛入园率(%)90 95巩固率(1/10万)93 96"
    sections = [Section("专栏1", "学前教育", 6, 0, 8, len(text), ("专栏1 学前教育",), "box"),
                Section("", "表格", 7, 0, 0, len(text), ("专栏1 学前教育", "表格"), "table")]
    chunks = chunk_document("d", "t", text, sections, identity(text), 300, 0)
    assert [(c.kind, c.heading_path) for c in chunks] == [("table", ("专栏1 学前教育", "表格"))]


def test_box_and_item_kinds_and_text_after_the_last_section():
    box = "专栏2 重点项目\n新建幼儿园十所，改扩建幼儿园二十所，新增专任教师三百名，新增学位五千个以上。"
    item = "学前教育：新建幼儿园十所，改扩建幼儿园二十所，新增学位五千个以上，配齐保教人员。"
    after = "本方案自印发之日起施行，由县教育局负责解释，各乡镇结合实际认真抓好落实。"
    text = box + item + after
    b_end, i_end = len(box), len(box) + len(item)
    sections = [Section("专栏2", "重点项目", 6, 0, 8, i_end, ("专栏2 重点项目",), "box"),
                Section("", "学前教育", 8, b_end, b_end + 5, i_end, ("专栏2 重点项目", "学前教育："), "item")]
    chunks = chunk_document("d", "t", text, sections, identity(text), 300, 0)
    assert [(c.text, c.kind, c.heading_path) for c in chunks] == [
        (box, "box", ("专栏2 重点项目",)), (item, "item", ("专栏2 重点项目", "学前教育：")), (after, "text", ())]


def test_a_bare_heading_is_carried_only_into_its_own_child():
    heading = "一、总体要求\n"
    child_head = "（一）发展学前教育\n"
    child_body = "扩大普惠性学前教育资源，到2025年毛入园率达到95%以上，每个街道至少有1所公办中心园。"
    second = "二、保障措施\n加强组织领导，落实工作责任，完善督导评估制度，确保各项任务落到实处。"
    text = heading + child_head + child_body + second
    c0, c1 = len(heading), len(heading) + len(child_head) + len(child_body)
    sections = [Section("一", "总体要求", 1, 0, 6, c1, ("一、总体要求",)),
                Section("（一）", "发展学前教育", 2, c0, c0 + 9, c1, ("一、总体要求", "（一）发展学前教育")),
                Section("二", "保障措施", 1, c1, c1 + 6, len(text), ("二、保障措施",))]
    chunks = chunk_document("d", "t", text, sections, identity(text), 300, 0)
    assert [(c.text, c.citation_label) for c in chunks] == [
        (heading + child_head + child_body, "一（一）"), (second, "二")]
    # A blank segment in between is skipped, not the end of the document.
    blank = heading + child_head + child_body + "\n\n" + second
    c2 = c1 + 2
    sections2 = sections[:2] + [Section("", "空", 9, c1, c1, c2, ("空",)),
                                Section("二", "保障措施", 1, c2, c2 + 6, len(blank), ("二、保障措施",))]
    assert [c.text for c in chunk_document("d", "t", blank, sections2, identity(blank), 300, 0)][-1] == second


def test_a_heading_of_min_segment_characters_is_not_carried():
    title = "一、" + "总" * (MIN_SEGMENT - 2)
    body = "（一）发展学前教育\n扩大普惠性学前教育资源，到2025年毛入园率达到95%以上。"
    text = title + "\n" + body
    c0 = len(title) + 1
    sections = [Section("一", "总", 1, 0, 2, len(text), (title,)),
                Section("（一）", "发展学前教育", 2, c0, c0 + 9, len(text), (title, "（一）发展学前教育"))]
    assert plain(text, 300, sections=sections) == [title, body]
