import pytest

from assistant.textrules import (
    DOC_NUMBER,
    DOC_NUMBER_LOOSE,
    NUMBER_OR_PERCENT,
    WHOLE_NUMBER,
    cn_to_int,
    int_to_cn,
    numbers,
    sentence_spans,
    sentences,
)


def test_sentences_end_at_chinese_stops_and_line_breaks():
    text = "一是加强领导。二是“落实责任”！三是什么？\n四是.五是保障"
    assert sentences(text) == ["一是加强领导。", "二是“落实责任”！", "三是什么？", "四是.", "五是保障"]
    assert sentences("比例为3.5%。") == ["比例为3.5%。"]  # a decimal point between digits is no stop
    assert sentence_spans("甲。乙。", 2) == [(2, 4)] and sentence_spans("", 0) == []
    # Repeated stops and every closing mark stay with their sentence; a semicolon ends one too.
    assert sentences("好！！『甲』。』乙；丙") == ["好！！", "『甲』。』", "乙；", "丙"]
    assert sentences("“一”。’（二）。)三") == ["“一”。’", "（二）。)", "三"]


def test_numbers_keep_decimals_whole():
    assert numbers("毛入园率由90.5%提高到95%，新增3所") == ["90.5", "95", "3"]
    assert NUMBER_OR_PERCENT.findall("90.5%和95") == ["90.5%", "95"]
    # A whole number: not a piece of a version or section number such as 1.2.3.
    assert WHOLE_NUMBER.findall("第1.2.3条，达到95.5%，共12所") == ["95.5", "12"]


@pytest.mark.parametrize("numeral,value", [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20),
                                           ("二十三", 23), ("九十九", 99)])
def test_chinese_numerals(numeral, value):
    assert cn_to_int(numeral) == value


@pytest.mark.parametrize("bad", ["", "两", "十十", "一二", "二十三四", "百"])
def test_not_chinese_numerals(bad):
    with pytest.raises(ValueError):
        cn_to_int(bad)


def test_doc_number_shapes():
    # The strict shape: issuer, bracketed year (19xx/20xx), optional 第, serial, 号.
    assert DOC_NUMBER.search("国务院关于印发规划的通知（国发〔2017〕9号）").group() == "国发〔2017〕9号"
    assert DOC_NUMBER.search("东府[2012]12号").group() == "东府[2012]12号"
    m = DOC_NUMBER.search("粤府办［2019］第 105号")
    assert m.group() == "粤府办［2019］第 105号" and m.group("year") == "2019"
    for loose_only in ("青政发2026 1号", "东府〔1899〕2号"):
        assert DOC_NUMBER.search(loose_only) is None
    assert DOC_NUMBER.search("到2025年建成9所") is None
    # The loose shape also takes a year without brackets after 发 (drafts are scrubbed with it).
    assert DOC_NUMBER_LOOSE.search("青政发2026 1号").group() == "青政发2026 1号"
    assert DOC_NUMBER_LOOSE.search("东府〔1899〕2号").group() == "东府〔1899〕2号"
    assert DOC_NUMBER_LOOSE.search("青政2026 1号") is None and DOC_NUMBER_LOOSE.search("到2025年建成9所") is None


@pytest.mark.parametrize("value,numeral", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三"),
                                           (99, "九十九")])
def test_heading_numbers_written_in_chinese(value, numeral):
    assert int_to_cn(value) == numeral and cn_to_int(numeral) == value


@pytest.mark.parametrize("bad", [0, 100])
def test_heading_numbers_out_of_range(bad):
    with pytest.raises(ValueError):
        int_to_cn(bad)
