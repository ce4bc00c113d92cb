"""The answer check's smaller parts, each on sentences written for the test."""
from assistant.answer_check import AnswerCheck, Candidate, adds_a_limit, says_something
from assistant.question import analyse


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
