"""Bounds on the work one input file may cause, and the one error type of the reading stage."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings

CONTROL = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def display_name(path: Path | str) -> str:
    """The file's name as it may be printed: control and bidi-override characters shown as '?'."""
    return CONTROL.sub("?", Path(str(path)).name)[:120]


class ReadError(Exception):
    """One clear line naming the file; user errors never show a traceback."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{display_name(self.path)}: {reason}")


def _default(name: str):
    return Settings.model_fields[name].default


@dataclass(frozen=True)
class ReadLimits:
    """Limits per file; the defaults are the Settings defaults, written once in config.py.
    `deadline` is a time.monotonic() value, set by `started()` when a file's reading begins."""
    max_mb: float = _default("max_file_mb")
    max_unzipped_mb: float = _default("max_unzipped_mb")
    max_zip_parts: int = _default("max_zip_parts")
    max_paragraphs: int = _default("max_paragraphs")
    max_chars: int = _default("max_chars")
    max_pdf_pages: int = _default("max_pdf_pages")
    max_ocr_pages: int = _default("max_ocr_pages")
    seconds: float = _default("file_time_budget_s")
    deadline: float | None = field(default=None, compare=False)

    @classmethod
    def from_settings(cls, settings) -> ReadLimits:
        return cls(max_mb=settings.max_file_mb, max_unzipped_mb=settings.max_unzipped_mb,
                   max_zip_parts=settings.max_zip_parts, max_paragraphs=settings.max_paragraphs,
                   max_chars=settings.max_chars, max_pdf_pages=settings.max_pdf_pages,
                   max_ocr_pages=settings.max_ocr_pages, seconds=settings.file_time_budget_s)

    def started(self) -> ReadLimits:
        return ReadLimits(self.max_mb, self.max_unzipped_mb, self.max_zip_parts, self.max_paragraphs,
                          self.max_chars, self.max_pdf_pages, self.max_ocr_pages, self.seconds,
                          time.monotonic() + self.seconds)

    def remaining(self) -> float:
        return self.seconds if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def check_time(self, path: Path | str) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise ReadError(path, f"处理超时（超过 {self.seconds:g} 秒），已停止读取")
