from assistant.evaluation.metrics import (
    QuestionResult,
    answer_correct,
    covers,
    normalize_answer,
    summarize,
)

PASSAGE = "城区学校和优质学校教师每学年到涉农地区学校和薄弱学校交流轮岗的比例不低于符合交流条件教师 7 总数的 10%,其中骨干教师"


def test_coverage_rule():
    assert covers(PASSAGE, "交流轮岗的比例不低于符合交流条件教师 7 总数的 10%")
    # 80% of the evidence as one contiguous run is enough; less is not.
    assert covers(PASSAGE, "交流轮岗的比例不低于符合交流条件教师7总数的10%XXXX")
    assert not covers(PASSAGE, "交流轮岗的比例不低于符合XXXXXXXXXXXXXXXXXXXX")
    assert not covers(PASSAGE, "九年义务教育巩固率达到99%")


def test_answer_normalisation_and_lists():
    assert normalize_answer("９９％ 。") == "99%"
    assert answer_correct("到2025年，九年义务教育巩固率达到９９％", "99%", [])
    assert answer_correct("比例为 95.7 97.5", "2015年95.7%", ["95.7 97.5"])
    assert answer_correct("保障基本；促进均等；强化责任；注重创新", "保障基本、促进均等、强化责任、注重创新", [])
    assert not answer_correct("保障基本；促进均等", "保障基本、促进均等、强化责任、注重创新", [])
    assert not answer_correct("到2025年达到98%", "99%", ["百分之九十九"])


def _r(qid, answerable, evidence, ranked, answer, refused, cited, gold="10%"):
    return QuestionResult(qid, "t", answerable, evidence, gold, [], ranked, answer, refused, cited, 1.0, 2.0)


def test_summary_on_hand_built_results():
    ev = ["交流轮岗的比例不低于符合交流条件教师 7 总数的 10%"]
    other = "按时足额发放城乡居民基本养老金"
    results = [
        _r("a", True, ev, [PASSAGE, other], "不低于10%", False, [PASSAGE]),          # right, cited right
        _r("b", True, ev, [other, PASSAGE], "不低于10%", False, [other, PASSAGE]),   # one wrong citation
        _r("c", True, ev, [other], "", True, []),                                   # false refusal
        _r("d", False, [], [other], "资料中未找到", True, []),                        # right refusal
        _r("e", False, [], [other], other, False, [other]),                          # answered the unanswerable
    ]
    m = summarize(results)
    assert (m["n"], m["recall@1"], m["recall@5"], m["mrr@10"]) == (5, 0.3333, 0.6667, 0.5)
    assert m["answer_accuracy"] == 0.6667
    assert m["citation_precision"] == 0.5      # 2 of 4 citations support their question
    assert m["citation_recall"] == 0.6667
    assert (m["refusal_rate_unanswerable"], m["false_refusal_rate"]) == (0.5, 0.3333)
    assert m["latency_ms"] == {"retrieve_p50": 1.0, "retrieve_p95": 1.0, "answer_p50": 2.0, "answer_p95": 2.0}


def test_wrong_answer_rate_and_wrong_place_answers():
    from assistant.evaluation.metrics import wrong_answer, wrong_place
    right = QuestionResult("a", "t", True, [], "18平方米", [], [], "按18平方米计算", False, [],
                           outcome="answer", asked_places=("东莞市",), cited_places=("东莞市",))
    other_city = QuestionResult("b", "t", True, [], "18平方米", [], [], "按20平方米计算", False, [],
                                outcome="answer", asked_places=("东莞市",), cited_places=("中山市",))
    district = QuestionResult("c", "t", True, [], "18平方米", [], [], "18平方米", False, [],
                              outcome="answer", asked_places=("郑州市二七区",), cited_places=("郑州市",))
    refused = QuestionResult("d", "t", True, [], "18平方米", [], [], "资料中未找到", True, [], outcome="related",
                             asked_places=("东莞市",), cited_places=())
    answered_unanswerable = QuestionResult("e", "t", False, [], "资料中未提及", [], [], "按30元", False, [],
                                           outcome="answer")
    assert [wrong_answer(r) for r in (right, other_city, district, refused, answered_unanswerable)] == \
        [False, True, False, False, True]
    assert [wrong_place(r) for r in (right, other_city, district, refused)] == [False, True, False, False]
    m = summarize([right, other_city, district, refused, answered_unanswerable])
    assert (m["wrong_answer_rate"], m["wrong_place_answers"]) == (0.4, 1)
    assert m["outcomes"] == {"answer": 4, "related": 1, "not_found": 0}


def test_enumerated_gold_with_semicolons():
    assert answer_correct("（一）持有本市居住证；（二）不超过法定退休年龄；（三）无刑事犯罪记录", "持有本市居住证；不超过法定退休年龄；无刑事犯罪记录", [])


def test_a_composite_answer_is_right_when_every_part_has_its_figures():
    gold = "甲市：累计积分达到100分；乙市：积分累计达到60分"
    assert answer_correct("【甲市】“…积分达到100分…”[1]\n【乙市】“积分累计达到60分的…”[2]", gold, [])
    assert not answer_correct("【甲市】“…积分达到100分…”[1]\n【乙市】资料中未找到。", gold, [])
    assert not answer_correct("【甲市】“…达到100元…”[1]【乙市】“…60分…”[2]", gold, [])  # unit differs
    assert not answer_correct("“…100分…60分…”", "全文共100分", [])  # one part: the plain rule only
