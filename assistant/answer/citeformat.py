"""How a citation is written, in one place: 《标题》二（一） 二、… > （一）…

`source_label` is the short form (title and 公文 number path), `source_line` adds the heading
path (`label_text`/`line_text` do the same from plain values, e.g. an answer's JSON). Every place that shows where a passage comes from (CLI, prompts, web, exports, the
LangChain retriever) uses these so the wording never drifts apart."""
from __future__ import annotations

import re
from typing import Protocol, Sequence

# Our citation mark in an answer: [1] … [99], the passage's number.
CITATION_MARK = re.compile(r"\[(\d{1,2})\]")
# A mark such as [1] written inside a document is the document's own text, not one of our citations.
_DOC_MARK = re.compile(r"\[(\d{1,3})\]")

HEADING_SEPARATOR = " > "


class Cited(Protocol):
    """Anything that knows its document title and place in the 公文 hierarchy (Chunk, Citation)."""
    @property
    def title(self) -> str: ...
    @property
    def citation_label(self) -> str: ...
    @property
    def heading_path(self) -> Sequence[str]: ...


def quoted(text: str) -> str:
    """A document sentence as shown inside an answer: “…”, with its own [n] written as ［n］ so it
    can never be read as a citation mark of the answer."""
    return "“" + _DOC_MARK.sub(lambda m: f"［{m.group(1)}］", text) + "”"


def heading_text(heading_path: Sequence[str]) -> str:
    """二、主要任务 > （一）积极发展学前教育"""
    return HEADING_SEPARATOR.join(heading_path)


def label_text(title: str, citation_label: str) -> str:
    """《标题》二（一）"""
    return f"《{title}》{citation_label}"


def line_text(title: str, citation_label: str, heading_path: Sequence[str], sep: str = " ") -> str:
    """《标题》二（一） 二、主要任务 > （一）积极发展学前教育 (no trailing space without a path)."""
    path = heading_text(heading_path)
    return f"{label_text(title, citation_label)}{sep}{path}" if path else label_text(title, citation_label)


def source_label(item: Cited) -> str:
    """`label_text` of a chunk, citation or draft source."""
    return label_text(item.title, item.citation_label)


def source_line(item: Cited, sep: str = " ") -> str:
    """`line_text` of a chunk or citation."""
    return line_text(item.title, item.citation_label, item.heading_path, sep)
