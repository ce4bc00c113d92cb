from langchain_core.messages import AIMessage

from assistant.answer.question import analyse, resolve_follow_up
from assistant.drafting.pipeline import make_request
from assistant.fakes import scripted_chat_model
from assistant.index.lexical import normalize_query, tokenize
from assistant.types import Turn


def test_query_normalisation():
    assert normalize_query("到２０２５年毛入园率达到百分之九十五？") == "到2025年毛入园率达到95%?"
    assert normalize_query("覆盖率百分之八十，比例百分之4.5") == "覆盖率80%,比例4.5%"
    assert "95%" in tokenize("达到百分之九十五以上") and "95" in tokenize("达到95%以上")


def test_question_analysis():
    q = analyse("金普新区落实的大连市最低工资标准,具体是每月多少元?")
    assert (q.wants_number, q.unit) == (True, "元")
    q = analyse("金普新区推进基本公共服务均等化确立了哪几条基本原则?")
    assert (q.wants_list, q.wants_number) == (True, False)
    assert analyse("两份文件的指导思想分别提出要贯彻党的哪次全国代表大会精神?").compare is True
    assert resolve_follow_up("那2020年的目标呢?", [Turn("到2025年学前教育三年毛入园率要达到多少?")]) == \
        "到2020年学前教育三年毛入园率要达到多少? 目标"
    assert resolve_follow_up("养老保险有什么要求?", [Turn("医疗保险呢?")]) == "养老保险有什么要求?"


def test_llm_draft_citations_are_checked(seeded_assistant):
    replies = ["坚持以人民为中心的发展思想[1]。青禾县将建成月球基地[99]。"] * 40  # one per top-level section
    chat = scripted_chat_model([])
    chat.messages = iter([AIMessage(content=r) for r in replies])
    hash_assistant = seeded_assistant(chat)
    draft = hash_assistant.draft(make_request("青禾县", "教育", "2026-2030"))
    assert draft.backend == "llm"
    assert "青禾县将建成月球基地。" in draft.unsupported
    assert all("【出处待核实】" in "".join(p) for p in draft.sections.values())
    prompt = chat.prompts[0][0].content
    assert "青禾县" in prompt and "不得照搬范本中的地名" in prompt and "[1] " in prompt


def test_value_nouns_set_the_answer_type_not_the_focus():
    from assistant.answer.question import answers_type
    q = analyse("金普新区实施意见所贯彻的国务院“十三五”推进基本公共服务均等化规划的通知,文号是多少?")
    assert q.value_noun == "文号" and "文号" not in q.focus
    assert answers_type(q, "国务院关于印发规划的通知(国发2017 9号)")
    assert not answers_type(q, "国务院关于印发“十三五”推进基本公共服务均等化规划的通知")
