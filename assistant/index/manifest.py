"""SQLite manifest of documents and their chunks: path, sha256, title, format, counts, time.
It is the source of truth for what is indexed; Chroma and the lexical index hold ids that point here.

Besides documents and chunks it keeps: `settings` (library id, the embedder and index version the
vectors were built with, a generation number bumped by every change so other processes notice), and
a `journal` of document writes begun but not finished, which the start-up reconcile completes."""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

from ..types import Chunk, Document, DocumentInfo, DocumentMeta, Section

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  doc_id TEXT PRIMARY KEY, path TEXT, sha256 TEXT, format TEXT, title TEXT, region TEXT,
  doc_number TEXT, period TEXT, chunk_count INTEGER, ingested_at REAL,
  original TEXT, text TEXT, offset_runs TEXT, sections TEXT, meta TEXT, places TEXT);
CREATE TABLE IF NOT EXISTS chunks (
  chunk_id TEXT PRIMARY KEY, doc_id TEXT, ordinal INTEGER, data TEXT);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS journal (doc_id TEXT PRIMARY KEY, op TEXT, started_at REAL);
"""


class Manifest:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")  # readers in other processes never block a writer
        # WAL + NORMAL never corrupts; a power cut may lose the last commit, which the start-up
        # reconcile then treats like a store interrupted before the manifest (written last).
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        cols = {r[1] for r in self._db.execute("PRAGMA table_info(documents)")}
        if "meta" not in cols:  # manifests written before the extra metadata fields
            self._db.execute("ALTER TABLE documents ADD COLUMN meta TEXT")
        if "places" not in cols:  # manifests written before ingest kept each document's place names
            self._db.execute("ALTER TABLE documents ADD COLUMN places TEXT")
        self._lock = threading.RLock()

    def find_by_path(self, path: str) -> tuple[str, str] | None:
        row = self._db.execute("SELECT doc_id, sha256 FROM documents WHERE path = ?", (path,)).fetchone()
        return (row[0], row[1]) if row else None

    def doc_ids(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT doc_id FROM documents ORDER BY doc_id")]

    # --- library settings, generation, journal ---------------------------------------------
    def get_setting(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, value))

    def generation(self) -> int:
        return int(self.get_setting("generation") or 0)

    def _bump(self) -> None:
        self._db.execute("INSERT OR REPLACE INTO settings VALUES ('generation', ?)", (str(self.generation() + 1),))

    def journal_begin(self, doc_id: str, op: str) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO journal VALUES (?, ?, ?)", (doc_id, op, time.time()))

    def journal_end(self, doc_id: str) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM journal WHERE doc_id = ?", (doc_id,))

    def journal_pending(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self._db.execute("SELECT doc_id, op FROM journal ORDER BY started_at")]

    def chunk_ids(self, doc_id: str | None = None) -> set[str]:
        if doc_id is None:
            return {r[0] for r in self._db.execute("SELECT chunk_id FROM chunks")}
        return {r[0] for r in self._db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))}

    def chunks_by_ids(self, ids: list[str]) -> list[Chunk]:
        out = []
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            rows = self._db.execute(f"SELECT data FROM chunks WHERE chunk_id IN ({','.join('?' * len(part))})", part)
            out += [_chunk_from(json.loads(r[0])) for r in rows]
        return out

    # --- documents ---------------------------------------------------------------------------
    def put(self, doc: Document, chunks: list[Chunk]) -> None:
        """Stores the document and its chunks and closes its journal entry, in one transaction:
        the manifest is written last, so a document listed here has its vectors and lexical rows."""
        with self._lock, self._db:
            self._db.execute("DELETE FROM journal WHERE doc_id = ?", (doc.doc_id,))
            self._bump()
            self._db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc.doc_id,))
            self._db.execute(
                "INSERT OR REPLACE INTO documents (doc_id, path, sha256, format, title, region, doc_number, period, "
                "chunk_count, ingested_at, original, text, offset_runs, sections, meta, places) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.doc_id, doc.path, doc.sha256, doc.format, doc.meta.title, doc.meta.region,
                 doc.meta.doc_number, doc.meta.period, len(chunks), time.time(), doc.original, doc.text,
                 json.dumps(doc.offset_runs), json.dumps([_section_json(s) for s in doc.sections],
                                                         ensure_ascii=False),
                 json.dumps(_meta_extra(doc.meta), ensure_ascii=False),
                 None if doc.places is None else json.dumps(doc.places, ensure_ascii=False)))
            self._db.executemany("INSERT INTO chunks VALUES (?,?,?,?)",
                                 [(c.chunk_id, c.doc_id, c.ordinal, json.dumps(_chunk_json(c), ensure_ascii=False))
                                  for c in chunks])

    def remove(self, doc_id: str) -> bool:
        with self._lock, self._db:
            cur = self._db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            self._db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            self._db.execute("DELETE FROM journal WHERE doc_id = ?", (doc_id,))
            self._bump()
            return cur.rowcount > 0

    def update_meta(self, doc_id: str, **fields: str | None) -> None:
        allowed = {"title", "region", "doc_number", "period"}
        sets = {k: v for k, v in fields.items() if k in allowed and v is not None}
        extra = {k: v for k, v in fields.items() if k in DocumentMeta.EXTRA and v is not None}
        if not sets and not extra:
            return
        with self._lock, self._db:
            self._bump()
            if extra:
                row = self._db.execute("SELECT meta FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
                merged = {**json.loads((row and row[0]) or "{}"), **extra}
                self._db.execute("UPDATE documents SET meta = ? WHERE doc_id = ?",
                                 (json.dumps(merged, ensure_ascii=False), doc_id))
            if not sets:
                return
            self._db.execute(f"UPDATE documents SET {', '.join(k + ' = ?' for k in sets)} WHERE doc_id = ?",
                             (*sets.values(), doc_id))
            if "title" in sets:
                rows = self._db.execute("SELECT chunk_id, data FROM chunks WHERE doc_id = ?", (doc_id,)).fetchall()
                for cid, data in rows:
                    d = json.loads(data)
                    d["title"] = sets["title"]
                    self._db.execute("UPDATE chunks SET data = ? WHERE chunk_id = ?",
                                     (json.dumps(d, ensure_ascii=False), cid))

    def list_documents(self) -> list[DocumentInfo]:
        cols = ["doc_id", "path", "sha256", "format", "title", "region", "doc_number", "period",
                "chunk_count", "ingested_at"]
        rows = self._db.execute(f"SELECT {', '.join(cols)}, meta FROM documents ORDER BY doc_id").fetchall()
        out = []
        for r in rows:
            extra = json.loads(r[-1] or "{}")
            out.append(DocumentInfo(**dict(zip(cols, r[:-1])), **{k: extra.get(k) for k in DocumentMeta.EXTRA}))
        return out

    def get_document(self, doc_id: str) -> Document | None:
        row = self._db.execute(
            "SELECT doc_id, path, sha256, format, title, region, doc_number, period, original, text, "
            "offset_runs, sections, meta, places FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if not row:
            return None
        return Document(doc_id=row[0], path=row[1], sha256=row[2], format=row[3], original=row[8], text=row[9],
                        offset_runs=tuple(tuple(r) for r in json.loads(row[10])),
                        meta=DocumentMeta(title=row[4], region=row[5], doc_number=row[6], period=row[7],
                                          **_meta_from(row[12])),
                        sections=tuple(_section_from(s) for s in json.loads(row[11])),
                        places=None if row[13] is None else tuple(json.loads(row[13])))

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        if doc_id:
            rows = self._db.execute("SELECT data FROM chunks WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
        else:
            rows = self._db.execute("SELECT data FROM chunks ORDER BY doc_id, ordinal")
        return [_chunk_from(json.loads(r[0])) for r in rows]

    def chunk_count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]


def _chunk_json(c: Chunk) -> dict:
    return {"chunk_id": c.chunk_id, "doc_id": c.doc_id, "title": c.title, "heading_path": list(c.heading_path),
            "citation_label": c.citation_label, "text": c.text, "start": c.start, "end": c.end,
            "orig_start": c.orig_start, "orig_end": c.orig_end, "kind": c.kind, "ordinal": c.ordinal}


def _chunk_from(d: dict) -> Chunk:
    d = dict(d)
    d["heading_path"] = tuple(d["heading_path"])
    return Chunk(**d)


def _section_json(s: Section) -> dict:
    return {"number": s.number, "title": s.title, "level": s.level, "start": s.start,
            "body_start": s.body_start, "end": s.end, "path": list(s.path), "kind": s.kind}


def _section_from(d: dict) -> Section:
    d = dict(d)
    d["path"] = tuple(d["path"])
    return Section(**d)


def _meta_extra(meta: DocumentMeta) -> dict:
    return {k: getattr(meta, k) for k in DocumentMeta.EXTRA}


def _meta_from(data: str | None) -> dict:
    extra = json.loads(data or "{}")
    return {k: extra[k] for k in DocumentMeta.EXTRA if extra.get(k) is not None}
