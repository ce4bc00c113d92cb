"""Bounded work for every input file, hostile encodings, links and names: one clear line each."""
import io
import os
import time
import tracemalloc
import zipfile

import pytest
from docx import Document

from assistant.app.bootstrap import build_assistant
from assistant.fakes import HashEmbedder
from assistant.index.indexer import safe_doc_id, scan
from assistant.ingest.readers import ReadError, ReadLimits, decode_text, read_file

from conftest import make_settings


def _docx_bytes(paragraphs=("正文。",)) -> bytes:
    d = Document()
    for t in paragraphs:
        d.add_paragraph(t)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _bomb(path, gib: float = 1.0):
    """A valid .docx with an extra part of zeros that deflates to ~1 MB per GiB."""
    src = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        block = b"\0" * (1 << 20)
        with out.open("word/media/zeros.bin", "w", force_zip64=True) as fh:
            for _ in range(int(gib * 1024)):
                fh.write(block)


def test_docx_expanding_to_a_gibibyte_is_refused_fast_and_small(tmp_path):
    p = tmp_path / "bomb.docx"
    _bomb(p)
    assert p.stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    t0 = time.perf_counter()
    with pytest.raises(ReadError) as err:
        read_file(p)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    total_mb = sum(i.file_size for i in zipfile.ZipFile(p).infolist()) / 1048576
    assert 1024 <= total_mb < 1026
    assert str(err.value) == f"bomb.docx: 文件解压后过大（{total_mb:.0f} MB，上限 200 MB），拒绝读取"
    assert elapsed < 0.5
    assert peak < 20 * 1024 * 1024


def test_docx_with_too_many_parts_is_refused(tmp_path):
    p = tmp_path / "parts.docx"
    src = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    with zipfile.ZipFile(p, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        for k in range(30):
            out.writestr(f"extra/part{k}.xml", "<a/>")
    with pytest.raises(ReadError, match="文件内部部件过多（.* 个，上限 20 个），拒绝读取"):
        read_file(p, limits=ReadLimits(max_zip_parts=20))


def test_paragraph_and_character_limits(tmp_path):
    p = tmp_path / "long.docx"
    p.write_bytes(_docx_bytes([f"第{k}段。" for k in range(50)]))
    with pytest.raises(ReadError, match="段落过多（超过 20 段），拒绝读取"):
        read_file(p, limits=ReadLimits(max_paragraphs=20))
    t = tmp_path / "long.txt"
    t.write_text("很长的文字。" * 100, encoding="utf-8")
    with pytest.raises(ReadError, match="文字过多（600 字，上限 500 字），拒绝读取"):
        read_file(t, limits=ReadLimits(max_chars=500))


def test_pdf_page_limit_and_time_budget(tmp_path):
    from pypdf import PdfWriter
    w = PdfWriter()
    for _ in range(5):
        w.add_blank_page(595, 842)
    p = tmp_path / "pages.pdf"
    with open(p, "wb") as fh:
        w.write(fh)
    with pytest.raises(ReadError) as err:
        read_file(p, limits=ReadLimits(max_pdf_pages=3))
    assert str(err.value) == "pages.pdf: PDF 页数过多（5 页，上限 3 页），拒绝读取"
    d = tmp_path / "slow.docx"
    d.write_bytes(_docx_bytes(["一段。"] * 5))
    with pytest.raises(ReadError, match="处理超时（超过 0 秒），已停止读取"):
        read_file(d, limits=ReadLimits(seconds=0))


def _pdf_with_text(path, user_password, owner_password="owner"):
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas
    plain = path.with_suffix(".plain.pdf")
    c = canvas.Canvas(str(plain))
    c.drawString(72, 720, "Fee standard 100 yuan per year")
    c.save()
    w = PdfWriter(clone_from=PdfReader(str(plain)))
    w.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    with open(path, "wb") as fh:
        w.write(fh)
    return path


def test_aes_encrypted_pdf_opens_with_empty_password_or_gets_one_line(tmp_path):
    open_pdf = _pdf_with_text(tmp_path / "published.pdf", user_password="")
    assert read_file(open_pdf).text == "Fee standard 100 yuan per year"
    locked = _pdf_with_text(tmp_path / "locked.pdf", user_password="secret")
    with pytest.raises(ReadError) as err:
        read_file(locked)
    assert str(err.value) == "locked.pdf: PDF 已加密（需要密码才能打开），无法读取；请导入未加密的版本"


TRAD = "第一條 為保障居民基本醫療，根據國家有關規定，結合本市實際，制定本辦法。"
JAPANESE = "第一条 この規則は、市民の健康を守るために定める。申請は市役所で受け付ける。"


def test_big5_and_shift_jis_are_decoded_correctly_or_refused(tmp_path):
    assert decode_text(TRAD.encode("big5")) == (TRAD, "big5")
    assert decode_text(JAPANESE.encode("shift_jis")) == (JAPANESE, "shift_jis")
    simplified = "第一条为保障居民基本医疗，根据国家有关规定，结合本市实际，制定本办法。"
    assert decode_text(simplified.encode("gbk")) == (simplified, "gb18030")
    p = tmp_path / "noise.txt"
    p.write_bytes(bytes(range(0x80, 0x100)) * 8)
    with pytest.raises(ReadError, match="无法识别文本编码"):
        read_file(p)


def test_symlinks_out_of_an_imported_folder_are_not_followed(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("机密：口令是 hunter2。", encoding="utf-8")
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "plan.txt").write_text("一、总体要求\n到2025年，入园率达到95%。", encoding="utf-8")
    os.symlink(outside, folder / "passwd.txt")
    os.symlink(folder / "plan.txt", folder / "alias.txt")
    found = scan([folder])
    assert [p.name for p in found.files] == ["alias.txt", "plan.txt"]
    assert [(p.name, why) for p, why in found.refused] == [("passwd.txt", "符号链接指向导入文件夹之外，已跳过")]
    a = build_assistant(make_settings(tmp_path / "d"), embedder=HashEmbedder())
    results = a.ingest([folder])
    assert [(r.status, r.error) for r in results if r.status == "error"] == [
        ("error", "passwd.txt: 符号链接指向导入文件夹之外，已跳过")]
    assert all("hunter2" not in c.text for c in a.manifest.chunks())


def test_hostile_file_names_stay_inside_and_print_safely(tmp_path):
    assert safe_doc_id(__import__("pathlib").Path("../../etc/passwd")) == "passwd"
    assert safe_doc_id(__import__("pathlib").Path("a\nb\u202e.txt")) == "a_b"
    p = tmp_path / "bad\x1b[31mname\n.txt"
    p.write_bytes(b"")
    with pytest.raises(ReadError) as err:
        read_file(p)
    assert str(err.value) == "bad?[31mname?.txt: 文件为空"
