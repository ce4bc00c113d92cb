import pytest

from assistant.ingest.readers import ReadError, read_file

TEXT = "一、总体要求\n（一）指导思想。坚持以人民为中心。\n到2025年，学前教育三年毛入园率达到95%以上。"


def test_encodings_are_detected(tmp_path):
    cases = {"utf8.txt": TEXT.encode("utf-8"), "bom.txt": b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
             "gbk.txt": TEXT.encode("gbk"), "gb18030.md": TEXT.encode("gb18030"),
             "utf16.txt": TEXT.encode("utf-16"), "utf16le-nobom.txt": TEXT.encode("utf-16-le")}
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        assert read_file(p).text == TEXT, name


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "文件为空"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "不是有效的 .doc 文件（文件损坏）"),  # no OLE header
    ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "文件已加密或为旧版 Word 格式"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "不是有效的 .docx 文件（文件损坏）"),
    ("broken.pdf", b"%PDF-1.4 garbage garbage", "PDF 文件损坏"),
    ("data.xlsx", b"whatever", "不支持的文件类型 .xlsx"),
    ("blank.txt", b"   \n\n  ", "文件中没有可读取的文字"),
])
def test_bad_files_get_one_clear_error(tmp_path, name, data, reason):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(ReadError) as err:
        read_file(p)
    assert reason in str(err.value)
    assert str(err.value).startswith(name + ": ")


def test_huge_file_is_refused(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_bytes(("很长的文字。" * 200_000).encode("utf-8"))
    with pytest.raises(ReadError, match="文件过大"):
        read_file(p, max_mb=1)


def _pdf(tmp_path, name, text=None, password=None):
    from pypdf import PdfWriter
    if text:
        from reportlab.pdfgen import canvas
        path = tmp_path / name
        c = canvas.Canvas(str(path))
        c.drawString(72, 720, text)
        c.save()
        if not password:
            return path
        from pypdf import PdfReader
        w = PdfWriter(clone_from=PdfReader(str(path)))
    else:
        w = PdfWriter()
        w.add_blank_page(595, 842)
    if password:
        w.encrypt(password)
    path = tmp_path / name
    with open(path, "wb") as fh:
        w.write(fh)
    return path


def test_pdf_cases(tmp_path):
    ok = _pdf(tmp_path, "ok.pdf", text="Plan 2025: target 95%")
    assert "target 95%" in read_file(ok).text
    with pytest.raises(ReadError, match="PDF 没有文字层"):
        read_file(_pdf(tmp_path, "scan.pdf"))
    with pytest.raises(ReadError, match="PDF 已加密"):
        read_file(_pdf(tmp_path, "secret.pdf", text="x", password="pw"))


def test_docx_paragraphs_and_table_read_back_in_order(tmp_path):
    from docx import Document
    d = Document()
    d.add_heading("一、主要指标", level=1)
    d.add_paragraph("下表列出主要指标。")
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate([["指标", "2015年", "2020年"], ["九年义务教育巩固率(%)", "95.7", "97.5"],
                             ["学前三年毛入园率(%)", "100", "100"]]):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    d.add_paragraph("二、保障措施")
    p = tmp_path / "plan.docx"
    d.save(str(p))
    assert read_file(p).text.split("\n") == [
        "一、主要指标", "下表列出主要指标。", "指标 | 2015年 | 2020年", "九年义务教育巩固率(%) | 95.7 | 97.5",
        "学前三年毛入园率(%) | 100 | 100", "二、保障措施"]
