""".docx text in reading order: body paragraphs, tables, text boxes (w:txbxContent) and content
controls (w:sdt). The zip is checked before anything is decompressed, so a small file that would
expand to gigabytes is refused at once."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .read_limits import ReadError, ReadLimits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc and encrypted Office files
# Wrappers whose children are body content in their own right.
BLOCK_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo"}


def check_zip(path: Path, data: bytes, limits: ReadLimits) -> zipfile.ZipFile:
    """Open the package and refuse it when its parts are too many or would decompress too large.
    Sizes come from the zip directory; zipfile never returns more than a member's declared size."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError(path, "不是有效的 .docx 文件（文件损坏）")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ReadError(path, "不是有效的 .docx 文件（文件损坏）") from None
    if len(infos) > limits.max_zip_parts:
        raise ReadError(path, f"文件内部部件过多（{len(infos)} 个，上限 {limits.max_zip_parts} 个），拒绝读取")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_mb * 1024 * 1024:
        raise ReadError(path, f"文件解压后过大（{total / 1048576:.0f} MB，"
                              f"上限 {limits.max_unzipped_mb:g} MB），拒绝读取")
    return z


def read_docx(path: Path, data: bytes, limits: ReadLimits) -> str:
    if data.startswith(OLE_MAGIC):
        raise ReadError(path, "文件已加密或为旧版 Word 格式，无法读取")
    check_zip(path, data, limits)
    from docx import Document as open_docx
    try:
        doc = open_docx(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises several types for broken packages
        raise ReadError(path, f"不是有效的 .docx 文件（{type(exc).__name__}）") from None
    lines: list[str] = []
    for line in _blocks(doc.element.body, doc):
        lines.append(line)
        if len(lines) > limits.max_paragraphs:
            raise ReadError(path, f"段落过多（超过 {limits.max_paragraphs} 段），拒绝读取")
        limits.check_time(path)
    return "\n".join(lines)


def _blocks(parent, doc) -> Iterator[str]:
    for el in parent.iterchildren():
        tag = el.tag
        if tag == W + "p":
            text, boxes = _paragraph(el)
            if text.strip():
                yield text.strip()
            for box in boxes:  # text boxes anchored in this paragraph follow it
                yield from _blocks(box, doc)
        elif tag == W + "tbl":
            yield from _table(el, doc)
        elif tag in BLOCK_WRAPPERS:
            yield from _blocks(el, doc)


def _paragraph(p) -> tuple[str, list]:
    """The paragraph's own text (runs, hyperlinks, inline content controls, insertions) and the
    w:txbxContent elements it anchors. Deleted text (w:delText) and field codes are not text;
    mc:Fallback repeats the text box of mc:Choice for old readers and is skipped."""
    parts: list[str] = []
    boxes: list = []

    def walk(el) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if tag == W + "t":
                parts.append(child.text or "")
            elif tag == W + "tab":
                parts.append("\t")
            elif tag in (W + "br", W + "cr"):
                parts.append("\n")
            elif tag == W + "txbxContent":
                boxes.append(child)
            elif tag == MC_FALLBACK or tag == W + "del" or tag == W + "p":
                continue
            else:
                walk(child)

    walk(p)
    return "".join(parts), boxes


def _children(parent, tag: str):
    """The `tag` children of a table or row, also those wrapped in content controls."""
    for el in parent.iterchildren():
        if el.tag == W + tag:
            yield el
        elif el.tag in BLOCK_WRAPPERS:
            yield from _children(el, tag)


def _rows(tbl):
    return _children(tbl, "tr")


def _cells(tr):
    return _children(tr, "tc")


def _table(tbl, doc) -> Iterator[str]:
    rows = list(_rows(tbl))
    if all(len(list(_cells(tr))) <= 1 for tr in rows):
        # A one-column table is a layout frame (a whole notice in one cell): read its content as text.
        for tr in rows:
            for tc in _cells(tr):
                yield from _blocks(tc, doc)
        return
    from docx.table import Table
    for row in Table(tbl, doc).rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(" ".join(_blocks(cell._tc, doc)).split()))
        yield " | ".join(cells)
