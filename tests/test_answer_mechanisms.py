"""Parts of the answer check and of scoping added for real 办法/规定 files, each on text written
for the test (made-up topics: 托育补贴, 技能补贴, 公租房, 养老机构, 技能竞赛): the question's own verb
names a unit of work, per-item figures, requirement questions that need a figure, list items read
with their lead-in, run-on lists, tables read by row, the words that name documents, and the
parts of a comparison."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.answer_check import AnswerCheck, Candidate, is_name_word, names_a_unit
from assistant.answer.question import analyse, answers_type
from assistant.answer.scope import DocPlace, best_named, docs_named_by_words, side_questions
from assistant.textrules import sentences

from conftest import make_settings


@pytest.mark.parametrize("question, sentence, expected", [
    ("托育补贴资金由哪个机关拨付？", "托育补贴资金由县财政局拨付。", True),
    ("托育补贴资金由哪个机关拨付？", "托育补贴资金按季度拨付。", False),          # no unit
    ("创业服务中心设在哪个部门？", "创业服务中心设在县人力资源和社会保障局。", True),
    ("创业服务中心设在哪个部门？", "创业服务中心由副县长任主任。", False),
    ("公租房保障由哪个部门负责组织实施？", "县住房保障和房产管理局（以下简称县房管局）负责公租房保障的组织实施。", True),
    ("营业执照由哪个部门核查？", "市场监管部门负责营业执照的核查。", True),
    ("失能等级由谁评定？", "老年人协会评定老人的失能等级。", True),
    ("技能竞赛由哪个机构负责组织报名？", "县职业技能鉴定中心（以下简称“鉴定中心”）负责组织报名。", True),
])
def test_a_unit_of_work_doing_what_the_question_asks(question, sentence, expected):
    assert names_a_unit(question, sentence) is expected


def test_a_figure_per_item_does_not_answer_a_question_about_the_whole():
    whole = analyse("考核总成绩满分是多少？")
    assert not answers_type(whole, "理论、实操等四个模块满分各25分。")
    assert answers_type(whole, "考核总成绩满分为100分。")
    assert answers_type(analyse("各模块满分是多少？"), "理论、实操等四个模块满分各25分。")
    assert answers_type(analyse("每个模块满分分别是多少？"), "四个模块满分各25分。")


def test_a_requirement_on_a_measure_needs_the_figure():
    info = analyse("入住养老机构，对老人年龄有什么要求？")
    assert info.unit == "岁"
    assert answers_type(info, "（一）入住老人须年满60周岁；")
    assert not answers_type(info, "入住老人的年龄以居民身份证记载为准。")
    # Without a measure noun a requirement question asks for no figure.
    assert analyse("入住养老机构对户籍有什么要求？").unit is None


def _check() -> AnswerCheck:
    return AnswerCheck(lambda term: 1.0)


def test_a_list_item_reads_with_its_lead_in():
    info = analyse("申请托育补贴的家庭对婴幼儿年龄有什么要求？")
    item = "（二）婴幼儿年龄在3周岁以下；"
    alone = _check().verify(info, Candidate(item, ("第五条",), "某县托育补贴办法", item))
    led = _check().verify(info, Candidate(item, ("第五条",), "某县托育补贴办法", item,
                                          lead="第五条申请托育补贴的家庭应同时符合下列条件："))
    assert led.focus_share > alone.focus_share
    assert led.ok


def test_an_item_ending_with_a_semicolon_is_never_a_bare_heading():
    item = "（二）每月托育补贴不超过500元；"
    v = _check().verify(analyse("每月托育补贴不超过多少元？"),
                        Candidate(item, ("第七条", "（二）每月托育补贴不超过500元"), "某县托育补贴办法", item))
    assert v.not_heading


def test_a_run_on_list_splits_after_its_lead_in():
    text = "第四条申请人应同时符合下列条件：(一)持有本县户籍；(二)取得高级工以上职业资格。第五条 其他。"
    assert sentences(text)[:3] == ["第四条申请人应同时符合下列条件：", "(一)持有本县户籍；", "(二)取得高级工以上职业资格。"]
    assert sentences("时间：2027年6月1日。") == ["时间：2027年6月1日。"]  # a colon before a date is not a lead-in


RUN_ON = ("某县技能人才补贴办法\n"
          "第一条 为鼓励技能人才来县就业，制定本办法。第二条 本办法适用于本县。"
          "第三条 申请技能人才补贴应同时符合下列条件：(一)持有本县户籍；(二)取得高级工以上职业资格；"
          "(三)在本县企业连续工作2年以上；(四)无失信记录。第四条 补贴每年申报一次。\n")


def test_a_list_question_on_a_flattened_page_gets_every_item(tmp_path):
    from assistant.app.facade import Assistant
    from assistant.fakes import HashEmbedder
    p = tmp_path / "某县技能人才补贴办法.txt"
    p.write_text(RUN_ON, encoding="utf-8")
    a = Assistant(make_settings(tmp_path / "data"), embedder=HashEmbedder())
    a.ingest([p])
    ans = a.ask("申请技能人才补贴需要同时符合哪些条件？")
    assert ans.outcome == "answer"
    quotes = [c.quote for c in ans.citations]
    assert quotes[1:] == ["(一)持有本县户籍；", "(二)取得高级工以上职业资格；", "(三)在本县企业连续工作2年以上；",
                          "(四)无失信记录。"]
    assert "每年申报" not in ans.text


def test_name_words_are_rare_among_names_and_not_common_in_the_text():
    assert is_name_word(2 / 20, 0.05)       # 托育: two names of twenty, a twentieth of the passages
    assert not is_name_word(6 / 20, 0.05)   # 住房: too many names hold it
    assert not is_name_word(1 / 20, 0.30)   # 家庭: one name, but a third of all passages
    assert not is_name_word(0.0, 0.0)


def test_rare_name_words_pick_the_document_and_the_best_named_wins():
    docs = [DocPlace("db", ("兰州市",), ("兰州市城镇低收入家庭住房保障办法",)),
            DocPlace("gz", ("兰州市",), ("兰州市公共租赁住房管理办法",)),
            DocPlace("yl", ("兰州市",), ("兰州市城乡居民养老保险办法",)),
            *[DocPlace(f"x{i}", ("西宁市",), (f"西宁市第{i}号通知",)) for i in range(20)]]
    # 家庭, 收入 and 住房 are in many passages of such a library; 公共 and 租赁 in few.
    share = {"家庭": 0.3, "收入": 0.3, "住房": 0.4, "申请": 0.3}.get
    weights = docs_named_by_words("兰州市公共租赁住房对申请家庭的收入有什么限制？", docs,
                                  text_share=lambda t: share(t, 0.01))
    assert weights == {"gz": 2.0}
    assert best_named(weights, ["db", "gz", "yl"], keep_all=False) == ["gz"]
    # Without the text's view, 家庭 and 收入 (in one name) would pick the other file.
    assert best_named(docs_named_by_words("兰州市对家庭收入有什么限制？", docs), None, False) == ["db"]
    common = docs_named_by_words("家庭人均收入是多少？", docs, text_share=lambda t: share(t, 0.0))
    assert common == {}
    # A comparison keeps every document it names.
    both = docs_named_by_words("兰州市公共租赁住房和低收入家庭住房保障分别要求收入多少？", docs)
    assert set(best_named(both, None, keep_all=True)) == {"gz", "db"}


def test_a_numbered_item_with_a_figure_is_not_a_bare_heading():
    item = "2.取得高级技师职业资格的，每人补贴3000元。"
    v = _check().verify(analyse("取得高级技师职业资格每人补贴多少元？"),
                        Candidate(item, ("第六条", "（二）补贴标准", item.rstrip("。")), "某县技能人才补贴办法", item))
    assert v.not_heading and v.ok
    title = "（二）补贴标准"
    assert not _check().verify(analyse("补贴标准是多少元？"),
                               Candidate(title, ("第六条", title), "某县技能人才补贴办法", title)).not_heading


def test_a_list_of_figures_is_answered_by_a_sentence_that_lists_them():
    info = analyse("保险费补贴比例可以选哪几档？")
    assert info.wants_list and info.wants_number
    assert answers_type(info, "补贴比例可按照缴费额的10%、20%、30%选择；")
    assert not answers_type(info, "第九条参保人应当于每年3月底前申报补贴比例；")


CONTEST = ("某县2027年职业技能竞赛通知\n"
           "一、竞赛项目\n"
           "竞赛项目、竞赛形式、竞赛时间、满分分值如下：\n"
           "竞赛项目 | 竞赛形式 | 竞赛时间 | 满分分值\n"
           "电工 | 实操 | 120分钟 | 100分\n"
           "焊工 | 实操 | 150分钟 | 120分\n"
           "育婴员 | 笔试 | 90分钟 | 80分\n"
           "二、表彰\n"
           "获奖选手由县人力资源和社会保障局表彰。\n")


def test_a_table_row_is_answered_and_read_by_its_columns(tmp_path):
    from docx import Document as Docx

    from assistant.app.facade import Assistant
    from assistant.fakes import HashEmbedder
    doc = Docx()
    lines = CONTEST.strip().split("\n")
    for line in lines[:3]:
        doc.add_paragraph(line)
    rows = [r.split(" | ") for r in lines[3:7]]
    table = doc.add_table(rows=len(rows), cols=4)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    for line in lines[7:]:
        doc.add_paragraph(line)
    path = tmp_path / "某县2027年职业技能竞赛通知.docx"
    doc.save(str(path))
    a = Assistant(make_settings(tmp_path / "data"), embedder=HashEmbedder())
    a.ingest([path])
    ans = a.ask("焊工项目满分多少分？")
    assert ans.outcome == "answer"
    assert "焊工" in ans.citations[0].quote and "120分" in ans.citations[0].quote
    assert "满分分值：120分" in ans.text            # read under the header's names
    # An item the table does not have is not answered from the header's words.
    assert a.ask("钳工项目满分多少分？").outcome != "answer"


def test_a_figure_must_belong_to_the_value_noun_the_question_names():
    info = analyse("考核总成绩满分是多少？")
    assert info.unit_noun == "满分" and info.unit == "分"
    # 满分 is named but given no figure of its own; the 25分 are grades.
    assert not answers_type(info, "将四个模块按A等25分、B等20分计入考核总成绩，满分各25分。")
    assert answers_type(info, "考核总成绩满分为100分。")
    assert answers_type(info, "考核总成绩总分100分。")   # 满分 not named: the figure stands on its own


def test_the_word_that_narrows_the_thing_measured_must_be_quoted():
    check = AnswerCheck(lambda term: 1.0, focus_min=0.5)
    asked = analyse("新建幼儿园的户外活动面积标准是多少平方米？")
    other = "（三）新建幼儿园生均建筑面积不低于9平方米；"
    right = "新建幼儿园户外活动面积不少于每生4平方米。"
    assert not check.verify(asked, Candidate(other, ("第十条",), "某县幼儿园建设标准", other)).focus
    assert check.verify(asked, Candidate(right, ("第五条",), "某县幼儿园建设标准", right)).ok
    # With no narrowing word before it, the thing measured alone is enough.
    plain = analyse("新建幼儿园生均建筑面积是多少平方米？")
    assert check.verify(plain, Candidate(other, ("第十条",), "某县幼儿园建设标准", other)).ok


def test_each_place_of_a_comparison_is_asked_its_own_part():
    q = "兰州市技能补贴和西宁市人才补贴，每取得1个证书分别补贴多少元？"
    assert side_questions(q, ["兰州市", "西宁市"]) == {
        "兰州市": "兰州市技能补贴，每取得1个证书分别补贴多少元？",
        "西宁市": "西宁市人才补贴，每取得1个证书分别补贴多少元？"}
    # A bare place shares the next side's words.
    assert side_questions("兰州和西宁的托育机构，每个托位分别补贴多少元？", ["兰州市", "西宁市"]) == {
        "兰州市": "兰州的托育机构，每个托位分别补贴多少元？", "西宁市": "西宁的托育机构，每个托位分别补贴多少元？"}
    assert side_questions("兰州的托位补贴是多少？", ["兰州市", "西宁市"]) == {}
    # Without a shared clause after the last place, the sides cannot be told apart.
    assert side_questions("兰州方案和西宁意见对托位数分别提出了什么目标？", ["兰州市", "西宁市"]) == {}


def test_the_thing_measured_is_read_before_the_asking_word():
    focus = analyse("养老床位的护理面积按多少平方米计算？").focus
    assert "面积" in focus and "计算" not in focus
    assert analyse("多少人参加培训？").focus == ("人", "参加", "培训")


ITEMS = ("某市公租房保障办法\n"
         "第一条\n"
         "公租房租金按保障面积计算。各项计算标准如下：\n"
         "（一）人均保障面积标准：15平方米；\n"
         "（二）家庭人口计算标准：1人家庭按1.5人计算；\n")


def test_an_item_section_reads_with_its_articles_lead_in():
    from assistant.answer.extractive import ExtractiveAnswerer
    from assistant.index.indexer import build_document
    from assistant.ingest.chunking import chunk_document
    from assistant.ingest.cleaning import OffsetMap
    doc = build_document(Path("某市公租房保障办法.txt"), ITEMS.encode("utf-8"))
    chunks = chunk_document(doc.doc_id, doc.meta.title, doc.text, list(doc.sections), OffsetMap(doc.offset_runs),
                            chunk_size=200)
    item = next(c for c in chunks if c.text.startswith("（二）"))
    answerer = ExtractiveAnswerer({}, None, None, lambda d: chunks)
    assert answerer.parent_lead(item) == "各项计算标准如下："
    # A chunk that does not start with an item has no lead-in from before it.
    assert answerer.parent_lead(chunks[0]) == ""


def test_which_three_items_is_a_list_question():
    assert analyse("申请补贴必须同时符合哪三项条件？").wants_list
    assert analyse("包括哪三个方面？").wants_list
    assert not analyse("申请补贴需要工作几年？").wants_list


def test_a_decree_number_names_the_document_not_the_thing_asked():
    from assistant.textrules import DECREE_NUMBER
    assert DECREE_NUMBER.search("《某县托育补贴办法》（某府令第12号）的有效期")
    terms = _check().focus_terms("《某县托育补贴办法》（某府令第12号）的有效期到什么时候？", "某县托育补贴办法")
    assert "有效期" in terms and not any("府" in t or "12" in t for t in terms)


def test_a_compound_over_a_frame_word_is_no_focus_term():
    terms = _check().focus_terms("托育服务的收费标准分哪几个档次？", "某县托育办法")
    assert "档次" in terms and "标准分" not in terms       # 标准分 is 标准 (a frame word) + 分
    assert "收费" in _check().focus_terms("公租房的收费标准是多少？", "某办法")
    assert "用人单位" in _check().focus_terms("用人单位为职工缴纳的公积金比例是多少？", "某办法")


def test_a_year_that_names_the_documents_edition_does_not_rule_out_other_years_in_it():
    info = analyse("2027年托育补贴的申领对象要求在什么日期后出生？")
    sentence = "申领对象为2025年1月1日以后出生的婴幼儿。"
    edition = _check().verify(info, Candidate(sentence, (), "某县2027年托育补贴申领通知", sentence))
    assert edition.year
    other = _check().verify(info, Candidate(sentence, (), "某县托育补贴申领通知", sentence,
                                            doc_years=frozenset({"2025", "2026"})))
    assert not other.year
