"""Start-up repair: make Chroma, the lexical index and the manifest agree again after a crash.

The manifest is the source of truth (it is written last). Pending journal entries are finished
first (an interrupted remove is completed; an interrupted store is rolled back to what the
manifest holds), then the chunk id sets are compared and every difference is repaired. Every
repair is logged and counted in the returned report: never silent."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from .stores import LexicalIndex, Manifest, VectorStore

log = logging.getLogger("assistant.index.reconcile")


@dataclass
class ReconcileReport:
    journal: list[tuple[str, str]] = field(default_factory=list)
    lexical_removed: int = 0
    lexical_added: int = 0
    vectors_removed: int = 0
    vectors_added: int = 0

    @property
    def repaired(self) -> bool:
        return bool(self.journal or self.lexical_removed or self.lexical_added
                    or self.vectors_removed or self.vectors_added)

    def summary(self) -> str:
        return (f"启动检查修复了资料库：未完成的写入 {len(self.journal)} 项，"
                f"关键词索引 删 {self.lexical_removed} / 补 {self.lexical_added} 段，"
                f"向量 删 {self.vectors_removed} / 补 {self.vectors_added} 段")


def reconcile(manifest: Manifest, vectors: VectorStore | None, lexical: LexicalIndex, embedder=None,
              text_of=None, full: bool = False) -> ReconcileReport:
    """`vectors=None` checks only the lexical index (when the vector side must not be touched,
    e.g. the embedder changed). `embedder` re-embeds chunks whose vectors are missing;
    `text_of(chunk)` gives the lexical text of a chunk."""
    report = ReconcileReport()
    for doc_id, op in manifest.journal_pending():
        report.journal.append((doc_id, op))
        if op == "remove":
            log.warning("完成中断的删除：%s", doc_id)
            if vectors is not None:
                vectors.delete_doc(doc_id)
            lexical.replace_doc(doc_id, [], [])
            manifest.remove(doc_id)
        elif vectors is not None:
            log.warning("回到中断写入之前的状态：%s", doc_id)
            # The id-set comparison below removes the new version's rows and restores the old ones.
            manifest.journal_end(doc_id)

    in_manifest = manifest.chunk_ids()
    # Listing every id costs seconds at 100k chunks: only when a count or the journal says so.
    if full or report.journal or lexical.document_count() != len(in_manifest):
        _repair_lexical(manifest, lexical, in_manifest, text_of, report)
    if vectors is not None and (full or report.journal or vectors.count() != len(in_manifest)):
        _repair_vectors(manifest, vectors, in_manifest, embedder, report)
    return report


def _repair_lexical(manifest: Manifest, lexical: LexicalIndex, in_manifest: set[str], text_of,
                    report: ReconcileReport) -> None:
    in_lexical = lexical.chunk_ids()
    stale = sorted(in_lexical - in_manifest)
    if stale:
        log.warning("关键词索引中有 %d 段不在清单中，已删除", len(stale))
        lexical.delete_chunks(stale)
        report.lexical_removed = len(stale)
    missing = sorted(in_manifest - in_lexical)
    if missing:
        log.warning("关键词索引缺 %d 段，已从清单补回", len(missing))
        by_doc: dict[str, tuple[list[str], list[str]]] = {}
        for c in manifest.chunks_by_ids(missing):
            ids, texts = by_doc.setdefault(c.doc_id, ([], []))
            ids.append(c.chunk_id)
            texts.append(text_of(c) if text_of else c.text)
        for doc_id, (ids, texts) in by_doc.items():
            lexical.add_chunks(doc_id, ids, texts)
        report.lexical_added = len(missing)


def _repair_vectors(manifest: Manifest, vectors: VectorStore, in_manifest: set[str], embedder,
                    report: ReconcileReport) -> None:
    in_vectors = vectors.chunk_ids()
    stale = sorted(in_vectors - in_manifest)
    if stale:
        log.warning("向量库中有 %d 段不在清单中，已删除", len(stale))
        vectors.delete_ids(stale)
        report.vectors_removed = len(stale)
    missing = sorted(in_manifest - in_vectors)
    if missing:
        if embedder is None:
            raise RuntimeError(f"向量库缺 {len(missing)} 段，需要向量模型才能补回")
        log.warning("向量库缺 %d 段，已重新计算向量补回", len(missing))
        chunks = manifest.chunks_by_ids(missing)
        vecs = embedder.embed_passages([c.embedding_text() for c in chunks])
        vectors.add([c.chunk_id for c in chunks], vecs, [c.doc_id for c in chunks])
        report.vectors_added = len(chunks)
