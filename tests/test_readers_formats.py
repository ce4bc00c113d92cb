"""Each format read from a file made in the test: .docx layouts (one-cell table, text box, content
control), saved web pages, scanned PDFs (OCR), legacy .doc (LibreOffice, where installed)."""
import glob
import subprocess

import pytest
from docx import Document
from docx.oxml import parse_xml

from assistant.ingest.read_legacy import INSTALL_HINT, soffice_path
from assistant.ingest.readers import ReadError, read_file

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_text_inside_a_one_cell_table_reads_as_paragraphs_in_order(tmp_path):
    d = Document()
    d.add_paragraph("二七区招生说明")
    cell = d.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].text = "一、报名时间"
    cell.add_paragraph("（一）2015年8月18日至19日报名。")
    cell.add_paragraph("二、招生计划")
    d.add_paragraph("附件：学区划分表")
    p = tmp_path / "one-cell.docx"
    d.save(str(p))
    assert read_file(p).text.split("\n") == [
        "二七区招生说明", "一、报名时间", "（一）2015年8月18日至19日报名。", "二、招生计划", "附件：学区划分表"]


def _text_box_run(text: str) -> str:
    """A run holding a DrawingML text box with a VML fallback carrying the same text, as Word writes."""
    box = (f'<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>')
    return (
        f'<w:r {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
        f'{box}</wps:txbx></wps:wsp></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r>')


def test_docx_text_boxes_are_read_once_after_their_anchor_paragraph(tmp_path):
    d = Document()
    d.add_paragraph("一、总体要求")
    anchor = d.add_paragraph("正文开始。")
    anchor._p.append(parse_xml(_text_box_run("文本框中的通知正文。")))
    d.add_paragraph("二、保障措施")
    p = tmp_path / "textbox.docx"
    d.save(str(p))
    assert read_file(p).text.split("\n") == ["一、总体要求", "正文开始。", "文本框中的通知正文。", "二、保障措施"]


def test_docx_content_controls_block_and_inline_are_read(tmp_path):
    d = Document()
    d.add_paragraph("标题段")
    block = parse_xml(f'<w:sdt {W_NS}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>控件中的段落。</w:t></w:r></w:p>'
                      '</w:sdtContent></w:sdt>')
    d.element.body.insert(1, block)
    para = d.add_paragraph("发文日期：")
    para._p.append(parse_xml(f'<w:sdt {W_NS}><w:sdtContent><w:r><w:t>2016年4月15日</w:t></w:r></w:sdtContent>'
                             '</w:sdt>'))
    p = tmp_path / "sdt.docx"
    d.save(str(p))
    assert read_file(p).text.split("\n") == ["标题段", "控件中的段落。", "发文日期：2016年4月15日"]


def test_docx_multi_column_table_keeps_rows_with_cells(tmp_path):
    d = Document()
    t = d.add_table(rows=2, cols=2)
    for r, row in enumerate([["科目", "满分"], ["语文", "120"]]):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    p = tmp_path / "table.docx"
    d.save(str(p))
    assert read_file(p).text.split("\n") == ["科目 | 满分", "语文 | 120"]


PAGE = """<html><head><meta charset="gb2312"><title>关于印发某市积分管理办法的通知-政府门户网站</title></head><body>
<div id="nav"><ul><li><a href="/">首页</a></li><li><a href="/a">政务公开</a></li><li><a href="/b">办事服务</a></li>
<li><a href="/c">互动交流</a></li></ul></div>
<div class="article"><h1>某市积分管理办法</h1>
<p>第一条 为规范积分管理工作，根据有关规定，结合本市实际，制定本办法。本办法适用于本市行政区域内的积分申请与审核工作。</p>
<p>第二条 积分由基础指标、加分指标和减分指标组成。基础指标包括年龄、受教育程度和社会保险缴费年限等，每项指标的分值见附表。</p>
<p>第三条 积分达到规定分值的申请人，可以按照规定申请办理入户手续。市人力资源和社会保障部门负责积分审核的组织实施。</p>
</div>
<div id="footer">版权所有：某市人民政府办公室　网站标识码：1234567890　备案号：粤ICP备00000000号</div>
</body></html>"""


def test_html_page_keeps_the_article_and_drops_menus_and_footer(tmp_path):
    p = tmp_path / "page.html"
    p.write_bytes(PAGE.encode("gb18030"))
    raw = read_file(p)
    assert raw.format == "html"
    assert "第二条积分由基础指标" in raw.text.replace(" ", "")
    assert "第三条积分达到规定分值" in raw.text.replace(" ", "")
    for chrome in ("政务公开", "办事服务", "互动交流", "网站标识码", "备案号"):
        assert chrome not in raw.text


def _cjk_font():
    fonts = sorted(glob.glob("/usr/share/fonts/**/*CJK*.tt[cf]", recursive=True)
                   + glob.glob("/usr/share/fonts/**/wqy*.tt[cf]", recursive=True))
    return fonts[0] if fonts else None


def _scanned_pdf(tmp_path, lines):
    """A PDF whose only page is an image of the text (no text layer), as a scanner makes it."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    font_path = _cjk_font()
    font = ImageFont.truetype(font_path, 44) if font_path else ImageFont.load_default(size=44)
    img = Image.new("RGB", (1240, 600), "white")
    draw = ImageDraw.Draw(img)
    for k, line in enumerate(lines):
        draw.text((80, 80 + 110 * k), line, fill="black", font=font)
    png = tmp_path / "page.png"
    img.save(png)
    pdf = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    c.drawImage(str(png), 0, A4[1] - 300, width=A4[0], height=A4[0] * 600 / 1240)
    c.save()
    return pdf


def test_scanned_pdf_is_read_by_ocr_and_marked(tmp_path):
    lines = ["第一条参保人员每年缴费", "标准为每人100元"] if _cjk_font() else ["Article 1 annual fee", "is 100 yuan"]
    raw = read_file(_scanned_pdf(tmp_path, lines))
    assert raw.ocr_pages == (1,)
    assert [ln.replace(" ", "") for ln in raw.text.split("\n")] == [ln.replace(" ", "") for ln in lines]


def test_scanned_pdf_metadata_says_ocr(tmp_path):
    from assistant.index.indexer import build_document
    pdf = _scanned_pdf(tmp_path, ["第一条参保人员每年缴费", "标准为每人100元"] if _cjk_font() else ["fee 100"])
    doc = build_document(pdf, pdf.read_bytes())
    assert doc.meta.ocr is True


@pytest.mark.skipif(not soffice_path(), reason="LibreOffice (soffice) not installed")
def test_legacy_doc_is_converted_with_libreoffice(tmp_path):
    d = Document()
    d.add_paragraph("重庆市城镇职工基本医疗保险暂行办法")
    d.add_paragraph("第一条为保障职工基本医疗，制定本办法。")
    src = tmp_path / "made.docx"
    d.save(str(src))
    subprocess.run([soffice_path(), f"-env:UserInstallation={(tmp_path / 'prof').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path / "out"), str(src)],
                   check=True, capture_output=True, timeout=120)
    doc_file = tmp_path / "out" / "made.doc"
    assert doc_file.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    raw = read_file(doc_file)
    assert (raw.format, raw.text.split("\n")) == (
        "doc", ["重庆市城镇职工基本医疗保险暂行办法", "第一条为保障职工基本医疗，制定本办法。"])


def _ole_word_bytes() -> bytes:
    """The parts of a compound-file header the reader checks, and a WordDocument entry name."""
    import struct
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9) \
        + struct.pack("<H", 6)
    return head.ljust(512, b"\0") + "WordDocument".encode("utf-16-le").ljust(1024, b"\0")


def test_a_damaged_doc_is_refused_before_libreoffice_imports_it_as_plain_text(tmp_path, monkeypatch):
    import random

    import assistant.ingest.read_legacy as legacy
    monkeypatch.setattr(legacy, "soffice_path", lambda: pytest.fail("LibreOffice must not be started"))
    p = tmp_path / "legacy.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(1).randbytes(30000))
    with pytest.raises(ReadError) as err:
        read_file(p)
    assert str(err.value) == "legacy.doc: 不是有效的 .doc 文件（文件损坏）"
    assert not legacy.is_ole_word_file(p.read_bytes()) and legacy.is_ole_word_file(_ole_word_bytes())


def test_legacy_doc_without_libreoffice_names_it(tmp_path, monkeypatch):
    import assistant.ingest.read_legacy as legacy
    monkeypatch.setattr(legacy, "soffice_path", lambda: None)
    p = tmp_path / "old.doc"
    p.write_bytes(_ole_word_bytes())
    with pytest.raises(ReadError) as err:
        read_file(p)
    assert str(err.value) == "old.doc: " + INSTALL_HINT


def test_wps_goes_through_the_same_converter(tmp_path, monkeypatch):
    import assistant.ingest.read_legacy as legacy
    monkeypatch.setattr(legacy, "soffice_path", lambda: None)
    p = tmp_path / "notice.wps"
    p.write_bytes(_ole_word_bytes())
    with pytest.raises(ReadError, match="LibreOffice"):
        read_file(p)

