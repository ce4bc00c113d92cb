"""Read a file into text. Every failure is a `ReadError` with one clear line naming the file."""
from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

SUPPORTED = {".txt", ".md", ".docx", ".pdf"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc and encrypted Office files


class ReadError(Exception):
    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{Path(self.path).name}: {reason}")


@dataclass(frozen=True)
class RawText:
    text: str
    format: str
    encoding: str | None = None


def read_file(path: Path, max_mb: float = 50.0) -> RawText:
    return decode(path, load_bytes(path, max_mb))


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
    if suffix == ".doc":
        raise ReadError(path, "不支持旧版 .doc 格式，请在 Word 中另存为 .docx 后再导入")
    if suffix not in SUPPORTED:
        raise ReadError(path, f"不支持的文件类型 {suffix or '（无扩展名）'}；支持 .txt .md .docx .pdf")
    return path.read_bytes()


def decode(path: Path, data: bytes) -> RawText:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        text, enc = decode_text(data, path)
        raw = RawText(text, suffix[1:], enc)
    elif suffix == ".docx":
        raw = RawText(_read_docx(path, data), "docx")
    else:
        raw = RawText(_read_pdf(path, data), "pdf")
    if not raw.text.strip():
        raise ReadError(path, "文件中没有可读取的文字")
    return raw


def decode_text(data: bytes, path: Path | str = "?") -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        # UTF-16 without BOM: NULs on every other byte.
        even = data[0:4096:2].count(0)
        odd = data[1:4096:2].count(0)
        enc = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            raise ReadError(path, "看起来是二进制文件，不是文本") from None
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and _cjk_share(text) < 0.2:
            continue
        return text, enc
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is None:
        raise ReadError(path, "无法识别文本编码（试过 UTF-8、GB18030、UTF-16）")
    return str(best), best.encoding


def _cjk_share(text: str) -> float:
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return 0.0
    return sum("\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
               for c in letters) / len(letters)


def _read_docx(path: Path, data: bytes) -> str:
    if data.startswith(OLE_MAGIC):
        raise ReadError(path, "文件已加密或为旧版 Word 格式，无法读取")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError(path, "不是有效的 .docx 文件（文件损坏）")
    from docx import Document as open_docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    try:
        doc = open_docx(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for broken packages
        raise ReadError(path, f"不是有效的 .docx 文件（{type(exc).__name__}）") from None
    lines: list[str] = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(block, doc).text.strip()
            if text:
                lines.append(text)
        elif tag == "tbl":
            for row in Table(block, doc).rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(cell.text.split()))
                lines.append(" | ".join(cells))
    return "\n".join(lines)


def _read_pdf(path: Path, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ReadError(path, f"PDF 文件损坏（{type(exc).__name__}）") from None
    if encrypted and not _opens_without_password(reader):
        raise ReadError(path, "PDF 已加密，无法读取")
    try:
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ReadError(path, f"PDF 文件损坏（{type(exc).__name__}）") from None
    if not any(pages):
        raise ReadError(path, "PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）")
    return "\n".join(p for p in pages if p)


def _opens_without_password(reader) -> bool:
    """Some PDFs are 'encrypted' with an empty user password and open for everyone."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf raises several types for unsupported or wrong encryption
        return False
