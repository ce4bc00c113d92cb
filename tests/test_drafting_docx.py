"""GB/T 9704-2012 layout of the exported Word file: each rule is read back from the saved .docx
(python-docx / lxml) and compared with the exact value the standard asks for, so breaking any
one rule fails a test."""
from __future__ import annotations

import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from assistant.drafting.export_docx import export_docx
from assistant.drafting.model import (
    Draft,
    DraftRequest,
    IndicatorLine,
    Outline,
    OutlineItem,
    renumber,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _outline() -> Outline:
    req = DraftRequest("青禾区", (), 2026, 2030, topic="基本公共服务能力提升")
    items = renumber((
        OutlineItem(1, "", "总体要求", children=(
            OutlineItem(2, "", "指导思想", points=("坚持以人民为中心的发展思想。",), children=(
                OutlineItem(3, "", "保障基本", points=("兜住民生底线。",)),)),
            OutlineItem(2, "", "主要指标", points=("主要指标见附表。",), kind="table"),
        )),
        OutlineItem(1, "", "保障措施", points=("加强组织领导。",)),
    ))
    return Outline(req, "青禾区2026—2030年基本公共服务能力提升实施方案", "为做好青禾区基本公共服务工作，制定本方案。", items,
                   (IndicatorLine("基本公共教育", "九年义务教育巩固率", "%", None),
                    IndicatorLine("基本公共教育", "学前三年毛入园率", "%", None)), templates=("《范本》",))


# Made anew for each test (a tenth of a second): a module-wide file would be written during the
# first test only, and the mutation benchmark (eval/mutation.py) would then run only that test
# against a mutant of the exporter.
@pytest.fixture
def saved(tmp_path):
    path = export_docx(Draft(_outline()), tmp_path / "plan.docx")
    return path, Document(str(path))


def _east_asia(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def _para(doc, text):
    return next(p for p in doc.paragraphs if p.text.startswith(text))


def test_page_and_margins(saved):
    _, doc = saved
    s = doc.sections[0]
    def mm(v):
        return round(v / Mm(1), 1)
    assert (mm(s.page_width), mm(s.page_height)) == (210.0, 297.0)
    assert (mm(s.top_margin), mm(s.bottom_margin), mm(s.left_margin), mm(s.right_margin)) == (37.0, 35.0, 28.0, 26.0)


def test_fonts_per_level_including_east_asian(saved):
    _, doc = saved
    title = doc.paragraphs[0]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert (_east_asia(title.runs[0]), title.runs[0].font.size) == ("方正小标宋简体", Pt(22))
    h1 = _para(doc, "一、总体要求")
    assert (_east_asia(h1.runs[0]), h1.runs[0].font.size, h1.runs[0].font.bold) == ("黑体", Pt(16), False)
    h2 = _para(doc, "（一）指导思想")
    assert (_east_asia(h2.runs[0]), h2.runs[0].font.size) == ("楷体_GB2312", Pt(16))
    assert _east_asia(h2.runs[-1]) == "仿宋_GB2312" and h2.runs[-1].text == "坚持以人民为中心的发展思想。"
    h3 = _para(doc, "1.保障基本")
    assert (_east_asia(h3.runs[0]), h3.runs[0].font.bold) == ("仿宋_GB2312", True)
    body = _para(doc, "为做好青禾区")
    assert (_east_asia(body.runs[0]), body.runs[0].font.size) == ("仿宋_GB2312", Pt(16))
    normal = doc.styles["Normal"].element.rPr
    assert normal.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_exact_line_spacing_and_22_lines_of_28_characters(saved):
    _, doc = saved
    for text in ("为做好青禾区", "一、总体要求", "（一）指导思想", "1.保障基本"):
        fmt = _para(doc, text).paragraph_format
        assert (fmt.line_spacing_rule, fmt.line_spacing) == (WD_LINE_SPACING.EXACTLY, Pt(28.95)), text
        assert (fmt.space_before, fmt.space_after) == (Pt(0), Pt(0)), text
    s = doc.sections[0]
    grid = s._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")
    text_height_pt = (s.page_height - s.top_margin - s.bottom_margin) / Pt(1)
    assert int(text_height_pt // 28.95) == 22
    spacing = doc.styles["Normal"].element.rPr.find(qn("w:spacing"))
    char_pt = 16 + int(spacing.get(qn("w:val"))) / 20
    line_pt = (s.page_width - s.left_margin - s.right_margin) / Pt(1)
    assert int(line_pt // char_pt) == 28
    assert _para(doc, "为做好青禾区").paragraph_format.first_line_indent == Pt(32)


def test_page_numbers_right_on_odd_pages_left_on_even(saved):
    path, doc = saved
    with zipfile.ZipFile(path) as z:
        settings = z.read("word/settings.xml").decode("utf-8")
    assert "<w:evenAndOddHeaders/>" in settings or "w:evenAndOddHeaders " in settings
    s = doc.sections[0]
    for footer, align, indent in ((s.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                  (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        assert not footer.is_linked_to_previous
        p = footer.paragraphs[0]
        assert p.alignment == align
        fmt = p.paragraph_format
        assert (fmt.right_indent if indent == "right" else fmt.left_indent) == Pt(14)   # 空一字
        assert p.text == "—  —"
        assert [r.text for r in p.runs] == ["— ", "", " —"]
        instr = p._p.findall(f".//{W}instrText")
        assert [i.text for i in instr] == ["PAGE"]
        for r in p.runs:
            fonts = r._element.rPr.rFonts
            assert r.font.size == Pt(14)
            assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:eastAsia")} == {"宋体"}   # 半角宋体 digits


def test_indicator_table_is_an_attachment_at_the_end(saved):
    _, doc = saved
    body = doc.element.body
    blocks = [el for el in body if el.tag in (f"{W}p", f"{W}tbl")]
    texts = ["<table>" if el.tag == f"{W}tbl" else "".join(t.text or "" for t in el.iter(f"{W}t")) for el in blocks]
    label_at = texts.index("附表")
    assert texts.index("<table>") > label_at
    assert texts.index("三、保障措施" if "三、保障措施" in texts else "二、保障措施") < label_at
    assert texts[label_at + 1] == "青禾区2026—2030年主要指标" and texts[label_at + 2] == "<table>"
    assert texts.count("<table>") == 1
    label = next(p for p in doc.paragraphs if p.text == "附表")
    assert label.paragraph_format.page_break_before is True
    assert label.alignment == WD_ALIGN_PARAGRAPH.LEFT and label.paragraph_format.first_line_indent is None
    assert (_east_asia(label.runs[0]), label.runs[0].font.size) == ("黑体", Pt(16))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["领域", "指标", "单位", "基期值（2025年）", "目标值（2030年）"]
    assert [c.text for c in table.rows[1].cells] == ["基本公共教育", "九年义务教育巩固率", "%", "【待填】", "【目标值待定】"]
    # The drafting notes come after the attachment and say they are not part of the document.
    notes = texts.index("起草说明（供审核，不属于正文）")
    assert notes > texts.index("<table>")


def test_no_attachment_without_indicators(tmp_path):
    o = _outline()
    o = Outline(o.request, o.title, o.preamble, o.items, ())
    doc = Document(str(export_docx(Draft(o), tmp_path / "x.docx")))
    assert not doc.tables and "附表" not in [p.text for p in doc.paragraphs]


def test_sources_as_word_comments(tmp_path):
    from assistant.drafting.model import SourceRef
    o = _outline()
    src = SourceRef("d1", "范本", ("一、总体要求", "（一）指导思想"), "一（一）", "坚持以人民为中心。", "坚持以人民为中心。", 0, 9)
    old = SourceRef("d2", "旧范本", (), "", "贯彻党的十九大精神。", "贯彻党的十九大精神。", 0, 10, "较旧表述（党的十九大，现行为党的二十大），未采用")
    first = o.items[0].children[0]
    items = (o.items[0].__class__(**{**o.items[0].__dict__, "children": (
        first.__class__(**{**first.__dict__, "sources": (src, old)}),) + o.items[0].children[1:]}),) + o.items[1:]
    o = Outline(o.request, o.title, o.preamble, items, o.indicators)
    doc = Document(str(export_docx(Draft(o), tmp_path / "c.docx", sources_as="comments")))
    [comment] = list(doc.comments)
    assert comment.author == "政策通"
    assert comment.text == ("《范本》一（一） 一、总体要求 > （一）指导思想：“坚持以人民为中心。”\n"
                            "《旧范本》：“贯彻党的十九大精神。”——较旧表述（党的十九大，现行为党的二十大），未采用")
    texts = [p.text for p in doc.paragraphs]
    assert "起草依据：" not in texts
