"""What the page shows, without a server: escaping of document text, citation links, the three
outcomes, table answers, saved conversations and outline edits."""
import json

import pytest

from assistant.app import presenters as show
from assistant.app.conversations import (
    ConversationStore,
    conversation_markdown,
    export_files,
    new_session_id,
)
from assistant.drafting.edit import apply_outline_edits
from assistant.drafting.model import Draft, DraftRequest, Outline, OutlineItem
from assistant.types import Answer, Chunk, Citation, Passage

HOSTILE = "到2030年覆盖率达到88%<img src=x onerror=alert(1)><script>alert(2)</script>[1][2]${1+1}{{value}}![](http://e/x.png)"


def _answer(quote: str, outcome="answer", kind="text", chunk_text=None) -> Answer:
    chunk = Chunk("d:1", "d", "青禾县方案", ("一、总体要求",), "一", chunk_text or quote, 0, len(quote), 10,
                  10 + len(quote), kind=kind)
    cites = (Citation(1, "d", "青禾县方案", ("一、总体要求",), "一", quote, quote, 10, 10 + len(quote), "d:1", 0.9),)
    text = f"据《青禾县方案》一：“{quote}”[1]" if outcome == "answer" else "资料中未找到与该问题直接相关的内容。"
    return Answer("q", text, outcome == "answer", cites if outcome == "answer" else (), (Passage(chunk, 1.0, 1),),
                  outcome=outcome, confidence=0.8 if outcome == "answer" else 0.0)


def test_document_text_is_never_markup_and_its_brackets_are_not_citations():
    record = show.turn_record("问<b>题</b>", _answer(HOSTILE), lambda d: [])
    html = show.chat_html([record]) + show.sources_html(record) + show.viewer_html(record["citations"][0],
                                                                                  "x" * 10 + HOSTILE)
    for raw in ("<img", "<script", "${", "{{", "[2]", "![", "<b>题"):
        assert raw not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;b&gt;题&lt;/b&gt;" in html
    # exactly one link in the chat: our [1] after the quote, not the [1][2] inside the document's text
    chat = show.chat_html([record])
    assert chat.count("class='cite'") == 1 and "&#91;1&#93;&#91;2&#93;" in chat


def test_three_outcomes_look_different():
    answer = show.chat_html([show.turn_record("a", _answer("到2030年达到60%。"), lambda d: [])])
    related = show.chat_html([show.turn_record("b", _answer("x", outcome="related"), lambda d: [])])
    missing = show.chat_html([show.turn_record("c", _answer("x", outcome="not_found"), lambda d: [])])
    assert "badge-answer'>答案<" in answer and "outcome-answer" in answer and "把握 80%" in answer
    assert "badge-related'>相关内容（不是答案）<" in related and "outcome-related" in related and "把握" not in related
    assert "badge-not_found'>未找到<" in missing and "outcome-not_found" in missing
    assert "class='cite'" not in related + missing


@pytest.mark.parametrize("value,flagged", [("92.以上", "92."), ("97%0", "97%0"), ("99%o", "99%o"),
                                           ("95.7", None), ("1.加强学前教育", None), ("100%", None)])
def test_ocr_damage_is_marked(value, flagged):
    out = show.mark_ocr(f"达到{value}。")
    if flagged:
        assert f"<span class='ocr' title='原文疑有识别错误'>{flagged}<small>（原文疑有识别错误）</small></span>" in out
    else:
        assert "ocr" not in out


def test_table_answer_becomes_a_row_under_the_table_header():
    table = "指 标 2015 年 2020 年基本公共教育九年义务教育巩固率(%) 95.7 97.5学前三年毛入园率(%) 92.以上 100"
    chunk = Chunk("t:1", "t", "金普", ("一、总体要求", "主要发展指标"), "一", table, 0, len(table), 0, len(table),
                  kind="table")
    view = show.table_view([chunk], chunk, "基本公共教育九年义务教育巩固率(%)95.7 97.5")
    assert view == {"columns": ["领域", "指标", "单位", "2015年", "2020年"],
                    "cells": ["基本公共教育", "九年义务教育巩固率", "%", "95.7", "97.5"],
                    "line": "基本公共教育九年义务教育巩固率(%)95.7 97.5"}
    html = show._table_html(view, 0, 1)
    assert "<th>2015年</th><th>2020年</th>" in html and "<td>97.5</td>" in html and "原文：“" in html


def test_conversations_are_saved_per_session_and_ids_cannot_escape(tmp_path):
    store = ConversationStore(tmp_path / "conversations")
    s1, s2 = new_session_id(), new_session_id()
    turn = {"question": "学前三年毛入园率?", "text": "答[1]", "outcome": "answer", "citations": []}
    store.save(s1, "a" * 32, [turn])
    assert [c.title for c in store.list(s1)] == ["学前三年毛入园率?"] and store.list(s2) == []
    assert store.load(s1, "a" * 32) == [turn]
    assert json.loads((tmp_path / "conversations" / s1 / ("a" * 32 + ".json")).read_text())["turns"] == [turn]
    for bad_session, bad_conv in [("../../etc", "a" * 32), (s1, "../" + "a" * 29), (s1, "A" * 32), ("", "a" * 32)]:
        with pytest.raises(ValueError):
            store.load(bad_session, bad_conv)
    assert store.delete(s1, "a" * 32) and store.list(s1) == []


def test_exports_escape_markup_and_hold_the_current_turns(tmp_path):
    turn = show.turn_record("覆盖率多少?", _answer(HOSTILE), lambda d: [])
    md = conversation_markdown([turn])
    assert "## 问题 1：覆盖率多少?" in md and "\\<img src=x onerror=alert(1)\\>" in md and "\\!\\[\\](http" in md
    _md_path, docx_path = export_files([turn], tmp_path)
    from docx import Document
    assert any("覆盖率多少?" in p.text for p in Document(docx_path).paragraphs)
    assert "（对话为空）" in conversation_markdown([])


def _draft() -> Draft:
    req = DraftRequest("青禾县", ("教育",), 2026, 2030)
    items = (OutlineItem(1, "一、", "总体要求", children=(OutlineItem(2, "（一）", "指导思想"),
                                                          OutlineItem(2, "（二）", "基本原则"))),
             OutlineItem(1, "二、", "主要任务", children=(OutlineItem(2, "（一）", "教育<script>"),)),
             OutlineItem(1, "三、", "保障措施"))
    return Draft(Outline(req, "青禾县方案", "", items, ()), sections={"总体要求": ["a"], "主要任务": ["b"], "保障措施": ["c"]})


def test_outline_edits_reorder_delete_rename_and_renumber():
    draft = _draft()
    rows = show.outline_rows(draft)
    assert rows[:3] == [["1", 1, 1, "总体要求", "是"], ["1.1", 1, 2, "指导思想", "是"], ["1.2", 2, 2, "基本原则", "是"]]
    edits = {r[0]: r for r in rows}
    edits["1.1"] = ["1.1", 1, 2, "指导思想", "否"]        # delete
    edits["3"] = ["3", 0, 1, "组织保障", "是"]            # move first, rename
    out = apply_outline_edits(draft, list(edits.values()))
    assert [(i.number, i.title) for i in out.outline.items] == [("一、", "组织保障"), ("二、", "总体要求"), ("三、", "主要任务")]
    assert [(c.number, c.title) for c in out.outline.items[1].children] == [("（一）", "基本原则")]
    assert out.sections == {"组织保障": ["c"], "总体要求": ["a"], "主要任务": ["b"]}
    assert "教育&lt;script&gt;" in show.outline_html(out) and "<script>" not in show.outline_html(out)
    with pytest.raises(ValueError, match="顺序应为数字"):
        apply_outline_edits(draft, [["1", "第一", 1, "总体要求", "是"]])
    with pytest.raises(ValueError, match="至少要保留一项"):
        apply_outline_edits(draft, [[r[0], r[1], r[2], r[3], "否"] for r in rows])


def test_text_still_being_written_by_a_model_is_plain_text():
    pending = {"question": "q", "outcome": "pending", "text": ""}
    html = show.chat_html([], streaming=(pending, "见![x](http://198.51.100.7/b.png)<img src=x>[1]"))
    assert "<img" not in html and "![" not in html and "class='cite'" not in html
    assert "badge-pending'>生成中（尚未核对引用）<" in html


@pytest.mark.parametrize("text", ["2026-2030", "2026—2030", "2026—2030年", "2026年—2030年", " 2026 至 2030 "])
def test_year_ranges_in_the_forms_officials_write(text):
    # parse_years belongs to drafting; the forms with 年 pass once the draft branch is merged
    from assistant.drafting.pipeline import parse_years
    assert parse_years(text) == (2026, 2030)


@pytest.mark.parametrize("text", ["2030-2026", "二〇二六—二〇三〇", "", "26-30"])
def test_bad_year_ranges_are_one_chinese_line(text):
    from assistant.drafting.pipeline import parse_years
    with pytest.raises(ValueError, match=r"^年份格式应为 2026-2030，收到："):
        parse_years(text)


def test_the_library_table_and_settings_read_the_facades_dataclasses():
    import datetime as dt

    from assistant.config import Settings
    from assistant.types import DocumentInfo, IngestResult, LibraryStatus
    when = dt.datetime(2026, 3, 1, 9, 30).timestamp()
    docs = [DocumentInfo("plan", "/x/plan.docx", "ab", "docx", "青禾县<方案>", "青禾县", "青政发〔2026〕1号",
                         "2026-2030", 12, when, date="2026-02-28", issuer="青禾县人民政府"),
            DocumentInfo("other", "/x/o.md", "cd", "md", "其他", None, None, None, 3, when)]
    assert show.documents_rows(docs) == [
        ["plan", "青禾县<方案>", "青禾县", "青政发〔2026〕1号", "2026-2030", "2026-02-28", "docx", 12, "2026-03-01 09:30"],
        ["other", "其他", "", "", "", "", "md", 3, "2026-03-01 09:30"]]
    assert show.doc_choices(docs) == [("青禾县<方案>（plan）", "plan"), ("其他（other）", "other")]
    assert show.doc_title(docs, "other") == "其他" and show.doc_title(docs, "gone") is None
    assert show.meta_values(docs, "plan") == ["青禾县<方案>", "青禾县", "青政发〔2026〕1号", "2026-2030",
                                              "2026-02-28", "青禾县人民政府"]
    assert show.meta_values(docs, None) == [""] * len(show.META_FIELDS)
    lines = show.ingest_lines([("p.docx", IngestResult("p", "unchanged", "plan", None, 12))], docs)
    assert lines == "<div class='line ok'>未变：p.docx → 《青禾县&lt;方案&gt;》12 段</div>"
    status = LibraryStatus("hash", 256, "离线抽取式", 2, 15, "/data", "Chroma（本地磁盘）", None)
    html = show.settings_html(Settings(data_dir="/data"), status)
    assert "<td>hash（256 维）</td>" in html and "<td>2 份，共 15 段</td>" in html and "<td>/data</td>" in html
    assert status.to_json()["chunks"] == 15 and docs[1].to_json()["region"] is None
