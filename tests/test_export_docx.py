"""What the exported Word file says, read back paragraph by paragraph: heading runs and their
points, notes, the drafting notes (templates, replacements, sources) and the attachment title."""
from __future__ import annotations

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from assistant.drafting.export_docx import export_docx
from assistant.drafting.model import (
    NOT_IN_TEMPLATES,
    Draft,
    DraftRequest,
    IndicatorLine,
    Outline,
    OutlineItem,
    Replacement,
    SourceRef,
    renumber,
)

REQ = DraftRequest("乙县", (), 2026, 2030, topic="养老服务")
USED = SourceRef("d1", "甲县养老服务方案", ("二、主要任务", "（一）居家养老"), "二（一）", "发展居家养老。", "发展居家养老。", 0, 7)
OLD = SourceRef("d2", "旧方案", (), "", "贯彻党的十九大精神。", "贯彻党的十九大精神。", 0, 10, "较旧表述，未采用")


def _outline(indicators=(), sources=(USED, OLD), replacements=(), templates=("《甲县养老服务方案》",)) -> Outline:
    items = renumber((
        OutlineItem(1, "", "主要任务", points=("发展居家养老", "完善社区服务。"), children=(
            OutlineItem(2, "", "居家养老", points=("建设养老服务站", "培训护理员！", "完善设施（含农村）", "加强监管【待核】",
                                                      "如何落实？"), sources=sources),
            OutlineItem(2, "", "医养结合。", points=("推进医养结合",)),
            OutlineItem(2, "", "智慧养老", note=NOT_IN_TEMPLATES, children=(
                OutlineItem(3, "", "适老化改造", points=("改造老旧小区",)),)),
        )),
    ))
    return Outline(REQ, "乙县2026—2030年养老服务实施方案", "为做好养老服务工作，制定本方案。", items, indicators,
                   replacements, templates)


def _texts(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_heading_runs_points_and_notes(tmp_path):
    doc = Document(str(export_docx(Draft(_outline()), tmp_path / "a.docx")))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:4] == ["乙县2026—2030年养老服务实施方案", "", "为做好养老服务工作，制定本方案。", "一、主要任务"]
    # A level-1 item's points follow as their own paragraph, each ending in 。 once.
    assert texts[4] == "发展居家养老。完善社区服务。"
    # A level-2 item runs on after its title; a title ending in 。 gets no second one; ！ ends a point.
    assert texts[5] == "（一）居家养老。建设养老服务站。培训护理员！完善设施（含农村）加强监管【待核】如何落实？"
    assert texts[6] == "（二）医养结合。推进医养结合。"
    assert texts[7] == f"（三）智慧养老【{NOT_IN_TEMPLATES}】"
    assert texts[8] == "1.适老化改造。改造老旧小区。"
    h2 = doc.paragraphs[5]
    assert [r.text for r in h2.runs][:2] == ["（一）居家养老", "。"]
    assert [r.font.bold for r in h2.runs] == [False, False, False]
    assert {r.font.size for r in h2.runs} == {Pt(16)}
    h3 = doc.paragraphs[8]
    assert [r.font.bold for r in h3.runs] == [True, True, False]      # 1. title and its 。 bold, text not
    assert {r.font.size for r in h3.runs} == {Pt(16)}
    title = doc.paragraphs[0]
    assert title.runs[0].font.bold is False
    assert title.paragraph_format.line_spacing.pt == 34.75     # 1.2 body lines, in whole twips
    assert title.paragraph_format.first_line_indent is None


def test_drafting_notes_list_templates_replacements_and_sources(tmp_path):
    o = _outline(replacements=(Replacement("甲县", "乙县", "place", 3),), templates=("《甲县养老服务方案》", "《丙县方案》"))
    texts = _texts(export_docx(Draft(o), tmp_path / "b.docx"))
    notes = texts.index("起草说明（供审核，不属于正文）")
    assert texts[notes + 1:] == [
        "所依范本：《甲县养老服务方案》、《丙县方案》。",
        "已替换的范本内容：",
        "“甲县” → “乙县”（3 处）",
        "起草依据：",
        "（一）居家养老（参照《甲县养老服务方案》二（一））",
        "《甲县养老服务方案》二（一） 二、主要任务 > （一）居家养老：“发展居家养老。”",
        "《旧方案》：“贯彻党的十九大精神。”——较旧表述，未采用",
    ]
    para = Document(str(tmp_path / "b.docx")).paragraphs[notes]
    assert para.paragraph_format.page_break_before is True
    assert para.runs[0].font.size == Pt(16) and para.paragraph_format.first_line_indent is None


def test_sources_go_to_the_notes_by_default_even_when_none_is_flagged(tmp_path):
    texts = _texts(export_docx(Draft(_outline(sources=(USED,), templates=())), tmp_path / "deep" / "er" / "n.docx"))
    assert texts[-4:] == ["起草说明（供审核，不属于正文）", "起草依据：", "（一）居家养老（参照《甲县养老服务方案》二（一））",
                          "《甲县养老服务方案》二（一） 二、主要任务 > （一）居家养老：“发展居家养老。”"]


def test_no_drafting_notes_when_there_is_nothing_to_say(tmp_path):
    texts = _texts(export_docx(Draft(_outline(sources=(), templates=())), tmp_path / "c.docx"))
    assert "起草说明（供审核，不属于正文）" not in texts and "起草依据：" not in texts


def test_comments_keep_only_flagged_sources_in_the_notes(tmp_path):
    path = export_docx(Draft(_outline(templates=())), tmp_path / "d.docx", sources_as="comments")
    doc = Document(str(path))
    [comment] = list(doc.comments)
    assert (comment.author, comment.initials) == ("政策通", "ZCT")
    # The one item's used source is a comment: nothing is left for the drafting notes.
    assert "起草说明（供审核，不属于正文）" not in [p.text for p in doc.paragraphs]
    # Only flagged sources: no comment at all, the whole list goes to the notes.
    only_old = export_docx(Draft(_outline(sources=(OLD,), templates=())), tmp_path / "e.docx", sources_as="comments")
    assert not list(Document(str(only_old)).comments)
    assert _texts(only_old)[-4:] == ["起草说明（供审核，不属于正文）", "起草依据：", "（一）居家养老",
                                     "《旧方案》：“贯彻党的十九大精神。”——较旧表述，未采用"]


def test_attachment_title_from_the_table_item_or_the_county_and_years(tmp_path):
    line = IndicatorLine("养老", "护理型床位占比", "%", None)
    texts = _texts(export_docx(Draft(_outline(indicators=(line,))), tmp_path / "f.docx"))
    assert texts[texts.index("附表") + 1] == "乙县2026—2030年主要指标"
    o = _outline(indicators=(line,))
    table_item = OutlineItem(2, "", "养老服务主要指标", kind="table")
    first = o.items[0]
    items = renumber((OutlineItem(first.level, "", first.title, first.points, first.sources, first.note, first.kind,
                                  first.children + (table_item,)),))
    o = Outline(o.request, o.title, o.preamble, items, o.indicators, o.replacements, o.templates)
    doc = Document(str(export_docx(Draft(o), tmp_path / "g.docx")))
    texts = [p.text for p in doc.paragraphs]
    at = texts.index("附表")
    assert texts[at + 1] == "养老服务主要指标"
    heading = doc.paragraphs[at + 1]
    assert heading.runs[0].font.size == Pt(22) and heading.paragraph_format.line_spacing.pt == 34.75
    assert heading.alignment == WD_ALIGN_PARAGRAPH.CENTER and heading.paragraph_format.first_line_indent is None
    table = doc.tables[0]
    assert len(table.rows) == 2 and table.style.name == "Table Grid" and table.alignment == WD_TABLE_ALIGNMENT.CENTER
    assert [c.text for c in table.rows[1].cells] == ["养老", "护理型床位占比", "%", "【待填】", "【目标值待定】"]
    assert table.rows[0].cells[0].paragraphs[0].runs[-1].font.size == Pt(12)
    assert table.rows[1].cells[0].paragraphs[0].runs[-1].font.size == Pt(12)
    header = table.rows[0]._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader")
    assert header.get(qn("w:val")) == "true"         # the header row repeats on every page


def test_footer_sits_21_mm_from_the_page_edge(tmp_path):
    doc = Document(str(export_docx(Draft(_outline()), tmp_path / "h.docx")))
    assert round(doc.sections[0].footer_distance / Mm(1), 1) == 21.0


def test_page_number_is_a_page_field(tmp_path):
    doc = Document(str(export_docx(Draft(_outline()), tmp_path / "p.docx")))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for footer in (doc.sections[0].footer, doc.sections[0].even_page_footer):
        p = footer.paragraphs[0]._p
        assert [c.get(qn("w:fldCharType")) for c in p.iter(f"{w}fldChar")] == ["begin", "end"]
        [instr] = p.iter(f"{w}instrText")
        assert instr.get(qn("xml:space")) == "preserve"
