"""The one wording of a citation: 《标题》二（一）, then the heading path after a separator."""
from dataclasses import dataclass

from assistant.answer.citeformat import (
    CITATION_MARK,
    HEADING_SEPARATOR,
    heading_text,
    label_text,
    line_text,
    quoted,
    source_label,
    source_line,
)


@dataclass(frozen=True)
class _Item:
    title: str
    citation_label: str
    heading_path: tuple[str, ...]


PLAN = _Item("青禾县养老服务实施方案", "二（一）", ("二、主要任务", "（一）完善居家养老"))


def test_heading_path_is_joined_with_the_separator():
    assert HEADING_SEPARATOR == " > "
    assert heading_text(("二、主要任务", "（一）完善居家养老")) == "二、主要任务 > （一）完善居家养老"
    assert heading_text(("第三条",)) == "第三条"
    assert heading_text(()) == ""


def test_label_is_title_in_book_marks_then_number_path():
    assert source_label(PLAN) == "《青禾县养老服务实施方案》二（一）"
    assert source_label(_Item("通知", "", ())) == "《通知》"


def test_line_adds_the_heading_path_after_the_separator():
    assert source_line(PLAN) == "《青禾县养老服务实施方案》二（一） 二、主要任务 > （一）完善居家养老"
    assert source_line(PLAN, sep="\n") == "《青禾县养老服务实施方案》二（一）\n二、主要任务 > （一）完善居家养老"


def test_line_without_a_heading_path_has_no_trailing_separator():
    assert source_line(_Item("通知", "三", ())) == "《通知》三"
    assert source_line(_Item("通知", "三", ()), sep="|") == "《通知》三"


def test_only_one_to_three_digit_marks_become_full_width():
    assert quoted("见[12]与[123]。") == "“见［12］与［123］。”"
    assert quoted("〔2024〕与[2024]号") == "“〔2024〕与[2024]号”"
    assert quoted("") == "“”"


def test_plain_values_give_the_same_wording_as_items():
    assert label_text(PLAN.title, PLAN.citation_label) == source_label(PLAN)
    assert line_text(PLAN.title, PLAN.citation_label, list(PLAN.heading_path), "  ") == source_line(PLAN, "  ")
    assert line_text("通知", "", []) == "《通知》"


def test_our_citation_marks_are_one_or_two_digits():
    assert CITATION_MARK.findall("达到95%[1][12]，见[123]与［4］") == ["1", "12"]
