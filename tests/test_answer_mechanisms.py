"""Parts of the answer check and of scoping added for real 办法/规定 files, each on text written
for the test: the question's own verb names a unit of work, per-item figures, requirement
questions that need a figure, list items read with their lead-in, run-on lists, and the words
that name documents."""
from __future__ import annotations

import pytest

from assistant.answer.answer_check import AnswerCheck, Candidate, is_name_word, names_a_unit
from assistant.answer.question import analyse, answers_type
from assistant.answer.scope import DocPlace, best_named, docs_named_by_words
from assistant.textrules import sentences

from conftest import make_settings


@pytest.mark.parametrize("question, sentence, expected", [
    ("养老保险费由哪个机关征收？", "城乡居民基本养老保险费由地方税务机关征收。", True),
    ("养老保险费由哪个机关征收？", "城乡居民基本养老保险费按月征收。", False),          # no unit
    ("领导小组办公室设在哪个部门？", "领导小组办公室设在市住房建设局。", True),
    ("领导小组办公室设在哪个部门？", "领导小组由市长任组长。", False),
    ("廉租住房保障由哪个部门负责组织实施？", "市住房和城乡建设局（以下简称市住建局）负责廉租住房保障的组织实施。", True),
    ("房产证由哪个部门核查评分？", "国土规划部门负责房产证的核查评分。", True),
    ("残疾等级由谁核定？", "残疾人联合会核定残疾类别和等级。", True),
    ("中考由哪个机构负责组织报名？", "市招生考试委员会办公室（以下简称“市招办”）负责组织报名。", True),
])
def test_a_unit_of_work_doing_what_the_question_asks(question, sentence, expected):
    assert names_a_unit(question, sentence) is expected


def test_a_figure_per_item_does_not_answer_a_question_about_the_whole():
    whole = analyse("升学成绩满分是多少？")
    assert not answers_type(whole, "体育、艺术等四科满分各20分。")
    assert answers_type(whole, "升学成绩满分为700分。")
    assert answers_type(analyse("各科满分是多少？"), "体育、艺术等四科满分各20分。")
    assert answers_type(analyse("每科满分分别是多少？"), "四科满分各20分。")


def test_a_requirement_on_a_measure_needs_the_figure():
    info = analyse("购买经济适用住房，对家庭人均住房建筑面积有什么要求？")
    assert info.unit == "平方米"
    assert answers_type(info, "（三）无住房或者家庭人均住房建筑面积不足20平方米；")
    assert not answers_type(info, "计算家庭人均住房建筑面积时应当将家庭成员的住房合并计算。")
    # Without a measure noun a requirement question asks for no figure.
    assert analyse("申请廉租住房对户籍有什么要求？").unit is None


def _check() -> AnswerCheck:
    return AnswerCheck(lambda term: 1.0)


def test_a_list_item_reads_with_its_lead_in():
    info = analyse("申请廉租住房的家庭对人均住房建筑面积有什么要求？")
    item = "（三）人均住房建筑面积在12平方米以下；"
    alone = _check().verify(info, Candidate(item, ("第十条",), "某市廉租住房管理办法", item))
    led = _check().verify(info, Candidate(item, ("第十条",), "某市廉租住房管理办法", item,
                                          lead="第十条申请廉租住房的家庭应同时具备以下条件："))
    assert led.focus_share > alone.focus_share
    assert led.ok


def test_an_item_ending_with_a_semicolon_is_never_a_bare_heading():
    item = "（三）无住房或者家庭人均住房建筑面积不足20平方米；"
    v = _check().verify(analyse("家庭人均住房建筑面积不足多少平方米？"),
                        Candidate(item, ("第七条", "（三）无住房或者家庭人均住房建筑面积不足20平方米"), "某办法", item))
    assert v.not_heading


def test_a_run_on_list_splits_after_its_lead_in():
    text = "第四条申请人应同时符合下列条件：(一)持有本市居住证；(二)不超过法定退休年龄。第五条 其他。"
    assert sentences(text)[:3] == ["第四条申请人应同时符合下列条件：", "(一)持有本市居住证；", "(二)不超过法定退休年龄。"]
    assert sentences("时间：2016年6月1日。") == ["时间：2016年6月1日。"]  # a colon before a date is not a lead-in


RUN_ON = ("某市积分落户管理办法\n"
          "第一条 为规范积分落户，制定本办法。第二条 本办法适用于本市。"
          "第三条 申请人申请积分落户应同时符合下列条件：(一)持有本市居住证；(二)不超过法定退休年龄；"
          "(三)在本市连续缴纳社会保险7年及以上；(四)无刑事犯罪记录。第四条 积分落户实行年度申报制度。\n")


def test_a_list_question_on_a_flattened_page_gets_every_item(tmp_path):
    from assistant.app.facade import Assistant
    from assistant.fakes import HashEmbedder
    p = tmp_path / "某市积分落户管理办法.txt"
    p.write_text(RUN_ON, encoding="utf-8")
    a = Assistant(make_settings(tmp_path / "data"), embedder=HashEmbedder())
    a.ingest([p])
    ans = a.ask("申请积分落户需要同时符合哪些条件？")
    assert ans.outcome == "answer"
    quotes = [c.quote for c in ans.citations]
    assert quotes[1:] == ["(一)持有本市居住证；", "(二)不超过法定退休年龄；", "(三)在本市连续缴纳社会保险7年及以上；",
                          "(四)无刑事犯罪记录。"]
    assert "年度申报" not in ans.text


def test_name_words_are_rare_among_names_and_not_common_in_the_text():
    assert is_name_word(2 / 20, 0.05)       # 廉租: two names of twenty, a twentieth of the passages
    assert not is_name_word(6 / 20, 0.05)   # 住房: too many names hold it
    assert not is_name_word(1 / 20, 0.30)   # 家庭: one name, but a third of all passages
    assert not is_name_word(0.0, 0.0)


def test_rare_name_words_pick_the_document_and_the_best_named_wins():
    docs = [DocPlace("lz", ("兰州市",), ("兰州市城镇最低收入家庭廉租住房管理办法",)),
            DocPlace("jj", ("兰州市",), ("兰州市经济适用住房管理办法",)),
            DocPlace("yl", ("兰州市",), ("兰州市城乡居民养老保险办法",)),
            *[DocPlace(f"x{i}", ("西宁市",), (f"西宁市第{i}号通知",)) for i in range(20)]]
    # 家庭 and 住房 are in many passages of such a library; 经济 and 适用 in few.
    share = {"家庭": 0.3, "住房": 0.4}.get
    weights = docs_named_by_words("兰州市购买经济适用住房，对家庭人均住房面积有什么要求？", docs,
                                  text_share=lambda t: share(t, 0.01))
    assert weights == {"jj": 2.0}
    assert best_named(weights, ["lz", "jj", "yl"], keep_all=False) == ["jj"]
    # Without the text's view, 家庭 (in one name) would pick the 廉租 file as well.
    assert set(best_named(docs_named_by_words("兰州市对家庭人均住房面积有什么要求？", docs), None, False)) == {"lz"}
    # 家庭 in one name but in most passages is no name word.
    common = docs_named_by_words("家庭人均收入是多少？", docs, text_share=lambda t: {"家庭": 0.4, "收入": 0.3}.get(t, 0.0))
    assert common == {}
    # A comparison keeps every document it names.
    both = docs_named_by_words("兰州市廉租住房和经济适用住房分别要求收入多少？", docs)
    assert set(best_named(both, None, keep_all=True)) == {"lz", "jj"}


def test_a_numbered_item_with_a_figure_is_not_a_bare_heading():
    item = "3.持证人取得大学本科学历和学士学位，积90分。"
    v = _check().verify(analyse("取得大学本科学历和学士学位积多少分？"),
                        Candidate(item, ("第二章 积分指标", "（二）教育背景", item.rstrip("。")), "某办法", item))
    assert v.not_heading and v.ok
    title = "（二）教育背景"
    assert not _check().verify(analyse("教育背景积多少分？"),
                               Candidate(title, ("第二章 积分指标", title), "某办法", title)).not_heading


def test_a_list_of_figures_is_answered_by_a_sentence_that_lists_them():
    info = analyse("缴费比例可以选哪几档？")
    assert info.wants_list and info.wants_number
    assert answers_type(info, "缴费比例可按照缴费基数的6%、7.5%、10%、20%选择；")
    assert not answers_type(info, "第九条参保人应当于每年3月底前申报下个缴费年度的缴费比例；")


EXAMS = ("某市2016年中考招生工作通知\n"
         "一、考试科目\n"
         "考试科目、考试形式、答卷时间、满分分值如下：\n"
         "考试科目 | 考试形式 | 答卷时间 | 满分分值\n"
         "语文 | 闭卷 | 120分钟 | 120分\n"
         "科学 | 闭卷 | 120分钟 | 180分\n"
         "历史与社会 | 开卷 | 90分钟 | 100分\n"
         "二、录取\n"
         "录取按总分从高到低进行。\n")


def test_a_table_row_is_answered_and_read_by_its_columns(tmp_path):
    from docx import Document as Docx

    from assistant.app.facade import Assistant
    from assistant.fakes import HashEmbedder
    doc = Docx()
    lines = EXAMS.strip().split("\n")
    for line in lines[:3]:
        doc.add_paragraph(line)
    rows = [r.split(" | ") for r in lines[3:7]]
    table = doc.add_table(rows=len(rows), cols=4)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    for line in lines[7:]:
        doc.add_paragraph(line)
    path = tmp_path / "某市2016年中考招生工作通知.docx"
    doc.save(str(path))
    a = Assistant(make_settings(tmp_path / "data"), embedder=HashEmbedder())
    a.ingest([path])
    ans = a.ask("科学科目满分多少分？")
    assert ans.outcome == "answer"
    assert "科学" in ans.citations[0].quote and "180分" in ans.citations[0].quote
    assert "满分分值：180分" in ans.text            # read under the header's names
    # A subject the table does not have is not answered from the header's words.
    assert a.ask("地理科目满分多少分？").outcome != "answer"


def test_a_figure_must_belong_to_the_value_noun_the_question_names():
    info = analyse("升学成绩满分是多少？")
    assert info.unit_noun == "满分" and info.unit == "分"
    # 满分 is named but given no figure of its own; the 20分 are grades.
    assert not answers_type(info, "将四科毕业成绩按A等20分、B等16分计入升学成绩，满分各20分。")
    assert answers_type(info, "升学成绩满分为700分。")
    assert answers_type(info, "升学成绩总分700分。")   # 满分 not named: the figure stands on its own


def test_the_word_that_narrows_the_thing_measured_must_be_quoted():
    check = AnswerCheck(lambda term: 1.0, focus_min=0.5)
    asked = analyse("新建廉租住房的单套建筑面积标准是多少平方米？")
    other = "（三）申请家庭人均住房建筑面积在12平方米以下；"
    right = "新建廉租住房单套建筑面积控制在50平方米以内。"
    assert not check.verify(asked, Candidate(other, ("第十条",), "某市廉租住房管理办法", other)).focus
    assert check.verify(asked, Candidate(right, ("第五条",), "某市廉租住房管理办法", right)).ok
    # With no narrowing word before it, the thing measured alone is enough.
    plain = analyse("人均住房建筑面积是多少平方米？")
    assert check.verify(plain, Candidate(other, ("第十条",), "某市廉租住房管理办法", other)).ok


def test_each_place_of_a_comparison_is_asked_its_own_part():
    from assistant.answer.scope import side_questions
    q = "兰州市积分落户和西宁市居住证积分，每缴纳1年社会保险分别积几分？"
    assert side_questions(q, ["兰州市", "西宁市"]) == {
        "兰州市": "兰州市积分落户，每缴纳1年社会保险分别积几分？",
        "西宁市": "西宁市居住证积分，每缴纳1年社会保险分别积几分？"}
    # A bare place shares the next side's words.
    assert side_questions("兰州和西宁的中考，烈士子女分别加多少分？", ["兰州市", "西宁市"]) == {
        "兰州市": "兰州的中考，烈士子女分别加多少分？", "西宁市": "西宁的中考，烈士子女分别加多少分？"}
    assert side_questions("兰州的中考加分是多少？", ["兰州市", "西宁市"]) == {}
    # Without a shared clause after the last place, the sides cannot be told apart.
    assert side_questions("兰州方案和西宁实施意见对毛入园率分别提出了什么目标？", ["兰州市", "西宁市"]) == {}


def test_the_thing_measured_is_read_before_the_asking_word():
    focus = analyse("租赁补贴的人均保障面积按多少平方米计算？").focus
    assert "面积" in focus and "计算" not in focus
    assert analyse("多少人参加培训？").focus == ("人", "参加", "培训")


ITEMS = ("某市廉租住房保障办法\n"
         "第一条\n"
         "租赁住房补贴按保障面积计算。各项计算标准如下：\n"
         "（一）人均保障居住建筑面积标准：18平方米；\n"
         "（二）家庭人口计算标准：1人家庭按1.5人计算；\n")


def test_an_item_section_reads_with_its_articles_lead_in():
    from pathlib import Path

    from assistant.answer.extractive import ExtractiveAnswerer
    from assistant.index.indexer import build_document
    from assistant.ingest.chunking import chunk_document
    from assistant.ingest.cleaning import OffsetMap
    doc = build_document(Path("某市廉租住房保障办法.txt"), ITEMS.encode("utf-8"))
    chunks = chunk_document(doc.doc_id, doc.meta.title, doc.text, list(doc.sections), OffsetMap(doc.offset_runs),
                            chunk_size=200)
    item = next(c for c in chunks if c.text.startswith("（二）"))
    answerer = ExtractiveAnswerer({}, None, None, lambda d: chunks)
    assert answerer.parent_lead(item) == "各项计算标准如下："
    # A chunk that does not start with an item has no lead-in from before it.
    assert answerer.parent_lead(chunks[0]) == ""


def test_which_five_items_is_a_list_question():
    assert analyse("申请入户必须同时符合哪五项基本条件？").wants_list
    assert analyse("包括哪三个方面？").wants_list
    assert not analyse("申请入户需要几年？").wants_list


def test_a_decree_number_names_the_document_not_the_thing_asked():
    from assistant.textrules import DECREE_NUMBER
    assert DECREE_NUMBER.search("东莞《社会基本医疗保险规定》（东府令第135号）的实施期")
    terms = _check().focus_terms("《某市医疗保险规定》（某府令第135号）的实施期和有效期是怎样的？", "某市医疗保险规定")
    assert "有效期" in terms and not any("府" in t or "135" in t for t in terms)


def test_a_compound_over_a_frame_word_is_no_focus_term():
    terms = _check().focus_terms("养老保险的缴费标准分哪几个档次？", "某市养老保险办法")
    assert terms == ("缴费", "档次")          # 标准分 is 标准 (a frame word) + 分
    assert "收费" in _check().focus_terms("廉租住房的收费标准是多少？", "某办法")
    assert "用人单位" in _check().focus_terms("用人单位缴纳的保险费有多少计入个人帐户？", "某办法")


def test_a_year_that_names_the_documents_edition_does_not_rule_out_other_years_in_it():
    info = analyse("2015年公办小学招生对象要求在什么日期前出生？")
    sentence = "我区公办小学招生对象为2009年8月31日前出生。"
    edition = _check().verify(info, Candidate(sentence, (), "某区2015年公办小学招生通告", sentence))
    assert edition.year
    other = _check().verify(info, Candidate(sentence, (), "某区公办小学招生通告", sentence,
                                            doc_years=frozenset({"2009", "2016"})))
    assert not other.year
