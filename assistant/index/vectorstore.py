"""Chroma, on disk (PersistentClient) or over HTTP (a Chroma server for multi-user set-ups).
The only module that imports chromadb. Embeddings are always passed in: Chroma's default
embedding function would download a model. One collection per embedding model, so switching
models never mixes vectors. The client is opened on first use, so listing documents never
starts Chroma."""
from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np


class VectorStore:
    def __init__(self, data_dir: Path, embedder_name: str, dim: int | Callable[[], int], url: str = "") -> None:
        self._data_dir, self._embedder_name, self._dim, self.url = data_dir, embedder_name, dim, url
        self._col_obj = None
        self._open_lock = threading.Lock()

    @property
    def _col(self):
        with self._open_lock:
            if self._col_obj is None:
                self._col_obj = self._open()
            return self._col_obj

    def _open(self):
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        settings = ChromaSettings(anonymized_telemetry=False)
        url, data_dir, embedder_name = self.url, self._data_dir, self._embedder_name
        dim = self._dim if isinstance(self._dim, int) else self._dim()
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
        return self._client.get_or_create_collection(
            self.collection_name, embedding_function=None,
            metadata={"hnsw:space": "cosine", "embedder": embedder_name, "dim": dim})

    def reopen(self) -> None:
        """See another process's writes. A Chroma server serves them already; the embedded client
        keeps its index in memory, so drop this path's cached system and open it again."""
        if self.url:
            return
        with self._open_lock:
            if self._col_obj is None:
                return
            from chromadb.api.shared_system_client import SharedSystemClient
            for key in [k for k in SharedSystemClient._identifier_to_system if k == str(self._data_dir / "chroma")]:
                SharedSystemClient._identifier_to_system.pop(key, None)
                SharedSystemClient._identifier_to_refcount.pop(key, None)
            self._col_obj = None

    def collection_metadata(self) -> dict:
        return dict(self._col.metadata or {})

    def set_collection_metadata(self, **values: str) -> None:
        meta = {k: v for k, v in self.collection_metadata().items() if not k.startswith("hnsw:")}
        self._col.modify(metadata={**meta, **values})

    def chunk_ids(self, doc_id: str | None = None) -> set[str]:
        out: set[str] = set()
        where = {"doc_id": doc_id} if doc_id else None
        offset, page = 0, 20000
        while True:
            res = self._col.get(where=where, include=[], limit=page, offset=offset)
            out.update(res["ids"])
            if len(res["ids"]) < page:
                return out
            offset += page

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

    def nearest_among(self, vector: np.ndarray, k: int, ids: Sequence[str]) -> list[tuple[str, float]]:
        """The k of these chunks nearest the vector, by exact cosine similarity over their stored
        vectors. For a scope of a few documents this is a lookup by primary key; Chroma's
        metadata filter costs about 100 ms at 100 000 chunks even for one document."""
        if not ids:
            return []
        got = self._col.get(ids=list(ids), include=["embeddings"])
        if not len(got["ids"]):
            return []
        m = np.asarray(got["embeddings"], dtype=np.float32)
        sims = (m @ vector) / np.maximum(np.linalg.norm(m, axis=1) * float(np.linalg.norm(vector)), 1e-12)
        order = sorted(range(len(sims)), key=lambda i: (-float(sims[i]), got["ids"][i]))[:k]
        return [(got["ids"][i], float(sims[i])) for i in order]

    def query(self, vector: np.ndarray, k: int, doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        if k <= 0:
            return []
        where = None
        if doc_ids:
            where = {"doc_id": {"$in": list(doc_ids)}} if len(doc_ids) > 1 else {"doc_id": doc_ids[0]}
        # Chroma 1.x answers with what it has when k exceeds the collection (an empty list when
        # empty), so no count first: counting costs 10 ms a question at 100 000 chunks.
        res = self._col.query(query_embeddings=[vector.tolist()], n_results=k, where=where,
                              include=["distances"])
        # cosine distance -> similarity
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0])]
