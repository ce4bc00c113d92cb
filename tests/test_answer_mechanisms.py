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


def _library(tmp_path: Path, name: str, text: str):
    """A library of one text file written for the test, searched with the scriptable embedder."""
    from assistant.app.facade import Assistant
    from assistant.fakes import HashEmbedder
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    a = Assistant(make_settings(tmp_path / "data"), embedder=HashEmbedder())
    a.ingest([path])
    return a


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
    a = _library(tmp_path, "某县技能人才补贴办法.txt", RUN_ON)
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


# --- parts added in the fourth round (made-up topics: 古树移植, 托育补助, 助学金, 园林办法) --------

LEAD_UNIT = ("某市古树名木保护办法\n"
             "第一条 为保护古树名木，制定本办法。\n"
             "第二条 古树名木的日常养护由所在地街道办事处负责。\n"
             "第三条 下列事项，由市园林绿化局审批：\n"
             "（一）古树名木的移植；\n"
             "（二）在古树名木保护范围内新建建筑物；\n"
             "第四条 违反本办法的，依法处理。\n")


def test_an_item_whose_unit_is_named_in_its_lead_in_is_answered_with_the_lead_in(tmp_path):
    a = _library(tmp_path, "某市古树名木保护办法.txt", LEAD_UNIT)
    ans = a.ask("古树名木的移植由哪个部门审批？")
    assert ans.outcome == "answer"
    assert [c.quote for c in ans.citations] == ["第三条下列事项，由市园林绿化局审批：", "（一）古树名木的移植；"]


def test_a_question_that_asks_for_parts_gets_every_parallel_clause(tmp_path):
    a = _library(tmp_path, "某县高龄津贴办法.txt", "某县高龄津贴办法\n第一条 为关爱高龄老人，制定本办法。\n第二条 高龄津贴按下列规定发放：\n"
                 "（一）发放对象为本县户籍老人。\n"
                 "（二）高龄津贴的发放标准，以人为单位确定。80至89周岁每人每月100元；90至99周岁每人每月300元；"
                 "100周岁以上每人每月800元。\n第三条 津贴按月发放。\n")
    ans = a.ask("高龄津贴的发放标准，按年龄段分别是多少？")
    assert ans.outcome == "answer"
    assert [c.quote for c in ans.citations] == [
        "80至89周岁每人每月100元；90至99周岁每人每月300元；100周岁以上每人每月800元。"]


def test_the_thing_measured_comes_from_the_clause_before_a_breakdown():
    info = analyse("高龄津贴的发放标准，按年龄段分别是多少？")
    assert "年龄段" not in info.focus and "津贴" in info.focus
    assert "各科" not in analyse("某县2027年技能考核考哪几科，各科多少分？").focus
    assert "各科" not in _check().focus_terms("某县2027年技能考核考哪几科，各科多少分？", "某县办法")


def test_each_or_respectively_compares_only_when_two_things_are_joined():
    assert not analyse("各等级分别奖励多少元？").compare
    assert not analyse("补助标准按家庭人口分别是多少？").compare
    assert analyse("甲县和乙县的托育补助分别是多少？").compare
    assert analyse("两份文件对托育补助的规定有何不同？").compare


def test_a_frame_word_with_a_character_stuck_to_it_is_not_the_thing_measured():
    info = analyse("某县托育服务的收费标准分哪几个档次？")
    assert info.focus[-1] == "标准分"     # the tokenizer's seam
    check = _check()
    sentence = "收费标准设为每月300元、500元、800元3个档次。"
    assert check.holds_head(info, sentence)
    assert check.verify(info, Candidate(sentence, ("第八条",), "某县托育服务办法", sentence)).ok


def test_places_inside_the_named_province_are_what_its_document_speaks_of():
    from assistant.answer.scope import asked_places
    names = lambda q: [p.name for p in asked_places(q)]  # noqa: E731
    assert names("江西省的意见要求南昌、九江在什么时间前出台细则？") == ["江西省"]
    assert names("江西省的托育补助和南昌的托育补助分别是多少？") == ["江西省", "南昌市"]
    assert names("江西省南昌市的托育补助是多少？") == ["南昌市"]
    assert names("江西省的南昌市托育补助是多少？") == ["南昌市"]


def test_a_conjunction_is_not_read_as_the_start_of_a_place_name():
    from assistant.ingest.places import find_places
    assert "天津市和平区" not in [p.name for p in find_places("要求厦门和平潭出台措施")]
    assert "天津市和平区" in [p.name for p in find_places("天津和平区的学校")]
    assert "天津市和平区" in [p.name for p in find_places("和平区的学校")]


def test_an_articles_caption_heads_its_items():
    from assistant.answer.extractive import ExtractiveAnswerer
    from assistant.types import Chunk
    first = Chunk(chunk_id="c1", doc_id="d", title="某市助学金办法", heading_path=("第九条",), citation_label="第九条",
                  text="第九条\n助学金计算方法：\n助学金＝基数×系数。", start=0, end=24, orig_start=0, orig_end=24)
    assert ExtractiveAnswerer.caption(first) == "助学金计算方法："
    long = replace_text(first, "第九条\n本市对家庭经济困难学生按学期发放助学金，具体办法由市教育局另行制定如下：")
    assert ExtractiveAnswerer.caption(long) == ""     # a long sentence is no caption
    assert ExtractiveAnswerer.caption(replace_text(first, "第九条\n助学金按学期发放。")) == ""


def replace_text(chunk, text):
    from dataclasses import replace
    return replace(chunk, text=text, end=chunk.start + len(text))


def test_a_time_limit_question_needs_a_date_or_a_span_of_time():
    info = analyse("《某县托育补贴办法》的实施期限是怎样规定的？")
    assert info.value_noun == "期限"
    assert answers_type(info, "本办法自2027年1月1日起施行，有效期3年。")
    assert not answers_type(info, "本办法由县卫生健康局负责解释。")
    terms = _check().focus_terms("《某县托育补贴办法》的实施期限是怎样规定的？", "某县托育补贴办法")
    assert "期限" not in terms


def test_a_wording_with_two_official_terms_is_read_both_ways():
    from assistant.answer.lexicon import Lexicon
    lex = Lexicon((("初级中学招生考试", ("小考",)), ("初中入学考试", ("小考",))))
    assert lex.official_forms("2027年小考几号") == ["2027年初级中学招生考试几号", "2027年初中入学考试几号"]


def test_a_question_that_writes_this_documents_name_is_not_about_another_document():
    names = ["某市户籍准入登记暂行办法", "某市积分落户管理办法", "某县积分落户实施细则", "某区托育补助办法",
             "某市公租房办法", "某县养老服务办法", "某市高龄津贴办法", "某县教育办法", "某市就业办法", "某县医保办法",
             "某市托育办法", "某县助学金办法", "某市古树办法", "某县殡葬办法", "某市停车办法", "某县供水办法",
             "某市燃气办法", "某县河道办法", "某市物业办法", "某县绿化办法"]
    check = AnswerCheck(lambda t: 1.0, doc_names=lambda: names, text_share=lambda t: 0.01)
    info = analyse("按某市户籍准入暂行办法，引进人才落户由哪个部门受理？")
    item = "（一）引进的各类人才；"
    cand = Candidate(item, ("第四条",), "某市户籍准入登记暂行办法", item, lead="第四条下列人员户口准入，由人事部门受理：")
    assert check.names_this_document(info.text, names[0], names)
    assert not check.names_another_document(info, cand, item)
    assert check.verify(info, cand).kind    # the unit is its lead-in's
    other = analyse("引进人才积分落户由哪个部门受理？")
    assert check.names_another_document(other, cand, item)   # 落户 names the 积分落户 files


PENALTY = ("某市公租房保障办法\n"
           "第一条 为规范公租房保障，制定本办法。\n"
           "第二条 申请人以提供虚假证明材料等手段骗取公租房保障的，按以下规定处理：\n"
           "（一）已承租公租房的，收回所承租的住房；\n"
           "（二）已领取租赁补贴的，追回已发放的补贴。\n"
           "申请人存在前款情况的，3年内不得再受理其申请。\n"
           "第三条 公租房租金每两年调整一次。\n")


def test_a_sentence_that_refers_back_reads_with_the_articles_lead_in(tmp_path):
    a = _library(tmp_path, "某市公租房保障办法.txt", PENALTY)
    ans = a.ask("骗取公租房保障的申请人，几年内不再受理申请？")
    assert ans.outcome == "answer"
    assert [c.quote for c in ans.citations] == ["申请人存在前款情况的，3年内不得再受理其申请。"]


def test_a_figure_in_the_unit_of_the_measure_names_the_measure():
    info = analyse("公租房对单身申请人的年龄要求是多少？")
    assert info.unit_noun == "年龄" and info.focus[-1] == "年龄"
    check = _check()
    said = "单身人员申请公租房的，申请人须年满28周岁。"
    assert check.verify(info, Candidate(said, ("第五条",), "某市公租房办法", said)).focus
    unsaid = "单身人员申请公租房的，申请人须提供未婚证明。"
    assert not check.verify(info, Candidate(unsaid, ("第五条",), "某市公租房办法", unsaid)).ok


def test_a_generic_category_word_does_not_narrow_the_measure():
    info = analyse("某县2027年技能考核实操科目满分是多少？")
    check = _check()
    said = "实操考核成绩，满分60分；"
    assert check.keeps_modifier(info, said)
    assert check.verify(info, Candidate(said, ("三、考核",), "某县2027年技能考核办法", said)).ok


def test_a_folded_table_is_read_block_by_block(tmp_path):
    """A long table printed as side-by-side blocks (年龄|月数|年龄|月数): each block of a row is
    one reading, named by the figure the question states; another table under the same heading
    does not lend it its header."""
    from docx import Document as Docx

    from assistant.app.facade import Assistant
    from assistant.fakes import HashEmbedder
    doc = Docx()
    doc.add_paragraph("某县高龄津贴办法")
    doc.add_paragraph("第一条 高龄津贴按月发放，标准见下表。")
    first = doc.add_table(rows=2, cols=2)
    for j, cell in enumerate(["发放方式", "发放时间"]):
        first.cell(0, j).text = cell
    for j, cell in enumerate(["银行代发", "每月10日"]):
        first.cell(1, j).text = cell
    doc.add_paragraph("高龄津贴月发放标准表")
    folded = doc.add_table(rows=3, cols=6)
    for i, row in enumerate([["年龄（周岁）", "月发放额（元）"] * 3, ["80", "100", "85", "150", "90", "300"],
                             ["95", "500", "100", "800", "101", "1000"]]):
        for j, cell in enumerate(row):
            folded.cell(i, j).text = cell
    doc.add_paragraph("第二条 本办法自2027年1月1日起施行。")
    path = tmp_path / "某县高龄津贴办法.docx"
    doc.save(str(path))
    a = Assistant(make_settings(tmp_path / "data"), embedder=HashEmbedder())
    a.ingest([path])
    ans = a.ask("90周岁老人的高龄津贴月发放额是多少元？")
    assert ans.outcome == "answer"
    assert ans.citations[0].quote == "90|300"
    assert "年龄（周岁）：90，月发放额（元）：300" in ans.text
    assert a.ask("92周岁老人的高龄津贴月发放额是多少元？").outcome != "answer"   # no block names 92


def test_a_header_row_names_columns_and_a_figure_row_does_not():
    from assistant.answer.extractive import _header_like, row_groups
    assert _header_like("年龄（周岁）|月发放额（元）")
    assert not _header_like("60|139|64|109|68|75")
    assert not _header_like("2027年|85%")
    header = "年龄|月数|年龄|月数"
    row = "60|139|64|109"
    assert [row[a:b] for a, b in row_groups(row, 0, len(row), header)] == ["60|139", "64|109"]
    assert row_groups(row, 0, len(row), "年龄|月数|人数|金额") == [(0, len(row))]   # not folded
