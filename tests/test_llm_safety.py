"""LLM mode keeps the extractive promise: forged numbers, directions, negations and subjects are
never verified (issue 9.7), and a failing model service gives the offline answer with a notice
(issue 14.4). The model is a real HTTP server on 127.0.0.1 speaking the OpenAI protocol."""
import json
import os
import subprocess
import sys

import pytest
from llm_stub import ScriptedLLM, dead_url

from assistant.answer.citecheck import Source, check, why_unsupported
from assistant.app.bootstrap import build_assistant
from assistant.app.facade import Assistant
from assistant.fakes import HashEmbedder

from conftest import REPO_ROOT, make_settings

PLAN = ("青禾县教育发展实施方案\n一、主要目标\n（一）积极发展学前教育。到2025年，学前教育三年毛入园率达到95%以上。"
        "每个乡镇至少建成1所公办中心幼儿园，严禁幼儿园收取择校费。\n"
        "（二）稳步发展高中教育。到2025年，高中阶段教育毛入学率达到92%以上。\n")
QUESTION = "到2025年学前教育三年毛入园率要达到多少？"
PRESCHOOL = Source("到2025年，学前教育三年毛入园率达到95%以上。每个乡镇至少建成1所公办中心幼儿园，严禁幼儿园收取择校费。",
                   "青禾县教育发展实施方案 一、主要目标 （一）积极发展学前教育")

FORGERIES = [
    ("学前教育三年毛入园率到2025年达到5%以上。", "原文没有这个数（5%）或方向不同"),
    ("学前教育三年毛入园率到2025年达到9%以上。", "原文没有这个数（9%）或方向不同"),
    ("学前教育三年毛入园率到2025年控制在95%以下。", "原文没有这个数（95%）或方向不同"),
    ("学前教育三年毛入园率不得达到95%以上。", "加了原文没有的否定词（不得）"),
    ("高中阶段教育毛入学率达到95%以上。", "主语与原文不同（高中、阶段、入学、入学率）"),
    ("每个乡镇至少建成2所公办中心幼儿园。", "原文没有这个数（2所）或方向不同"),
    ("幼儿园可以收取择校费。", "去掉了原文的否定词（严禁）"),
    ("学前教育三年毛入园率达到95%。", None),                          # dropping 以上 is not a forgery
    ("到2025年，学前教育三年毛入园率要达到百分之九十五以上。", None),
    ("全县学前三年毛入园率2025年不低于95%。", None),
    ("每个乡镇至少建成一所公办中心幼儿园。", None),
    ("幼儿园不得收取择校费。", None),
    ("到2025年学前教育三年毛入园率达到95%以上，每个乡镇至少建成1所公办中心幼儿园。", None),
]


@pytest.mark.parametrize("sentence,reason", FORGERIES)
def test_each_forgery_is_caught_and_true_paraphrases_pass(sentence, reason):
    assert why_unsupported(sentence, PRESCHOOL) == reason


def test_a_true_figure_given_to_another_subject_in_the_same_passage_is_caught():
    both = "到2025年,学前教育三年毛入园率达到95%以上。到2025年,高中阶段教育毛入学率达到92%以上。"
    assert why_unsupported("学前教育三年毛入园率达到92%以上。", both) == "主语与原文不同（学前、学前教育、入园率）"
    assert why_unsupported("高中阶段教育毛入学率到2025年达到92%以上。", both) is None
    assert why_unsupported("到2025年，学前教育三年毛入园率达到95%以上，高中阶段教育毛入学率达到92%以上。", both) is None


MEASURES = Source("（一）积极发展学前教育。完善学前教育服务体系。全面完成第三期学前教育提升计划，促进学前教育普及普惠发展。"
                  "严格执行幼儿教师资格准入制度，强化幼儿教师、保育员培养培训。", "青禾县教育发展实施方案 （一）积极发展学前教育")


@pytest.mark.parametrize("sentence", [
    "主要措施包括：完善学前教育服务体系，严格执行幼儿教师资格准入制度。",
    "学前教育的主要措施有：完善学前教育服务体系、强化幼儿教师培养培训等。",
    "在学前教育方面，方案提出严格执行幼儿教师资格准入制度。",
    "文件明确，要促进学前教育普及普惠发展。",
    "要强化幼儿教师和保育员的培养培训。",
])
def test_list_style_paraphrases_of_measures_pass(sentence):
    assert why_unsupported(sentence, MEASURES) is None


def test_a_measure_given_to_another_field_or_negated_is_caught():
    assert why_unsupported("医疗卫生方面要严格执行幼儿教师资格准入制度。", MEASURES) == "主语与原文不同（医疗、卫生、医疗卫生）"
    assert why_unsupported("不再执行幼儿教师资格准入制度。", MEASURES) == "加了原文没有的否定词（不再）"


def test_whole_numbers_with_units():
    passage = "新增托位2000个，建成15分钟健身圈，人均体育场地面积达到2.6平方米。"
    assert why_unsupported("新增托位2,000个。", passage) is None
    assert why_unsupported("新增托位200个。", passage) == "原文没有这个数（200个）或方向不同"
    assert why_unsupported("人均体育场地面积达到2.6平方米。", passage) is None
    assert why_unsupported("人均体育场地面积达到2.6个。", passage) == "原文没有这个数（2.6个）或方向不同"
    assert why_unsupported("人均体育场地面积达到6平方米。", passage) == "原文没有这个数（6平方米）或方向不同"


def test_reasons_are_kept_per_citation():
    [s] = check("高中阶段教育毛入学率达到95%以上[1][3]。", {1: PRESCHOOL})
    assert (s.cited, s.supported) == ((1, 3), ())
    assert s.reasons == ("[1] 主语与原文不同（高中、阶段、入学、入学率）", "[3] 不存在")


@pytest.fixture
def plan_file(tmp_path):
    f = tmp_path / "青禾县教育发展实施方案.txt"
    f.write_text(PLAN, encoding="utf-8")
    return f


def _assistant(tmp_path, plan_file, url, timeout=5.0) -> Assistant:
    a = build_assistant(make_settings(tmp_path / "data", llm_base_url=url, llm_model="stub", llm_api_key="k",
                                llm_timeout_s=timeout), embedder=HashEmbedder())
    a.ingest([plan_file])
    return a


def _rank_of(a: Assistant, needle: str) -> int:
    return next(p.rank for p in a.retrieve(QUESTION) if needle in p.chunk.text)


@pytest.mark.parametrize("forged", [f for f, reason in FORGERIES if reason])
def test_forged_answers_from_the_endpoint_are_related_content_not_answers(tmp_path, plan_file, forged):
    llm = ScriptedLLM()
    try:
        a = _assistant(tmp_path, plan_file, llm.url)
        n = _rank_of(a, "95%以上")
        llm.script = [f"{forged}[{n}]"]
        answer = a.ask(QUESTION)
        assert (answer.backend, answer.grounded, answer.outcome) == ("llm", False, "related")
        assert answer.unsupported_sentences == (forged,) and answer.citations == ()
        assert answer.text == f"{forged}（未能核实出处）"
    finally:
        llm.close()


def test_a_true_paraphrase_from_the_endpoint_is_an_answer(tmp_path, plan_file):
    llm = ScriptedLLM()
    try:
        a = _assistant(tmp_path, plan_file, llm.url)
        n = _rank_of(a, "95%以上")
        llm.script = [f"根据方案，到2025年全县学前教育三年毛入园率要达到95%以上[{n}]。"]
        answer = a.ask(QUESTION)
        assert (answer.backend, answer.grounded, answer.outcome, answer.notice) == ("llm", True, "answer", "")
        assert answer.text == "根据方案，到2025年全县学前教育三年毛入园率要达到95%以上。[1]"
        assert "95%以上" in answer.citations[0].quote
    finally:
        llm.close()


FAILURES = [  # behaviour, expected notice
    ("slow", "大模型服务在 1 秒内没有回答，以下为离线检索答案。"),
    ("500", "大模型服务出错（HTTP 500），以下为离线检索答案。"),
    ("malformed", "大模型服务的回复无法解析，以下为离线检索答案。"),
    ("empty-choices", "大模型服务的回复无法解析，以下为离线检索答案。"),
]


@pytest.mark.parametrize("behaviour,notice", FAILURES + [("down", "无法连接大模型服务，以下为离线检索答案。")])
def test_a_failing_endpoint_gives_the_offline_answer_with_a_notice(tmp_path, plan_file, behaviour, notice):
    llm = ScriptedLLM(slow_s=3.0)
    try:
        a = _assistant(tmp_path, plan_file, dead_url() if behaviour == "down" else llm.url, timeout=1.0)
        offline = a.ask(QUESTION, use_llm=False)
        assert offline.outcome == "answer" and "95%以上" in offline.text
        for final in (lambda: a.ask(QUESTION), lambda: list(a.stream_ask(QUESTION))[-1]):
            llm.script = [behaviour]
            answer = final()
            assert (answer.backend, answer.notice) == ("extractive", notice)
            assert (answer.text, answer.outcome, answer.citations) == (offline.text, offline.outcome, offline.citations)
            assert answer.to_json()["notice"] == notice
    finally:
        llm.close()


@pytest.mark.slow  # starts the CLI in three new processes
def test_cli_prints_the_notice_and_the_offline_answer(tmp_path, plan_file):
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "cli"), "ASSISTANT_EMBEDDER": "hash",
           "ASSISTANT_LLM_BASE_URL": dead_url(), "ASSISTANT_LLM_MODEL": "stub", "PYTHONPATH": str(REPO_ROOT)}
    def run(*args):
        return subprocess.run([sys.executable, "-m", "assistant", *args], check=False, cwd=REPO_ROOT, env=env,
                                           capture_output=True, text=True, timeout=120)
    assert run("ingest", str(plan_file)).returncode == 0
    out = run("ask", QUESTION)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "提示：无法连接大模型服务，以下为离线检索答案。"
    assert "95%以上" in out.stdout and "Traceback" not in out.stderr
    js = json.loads(run("ask", QUESTION, "--json").stdout)
    assert (js["backend"], js["notice"], js["outcome"]) == ("extractive", "无法连接大模型服务，以下为离线检索答案。", "answer")


def test_the_page_shows_the_notice_escaped_above_the_offline_answer():
    from assistant.app.presenters import api_payload, turn_html, turn_record
    from assistant.types import Answer
    a = Answer(question="q", text="资料中未找到。", grounded=False, citations=(), passages=(),
               notice="无法连接大模型服务<b>，以下为离线检索答案。")
    page = turn_html(turn_record("q", a, lambda _doc: []), 0)
    assert "<div class='notice'>提示：无法连接大模型服务&lt;b&gt;，以下为离线检索答案。</div>" in page
    assert api_payload(a)["notice"] == a.notice
