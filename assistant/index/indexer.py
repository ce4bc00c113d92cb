"""Files on disk -> Document -> chunks -> embeddings -> Chroma + BM25 + manifest.

Each file is read, cleaned, parsed, chunked and embedded completely before anything stored is
touched, so a bad file never costs what is already indexed. Stores are then written in one order:
journal entry, vectors, lexical rows, manifest last (which closes the journal entry in the same
transaction). A crash in between leaves a journal entry that `reconcile` completes at start-up, so
the manifest never lists a document whose vectors are missing."""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..ingest.chunking import chunk_document
from ..ingest.cleaning import clean
from ..ingest.metadata import extract_metadata
from ..ingest.place_tags import document_places
from ..ingest.read_limits import ReadLimits
from ..ingest.read_limits import display_name as _display
from ..ingest.readers import SUPPORTED, ReadError, decode, load_bytes
from ..ingest.structure import parse_sections
from ..types import Chunk, Document, DocumentInfo, IngestResult
from .stores import LexicalIndex, Manifest, VectorStore


def safe_doc_id(path: Path) -> str:
    """Readable id from the file name; hostile characters are dropped, length is bounded."""
    stem = path.stem if path.suffix else path.name
    cleaned = re.sub(r"[^\w\-.\u4e00-\u9fff]", "_", stem, flags=re.UNICODE).strip("._") or "doc"
    return cleaned[:60]


def build_document(path: Path, data: bytes, doc_id: str | None = None, stored_path: str | None = None,
                   limits: ReadLimits | None = None) -> Document:
    raw = decode(path, data, limits)
    sha = hashlib.sha256(data).hexdigest()
    cleaned = clean(raw.text)
    if not cleaned.text.strip():
        raise ReadError(path, "清理后没有正文内容")
    sections = parse_sections(cleaned.text)
    meta = extract_metadata(cleaned.text, path.name, raw.text)
    if raw.ocr_pages:
        meta = replace(meta, ocr=True)
    return Document(doc_id=doc_id or safe_doc_id(path), path=stored_path or str(path), sha256=sha, format=raw.format,
                    original=raw.text, text=cleaned.text, offset_runs=cleaned.offsets.runs, meta=meta,
                    sections=tuple(sections), places=document_places(cleaned.text))


@dataclass(frozen=True)
class Scan:
    """Files found under the given paths, and entries refused without reading them."""
    files: tuple[Path, ...]
    refused: tuple[tuple[Path, str], ...] = ()


def scan(paths: Iterable[Path]) -> Scan:
    """Files to ingest. Inside a folder, symbolic links are followed only when they point to a file
    inside that same folder: a link to /etc/passwd in an imported folder is never read."""
    files: list[Path] = []
    refused: list[tuple[Path, str]] = []
    for p in paths:
        p = Path(p)
        if not p.is_dir():
            files.append(p)
            continue
        root = p.resolve()
        found = []
        for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
            dirnames.sort()
            for name in filenames:
                f = Path(dirpath) / name
                if f.suffix.lower() not in SUPPORTED or name.lower() == "readme.md":
                    continue
                if f.is_symlink():
                    target = f.resolve()
                    if not target.is_relative_to(root):
                        refused.append((f, "符号链接指向导入文件夹之外，已跳过"))
                        continue
                if f.is_file():
                    found.append(f)
        files += sorted(found)
    return Scan(tuple(files), tuple(refused))


def iter_files(paths: Iterable[Path]) -> list[Path]:
    return list(scan(paths).files)


class Indexer:
    def __init__(self, manifest: Manifest, vectors: VectorStore, lexical: LexicalIndex, embedder,
                 chunk_size: int = 300, overlap_sentences: int = 0, max_mb: float = 50.0,
                 limits: ReadLimits | None = None) -> None:
        self.manifest, self.vectors, self.lexical, self.embedder = manifest, vectors, lexical, embedder
        self.chunk_size, self.overlap = chunk_size, overlap_sentences
        self.limits = limits or ReadLimits(max_mb=max_mb)
        self.max_mb = self.limits.max_mb

    def ingest(self, paths: Iterable[Path], progress: Callable[[IngestResult], None] | None = None,
               force: bool = False) -> list[IngestResult]:
        results = []
        found = scan(paths)
        for path, reason in found.refused:
            results.append(IngestResult(str(path), "error", error=f"{_display(path)}: {reason}"))
        for path in found.files:
            result = self.ingest_one(path, force=force)
            results.append(result)
            if progress:
                progress(result)
        return results

    def ingest_one(self, path: Path, force: bool = False, display_name: str | None = None) -> IngestResult:
        """One document, one entry: a file is the document stored under its path; else, for an
        upload, the document of the same name (an update); else a document with the same content
        (未变, nothing stored twice); else a new document."""
        path = Path(path)
        key = str(path.resolve())
        limits = self.limits.started()
        try:
            data = load_bytes(path, limits.max_mb)
            sha = hashlib.sha256(data).hexdigest()
            known = self._identify(key, sha, display_name)
            if known and known.sha256 == sha and not force:
                return IngestResult(str(path), "unchanged", known.doc_id, known.title,
                                    chunks=known.chunk_count or len(self.manifest.chunks(known.doc_id)))
            doc_id = known.doc_id if known else self._new_id(Path(display_name) if display_name else path)
            doc = build_document(path, data, doc_id=doc_id, stored_path=key, limits=limits)
            chunks = chunk_document(doc.doc_id, doc.meta.title, doc.text, list(doc.sections),
                                    _offsets(doc), self.chunk_size, self.overlap)
            limits.check_time(path)
            vectors = self.embedder.embed_passages([c.embedding_text() for c in chunks])
        except ReadError as exc:
            return IngestResult(str(path), "error", error=str(exc))
        except OSError as exc:
            return IngestResult(str(path), "error", error=f"{_display(path)}: 无法读取文件（{exc.strerror}）")
        self._store(doc, chunks, vectors)
        return IngestResult(str(path), "updated" if known else "added", doc.doc_id, doc.meta.title, len(chunks))

    def _identify(self, key: str, sha: str, display_name: str | None) -> DocumentInfo | None:
        """The stored document this file is, if any (see ingest_one)."""
        docs = self.manifest.list_documents()
        by_path = next((d for d in docs if d.path == key), None)
        if by_path:
            return by_path
        if display_name:
            name_id = safe_doc_id(Path(display_name))
            by_name = next((d for d in docs if d.doc_id == name_id), None)
            if by_name:
                return by_name
        return next((d for d in docs if d.sha256 == sha), None)

    def _new_id(self, path: Path) -> str:
        base = safe_doc_id(path)
        taken = set(self.manifest.doc_ids())
        doc_id, k = base, 2
        while doc_id in taken:
            doc_id = f"{base}-{k}"
            k += 1
        return doc_id

    def _store(self, doc: Document, chunks: list[Chunk], vectors) -> None:
        self.manifest.journal_begin(doc.doc_id, "store")
        new_ids = [c.chunk_id for c in chunks]
        old_ids = self.manifest.chunk_ids(doc.doc_id)
        self.vectors.add(new_ids, vectors, [c.doc_id for c in chunks])
        self.vectors.delete_ids(sorted(old_ids - set(new_ids)))
        self.lexical.replace_doc(doc.doc_id, new_ids, [lexical_text(c) for c in chunks])
        self.manifest.put(doc, chunks)

    def remove(self, doc_id: str) -> bool:
        if not self.manifest.get_document(doc_id):
            return False
        self.manifest.journal_begin(doc_id, "remove")
        self.vectors.delete_doc(doc_id)
        self.lexical.replace_doc(doc_id, [], [])
        return self.manifest.remove(doc_id)

    def reindex_all(self, progress: Callable[[IngestResult], None] | None = None) -> list[IngestResult]:
        """Re-embed every document from its stored text (after a model or chunking change)."""
        results = []
        for doc_id in self.manifest.doc_ids():
            doc = self.manifest.get_document(doc_id)
            if doc is None:
                continue
            if doc.places is None:      # stored before ingest kept its place names
                doc = replace(doc, places=document_places(doc.text))
            chunks = chunk_document(doc.doc_id, doc.meta.title, doc.text, list(doc.sections),
                                    _offsets(doc), self.chunk_size, self.overlap)
            vectors = self.embedder.embed_passages([c.embedding_text() for c in chunks])
            self._store(doc, chunks, vectors)
            result = IngestResult(doc.path, "updated", doc.doc_id, doc.meta.title, len(chunks))
            results.append(result)
            if progress:
                progress(result)
        return results


def lexical_text(c: Chunk) -> str:
    # The innermost heading helps BM25 (a run-in title like 普惠性学前教育); the full path would
    # add the same top-level words to every chunk of a section.
    return (c.heading_path[-1] + " " if c.heading_path else "") + c.text


def _offsets(doc: Document):
    from ..ingest.cleaning import OffsetMap
    return OffsetMap(doc.offset_runs)
