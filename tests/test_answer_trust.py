"""The answer answers the question or honestly does not: outcomes on documents written for
these tests (two look-alike city documents, a county plan with each 责任单位 phrasing)."""
from __future__ import annotations

import re

import pytest

from assistant.answer.answer_check import RESPONSIBILITY, AnswerCheck, Candidate
from assistant.answer.question import analyse, answers_type, resolve_follow_up
from assistant.types import Turn

from conftest import make_settings

# Two look-alike documents of two cities: the same item, different figures.
CITY_A = """兰州市廉租住房保障办法
第一条 为做好本市廉租住房保障工作，制定本办法。
第二条 申请廉租住房保障的家庭，人均住房建筑面积应在10平方米以下。
第三条 廉租住房租赁补贴标准为每月每平方米20元。
第四条 市住房保障管理局负责本市廉租住房保障的组织实施工作。
第五条 申请廉租住房保障，应当同时符合下列条件：
（一）具有本市城镇户籍满5年；
（二）家庭人均月收入低于最低生活保障标准的2倍；
（三）家庭成员在本市无其他住房。
第六条 本办法自2012年1月1日起施行。
"""
CITY_B = """西宁市廉租住房保障办法
第一条 为做好本市廉租住房保障工作，制定本办法。
第二条 申请廉租住房保障的家庭，人均住房建筑面积应在15平方米以下。
第三条 廉租住房租赁补贴标准为每月每平方米30元。
第四条 本办法自2013年1月1日起施行。
"""
# A county plan: the 责任单位 phrasings, a 2015/2020 row and a heading.
COUNTY = """丙县基本公共服务实施方案
一、主要任务
（一）发展学前教育
新建幼儿园一批，到2020年学前教育毛入园率达到85%。
（责任单位：县教育局）
（二）推进医共体建设
组建县域医疗卫生共同体，提升基层服务能力。
牵头单位：县卫生健康局
（三）做好就业援助
对零就业家庭实行动态清零，由县人力资源和社会保障局负责。
（四）兜底民生保障
县民政局牵头，做好困难群众基本生活保障。
"""


@pytest.fixture(scope="module")
def trust_assistant(tmp_path_factory):
    from assistant.app.bootstrap import build_assistant
    from assistant.fakes import HashEmbedder
    d = tmp_path_factory.mktemp("trust")
    files = {"兰州市廉租住房保障办法.txt": CITY_A, "西宁市廉租住房保障办法.txt": CITY_B, "丙县实施方案.txt": COUNTY}
    paths = []
    for name, text in files.items():
        p = d / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    a = build_assistant(make_settings(d / "data"), embedder=HashEmbedder())
    a.ingest(paths)
    return a


def test_place_scoped_question_answers_from_that_place_only(trust_assistant):
    a = trust_assistant.ask("西宁市申请廉租住房，人均住房建筑面积要在多少平方米以下？")
    assert a.outcome == "answer"
    assert "15平方米" in a.text and "10平方米" not in a.text
    assert {c.title for c in a.citations} == {"西宁市廉租住房保障办法"}
    a = trust_assistant.ask("兰州廉租住房租赁补贴标准每平方米多少元？")
    assert a.outcome == "answer" and "20元" in a.text and {c.title for c in a.citations} == {"兰州市廉租住房保障办法"}


def test_follow_up_moves_the_scope_to_the_new_place(trust_assistant):
    first = "兰州市廉租住房租赁补贴标准每平方米多少元？"
    a = trust_assistant.ask("那西宁呢？", history=[Turn(first)])
    assert a.resolved_question.startswith("西宁市") and "兰州" not in a.resolved_question
    assert a.outcome == "answer" and "30元" in a.text
    assert {c.title for c in a.citations} == {"西宁市廉租住房保障办法"}


def test_follow_up_to_a_place_whose_documents_are_silent_is_not_found(trust_assistant):
    a = trust_assistant.ask("那北京呢？", history=[Turn("兰州市廉租住房租赁补贴标准每平方米多少元？")])
    assert a.outcome == "not_found" and a.citations == () and not a.grounded
    assert "北京市" in a.text


def test_a_place_with_documents_that_do_not_say_is_not_answered(trust_assistant):
    # 西宁's document has no 条件 list and no 责任 article: 兰州's must not be borrowed.
    a = trust_assistant.ask("西宁市廉租住房保障由哪个部门负责组织实施？")
    assert a.outcome != "answer" and a.citations == ()


def test_two_places_are_answered_each_with_its_label(trust_assistant):
    a = trust_assistant.ask("兰州市和西宁市的廉租住房租赁补贴标准分别是每平方米多少元？")
    assert a.outcome == "answer"
    assert "【兰州市】" in a.text and "【西宁市】" in a.text
    part_a, part_b = a.text.split("【西宁市】")
    assert "20元" in part_a and "30元" in part_b
    assert [c.n for c in a.citations] == [1, 2]


def test_one_side_silent_is_said_and_not_an_answer(trust_assistant):
    a = trust_assistant.ask("兰州市和北京市的廉租住房租赁补贴标准分别是多少元？")
    assert a.outcome == "related" and a.citations == ()
    assert "【北京市】资料中没有该地的文件" in a.text


@pytest.mark.parametrize("question, unit", [
    ("丙县学前教育由哪个部门负责？", "县教育局"),             # （责任单位：…）
    ("丙县医共体建设的牵头单位是哪个？", "县卫生健康局"),       # 牵头单位：…
    ("丙县零就业家庭动态清零由哪个部门负责？", "县人力资源和社会保障局"),  # 由…负责
    ("丙县困难群众基本生活保障由哪个部门牵头？", "县民政局"),   # …牵头
])
def test_each_responsibility_phrasing_is_an_answer(trust_assistant, question, unit):
    a = trust_assistant.ask(question)
    assert a.outcome == "answer", a.text
    assert unit in a.text


def test_unit_phrasings_are_recognised():
    for s in ("（责任单位：县教育局）", "牵头单位：县民政局", "由县人社局负责", "县卫健局牵头，各乡镇配合"):
        assert RESPONSIBILITY.search(s), s
    assert not RESPONSIBILITY.search("组建县域医疗卫生共同体，提升基层服务能力。")


def test_number_question_for_another_year_is_not_answered(trust_assistant):
    a = trust_assistant.ask("丙县到2025年学前教育毛入园率要达到多少？")
    assert a.outcome != "answer" and a.citations == ()
    a = trust_assistant.ask("丙县到2020年学前教育毛入园率要达到多少？")
    assert a.outcome == "answer" and "85%" in a.text


def test_yipi_is_not_a_number():
    q = analyse("丙县要新建多少所幼儿园？")
    assert not answers_type(q, "新建幼儿园一批。")
    assert answers_type(q, "新建幼儿园3所。")


def test_heading_alone_is_refused():
    check = AnswerCheck(lambda t: 1.0)
    q = analyse("丙县在学前教育方面提出了什么？")
    heading = Candidate("（一）发展学前教育", ("一、主要任务", "（一）发展学前教育"), "丙县基本公共服务实施方案", "")
    v = check.verify(q, heading)
    assert not v.ok and v.failed == ("not_heading",)


def test_focus_must_be_in_the_sentence_or_its_headings():
    check = AnswerCheck(lambda t: 1.0)
    q = analyse("医共体建设由哪个部门牵头？")
    wrong = Candidate("（责任单位：县人力资源和社会保障局牵头）", ("（三）做好就业援助",), "丙县方案",
                      "对零就业家庭实行动态清零。（责任单位：县人力资源和社会保障局牵头）")
    right = Candidate("牵头单位：县卫生健康局", ("（二）推进医共体建设",), "丙县方案", "组建医共体。牵头单位：县卫生健康局")
    assert check.verify(q, wrong).failed == ("focus",)
    assert check.verify(q, right).ok


def test_list_question_answers_with_the_items(trust_assistant):
    a = trust_assistant.ask("兰州市申请廉租住房保障应当符合哪些条件？")
    assert a.outcome == "answer"
    quotes = [c.quote for c in a.citations]
    assert quotes[1:] == ["（一）具有本市城镇户籍满5年；", "（二）家庭人均月收入低于最低生活保障标准的2倍；",
                          "（三）家庭成员在本市无其他住房。"]


def test_everyday_wording_reads_as_the_official_term(trust_assistant):
    a = trust_assistant.ask("丙县家里没人上班的家庭由哪个部门负责帮扶？")
    assert a.outcome == "answer" and "县人力资源和社会保障局" in a.text


def test_follow_up_place_replacement_keeps_the_rest():
    assert resolve_follow_up("那成都呢？", [Turn("武汉市中考满分是多少分？")]) == "成都市中考满分是多少分?"


def test_json_carries_outcome_and_confidence(trust_assistant):
    j = trust_assistant.ask("西宁市廉租住房租赁补贴标准每平方米多少元？").to_json()
    assert j["outcome"] == "answer" and 0.5 <= j["confidence"] <= 1.0
    j = trust_assistant.ask("西宁市公共租赁住房的租金是多少？").to_json()
    assert j["outcome"] in ("related", "not_found") and j["confidence"] == 0.0


def test_lexicon_is_user_extendable(tmp_path):
    from assistant.answer.lexicon import load_lexicon
    user = tmp_path / "mine.tsv"
    user.write_text("# 本单位常用说法\n城乡居民基本医疗保险\t新农合\n老旧小区改造\t旧楼翻新,老楼改造\n", encoding="utf-8")
    lex = load_lexicon(str(user))
    assert lex.official_form("老楼改造要多少钱") == "老旧小区改造要多少钱"
    assert lex.expand("家里没人上班的困难户") == "家里没人上班的困难户 零就业家庭"
    assert load_lexicon(None).official_form("老楼改造") == "老楼改造"
    with pytest.raises(FileNotFoundError):
        load_lexicon(str(tmp_path / "missing.tsv"))


def test_follow_up_to_the_county_leaves_the_city(trust_assistant):
    # 丙县's plan names no place the gazetteer knows: it is the county side; 兰州's figure is not borrowed.
    first = "兰州市廉租住房租赁补贴标准每平方米多少元？"
    a = trust_assistant.ask("那县里呢？", history=[Turn(first)])
    assert "兰州" not in (a.resolved_question or "")
    assert a.outcome != "answer" and a.citations == ()


def test_a_document_named_in_book_title_marks_is_where_the_answer_comes_from(trust_assistant):
    # Every passage of 兰州's 办法 shares the name's words; within the named document the rest of
    # the question (起施行) finds the sentence.
    a = trust_assistant.ask("《兰州市廉租住房保障办法》自何时起施行？")
    assert a.outcome == "answer"
    assert "2012年1月1日" in a.text and "2013" not in a.text
    a = trust_assistant.ask("《西宁市廉租住房保障办法》自何时起施行？")
    assert a.outcome == "answer" and "2013年1月1日" in a.text


def test_named_documents_match_titles_and_file_names_not_short_words():
    from assistant.answer.scope import DocPlace, named_documents, without_document_names
    docs = [DocPlace("a", ("兰州市",), ("兰州市廉租住房保障办法(试行)", "lz")),
            DocPlace("b", ("西宁市",), ("关于印发《西宁市廉租住房保障办法》的通知", "xn"))]
    assert named_documents("《兰州市廉租住房保障办法（试行）》自何时施行？", docs) == ("a",)
    assert named_documents("《西宁市廉租住房保障办法》的补贴标准？", docs) == ("b",)
    assert named_documents("《廉租住房保障办法》有哪些规定？", docs) == ("a", "b")
    assert named_documents("《条例》第三条怎么说？", docs) == ()           # too short to name one
    assert named_documents("《北京市积分落户管理办法》何时施行？", docs) == ()
    assert without_document_names("《兰州市廉租住房保障办法》自何时起施行？") == "自何时起施行？"
    assert without_document_names("《兰州市廉租住房保障办法》是什么？") == "《兰州市廉租住房保障办法》是什么？"


def test_which_days_asks_for_calendar_days():
    info = analyse("技能竞赛安排在哪几天？")
    assert info.wants_date and info.unit is None and not info.wants_list
    assert answers_type(info, "竞赛时间为9月14日至16日。")
    assert not answers_type(info, "竞赛共3天。")
    count = analyse("技能竞赛共比几天？")
    assert count.unit == "天" and not count.wants_date


def test_no_lexicon_wording_holds_an_asking_word():
    """A wording with 多少/几/什么 would turn the question's asking words into a noun (补多少钱 →
    补贴标准) and the official reading would no longer ask for a figure."""
    from assistant.answer.lexicon import load_lexicon
    for official, variants in load_lexicon().entries:
        for v in variants:
            assert not re.search(r"多少|几|什么|哪|怎么|多久|多大|多远|如何", v), (official, v)
