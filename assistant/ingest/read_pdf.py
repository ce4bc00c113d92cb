"""PDF text: the text layer where there is one, OCR (rapidocr-onnxruntime on pages rendered by
pypdfium2) for pages without one. OCR'd pages are reported so citations can say so."""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from .read_limits import ReadError, ReadLimits

MIN_TEXT_CHARS = 10      # a page with fewer extractable characters is treated as an image
OCR_SCALE = 2.0          # render at 144 dpi: small 公文 type needs it
OCR_MIN_SCORE = 0.5


def read_pdf(path: Path, data: bytes, limits: ReadLimits) -> tuple[str, tuple[int, ...]]:
    """(text, numbers of the pages read by OCR, 1-based)."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError
    broken = (PdfReadError, ValueError, KeyError, OSError, IndexError, TypeError, AttributeError)
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except broken as exc:
        raise ReadError(path, f"PDF 文件损坏（{type(exc).__name__}）") from None
    if encrypted and not _opens_without_password(reader):
        raise ReadError(path, "PDF 已加密（需要密码才能打开），无法读取；请导入未加密的版本")
    try:
        n = len(reader.pages)
    except (DependencyError, FileNotDecryptedError):
        raise ReadError(path, "PDF 已加密（加密方式不受支持），无法读取") from None
    except broken as exc:
        raise ReadError(path, f"PDF 文件损坏（{type(exc).__name__}）") from None
    if n > limits.max_pdf_pages:
        raise ReadError(path, f"PDF 页数过多（{n} 页，上限 {limits.max_pdf_pages} 页），拒绝读取")
    pages: list[str] = []
    for page in reader.pages:
        limits.check_time(path)
        try:
            pages.append((page.extract_text() or "").strip())
        except (DependencyError, FileNotDecryptedError):
            raise ReadError(path, "PDF 已加密（加密方式不受支持），无法读取") from None
        except broken as exc:
            raise ReadError(path, f"PDF 文件损坏（{type(exc).__name__}）") from None
    image_pages = [i for i, t in enumerate(pages) if len("".join(t.split())) < MIN_TEXT_CHARS]
    ocr_done: list[int] = []
    if image_pages:
        if len(image_pages) > limits.max_ocr_pages:
            raise ReadError(path, f"扫描页过多（{len(image_pages)} 页需要文字识别，上限 {limits.max_ocr_pages} 页）")
        texts = _ocr_pages(path, data, image_pages, limits)
        for i, text in zip(image_pages, texts):
            if text.strip():
                pages[i] = text
                ocr_done.append(i + 1)
    if not any(pages):
        raise ReadError(path, "PDF 没有文字层，文字识别（OCR）也未识别出文字")
    return "\n".join(p for p in pages if p), tuple(ocr_done)


def _opens_without_password(reader) -> bool:
    """Some PDFs are 'encrypted' with an empty user password (AES included) and open for everyone."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - pypdf raises several types for unsupported or wrong encryption
        return False


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR
    return RapidOCR()


def _ocr_pages(path: Path, data: bytes, indices: list[int], limits: ReadLimits) -> list[str]:
    try:
        import pypdfium2 as pdfium
        engine = _engine()
    except ImportError:
        raise ReadError(path, "PDF 没有文字层（扫描件），文字识别需要 rapidocr-onnxruntime 与 pypdfium2") from None
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:  # noqa: BLE001 - pdfium raises PdfiumError for what pypdf could still parse
        raise ReadError(path, f"PDF 扫描页无法渲染（{type(exc).__name__}）") from None
    out = []
    try:
        for i in indices:
            limits.check_time(path)
            image = pdf[i].render(scale=OCR_SCALE).to_numpy()
            result, _ = engine(image)
            out.append(_lines_from(result or []))
    finally:
        pdf.close()
    return out


def _lines_from(result: list) -> str:
    """Join OCR boxes into lines: boxes whose vertical centres are close are one line, read left to right."""
    boxes = []
    for box, text, score in result:
        if float(score) < OCR_MIN_SCORE or not text.strip():
            continue
        ys = [p[1] for p in box]
        xs = [p[0] for p in box]
        boxes.append(((min(ys) + max(ys)) / 2, min(xs), max(ys) - min(ys), text.strip()))
    boxes.sort()
    lines: list[list[tuple[float, str]]] = []
    last_y = None
    for y, x, h, text in boxes:
        if last_y is not None and abs(y - last_y) < max(h, 1) * 0.5:
            lines[-1].append((x, text))
        else:
            lines.append([(x, text)])
            last_y = y
    return "\n".join("".join(t for _, t in sorted(line)) for line in lines)
