import json

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from assistant.cleaning import clean
from assistant.drafting.evaluate import names_match, section_covered
from assistant.drafting.export_docx import export_docx
from assistant.drafting.facts import FactScrubber
from assistant.drafting.model import NO_MEASURES, NOT_IN_TEMPLATES, DraftRequest
from assistant.drafting.outline import OutlineBuilder
from assistant.drafting.pipeline import make_request
from assistant.drafting.skeleton import align_templates
from assistant.indicators import parse_indicator_table

from conftest import REPO_ROOT, SEED_003

TEMPLATE_PLACES = ("金普新区", "大连", "辽宁", "金州区", "长三角", "普湾经济区")


def test_indicator_table_parser_on_the_flattened_seed():
    text = clean(SEED_003.read_text(encoding="utf-8")).text
    rows = parse_indicator_table(text[text.index("“十三五”时期"):text.index("二、主要任务")])
    assert len(rows) == 26
    by_name = {r.name: r for r in rows}
    assert (by_name["九年义务教育巩固率"].domain, by_name["九年义务教育巩固率"].unit,
            by_name["九年义务教育巩固率"].base, by_name["九年义务教育巩固率"].target) == ("基本公共教育", "%", "95.7", "97.5")
    assert (by_name["孕产妇死亡率"].unit, by_name["孕产妇死亡率"].base, by_name["孕产妇死亡率"].target) == ("1/10万", "10", "9")
    # "婴儿死亡率() 4.5 4.35 岁以下儿童死亡率" in the flattened text: the digit goes back to its row.
    assert (by_name["婴儿死亡率"].base, by_name["婴儿死亡率"].target) == ("4.5", "4.3")
    assert (by_name["5岁以下儿童死亡率"].base, by_name["5岁以下儿童死亡率"].target) == ("5.5", "5.3")
    assert (by_name["城镇新增就业人数"].unit, by_name["城镇新增就业人数"].base, by_name["城镇新增就业人数"].target) == ("万人", None, "5")
    assert (by_name["残疾儿童少年义务教育入学率"].domain, by_name["残疾儿童少年义务教育入学率"].target) == ("残疾人基本公共服务", "99")
    assert [r.domain for r in rows].count("基本医疗卫生") == 7


def test_template_alignment_puts_equivalent_sections_together(hash_assistant):
    paths = {d["doc_id"]: [c.heading_path for c in hash_assistant.chunks_of(d["doc_id"])]
             for d in hash_assistant.documents()}
    al = align_templates(paths)
    assert al.nodes["指导思想"] == [("000_72f48bf4814f4020", ("一、总体思路", "（一）指导思想")),
                                ("003_99ee4da949b934db", ("一、总体要求", "（一）指导思想"))]
    assert ("000_72f48bf4814f4020", ("二、构建优质公平的现代教育服务体系", "（二）均衡发展义务教育", "优化义务教育资源配置")) \
        in al.nodes["教育/义务教育"]
    assert ("003_99ee4da949b934db", ("二、主要任务和措施", "（一）大力发展基本公共教育", "1.重点任务", "义务教育")) \
        in al.nodes["教育/义务教育"]
    assert {d for d, _ in al.nodes["主要目标"]} == {"000_72f48bf4814f4020", "003_99ee4da949b934db"}


def test_fact_replacement_exact():
    s = FactScrubber("青禾县", 2026, 2030, ["金普新区"], ["普湾经济区", "金州区", "大连市", "辽宁省", "长三角", "大连", "辽宁"])
    assert s.scrub("到2020年,新区形成与全面建成小康社会目标相衔接的基本公共服务体系") == \
        "到2030年,青禾县形成与全面建成小康社会目标相衔接的基本公共服务体系"
    assert s.scrub("普通高中:实施县二中(高中)迁建、县实验中学迁建、县民安中学建设、县北城中学建设等项目。") == \
        "普通高中:【项目名称待补充】等项目。"
    assert s.scrub("交流轮岗的比例不低于符合交流条件教师总数的10%,其中骨干教师不低于交流轮岗教师总数的20%。") == \
        "交流轮岗的比例不低于符合交流条件教师总数的【目标值待定】,其中骨干教师不低于交流轮岗教师总数的【目标值待定】。"
    assert s.scrub("辽宁省人民政府关于印发规划的通知(辽政发201756号)") == "【所在地区】人民政府关于印发规划的通知【文号】"
    assert s.scrub("充分利用新区管委会网站,“大连金普新区人才广场”微信平台") == \
        "充分利用青禾县管委会网站,“【所在地区】青禾县人才广场”微信平台"
    assert s.scrub("全面推行现代学徒制、企业新型学徒制、订单培养等校企育人模式") == \
        "全面推行现代学徒制、企业新型学徒制、订单培养等校企育人模式"
    kinds = {r.kind for r in s.replacements()}
    assert kinds == {"place", "project", "target", "year", "doc_number"}


def _outline(a, domains, years=(2026, 2030)):
    return OutlineBuilder(a, DraftRequest("青禾县", tuple(domains), *years)).build()


def test_unsupported_items_are_marked_not_invented(hash_assistant):
    o = _outline(hash_assistant, ["养老服务", "航天科普"])
    items = {it.title: it for it, _ in o.walk()}
    assert items["养老服务"].note == NO_MEASURES
    assert items["养老服务"].points == ("范本仅列有指标：养老床位中护理型床位比例、生活不能自理特困人员集中供养率（目标值待定），未给出具体举措。",)
    assert items["养老服务"].sources == ()
    assert (items["航天科普"].note, items["航天科普"].points, items["航天科普"].sources) == (NOT_IN_TEMPLATES, (), ())


def test_truncated_template_section_is_flagged(hash_assistant):
    o = _outline(hash_assistant, ["社会保险"], (2027, 2030))
    items = {it.title: it for it, _ in o.walk()}
    assert items["医疗保险"].note == NOT_IN_TEMPLATES
    assert items["医疗保险"].points[-1] == "范本原文在此处中断，其余内容需本地补充。"
    assert items["医疗保险"].sources[0].quote == "落实执行市级整合城乡居民医保政策。"


def test_every_source_quote_is_exact_corpus_text(hash_assistant):
    o = _outline(hash_assistant, ["教育", "医疗卫生", "劳动就业创业", "社会保险"])
    docs = {d["doc_id"]: hash_assistant.document(d["doc_id"]) for d in hash_assistant.documents()}
    sources = [s for it, _ in o.walk() for s in it.sources]
    assert len(sources) > 30
    for s in sources:
        assert s.quote in docs[s.doc_id].text
        assert docs[s.doc_id].original[s.start:s.end] == s.source_text


def test_must_have_matching_rule():
    assert names_match("总体目标", "主要目标（到2028年）")
    assert names_match("主要发展指标表", "主要发展指标")
    assert not names_match("师资队伍与经费投入和资助", "经费投入与学前教育资助")


DEV_REQUESTS = [json.loads(line) for line in (REPO_ROOT / "eval" / "draft_requests.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("row", DEV_REQUESTS, ids=[r["id"] for r in DEV_REQUESTS])
def test_draft_docx_for_each_dev_request(hash_assistant, tmp_path, row):
    req = make_request(row["county"], row["domains"], f"{row['year_from']}-{row['year_to']}", row["instruction"])
    draft = hash_assistant.draft(req)
    covered = [m for m in row["must_have_sections"] if section_covered(m, draft.outline)]
    assert len(covered) >= len(row["must_have_sections"]) - 1
    path = export_docx(draft, tmp_path / f"{row['id']}.docx")
    doc = Document(str(path))
    sec = doc.sections[0]
    def mm(v):  # Word stores twips: compare to a tenth of a millimetre
        return round(v / Mm(1), 1)
    assert (mm(sec.page_width), mm(sec.page_height)) == (210.0, 297.0)
    assert tuple(map(mm, (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin))) == (37.0, 35.0, 28.0, 26.0)
    paras = [p for p in doc.paragraphs if p.text.strip()]
    title = paras[0]
    assert title.text == f"{row['county']}{row['year_from']}—{row['year_to']}年基本公共服务能力提升实施方案"
    assert title.alignment == 1 and title.runs[0].font.size == Pt(22)
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    level1 = [p.text for p in paras if p.text[:2] in ("一、", "二、", "三、", "四、", "五、")]
    assert level1 == ["一、总体要求", "二、主要任务", "三、重点项目专栏", "四、保障措施"]
    h1 = next(p for p in paras if p.text == "一、总体要求")
    assert h1.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体" and h1.runs[0].font.size == Pt(16)
    h2 = next(p for p in paras if p.text.startswith("（一）指导思想"))
    assert h2.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    h3 = next(p for p in paras if p.text.startswith("1."))
    assert h3.runs[0].font.bold and h3.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    body = next(p for p in paras if p.text.startswith("为加快补齐"))
    assert body.paragraph_format.line_spacing == Pt(28.95) and body.paragraph_format.line_spacing_rule == 4
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    [table] = doc.tables
    assert [c.text for c in table.rows[0].cells] == ["领域", "指标", "单位", f"基期值（{row['year_from'] - 1}年）",
                                                     f"目标值（{row['year_to']}年）"]
    assert len(table.rows) >= 3
    footer = sec.footer.paragraphs[0]
    assert footer.text == "—  —" and "PAGE" in footer._p.xml and footer.runs[0].font.size == Pt(14)
    own = "\n".join(p.text for p in doc.paragraphs).split("附：已替换的范本内容")[0]
    own += "\n".join(c.text for r in table.rows for c in r.cells)
    assert [p for p in TEMPLATE_PLACES if p in own] == []


def test_sources_as_word_comments(hash_assistant, tmp_path):
    req = make_request("青禾县", "教育", "2026-2030", sources_as="comments")
    path = export_docx(hash_assistant.draft(req), tmp_path / "c.docx", sources_as="comments")
    doc = Document(str(path))
    comments = list(doc.comments)
    assert len(comments) > 5
    assert all(c.author == "政策通" for c in comments)
    assert any("《金普新区推进基本公共服务均等化实施意见》一（二）" in c.text for c in comments)
    assert "附：起草依据" not in "\n".join(p.text for p in doc.paragraphs)
