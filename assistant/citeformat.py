"""How a citation is written, in one place: 《标题》二（一） 二、… > （一）…

`source_label` is the short form (title and 公文 number path), `source_line` adds the heading
path. Every place that shows where a passage comes from (CLI, prompts, web, exports, the
LangChain retriever) uses these so the wording never drifts apart."""
from __future__ import annotations

import re
from typing import Protocol, Sequence

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


def source_label(item: Cited) -> str:
    """《标题》二（一）"""
    return f"《{item.title}》{item.citation_label}"


def source_line(item: Cited, sep: str = " ") -> str:
    """《标题》二（一） 二、主要任务 > （一）积极发展学前教育 (no trailing space without a path)."""
    path = heading_text(item.heading_path)
    return f"{source_label(item)}{sep}{path}" if path else source_label(item)
