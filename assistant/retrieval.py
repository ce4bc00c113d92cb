"""Hybrid retrieval: dense (Chroma) + BM25, fused by min-max normalised weighted sum.

A question that names one document (its region such as 金普新区, or a distinctive part of its
title such as 一揽子解决方案) gets that document's passages boosted, not filtered: a wrong guess
costs rank, never recall."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .lexical import normalize_query
from .types import Chunk, Passage

DOC_BOOST = 0.15


@dataclass(frozen=True)
class DocInfo:
    doc_id: str
    title: str
    region: str | None


class HybridRetriever:
    def __init__(self, vectors, lexical, embedder, chunks_by_id: dict[str, Chunk], docs: list[DocInfo],
                 dense_weight: float = 0.5, lexical_weight: float = 0.5, candidates: int = 30) -> None:
        self.vectors, self.lexical, self.embedder = vectors, lexical, embedder
        self.chunks = chunks_by_id
        self.docs = docs
        self.wd, self.wl, self.candidates = dense_weight, lexical_weight, candidates

    def mentioned_docs(self, question: str) -> list[str]:
        """Documents the question names by region or by a 4+ character piece of the title."""
        hits = []
        for d in self.docs:
            if d.region and d.region in question:
                hits.append(d.doc_id)
                continue
            title = re.sub(r"^关于", "", d.title)
            if any(title[i:i + 5] in question for i in range(max(0, len(title) - 4))):
                hits.append(d.doc_id)
        return hits

    def retrieve(self, query: str, k: int = 5, doc_ids: Sequence[str] | None = None,
                 mode: str = "hybrid") -> list[Passage]:
        query = normalize_query(query)
        allowed = set(doc_ids) if doc_ids else None
        dense: dict[str, float] = {}
        lex: dict[str, float] = {}
        if mode in ("hybrid", "dense"):
            qv = self.embedder.embed_query(query)
            dense = dict(self.vectors.query(qv, self.candidates, list(doc_ids) if doc_ids else None))
        if mode in ("hybrid", "lexical"):
            lex = dict(self.lexical.search(query, self.candidates, allowed))
        dn, ln = _minmax(dense), _minmax(lex)
        wd = self.wd if mode == "hybrid" else (1.0 if mode == "dense" else 0.0)
        wl = self.wl if mode == "hybrid" else (1.0 if mode == "lexical" else 0.0)
        boost = set(self.mentioned_docs(query)) if mode == "hybrid" else set()
        if len(boost) != 1:
            boost = set()
        scored = []
        for cid in set(dense) | set(lex):
            chunk = self.chunks.get(cid)
            if chunk is None or (allowed is not None and chunk.doc_id not in allowed):
                continue
            score = wd * dn.get(cid, 0.0) + wl * ln.get(cid, 0.0)
            if chunk.doc_id in boost:
                score += DOC_BOOST
            scored.append((score, cid))
        scored.sort(key=lambda x: (-x[0], x[1]))
        return [Passage(chunk=self.chunks[cid], score=s, rank=i + 1, dense_score=dense.get(cid),
                        lexical_score=lex.get(cid)) for i, (s, cid) in enumerate(scored[:k])]


def _minmax(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    if hi - lo < 1e-9:
        return {k: 1.0 for k in scores}
    return {k: (v - lo) / (hi - lo) for k, v in scores.items()}
