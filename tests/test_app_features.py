"""Features the facade and CLI offer, each with an exact outcome: settings overrides,
reindexing after a chunking change, LLM streaming, and `assistant meta`."""
from __future__ import annotations

from argparse import Namespace
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage

from assistant.app.bootstrap import build_assistant, settings_from_args
from assistant.app.cli import main
from assistant.config import Settings
from assistant.fakes import HashEmbedder, scripted_chat_model
from assistant.ingest.cleaning import OffsetMap
from assistant.types import Answer

from conftest import SEED_000, SEED_003, hash_built

QUESTION = "到2025年学前教育三年毛入园率要达到多少?"


def test_command_line_options_override_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "env"))
    monkeypatch.setenv("ASSISTANT_TOP_K", "7")
    assert settings_from_args(Namespace(data_dir=None)).data_dir == tmp_path / "env"
    assert settings_from_args(None).data_dir == tmp_path / "env"
    chosen = settings_from_args(Namespace(data_dir=str(tmp_path / "cli")))
    assert chosen.data_dir == tmp_path / "cli" and isinstance(chosen.data_dir, Path) and chosen.top_k == 7
    base = Settings(data_dir=tmp_path / "base", top_k=3)
    assert settings_from_args(Namespace(), base) is base


def test_build_assistant_injects_the_chat_model(tmp_path):
    chat = scripted_chat_model(["资料中未找到。"])
    a = build_assistant(Settings(data_dir=tmp_path / "d"), embedder=HashEmbedder(), chat_model=chat)
    src = tmp_path / "p.txt"
    src.write_text("（一）公共卫生。每个乡镇卫生院至少配备1名专职公共卫生医师。", encoding="utf-8")
    a.ingest([src])
    answer = a.ask("每个乡镇卫生院配备几名公共卫生医师?")
    assert answer.backend == "llm" and len(chat.prompts) == 1  # no LLM settings: the injected model answered


def test_reindex_rechunks_every_document_and_leaves_no_stale_entries(tmp_path):
    data = tmp_path / "data"
    first = hash_built(data)
    first.ingest([SEED_000, SEED_003])
    before = {d.doc_id: d.chunk_count for d in first.documents()}
    old_ids = set(first.chunks_by_id)

    smaller = hash_built(data, chunk_size=100)
    results = smaller.reindex()
    assert sorted(r.doc_id for r in results) == sorted(before) and {r.status for r in results} == {"updated"}
    after = {d.doc_id: d.chunk_count for d in smaller.documents()}
    assert all(after[d] > before[d] for d in before)
    assert {r.doc_id: r.chunks for r in results} == after
    ids = set(smaller.chunks_by_id)
    assert len(ids) == sum(after.values()) == smaller.manifest.chunk_count()
    assert smaller.vectors.count() == len(ids) and set(smaller.lexical.ids) == ids
    assert ids != old_ids
    # Retrieval uses the new chunks only, and offsets still point into the original files.
    hits = smaller.retrieve(QUESTION, k=5)
    assert hits and all(p.chunk.chunk_id in ids for p in hits)
    for p in hits:
        doc = smaller.document(p.chunk.doc_id)
        assert doc.text[p.chunk.start:p.chunk.end] == p.chunk.text
        assert (p.chunk.orig_start, p.chunk.orig_end) == OffsetMap(doc.offset_runs).span(p.chunk.start, p.chunk.end)


def test_stream_ask_yields_growing_text_then_the_checked_answer(seeded_assistant):
    chat = scripted_chat_model([])
    a = seeded_assistant(chat)
    n = next(p.rank for p in a.retrieve(QUESTION) if "95%以上" in p.chunk.text)
    # GenericFakeChatModel streams a reply split at whitespace: three parts here.
    chat.messages = iter([AIMessage(content=f"到2025年,学前教育三年毛入园率达到95%以上[{n}]。 另有规定[9]。")])
    parts = list(a.stream_ask(QUESTION))
    *partial, final = parts
    assert partial == [f"到2025年,学前教育三年毛入园率达到95%以上[{n}]。",
                       f"到2025年,学前教育三年毛入园率达到95%以上[{n}]。 ",
                       f"到2025年,学前教育三年毛入园率达到95%以上[{n}]。 另有规定[9]。"]
    assert isinstance(final, Answer) and final.backend == "llm"
    assert final.outcome == "related" and not final.grounded
    assert final.unsupported_sentences == ("另有规定。",)
    assert [c.n for c in final.citations] == [1] and "95%以上" in final.citations[0].quote
    assert QUESTION in chat.prompts[0][0].content


def test_stream_ask_without_a_chat_model_yields_one_extractive_answer(hash_assistant):
    parts = list(hash_assistant.stream_ask(QUESTION))
    assert len(parts) == 1 and isinstance(parts[0], Answer) and parts[0].backend == "extractive"


def test_cli_meta_edits_a_document_and_citations_use_it(monkeypatch, tmp_path, capsys):
    data = tmp_path / "data"
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    assert main(["--data-dir", str(data), "ingest", str(SEED_000)]) == 0  # the plan that speaks of 2025
    doc_id = build_assistant(Settings(data_dir=data, embedder="hash")).documents()[0].doc_id
    capsys.readouterr()
    assert main(["--data-dir", str(data), "meta", doc_id, "--title", "青禾县学前教育方案", "--region", "青禾县",
                 "--doc-number", "青政发〔2026〕1号", "--period", "2026-2030"]) == 0
    assert capsys.readouterr().out.strip() == f"已更新 {doc_id}"
    a = build_assistant(Settings(data_dir=data, embedder="hash"))
    d = a.documents()[0]
    assert (d.title, d.region, d.doc_number, d.period) == (
        "青禾县学前教育方案", "青禾县", "青政发〔2026〕1号", "2026-2030")
    answer = a.ask(QUESTION)
    assert answer.citations and {c.title for c in answer.citations} == {"青禾县学前教育方案"}
    # Options left out keep their values.
    assert main(["--data-dir", str(data), "meta", doc_id, "--period", "2027-2031"]) == 0
    d = build_assistant(Settings(data_dir=data, embedder="hash")).documents()[0]
    assert (d.title, d.period) == ("青禾县学前教育方案", "2027-2031")


def test_cli_meta_on_an_unknown_document_is_one_line_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    assert main(["--data-dir", str(tmp_path / "d"), "meta", "nope", "--title", "x"]) == 1
    err = capsys.readouterr().err
    assert err == "错误：文档库中没有 nope\n"


def test_the_public_api_is_the_package_and_the_langchain_module():
    import assistant
    from assistant import build_assistant as public
    from assistant.langchain import PolicyRetriever  # noqa: F401 (the documented import)
    assert public is build_assistant and assistant.__all__ == ["build_assistant"]
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        assistant.nothing_here  # noqa: B018
