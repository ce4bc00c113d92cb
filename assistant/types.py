"""Typed values passed between the stages of the pipeline.

Offsets: a `Document` keeps the decoded original file text and the cleaned text used for
retrieval. `Chunk.start/end` index the cleaned text (chunk.text == doc.text[start:end]);
`orig_start/orig_end` index the original text, so a person can find every quote in the file.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class DocumentMeta:
    """What a document is: read from its own text at ingest, editable by the user.
    `region` is the canonical place the document governs (北京市, 郑州市二七区, 广东省);
    `place_level` its level (省/市/区/县/新区/开发区); `year` the year it was issued."""
    title: str
    region: str | None = None
    doc_number: str | None = None
    period: str | None = None
    place_level: str | None = None
    issuer: str | None = None
    date: str | None = None          # YYYY-MM-DD, YYYY-MM or YYYY as far as the text says
    year: int | None = None
    topic: str | None = None
    confidence: float = 1.0          # how sure the extractor is of title and place (0..1)
    ocr: bool = False                # some of the text was recognised by OCR from page images

    EXTRA = ("place_level", "issuer", "date", "year", "topic", "confidence", "ocr")


@dataclass(frozen=True)
class Section:
    """A node of the 公文 hierarchy: `level` 1 = 一、, 2 = （一）, 3 = 1., 4 = （1）,
    5 = run-in heading (a short bold-style sentence such as 完善学前教育服务体系。),
    6 = 专栏 box, 7 = table, 8 = an item label inside a box (学前教育：)."""
    number: str          # "二", "（一）", "1", "专栏1", "" for run-in headings
    title: str
    level: int
    start: int           # cleaned-text offset where the heading marker begins
    body_start: int      # where the text after the heading title begins
    end: int             # end of the section's whole text (children included)
    path: tuple[str, ...]  # labels of ancestors and self, e.g. ("二、构建…", "（一）积极发展学前教育")
    kind: str = "heading"  # heading | runin | box | table | item


@dataclass(frozen=True)
class Document:
    doc_id: str
    path: str
    sha256: str
    format: str
    original: str        # decoded text of the file as stored on disk
    text: str            # cleaned text
    offset_runs: tuple[tuple[int, int, int], ...]  # (clean_start, orig_start, length)
    meta: DocumentMeta
    sections: tuple[Section, ...] = ()
    # Proper place names the text mentions (place_tags.py), tagged once at ingest; None for a
    # document stored before ingest kept them (drafting then tags it itself).
    places: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    title: str
    heading_path: tuple[str, ...]
    citation_label: str   # e.g. 二（一）
    text: str
    start: int
    end: int
    orig_start: int
    orig_end: int
    kind: str = "text"    # text | table | box
    ordinal: int = 0

    def embedding_text(self) -> str:
        # Headings carry much of the meaning of a run-in paragraph: embed them with the text.
        context = " > ".join(self.heading_path)
        return f"{self.title} {context}\n{self.text}" if context else f"{self.title}\n{self.text}"


@dataclass(frozen=True)
class Passage:
    chunk: Chunk
    score: float
    rank: int
    dense_score: float | None = None
    lexical_score: float | None = None


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    title: str
    heading_path: tuple[str, ...]
    citation_label: str
    quote: str           # cleaned sentence as shown to the user
    source_text: str     # original[start:end]: what the file really says at that place
    start: int           # offsets into the original file text
    end: int
    chunk_id: str
    score: float
    supported: bool = True


Outcome = Literal["answer", "related", "not_found"]
# What each outcome is called wherever it is shown (CLI, web page, exported conversations).
OUTCOME_WORDS: dict[str, str] = {"answer": "答案", "related": "相关内容（不是答案）", "not_found": "未找到"}

# Every answer that is not one says so in the same words: it starts with REFUSAL (which is how a
# model's own refusal is recognised, citecheck.is_refusal), then says whether passages follow.
REFUSAL = "资料中未找到"
NOT_FOUND_TEXT = f"{REFUSAL}与该问题相关的内容。"
RELATED_TEXT = f"{REFUSAL}能直接回答该问题的内容。以下是相关段落，仅供参考，不构成答案。"


@dataclass(frozen=True)
class Answer:
    """`outcome`: "answer" = a verified quote that answers the question; "related" = passages
    that may help, no verified answer; "not_found" = nothing relevant. Only "answer" is grounded."""
    question: str
    text: str
    grounded: bool
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    timings_ms: dict[str, float] = field(default_factory=dict)
    unsupported_sentences: tuple[str, ...] = ()
    backend: str = "extractive"
    resolved_question: str | None = None
    outcome: Outcome = "not_found"
    confidence: float = 0.0
    notice: str = ""     # one line for the reader, e.g. the LLM failed and this is the offline answer

    def to_json(self) -> dict[str, Any]:
        def passage_json(p: Passage) -> dict[str, Any]:
            c = p.chunk
            return {"n": p.rank, "chunk_id": c.chunk_id, "doc": c.doc_id, "title": c.title,
                    "heading_path": list(c.heading_path), "citation_label": c.citation_label,
                    "quote": c.text, "start": c.orig_start, "end": c.orig_end,
                    "score": round(p.score, 6)}
        return {
            "question": self.question,
            "resolved_question": self.resolved_question,
            "text": self.text,
            "grounded": self.grounded,
            "outcome": self.outcome,
            "confidence": round(self.confidence, 4),
            "backend": self.backend,
            "notice": self.notice,
            "citations": [
                {"n": c.n, "doc": c.doc_id, "title": c.title, "heading_path": list(c.heading_path),
                 "citation_label": c.citation_label, "quote": c.quote, "source_text": c.source_text,
                 "start": c.start, "end": c.end, "chunk_id": c.chunk_id,
                 "score": round(c.score, 6), "supported": c.supported}
                for c in self.citations],
            "passages": [passage_json(p) for p in self.passages],
            "unsupported_sentences": list(self.unsupported_sentences),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


@dataclass(frozen=True)
class Turn:
    question: str
    answer: str = ""


@dataclass(frozen=True)
class DocumentInfo:
    """One row of the library listing: what a document is, without its text. The fields after
    `ingested_at` are the editable metadata of `DocumentMeta` (see `EXTRA`)."""
    doc_id: str
    path: str
    sha256: str
    format: str
    title: str
    region: str | None
    doc_number: str | None
    period: str | None
    chunk_count: int
    ingested_at: float
    place_level: str | None = None
    issuer: str | None = None
    date: str | None = None
    year: int | None = None
    topic: str | None = None
    confidence: float | None = None
    ocr: bool | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class LibraryStatus:
    """What the settings page and `assistant ingest` say about the library."""
    embedder: str
    dim: int
    llm: str                    # the chat model's name, or 离线抽取式
    documents: int
    chunks: int
    data_dir: str
    vector_store: str           # the Chroma server's URL, or Chroma（本地磁盘）
    index_problem: str | None   # why the stored vectors cannot be used, if they cannot

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class IngestResult:
    path: str
    status: str          # added | updated | unchanged | error
    doc_id: str | None = None
    title: str | None = None
    chunks: int = 0
    error: str | None = None
