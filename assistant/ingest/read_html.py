"""Saved web pages: the main text extracted by trafilatura (site menus, footers and link lists
removed by its content model, not by rules written here)."""
from __future__ import annotations

from pathlib import Path

from .read_limits import ReadError, ReadLimits


def read_html(path: Path, html: str, limits: ReadLimits) -> str:
    import trafilatura
    limits.check_time(path)
    try:
        text = trafilatura.extract(html, include_tables=True, include_comments=False, favor_recall=True,
                                   deduplicate=False)
    except Exception as exc:  # noqa: BLE001 - lxml and trafilatura raise several types on broken markup
        raise ReadError(path, f"网页无法解析（{type(exc).__name__}）") from None
    if not text or not text.strip():
        raise ReadError(path, "网页中没有找到正文")
    title = _page_title(html)
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if title and lines and title not in lines[0]:
        lines.insert(0, title)  # the page's own title often is the document's title
    return "\n".join(lines)


def _page_title(html: str) -> str | None:
    import trafilatura
    try:
        meta = trafilatura.extract_metadata(html)
    except Exception:  # noqa: BLE001 - metadata is optional
        return None
    return meta.title.strip() if meta and meta.title else None
