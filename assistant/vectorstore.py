"""Chroma, on disk (PersistentClient) or over HTTP (a Chroma server for multi-user set-ups).
The only module that imports chromadb. Embeddings are always passed in: Chroma's default
embedding function would download a model. One collection per embedding model, so switching
models never mixes vectors."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

import numpy as np


class VectorStore:
    def __init__(self, data_dir: Path, embedder_name: str, dim: int, url: str = "") -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        settings = ChromaSettings(anonymized_telemetry=False)
        if url:
            m = re.match(r"https?://([^:/]+)(?::(\d+))?", url)
            if not m:
                raise ValueError(f"ASSISTANT_CHROMA_URL 格式不对：{url}")
            self._client = chromadb.HttpClient(host=m.group(1), port=int(m.group(2) or 8000),
                                               ssl=url.startswith("https"), settings=settings)
        else:
            self._client = chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings)
        safe = re.sub(r"[^a-zA-Z0-9_-]", "-", embedder_name)[:50]
        self.collection_name = f"chunks-{safe}-{dim}"
        self._col = self._client.get_or_create_collection(
            self.collection_name, embedding_function=None,
            metadata={"hnsw:space": "cosine", "embedder": embedder_name, "dim": dim})

    def add(self, ids: Sequence[str], vectors: np.ndarray, doc_ids: Sequence[str]) -> None:
        for i in range(0, len(ids), 1000):
            self._col.upsert(ids=list(ids[i:i + 1000]), embeddings=vectors[i:i + 1000].tolist(),
                             metadatas=[{"doc_id": d} for d in doc_ids[i:i + 1000]])

    def delete_doc(self, doc_id: str) -> None:
        self._col.delete(where={"doc_id": doc_id})

    def delete_ids(self, ids: Sequence[str]) -> None:
        if ids:
            self._col.delete(ids=list(ids))

    def count(self) -> int:
        return self._col.count()

    def query(self, vector: np.ndarray, k: int, doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        n = self.count()
        if n == 0:
            return []
        where = None
        if doc_ids:
            where = {"doc_id": {"$in": list(doc_ids)}} if len(doc_ids) > 1 else {"doc_id": doc_ids[0]}
        res = self._col.query(query_embeddings=[vector.tolist()], n_results=min(k, n), where=where,
                              include=["distances"])
        # cosine distance -> similarity
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0])]
