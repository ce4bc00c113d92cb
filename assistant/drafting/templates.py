"""Which templates a draft follows: the documents the user picked, or those retrieval finds for
the topic. Each gets an estimated date so that newer templates win where templates disagree."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..types import Document
from .textcheck import bigrams, era_of

# Words every 公文 title carries; they say nothing about the topic.
TITLE_NOISE = re.compile(r"关于|印发|做好|进一步|加强|工作|实施|方案|办法|意见|通知|细则|规定|试行|暂行|有关|相关|的|年")
MAX_TEMPLATES = 4


@dataclass(frozen=True)
class Template:
    doc: Document
    year: int           # best estimate of when it was written (0: unknown)
    score: float        # how well it fits the topic

    @property
    def name(self) -> str:
        """The title, or the file name when the extracted title is not the document's own."""
        stem = Path(self.doc.path).stem
        if len(re.findall(r"[\u4e00-\u9fff]", stem)) >= 4:   # a file named by its title
            return stem
        return self.doc.meta.title or stem


def estimate_year(doc: Document) -> int:
    """meta.year; else the latest 20xx in the title or file name; else the era of its formulations."""
    if doc.meta.year:
        return int(doc.meta.year)
    years = [int(y) for y in re.findall(r"20\d{2}", f"{doc.meta.title} {Path(doc.path).stem} {doc.meta.period or ''}")]
    head = re.findall(r"(20\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", doc.text[-300:])
    years += [int(y) for y in head]
    return max(years, default=0) or era_of(doc.text)


def topic_similarity(topic: str, title: str) -> float:
    a, b = bigrams(TITLE_NOISE.sub("", topic)), bigrams(TITLE_NOISE.sub("", title))
    return len(a & b) / len(a) if a else 0.0


def choose(assistant, topic: str, picked: tuple[str, ...] = ()) -> list[Template]:
    """The user's templates, or the documents that best fit the topic: title overlap with the topic
    counts double, retrieval hits for the topic count once (rank-weighted)."""
    if picked:
        docs = []
        for doc_id in picked:
            doc = assistant.document(doc_id)
            if doc is None:
                raise ValueError(f"文档库中没有范本 {doc_id}")
            docs.append(Template(doc, estimate_year(doc), 1.0))
        return docs
    infos = assistant.documents()
    if not infos:
        raise ValueError("文档库为空：请先导入范本文件")
    hits: dict[str, float] = {}
    for p in assistant.retrieve(topic, k=30):
        hits[p.chunk.doc_id] = hits.get(p.chunk.doc_id, 0.0) + 1.0 / (1 + p.rank)
    top_hits = max(hits.values(), default=1.0) or 1.0
    scored = []
    for info in infos:
        # Scored from the listing; only a document that may be chosen is loaded (text, offsets,
        # sections), so the cost of choosing does not grow with the documents that are not.
        name = f"{info.title or ''} {Path(info.path or '').stem}"
        title_fit, hit_share = topic_similarity(topic, name), hits.get(info.doc_id, 0.0) / top_hits
        if title_fit < 0.2 and hit_share < 0.8:    # neither named like the topic nor about it
            continue
        doc = assistant.document(info.doc_id)
        if doc is None:     # removed since the listing
            continue
        scored.append(Template(doc, estimate_year(doc), 2 * title_fit + hit_share))
    scored.sort(key=lambda t: -t.score)
    best = scored[0].score if scored else 0.0
    if best < 0.5:
        raise ValueError(f"文档库中没有与“{topic}”相关的范本，请先导入范本或用 --templates 指定")
    return [t for t in scored if t.score >= 0.2 * best][:MAX_TEMPLATES]
