"""Read a file into text. Every failure is a `ReadError` with one clear line naming the file.

Formats: .txt .md (encoding detected), .docx (read_docx), .pdf with OCR for scanned pages
(read_pdf), .html/.htm (read_html), .doc/.wps through LibreOffice (read_legacy). Every read is
bounded by `ReadLimits` (size, decompressed size, parts, paragraphs, characters, pages, time)."""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from .read_docx import read_docx
from .read_limits import ReadError, ReadLimits, display_name

SUPPORTED = {".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".doc", ".wps"}
__all__ = [
    "SUPPORTED",
    "RawText",
    "ReadError",
    "ReadLimits",
    "decode",
    "decode_text",
    "display_name",
    "load_bytes",
    "read_file",
]


@dataclass(frozen=True)
class RawText:
    text: str
    format: str
    encoding: str | None = None
    ocr_pages: tuple[int, ...] = ()   # 1-based pages whose text was recognised by OCR


def read_file(path: Path, max_mb: float = 50.0, limits: ReadLimits | None = None) -> RawText:
    limits = (limits or ReadLimits(max_mb=max_mb)).started()
    return decode(path, load_bytes(path, limits.max_mb), limits)


def load_bytes(path: Path, max_mb: float = 50.0) -> bytes:
    """The file's bytes, after the checks that need no reading (exists, size, type)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ReadError(path, "文件不存在")
    size = path.stat().st_size
    if size == 0:
        raise ReadError(path, "文件为空")
    if size > max_mb * 1024 * 1024:
        raise ReadError(path, f"文件过大（{size / 1048576:.1f} MB，上限 {max_mb:g} MB）")
    if suffix not in SUPPORTED:
        raise ReadError(path, f"不支持的文件类型 {suffix or '（无扩展名）'}；支持 {' '.join(sorted(SUPPORTED))}")
    return path.read_bytes()


def decode(path: Path, data: bytes, limits: ReadLimits | None = None) -> RawText:
    path = Path(path)
    limits = limits if limits and limits.deadline is not None else (limits or ReadLimits()).started()
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        text, enc = decode_text(data, path)
        raw = RawText(text, suffix[1:], enc)
    elif suffix in (".html", ".htm"):
        from .read_html import read_html
        html, enc = decode_text(data, path, html=True)
        raw = RawText(read_html(path, html, limits), "html", enc)
    elif suffix == ".docx":
        raw = RawText(read_docx(path, data, limits), "docx")
    elif suffix in (".doc", ".wps"):
        from .read_legacy import convert_to_docx, is_ole_word_file
        if not is_ole_word_file(data) and not data.startswith(b"PK"):
            raise ReadError(path, f"不是有效的 {suffix} 文件（文件损坏）")
        raw = RawText(read_docx(path, convert_to_docx(path, data, limits), limits), suffix[1:])
    elif suffix == ".pdf":
        from .read_pdf import read_pdf
        text, ocr = read_pdf(path, data, limits)
        raw = RawText(text, "pdf", ocr_pages=ocr)
    else:
        raise ReadError(path, f"不支持的文件类型 {suffix or '（无扩展名）'}")
    if not raw.text.strip():
        raise ReadError(path, "文件中没有可读取的文字")
    if len(raw.text) > limits.max_chars:
        raise ReadError(path, f"文字过多（{len(raw.text)} 字，上限 {limits.max_chars} 字），拒绝读取")
    return raw


def decode_text(data: bytes, path: Path | str = "?", html: bool = False) -> tuple[str, str]:
    """Text in UTF-8/UTF-16 (BOM or not), GB18030/GBK, Big5 or Shift-JIS. Bytes that decode in a
    legacy encoding only as implausible characters are refused rather than indexed as garbage."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if b"\x00" in data[:4096]:
        # UTF-16 without BOM: NULs on every other byte.
        even = data[0:4096:2].count(0)
        odd = data[1:4096:2].count(0)
        enc = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            raise ReadError(path, "看起来是二进制文件，不是文本") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data) if html else None
    for enc in ([declared] if declared else []) + ["gb18030", "big5", "shift_jis"]:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _plausible(enc, data, text):
            return text, enc
    raise ReadError(path, "无法识别文本编码（试过 UTF-8、UTF-16、GB18030、Big5、Shift-JIS），请另存为 UTF-8 后再导入")


def _declared_charset(data: bytes) -> str | None:
    import re
    m = re.search(rb"charset=[\"']?([A-Za-z0-9_\-]+)", data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    return {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}.get(name, name)


def _plausible(enc: str, data: bytes, text: str) -> bool:
    if _cjk_share(text) < 0.2:
        return False
    if enc in ("gb18030", "gbk", "gb2312"):
        # Simplified Chinese lives in GB2312's rows (both bytes 0xA1–0xFE); Big5 and Shift-JIS bytes
        # read as GB18030 land mostly in the GBK extension rows, as rare characters.
        return _gbk_extension_share(data) <= 0.1
    if enc in ("big5", "cp950"):
        return not any("\u3040" <= c <= "\u30ff" for c in text[:20000])
    if enc in ("shift_jis", "cp932"):
        kana = sum("\u3040" <= c <= "\u30ff" for c in text[:20000])
        return kana >= 0.05 * max(1, sum(ord(c) > 0x2e80 for c in text[:20000]))
    return True


def _gbk_extension_share(data: bytes) -> float:
    sample = data[:65536]
    i = double = ext = 0
    while i < len(sample) - 1:
        b = sample[i]
        if b < 0x80:
            i += 1
            continue
        t = sample[i + 1]
        double += 1
        if 0x30 <= t <= 0x39:          # four-byte GB18030 sequence
            ext += 1
            i += 4
            continue
        if not (0xA1 <= b <= 0xFE and 0xA1 <= t <= 0xFE):
            ext += 1
        i += 2
    return ext / double if double else 0.0


def _cjk_share(text: str) -> float:
    letters = [c for c in text[:20000] if not c.isspace()]
    if not letters:
        return 0.0
    return sum("\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u30ff" or "\uff00" <= c <= "\uffef"
               for c in letters) / len(letters)
