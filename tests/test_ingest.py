import shutil

from assistant.app.bootstrap import build_assistant
from assistant.fakes import HashEmbedder

from conftest import SEED_000, SEED_003, make_settings


def _state(a):
    return (sorted(d.doc_id for d in a.documents()), a.vectors.count(), len(a.lexical.ids),
            a.manifest.chunk_count())


def test_reingest_unchanged_does_nothing_and_changed_file_replaces_chunks(tmp_path):
    a = build_assistant(make_settings(tmp_path / "d"), embedder=HashEmbedder())
    src = tmp_path / "plan.txt"
    src.write_text("一、总体要求\n（一）主要目标。到2025年，学前教育三年毛入园率达到95%以上。\n", encoding="utf-8")
    [r1] = a.ingest([src])
    assert (r1.status, r1.doc_id, r1.chunks) == ("added", "plan", 1)
    [r2] = a.ingest([src])
    assert r2.status == "unchanged"
    src.write_text("一、总体要求\n（一）主要目标。到2030年，学前教育三年毛入园率达到98%以上。\n", encoding="utf-8")
    [r3] = a.ingest([src])
    assert r3.status == "updated"
    assert [c.text for c in a.chunks_of("plan")] == ["一、总体要求\n（一）主要目标。到2030年，学前教育三年毛入园率达到98%以上。"]
    assert a.vectors.count() == 1 and a.lexical.ids == [a.chunks_of("plan")[0].chunk_id]


def test_bad_files_in_a_run_do_not_stop_others_or_lose_the_index(tmp_path):
    a = build_assistant(make_settings(tmp_path / "d"), embedder=HashEmbedder())
    a.ingest([SEED_000])
    before = _state(a)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_003, folder / "003.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04junk")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    results = {r.path.rsplit("/", 1)[-1]: r for r in a.ingest([folder])}
    assert results["003.txt"].status == "added"
    assert {n: r.error for n, r in results.items() if r.status == "error"} == {
        "broken.docx": "broken.docx: 不是有效的 .docx 文件（文件损坏）",
        "empty.txt": "empty.txt: 文件为空",
        # No compound-file header: refused before LibreOffice (which would import it as plain text).
        "old.doc": "old.doc: 不是有效的 .doc 文件（文件损坏）"}
    docs, vecs, lex, chunks = _state(a)
    assert docs == ["000_72f48bf4814f4020", "003"]
    assert vecs == lex == chunks == before[1] + len(a.chunks_of("003"))


def test_remove_deletes_a_document_everywhere(hash_assistant):
    a = hash_assistant
    n3 = len(a.chunks_of("003_99ee4da949b934db"))
    total = a.vectors.count()
    assert a.remove("003_99ee4da949b934db") is True
    assert [d.doc_id for d in a.documents()] == ["000_72f48bf4814f4020"]
    assert a.vectors.count() == total - n3 == len(a.lexical.ids) == a.manifest.chunk_count()
    assert all(p.chunk.doc_id == "000_72f48bf4814f4020" for p in a.retrieve("金普新区 基本原则", k=10))
    assert a.remove("003_99ee4da949b934db") is False


def test_hostile_file_names_get_safe_ids(tmp_path):
    a = build_assistant(make_settings(tmp_path / "d"), embedder=HashEmbedder())
    weird = tmp_path / "a b;rm -rf $(x)<script>:方案.txt"
    weird.write_text("一、总体要求。坚持以人民为中心的发展思想。", encoding="utf-8")
    [r] = a.ingest([weird])
    assert r.status == "added"
    assert r.doc_id == "a_b_rm_-rf___x__script__方案"
    assert ":" not in r.doc_id and "/" not in r.doc_id


def test_metadata_is_editable_and_used_in_citations(hash_assistant):
    a = hash_assistant
    a.set_metadata("000_72f48bf4814f4020", region="某县", title="某县公共服务能力提升一揽子解决方案")
    doc = [d for d in a.documents() if d.doc_id == "000_72f48bf4814f4020"][0]
    assert (doc.region, doc.title) == ("某县", "某县公共服务能力提升一揽子解决方案")
    assert {c.title for c in a.chunks_of("000_72f48bf4814f4020")} == {"某县公共服务能力提升一揽子解决方案"}


def test_embedding_cache_makes_reingest_cheap(tmp_path):
    a = build_assistant(make_settings(tmp_path / "d"), embedder=HashEmbedder())
    a.ingest([SEED_003])
    misses = a.embedder.misses
    a.ingest([SEED_003], force=True)
    assert a.embedder.misses == misses and a.embedder.hits == misses
