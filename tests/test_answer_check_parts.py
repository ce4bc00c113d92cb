"""The answer check's smaller parts, each on sentences written for the test."""
from assistant.answer.answer_check import AnswerCheck, Candidate, adds_a_limit, says_something
from assistant.answer.question import analyse


def _check() -> AnswerCheck:
    return AnswerCheck(lambda term: 1.0, focus_min=0.5)


def test_a_fragment_of_a_table_row_says_nothing():
    assert not says_something("分钟|120")
    assert says_something("补助标准为每月300元")


def test_the_other_case_of_a_limit_is_not_an_answer():
    q = "某市户籍满5周年的老人，补贴每月多少？"
    assert adds_a_limit(q, "具有本市户籍不满5周年的，补贴为每月100元")
    assert not adds_a_limit(q, "具有本市户籍满5周年的，补贴为每月150元")
    assert not adds_a_limit("户籍不满5周年的老人补贴多少？", "具有本市户籍不满5周年的，补贴为每月100元")


def test_the_thing_measured_must_be_named_in_the_quote():
    check = _check()
    info = analyse("某市职工医保统筹基金的最高支付限额是多少？")
    wrong = Candidate("职工医保统筹基金的起付标准为1000元。", ("第三章 待遇",), "某市职工医疗保险办法", "")
    right = Candidate("职工医保统筹基金的最高支付限额为30万元。", ("第三章 待遇",), "某市职工医疗保险办法", "")
    assert not check.verify(info, wrong).focus
    assert check.verify(info, right).ok


def test_a_time_question_needs_a_day():
    info = analyse("某市中考网上填报志愿的时间段是什么？")
    check = _check()
    year_only = Candidate("2026年中考实行网上填报志愿。", (), "某市中考通知", "")
    with_days = Candidate("网上填报志愿时间为6月1日至6月5日。", (), "某市中考通知", "")
    assert not check.verify(info, year_only).kind
    assert check.verify(info, with_days).kind


def test_which_county_needs_a_named_place():
    from assistant.answer.question import answers_type
    info = analyse("这份方案是哪个县的？")
    assert info.wants_place
    assert not answers_type(info, "结合我县实际，编制本实施方案。")
    assert answers_type(info, "为推进青田县基本公共服务发展，编制本方案。")


def test_which_documents_needs_a_named_document():
    from assistant.answer.question import answers_type
    info = analyse("这份意见是根据哪些文件制定的？")
    assert info.wants_document
    assert not answers_type(info, "立足本地实际制定保障标准。")
    assert answers_type(info, "根据《某省基本公共服务实施方案》，制定本意见。")


def test_a_project_box_does_not_answer_which_measures():
    check = _check()
    info = analyse("学前教育有哪些主要措施？")
    box = Candidate("学前教育：实施幼儿园改扩建项目。", ("二、主要任务", "专栏1 重点项目"), "某县方案", "")
    text = Candidate("加快公办幼儿园建设，提高学前教育普及率。", ("二、主要任务", "（一）学前教育"), "某县方案", "")
    assert not check.verify(info, box).kind
    assert check.verify(info, text).kind
    assert check.verify(analyse("专栏里学前教育有哪些项目？"), box).kind
