"""Word export following GB/T 9704-2012 (党政机关公文格式).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 2号 (22 pt) 方正小标宋简体
centred; body 3号 (16 pt) 仿宋_GB2312; fixed line spacing so the 225 mm text block holds 22 lines
(28.95 pt) and the 156 mm line holds 28 characters; 一、 headings 黑体, （一） 楷体_GB2312, 1. 仿宋
bold; page numbers “— N —” in 4号 (14 pt) 半角宋体 digits, one character in from the right edge on
odd pages and from the left edge on even pages (w:evenAndOddHeaders with separate footers); the
indicator table as 附表 on its own page after the body, labelled 附表 in 3号黑体 at the top left;
the drafting notes (templates used, replacements, sources) after it, marked as not part of the
document. East Asian fonts are set through w:eastAsia, which Word uses for Chinese characters."""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..answer.citeformat import source_line
from .compose import source_note
from .model import Draft, OutlineItem

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
LINE_PITCH_PT = 28.95      # 225 mm / 22 lines
BODY_PT, TITLE_PT, PAGE_PT = 16, 22, 14
CHAR_TIGHTEN_TWIPS = -5    # -0.25 pt


def set_font(run, name: str, size_pt: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _fixed_spacing(paragraph, first_line_indent: bool = True) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if first_line_indent:
        fmt.first_line_indent = Pt(BODY_PT * 2)


def _page_setup(doc) -> None:
    s = doc.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    s.footer_distance = Mm(28 - 7)
    # Grid: 22 lines of 28 characters.
    grid = s._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        s._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE_PITCH_PT * 20)))
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr()
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        normal.element.rPr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), BODY_FONT)
    # 28 characters of 16 pt need 448 pt; the line is 156 mm = 442 pt: tighten by 0.25 pt each.
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_TIGHTEN_TWIPS))
    normal.element.rPr.append(spacing)
    _page_number_footer(s, doc)


def _page_number_footer(section, doc) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        # 空一字: one 4号 character in from the outer edge.
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(PAGE_PT)
        else:
            p.paragraph_format.left_indent = Pt(PAGE_PT)
        set_font(p.add_run("— "), PAGE_FONT, PAGE_PT)
        run = p.add_run()
        set_font(run, PAGE_FONT, PAGE_PT)
        for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if tag:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), tag)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._r.append(el)
        set_font(p.add_run(" —"), PAGE_FONT, PAGE_PT)


def _heading_font(item: OutlineItem) -> tuple[str, bool]:
    return {1: (H1_FONT, False), 2: (H2_FONT, False)}.get(item.level, (BODY_FONT, True))


def export_docx(draft: Draft, path: Path, sources_as: str = "appendix") -> Path:
    outline = draft.outline
    doc = Document()
    _page_setup(doc)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fixed_spacing(title, first_line_indent=False)
    title.paragraph_format.line_spacing = Pt(LINE_PITCH_PT * 1.2)  # 2号 title needs more than one body line
    set_font(title.add_run(outline.title), TITLE_FONT, TITLE_PT)
    doc.add_paragraph()
    _body(doc, outline.preamble)

    appendix: list[tuple[str, OutlineItem]] = []
    for top in outline.items:
        for item, _ in top.walk():
            p = doc.add_paragraph()
            _fixed_spacing(p)
            font, bold = _heading_font(item)
            head = p.add_run(f"{item.number}{item.title}")
            set_font(head, font, BODY_PT, bold)
            text = "".join(x if x.endswith(("。", "）", "】", "！", "？")) else x + "。" for x in item.points)
            if item.level >= 2 and text:
                set_font(p.add_run("。" if not item.title.endswith("。") else ""), font, BODY_PT, bold)
                set_font(p.add_run(text), BODY_FONT, BODY_PT)
            if item.note:
                set_font(p.add_run(f"【{item.note}】"), BODY_FONT, BODY_PT)
            if item.level == 1 and text:
                _body(doc, text)
            if item.sources:
                if sources_as == "comments" and any(not s.flag for s in item.sources):
                    doc.add_comment(p.runs, text=_source_text(item), author="政策通", initials="ZCT")
                else:
                    appendix.append((f"{item.number}{item.title}", item))
    if outline.indicators:
        _attached_table(doc, draft)
    _drafting_notes(doc, draft, appendix if sources_as == "appendix" else
                    [(label, it) for label, it in appendix if any(s.flag for s in it.sources)])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


ATTACHMENT_LABEL = "附表"
NOTES_TITLE = "起草说明（供审核，不属于正文）"


def _attached_table(doc, draft: Draft) -> None:
    """附表 on a new page: the label top left in 3号黑体, the table's title centred, then the table."""
    req = draft.outline.request
    label = doc.add_paragraph()
    label.paragraph_format.page_break_before = True
    _fixed_spacing(label, first_line_indent=False)
    label.alignment = WD_ALIGN_PARAGRAPH.LEFT
    set_font(label.add_run(ATTACHMENT_LABEL), H1_FONT, BODY_PT)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fixed_spacing(heading, first_line_indent=False)
    heading.paragraph_format.line_spacing = Pt(LINE_PITCH_PT * 1.2)
    named = next((it.title for it, _ in draft.outline.walk() if it.kind == "table" and it.title != "主要指标"), "")
    set_font(heading.add_run(named or f"{req.county}{req.year_from}—{req.year_to}年主要指标"), TITLE_FONT, TITLE_PT)
    _indicator_table(doc, draft)


def _drafting_notes(doc, draft: Draft, appendix: list[tuple[str, OutlineItem]]) -> None:
    outline = draft.outline
    if not (outline.templates or outline.replacements or appendix):
        return
    head = doc.add_paragraph()
    head.paragraph_format.page_break_before = True
    _fixed_spacing(head, first_line_indent=False)
    set_font(head.add_run(NOTES_TITLE), H1_FONT, BODY_PT)
    if outline.templates:
        _body(doc, "所依范本：" + "、".join(outline.templates) + "。")
    if outline.replacements:
        _body(doc, "已替换的范本内容：")
        for r in outline.replacements:
            _body(doc, f"“{r.original}” → “{r.replacement}”（{r.count} 处）")
    if appendix:
        _body(doc, "起草依据：")
        for label, item in appendix:
            _body(doc, f"{label}{source_note(item)}")
            for s in item.sources:
                _body(doc, _source_line(s))


def _source_line(s) -> str:
    line = f"{source_line(s)}：“{s.quote}”"
    return f"{line}——{s.flag}" if s.flag else line


def _source_text(item: OutlineItem) -> str:
    return "\n".join(_source_line(s) for s in item.sources)


def _body(doc, text: str) -> None:
    p = doc.add_paragraph()
    _fixed_spacing(p)
    set_font(p.add_run(text), BODY_FONT, BODY_PT)


HEADER = ("领域", "指标", "单位", "基期值", "目标值")


def _indicator_table(doc, draft: Draft) -> None:
    req = draft.outline.request
    header = (HEADER[0], HEADER[1], HEADER[2], f"基期值（{req.year_from - 1}年）", f"目标值（{req.year_to}年）")
    rows = draft.outline.indicators
    table = doc.add_table(rows=1 + len(rows), cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(header):
        cell = table.rows[0].cells[i]
        cell.text = ""
        set_font(cell.paragraphs[0].add_run(text), H1_FONT, 12)
    _repeat_header(table.rows[0])
    for r, line in enumerate(rows, start=1):
        for i, text in enumerate((line.domain, line.name, line.unit, "【待填】", "【目标值待定】")):
            cell = table.rows[r].cells[i]
            cell.text = ""
            set_font(cell.paragraphs[0].add_run(text), BODY_FONT, 12)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
