import pytest

from assistant.textrules import DOC_NUMBER, cn_to_int, numbers, sentence_spans, sentences


def test_sentences_end_at_chinese_stops_and_line_breaks():
    text = "一是加强领导。二是“落实责任”！三是什么？\n四是.五是保障"
    assert sentences(text) == ["一是加强领导。", "二是“落实责任”！", "三是什么？", "四是.", "五是保障"]
    assert sentences("比例为3.5%。") == ["比例为3.5%。"]  # a decimal point between digits is no stop
    assert sentence_spans("甲。乙。", 2) == [(2, 4)] and sentence_spans("", 0) == []


def test_numbers_keep_decimals_whole():
    assert numbers("毛入园率由90.5%提高到95%，新增3所") == ["90.5", "95", "3"]


@pytest.mark.parametrize("numeral,value", [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20),
                                           ("二十三", 23), ("九十九", 99)])
def test_chinese_numerals(numeral, value):
    assert cn_to_int(numeral) == value


@pytest.mark.parametrize("bad", ["", "两", "十十", "一二", "二十三四", "百"])
def test_not_chinese_numerals(bad):
    with pytest.raises(ValueError):
        cn_to_int(bad)


def test_doc_number_shapes():
    assert DOC_NUMBER.search("国务院关于印发规划的通知（国发〔2017〕9号）").group() == "国发〔2017〕9号"
    assert DOC_NUMBER.search("东府[2012]12号").group() == "东府[2012]12号"
    assert DOC_NUMBER.search("青政发2026 1号").group() == "青政发2026 1号"
    assert DOC_NUMBER.search("到2025年建成9所") is None
