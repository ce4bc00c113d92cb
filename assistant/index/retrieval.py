"""Hybrid retrieval: dense (Chroma) + BM25, fused by min-max normalised weighted sum.

A question that names one document (its region such as 金普新区, or a distinctive part of its
title such as 一揽子解决方案) gets that document's passages boosted, not filtered: a wrong guess
costs rank, never recall."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..types import Chunk, Passage
from .lexical import normalize_query

DOC_BOOST = 0.15
# Dense search in a scope (the documents of the place a question names). Chroma's metadata filter
# costs 100-220 ms at 100 000 chunks whatever the scope's size, an unfiltered search 1-8 ms even
# for 2 000 neighbours: a small scope is scored exactly from its own vectors, a large one is read
# off the unfiltered neighbours, and only a scope between the two uses the filter.
EXACT_SCOPE_CHUNKS = 1000      # vectors fetched by id and scored here (about 30 ms for 1 000)
WIDE_SCOPE_NEIGHBOURS = 4000   # the most unfiltered neighbours read to find a scope's nearest


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
        self._doc_chunk_ids: dict[str, list[str]] | None = None   # built at the first scoped search

    def doc_chunk_ids(self, doc_id: str) -> list[str]:
        if self._doc_chunk_ids is None:
            by_doc: dict[str, list[str]] = {}
            for cid, c in self.chunks.items():
                by_doc.setdefault(c.doc_id, []).append(cid)
            self._doc_chunk_ids = by_doc
        return self._doc_chunk_ids.get(doc_id, [])

    def dense(self, qv, doc_ids: Sequence[str] | None) -> list[tuple[str, float]]:
        """The `candidates` chunks nearest the query vector, within the documents when given."""
        if not doc_ids:
            return self.vectors.query(qv, self.candidates)
        scope = [cid for d in dict.fromkeys(doc_ids) for cid in self.doc_chunk_ids(d)]
        if len(scope) <= EXACT_SCOPE_CHUNKS:
            return self.vectors.nearest_among(qv, self.candidates, scope)
        # A scope holding a large share of the library has its nearest chunks among the nearest of
        # all; once `need` of them are there, they are exactly the scope's nearest. Read first about
        # 3× the neighbours the scope's share says hold `need`, then as many as allowed (for a
        # question nearer to other places' documents than to its own place's).
        need = min(self.candidates, len(scope))
        first = -(-3 * need * len(self.chunks) // len(scope))   # ceil
        allowed = set(doc_ids)
        for n in dict.fromkeys((first, WIDE_SCOPE_NEIGHBOURS)):
            if n > WIDE_SCOPE_NEIGHBOURS:
                break
            hits = [(cid, sim) for cid, sim in self.vectors.query(qv, n)
                    if (c := self.chunks.get(cid)) is not None and c.doc_id in allowed]
            if len(hits) >= need:
                return hits[:need]
        return self.vectors.query(qv, self.candidates, list(doc_ids))

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
            dense = dict(self.dense(qv, doc_ids))
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
