"""The citation check's parts, each against its exact result: Chinese numerals, units and
direction words read from a sentence, which quantities match, negations, subjects, and how a
generated text is split into cited sentences."""
import pytest

from assistant.answer.citecheck import (
    CheckedSentence,
    Quantity,
    Source,
    _matches,
    _normalize,
    check,
    is_refusal,
    quantities,
    split_subject,
    subject,
    supports,
    why_unsupported,
)
from assistant.textrules import cn_quantity_to_int

CARE = "全县新增托位2000个，护理型床位占比不低于55%。严禁挪用补助资金。"


@pytest.mark.parametrize("numeral, value", [
    ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("一百二十", 120), ("三千零五十", 3050),
    ("三千", 3000), ("两千", 2000),
    ("零", 0), ("", None), ("五a", None), ("第二", None),
])
def test_chinese_numerals(numeral, value):
    assert cn_quantity_to_int(numeral) == value


@pytest.mark.parametrize("text, normal", [
    ("建成两所", "建成2所"), ("新增十二个", "新增12个"), ("百分之九十五", "95%"),
    ("2,000个", "2000个"), ("1,23个", "1,23个"), ("12,3456", "12,3456"),
    ("第二个", "第二个"),                      # an ordinal is not a count
    ("二十项措施", "20项措施"), ("三个方面", "3个方面"),
])
def test_normalised_numbers(text, normal):
    assert _normalize(text) == normal


def _read(text):
    return [(q.value, q.unit, tuple(sorted(q.directions))) for q, _, _ in quantities(_normalize(text))]


@pytest.mark.parametrize("text, read", [
    ("达到95%以上", [(95.0, "%", ("ge",))]),
    ("95%及以下", [(95.0, "%", ("le",))]),
    ("不低于95%", [(95.0, "%", ("ge",))]),
    ("至少建成1所", [(1.0, "所", ("ge",))]),
    ("不超过3个月", [(3.0, "个月", ("le",))]),
    ("约20万人", [(20.0, "万人", ("approx",))]),
    ("95%左右", [(95.0, "%", ("approx",))]),
    ("95% 以上", [(95.0, "%", ("ge",))]),                # a space between unit and direction
    ("高于5个百分点", [(5.0, "个百分点", ("ge",))]),     # the longest unit wins over 个
    ("10万人次", [(10.0, "万人次", ())]),
    ("1.5倍", [(1.5, "倍", ())]),
    (" 3 个", [(3.0, "个", ())]),
    ("3.5,4", [(3.5, "", ()), (4.0, "", ())]),
    ("总数，不低于95%", [(95.0, "%", ("ge",))]),
    ("不低于，95%", [(95.0, "%", ())]),                 # a comma ends the direction's reach
    ("不低于平均的95%", [(95.0, "%", ("ge",))]),
    ("不低于全县平均水平的95%", [(95.0, "%", ())]),     # more than six characters before the number
    ("不低于不超过5个", [(5.0, "个", ("ge", "le"))]),    # 不低于 is not also read as 低于
    ("不超过5个", [(5.0, "个", ("le",))]),
])
def test_quantities_with_unit_and_direction(text, read):
    assert _read(text) == read


def test_quantity_spans():
    [(q, start, end)] = quantities("毛入园率达到95%以上")
    assert (q.value, start, end) == (95.0, 6, 8)


def test_units_clash_only_when_both_sides_have_one():
    bare, pct, ge = Quantity(5, "", frozenset()), Quantity(5, "%", frozenset()), Quantity(5, "%", frozenset({"ge"}))
    assert _matches(bare, pct) and _matches(pct, bare)
    assert not _matches(pct, Quantity(5, "个", frozenset()))
    assert not _matches(Quantity(6, "%", frozenset()), pct)
    assert _matches(pct, ge)                 # leaving out 以上 is allowed
    assert not _matches(ge, pct)             # adding it is not


@pytest.mark.parametrize("sentence, reason", [
    ("新增托位2000个。", None),
    ("全县新增托位两千个。", None),
    ("护理型床位占比不低于55%。", None),
    ("护理型床位占比55%以下。", "原文没有这个数（55%）或方向不同"),
    ("护理型床位占比约55%。", "原文没有这个数（55%）或方向不同"),
    ("新增托位2000所。", "原文没有这个数（2000所）或方向不同"),
    ("新增托位2001个。", "原文没有这个数（2001个）或方向不同"),
    ("可以挪用补助资金。", "去掉了原文的否定词（严禁）"),
    ("严禁挪用补助资金。", None),
    ("。", "句子没有可核对的内容"),
    ("托位资金占比新增全县", "主语与原文不同（资金）"),
    ("养老机构用地优先保障。", "关键词大多不在原文中"),
])
def test_reasons_on_a_passage_written_for_the_test(sentence, reason):
    assert why_unsupported(sentence, CARE) == reason
    assert supports(sentence, CARE) is (reason is None)
    assert why_unsupported(sentence, Source(CARE)) == reason


def test_exactly_half_the_key_words_is_enough():
    passage = "完善社区居家养老服务网络。"
    assert why_unsupported("完善社区养老服务。", passage) is None
    assert why_unsupported("完善社区医疗急救网络建设。", passage) is None          # 3 of 6 words
    assert why_unsupported("完善社区医疗急救设施建设。", passage) == "关键词大多不在原文中"   # 2 of 6


def test_a_subject_named_only_in_the_heading_path_counts():
    passage = Source("毛入园率到2025年达到95%以上。", "青禾县教育发展实施方案 （一）积极发展学前教育")
    assert why_unsupported("学前教育毛入园率到2025年达到95%以上。", passage) is None
    assert why_unsupported("学前教育毛入园率到2025年达到95%以上。", passage.text) == "主语与原文不同（学前、教育、学前教育）"
    assert why_unsupported("高中教育毛入园率到2025年达到95%以上。", passage) == "主语与原文不同（高中）"


def test_subject_is_the_text_before_the_predicate():
    assert split_subject("学前教育三年毛入园率达到95%以上") == ("学前教育三年毛入园率", "达到95%以上")
    assert split_subject("达到95%") == ("", "达到95%")
    assert split_subject("学前教育") == ("学前教育", "")
    assert split_subject("高中阶段不得超过") == ("高中阶段", "不得超过")
    assert subject("学前教育三年毛入园率达到95%以上") == "学前教育三年毛入园率"
    assert subject("学前教育") == ""


def test_check_splits_sentences_and_keeps_reasons_per_citation():
    out = check("新增托位2000个[1]。\n\n[2]。可以挪用补助资金[1][2]！ ；养老床位[3]", {1: CARE})
    assert out == [
        CheckedSentence("新增托位2000个。", (1,), (1,), ()),
        CheckedSentence("可以挪用补助资金！", (1, 2), (), ("[1] 去掉了原文的否定词（严禁）", "[2] 不存在")),
        CheckedSentence("养老床位", (3,), (), ("[3] 不存在",)),
    ]
    assert [s.ok for s in out] == [True, False, False]
    assert check("", {1: CARE}) == []
    assert check("没有引用的句子。", {1: CARE}) == [CheckedSentence("没有引用的句子。", (), (), ())]
    assert check("新增托位2000个[12]。", {12: CARE})[0].supported == (12,)


def test_refusal_is_the_refusal_phrase_without_citations():
    assert is_refusal("资料中未找到。")
    assert is_refusal("抱歉，资料中未找到相关规定。")
    assert not is_refusal("资料中未找到[1]。")
    assert not is_refusal("未找到。")


def test_negation_is_checked_in_every_clause_of_two_words_or_more():
    assert why_unsupported("资金挪用。", "严禁挪用资金。") == "去掉了原文的否定词（严禁）"     # two key words
    # A one-word lead-in clause is passed over, not the end of the check.
    assert why_unsupported("同时，可以挪用补助资金。", CARE) == "去掉了原文的否定词（严禁）"


def test_subject_ends_at_a_direction_or_negation_word():
    assert split_subject("托位以上") == ("托位", "以上")
    assert split_subject("毛入园率不低于95%") == ("毛入园率", "不低于95%")
    assert split_subject("幼儿园严禁收取择校费") == ("幼儿园", "严禁收取择校费")


BOTH = "到2025年,学前教育三年毛入园率达到95%以上。到2025年,高中阶段教育毛入学率达到92%以上。"


def test_a_clause_without_its_own_subject_continues_all_the_ones_before():
    assert why_unsupported("高中阶段教育，毛入学率，到2025年达到92%以上。", BOTH) is None
    assert why_unsupported("学前教育，毛入学率，到2025年达到92%以上。", BOTH) == "主语与原文不同（学前、学前教育）"


def test_the_span_is_the_passage_sentence_that_carries_the_figure():
    # 95% is stated for 学前教育 (the first sentence): the later 高中 sentence does not lend its subject.
    assert why_unsupported("高中阶段教育毛入学率达到95%以上。", BOTH) == "主语与原文不同（高中、阶段、入学、入学率）"


def test_a_missing_passage_does_not_stop_the_check_of_the_next_citation():
    [s] = check("新增托位2000个[3][1]。", {1: "全县新增托位2000个。"})
    assert (s.cited, s.supported, s.reasons) == ((3, 1), (1,), ("[3] 不存在",))
