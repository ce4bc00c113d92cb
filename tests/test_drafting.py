"""Drafting: outlines from the templates' own structure for any topic, honest content, the
起草要求, outline editing, Markdown export. Templates are written here for each test (a topic no
built-in list knows: 生活垃圾分类), plus the two bundled plans."""
from __future__ import annotations

import re

import pytest

from assistant.drafting.export_md import to_markdown
from assistant.drafting.model import NOT_IN_TEMPLATES, DraftRequest
from assistant.drafting.outline import OutlineBuilder, plan_title
from assistant.drafting.pipeline import make_request, parse_years

from conftest import SEED_000, SEED_003, make_settings

NEW_TEMPLATE = """关于印发甲州市生活垃圾分类工作实施方案的通知
甲政发〔2023〕12号
各区人民政府：
现将《甲州市生活垃圾分类工作实施方案》印发给你们，请认真贯彻执行。
一、总体要求
（一）指导思想
坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，践行以人民为中心的发展思想。
（二）工作目标
到2025年，全市生活垃圾回收利用率达到35%以上。
二、主要任务
（一）源头减量
推行绿色办公，机关单位带头减少一次性用品使用。
鼓励商场超市减少过度包装。
（二）分类投放
在居民小区设置分类投放点，实行定时定点投放。
在东风路以东的小区先行试点。
三、保障措施
（一）组织领导
成立生活垃圾分类工作领导小组，统筹推进全市生活垃圾分类工作。
（二）宣传引导
开展垃圾分类进社区、进学校、进家庭活动，提高群众知晓率。
"""

OLD_TEMPLATE = """乙县生活垃圾分类工作方案
一、总体思路
（一）指导思想
深入贯彻党的十九大精神，牢固树立新发展理念，推进生活垃圾减量化、资源化、无害化。
（二）基本原则
坚持政府推动、全民参与、城乡统筹、因地制宜。
二、重点工作
（一）分类收运
建立与分类品类相匹配的收运体系，杜绝混装混运。
（二）分类投放
推动五位体总体布局下的分类投放工作全面覆盖。
三、保障措施
（一）经费保障
将生活垃圾分类经费纳入县财政预算。
"""


@pytest.fixture
def topic_assistant(tmp_path):
    from assistant.app.bootstrap import build_assistant
    from assistant.fakes import HashEmbedder
    d = tmp_path / "docs"
    d.mkdir()
    (d / "甲州市生活垃圾分类工作实施方案2023.txt").write_text(NEW_TEMPLATE, encoding="utf-8")
    (d / "乙县生活垃圾分类工作方案2018.txt").write_text(OLD_TEMPLATE, encoding="utf-8")
    a = build_assistant(make_settings(tmp_path / "data"), embedder=HashEmbedder())
    a.ingest([d / "甲州市生活垃圾分类工作实施方案2023.txt", d / "乙县生活垃圾分类工作方案2018.txt"])
    return a


def _req(**kw) -> DraftRequest:
    base: dict = {"county": "青禾区", "domains": (), "year_from": 2027, "year_to": 2027, "topic": "生活垃圾分类工作"}
    base.update(kw)
    return DraftRequest(**base)


def _items(outline) -> dict:
    return {it.title: it for it, _ in outline.walk()}


def test_outline_follows_the_templates_structure_for_a_new_topic(topic_assistant):
    o = OutlineBuilder(topic_assistant, _req()).build()
    assert o.title == "青禾区2027年生活垃圾分类工作实施方案"
    assert [f"{it.number}{it.title}" for it in o.items] == ["一、总体要求", "二、主要任务", "三、保障措施"]
    items = _items(o)
    # The older template's sections join the newer frame where they say the same thing, or are added.
    assert [c.title for c in items["总体要求"].children] == ["指导思想", "工作目标", "基本原则"]
    assert [c.title for c in items["主要任务"].children] == ["源头减量", "分类投放", "分类收运"]
    assert [c.title for c in items["保障措施"].children] == ["组织领导", "宣传引导", "经费保障"]
    assert items["分类收运"].points == ("建立与分类品类相匹配的收运体系，杜绝混装混运。",)
    assert o.templates == ("《甲州市生活垃圾分类工作实施方案2023》", "《乙县生活垃圾分类工作方案2018》")


def test_newest_template_wins_and_the_older_formulation_is_flagged(topic_assistant):
    guide = _items(OutlineBuilder(topic_assistant, _req()).build())["指导思想"]
    assert guide.points == ("坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，践行以人民为中心的发展思想。",)
    flagged = [s for s in guide.sources if s.flag]
    assert [s.quote for s in flagged] == ["深入贯彻党的十九大精神，牢固树立新发展理念，推进生活垃圾减量化、资源化、无害化。"]
    assert flagged[0].flag == "较旧表述（党的十九大，现行为党的二十大），未采用"


def test_ocr_damaged_sentence_is_not_carried_without_a_mark(topic_assistant):
    items = _items(OutlineBuilder(topic_assistant, _req()).build())
    text = "".join(p for it in items.values() for p in it.points)
    assert "五位体" not in text
    damaged = [s for s in items["分类投放"].sources if s.flag]
    assert damaged[0].flag == "原文疑有识别错误（五位体），未采用"


def test_local_facts_become_placeholders_and_sentences_stay_whole(topic_assistant):
    o = OutlineBuilder(topic_assistant, _req()).build()
    items = _items(o)
    assert items["工作目标"].points == ("到2027年，全区生活垃圾回收利用率达到【目标值待定】以上。",)
    # A sentence naming the template's own street is a local fact: not carried over.
    assert items["分类投放"].points == ("在居民小区设置分类投放点，实行定时定点投放。",)
    points = [p for it, _ in o.walk() for p in it.points]
    assert all(p.endswith("。") for p in points)
    assert len(points) == len(set(points))
    own = "\n".join([o.title, o.preamble, *points])
    assert not re.search(r"甲州|乙县|东风路|2023|2025|35%", own)


def test_unmatched_heading_gets_the_not_in_templates_mark(tmp_path):
    from assistant.app.bootstrap import build_assistant
    from assistant.fakes import HashEmbedder
    f = tmp_path / "丙县生活垃圾分类工作方案2024.txt"
    f.write_text("丙县生活垃圾分类工作方案\n一、总体要求\n（一）指导思想\n坚持以人民为中心的发展思想，推进垃圾分类。\n"
                 "（二）工作目标\n到2025年，基本建成垃圾分类处理系统。\n二、主要任务\n（一）设施建设\n"
                 "建设分类收集设施。\n", encoding="utf-8")
    a = build_assistant(make_settings(tmp_path / "data"), embedder=HashEmbedder())
    a.ingest([f])
    o = OutlineBuilder(a, _req(templates=(a.documents()[0].doc_id,), instruction="增加医养结合")).build()
    items = _items(o)
    assert (items["医养结合"].note, items["医养结合"].points, items["医养结合"].sources) == (NOT_IN_TEMPLATES, (), ())
    assert items["医养结合"].level == 2 and "医养结合" in [c.title for c in items["主要任务"].children]


def test_instruction_topic_found_in_templates_carries_their_passages(topic_assistant):
    o = OutlineBuilder(topic_assistant, _req(instruction="请增加一次性用品一节")).build()
    item = _items(o)["一次性用品"]
    assert item.note == "" and [s.quote for s in item.sources] == ["推行绿色办公，机关单位带头减少一次性用品使用。"]
    # The passage already stands under 源头减量: the new item points there instead of repeating it.
    assert item.points == ("范本中有关一次性用品的内容已列入“源头减量”部分。",)


def test_instruction_selects_and_orders_sections(topic_assistant):
    o = OutlineBuilder(topic_assistant, _req(instruction="只写保障措施和主要任务，依次为保障措施、主要任务")).build()
    assert [f"{it.number}{it.title}" for it in o.items] == ["一、保障措施", "二、主要任务"]


def test_outline_can_be_reordered_renamed_and_pruned(topic_assistant):
    o = OutlineBuilder(topic_assistant, _req()).build()
    o2 = o.move((2,), 0)
    assert [f"{it.number}{it.title}" for it in o2.items] == ["一、保障措施", "二、总体要求", "三、主要任务"]
    o3 = o2.rename((2, 0), "源头减量和资源化")
    assert o3.items[2].children[0].title == "源头减量和资源化" and o3.items[2].children[0].number == "（一）"
    o4 = o3.delete((1, 0))
    assert [f"{c.number}{c.title}" for c in o4.items[1].children] == ["（一）工作目标", "（二）基本原则"]
    assert o4.find("工作目标") == (1, 0)
    assert [it.title for it in o.items] == ["总体要求", "主要任务", "保障措施"]   # the original is unchanged
    with pytest.raises(ValueError, match="提纲中没有第 9 项"):
        o.delete((8,))
    with pytest.raises(ValueError, match="标题不能为空"):
        o.rename((0,), " ")


def test_markdown_export_content(topic_assistant):
    from assistant.drafting.compose import compose_offline
    o = OutlineBuilder(topic_assistant, _req()).build()
    md = to_markdown(compose_offline(o)).splitlines()
    assert md[0] == "# 青禾区2027年生活垃圾分类工作实施方案"
    assert md[2] == "为做好青禾区生活垃圾分类工作，根据国家和省、市有关规定，结合青禾区实际，制定本方案。"
    assert "## 一、总体要求" in md and "### （三）基本原则" in md
    i = md.index("### （一）源头减量")
    assert md[i + 1:i + 3] == ["- 推行绿色办公，机关单位带头减少一次性用品使用。", "- 鼓励商场超市减少过度包装。"]
    assert md[i + 3] == "  - 来源（参照《甲州市生活垃圾分类工作实施方案2023》二（一））"
    assert "## 所依范本" in md and "- 《乙县生活垃圾分类工作方案2018》" in md
    flagged = md[md.index("## 未采用的范本原文") + 2:]
    assert any(line.startswith("- （一）指导思想：《乙县生活垃圾分类工作方案2018》“深入贯彻党的十九大精神")
               and line.endswith("——较旧表述（党的十九大，现行为党的二十大），未采用") for line in flagged)
    assert "- “2025” → “2027”（1 处）" not in md and any(line.startswith("- “到2025年” → “到2027年”") for line in md)


def test_title_follows_topic_place_and_years():
    assert plan_title(_req(topic="义务教育招生入学工作")) == "青禾区2027年义务教育招生入学工作实施方案"
    assert plan_title(_req(topic="居住证积分管理办法", year_to=2029)) == "青禾区2027—2029年居住证积分管理办法"
    assert plan_title(_req(topic="基本公共服务能力提升", year_from=2026, year_to=2030)) == \
        "青禾区2026—2030年基本公共服务能力提升实施方案"


def test_make_request_validates_with_one_line_errors():
    assert parse_years("2026—2030年") == (2026, 2030)
    assert parse_years("2027") == (2027, 2027)
    with pytest.raises(ValueError, match="年份格式应为 2026-2030"):
        parse_years("2030-2026")
    with pytest.raises(ValueError, match="请填写起草主题"):
        make_request("青禾区", "", "2027")
    r = make_request("青禾区", "", "2027", topic="义务教育招生入学工作", templates="a b")
    assert (r.topic, r.templates, r.domains) == ("义务教育招生入学工作", ("a", "b"), ())


def test_bundled_plans_multi_domain_keeps_only_requested_domains(hash_assistant):
    o = OutlineBuilder(hash_assistant, DraftRequest("青禾县", ("教育",), 2026, 2030)).build()
    titles = [it.title for it, _ in o.walk()]
    assert o.title == "青禾县2026—2030年基本公共服务能力提升实施方案"
    assert "积极发展学前教育" in titles and "均衡发展义务教育" in titles
    assert not any(w in t for t in titles for w in ("就业创业", "社会保险", "公共卫生"))
    names = [i.name for i in o.indicators]
    assert "九年义务教育巩固率" in names and "城镇新增就业人数" not in names
    docs = {d.doc_id: hash_assistant.document(d.doc_id) for d in hash_assistant.documents()}
    for it, _ in o.walk():
        for s in it.sources:
            assert s.quote in docs[s.doc_id].text and docs[s.doc_id].original[s.start:s.end] == s.source_text
    assert {SEED_000.stem, SEED_003.stem} == set(docs)


def test_bundled_guidance_uses_the_newer_template(hash_assistant):
    o = OutlineBuilder(hash_assistant, DraftRequest("青禾县", (), 2026, 2030, topic="基本公共服务能力提升")).build()
    text = "".join(p for it, _ in o.walk() for p in it.points)
    assert "党的十九大" not in text.replace("【表述待更新", "")
    assert "中富多彩" not in re.sub(r"[^。]*【原文疑有识别错误，需核对】。", "", text)
    flags = [s.flag for it, _ in o.walk() for s in it.sources if s.flag]
    assert any(f.startswith("较旧表述（党的十九大") for f in flags)


def test_drafting_modules_do_not_import_the_app_layer():
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent / "assistant" / "drafting"
    for f in root.glob("*.py"):
        src = f.read_text(encoding="utf-8")
        assert not re.search(r"from \.\.(cli|web)\b|import assistant\.(cli|web)", src), f.name
        assert not re.search(r"\._chat_model\b", src) and "._chat(" not in src and "._original" not in src, f.name
    evaluator = (root / "evaluate.py").read_text(encoding="utf-8")
    assert not re.search(r"^from \.(?!\.)|^from assistant\.drafting", evaluator, re.MULTILINE)


def test_scrubber_replaces_one_character_city_names_only_after_a_verb():
    from assistant.drafting.facts import FactScrubber
    s = FactScrubber("青禾区", 2027, 2027, [], [])
    assert s.scrub("持有居住证的来沪人员和在穗务工人员在中学就读。") == "持有居住证的来【所在地区】人员和在【所在地区】务工人员在中学就读。"
