"""The answer check's parts on hand-made candidates, each against its exact result: the
question's focus terms, the weighted focus share, years, headings, 责任单位 lines and words that
name other documents."""
from assistant.answer.answer_check import AnswerCheck, Candidate, is_heading_only, year_matches
from assistant.answer.question import analyse

EVEN = AnswerCheck(lambda t: 1.0)
FEE = "补贴标准为每月20元。"


def test_focus_terms_leave_out_document_names_places_years_and_frame_words():
    assert EVEN.focus_terms("补贴标准是多少？", "补贴标准") == ("补贴",)
    places = AnswerCheck(lambda t: 1.0, place_names=lambda q: ["兰州", "兰州市"])
    assert places.focus_terms("兰州市《廉租住房办法》2016年补贴标准是多少元？", "廉租住房") == ("补贴", "元")
    # Every term is in the title: the title's own words are kept rather than nothing.
    assert EVEN.focus_terms("补贴是多少？", "补贴办法") == ("补贴",)


def test_focus_share_is_weighted_by_term():
    assert EVEN.focus_share(("补贴", "标准"), "补贴为每月20元") == 0.5
    weighted = AnswerCheck(lambda t: {"补贴": 3.0}.get(t, 1.0))
    assert weighted.focus_share(("补贴", "标准"), "补贴为每月20元") == 0.75
    assert EVEN.focus_share((), "任何文字") == 1.0
    assert AnswerCheck(lambda t: 0.0).focus_share(("补贴",), "无关") == 1.0
    assert EVEN.focus_share(("abc",), "ABC") == 1.0          # compared in lower case


def _cand(sentence=FEE, headings=(), title="某办法", doc_years=frozenset(), section=""):
    return Candidate(sentence, headings, title, section, doc_years=doc_years)


def test_year_is_read_from_the_sentence_then_headings_then_title_then_document():
    q = analyse("2016年补贴标准是多少元？")
    assert year_matches(q, _cand("2016年补贴标准为每月20元。"))
    assert not year_matches(q, _cand("2015年补贴标准为每月20元。", title="2016年办法"))
    assert year_matches(q, _cand(headings=("2016年工作要点",)))
    assert not year_matches(q, _cand(headings=("2015年工作要点",), title="2016年办法"))
    assert not year_matches(q, _cand(title="2015年办法"))
    assert year_matches(q, _cand(doc_years=frozenset({"2016"})))
    assert not year_matches(q, _cand(doc_years=frozenset({"2015"})))
    assert year_matches(analyse("补贴标准是多少元？"), _cand(title="2015年办法"))
    table = Candidate(FEE, (), "某办法", "", kind="table", table_header="2016年")
    assert year_matches(q, table)


def test_a_heading_or_a_lead_in_is_not_an_answer():
    assert is_heading_only(_cand("条件如下："))
    assert is_heading_only(_cand("条件如下：\n"))
    assert is_heading_only(_cand("一、总体要求", ("一、总体要求",)))
    assert is_heading_only(_cand("总体要求。", ("一、总体要求",)))
    assert not is_heading_only(_cand("加强领导", ("一、总体要求",)))


def test_verdict_parts_and_their_names():
    q = analyse("2016年补贴标准是多少元？")
    v = EVEN.verify(q, _cand("2016年补贴标准为每月20元。"))
    assert (v.not_heading, v.kind, v.year, v.focus, v.ok, v.failed) == (True, True, True, True, True, ())
    assert v.focus_share == 1.0
    v = EVEN.verify(q, _cand("2015年补贴标准为每月20元。"))
    assert (v.ok, v.failed) == (False, ("year",))
    v = EVEN.verify(q, _cand("2016年补贴标准按元计另行规定。"))
    assert v.failed == ("kind",)
    v = EVEN.verify(q, _cand("2016年护理费为每月20元。"))
    assert v.failed == ("focus",) and v.focus_share == 0.5      # 元 without 补贴


def test_focus_at_exactly_the_minimum_passes():
    # 补贴 is named last before the asking word, so the head check passes and the share decides.
    q = analyse("护理费和补贴标准是多少元？")
    half = AnswerCheck(lambda t: 1.0, focus_min=0.5)
    v = half.verify(q, _cand("补贴为每月20元。"))
    assert v.focus_share == 0.5 and v.focus
    assert not AnswerCheck(lambda t: 1.0, focus_min=0.51).verify(q, _cand("补贴为每月20元。")).focus


def test_official_form_of_the_question_is_also_read():
    q = analyse("护理费是多少元？")
    lexicon = AnswerCheck(lambda t: 1.0, official_form=lambda s: s.replace("护理费", "补贴"))
    assert lexicon.verify(q, _cand("补贴为每月20元。")).ok
    assert not EVEN.verify(q, _cand("补贴为每月20元。")).ok


def test_table_header_counts_for_focus_only_in_a_table():
    q = analyse("补贴是多少元？")
    row = Candidate("每月 | 20元", (), "某办法", "", kind="table", table_header="补贴")
    assert EVEN.verify(q, row).focus
    text = Candidate("每月20元。", (), "某办法", "", kind="text", table_header="补贴")
    assert not EVEN.verify(q, text).focus


def test_two_table_rows_are_never_one_reading():
    q = analyse("补贴是多少元？")
    rows = Candidate("补贴 | 20元\n护理 | 30元", (), "某办法", "", kind="table")
    assert EVEN.verify(q, rows).failed == ("kind",)


def test_a_responsibility_line_answers_for_its_section():
    q = analyse("医共体建设由哪个部门牵头？")
    line = Candidate("牵头单位：县卫生健康局", (), "丙县方案", "推进医共体建设。牵头单位：县卫生健康局")
    assert EVEN.verify(q, line).ok
    bare = Candidate("牵头单位：县卫生健康局", (), "丙县方案", "推进养老服务。牵头单位：县卫生健康局")
    assert EVEN.verify(q, bare).failed == ("focus",)
    no_unit = Candidate("医共体建设加快推进。", (), "丙县方案", "")
    assert "kind" in EVEN.verify(q, no_unit).failed


def test_a_word_naming_few_other_documents_moves_the_question_there():
    names = ["东莞市廉租住房保障办法"] + [f"住房办法{i}" for i in range(9)]
    check = AnswerCheck(lambda t: 1.0, doc_names=lambda: names)
    q = analyse("廉租住房补贴标准是多少元？")
    other = _cand(title="东莞市公共租赁住房管理办法")
    assert check.names_another_document(q, other, FEE)
    assert check.verify(q, other).failed == ("focus",)
    own = _cand(title="东莞市廉租住房保障办法")
    assert not check.names_another_document(q, own, FEE)
    # 住房 is in every name: it picks out no document.
    assert not check.names_another_document(analyse("住房补贴标准是多少元？"), other, FEE)
    assert not EVEN.names_another_document(q, other, FEE)          # no documents known


def test_a_word_in_exactly_the_largest_share_of_names_still_picks_them_out():
    names = [f"甲市廉租住房办法{i}" for i in range(3)] + [f"住房办法{i}" for i in range(17)]   # 3 of 20 = 0.15
    check = AnswerCheck(lambda t: 1.0, doc_names=lambda: names)
    assert check.names_another_document(analyse("廉租住房补贴标准是多少元？"), _cand(title="公共租赁住房管理办法"), FEE)
    names.append("乙市廉租住房办法")                                                           # 4 of 21 > 0.15
    assert not check.names_another_document(analyse("廉租住房补贴标准是多少元？"), _cand(title="公共租赁住房管理办法"), FEE)


def test_a_line_break_without_a_table_bar_is_still_one_reading():
    q = analyse("补贴是多少元？")
    assert EVEN.verify(q, _cand("补贴为\n每月20元。")).ok
