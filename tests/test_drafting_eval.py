"""The independent draft evaluator: it must fail drafts that leak template facts, cut sentences,
carry stale formulations unmarked or miss what the request requires, and pass a clean one."""
from __future__ import annotations

from docx import Document

from assistant.drafting.evaluate import (
    TemplateIndex,
    TemplateText,
    evaluate_docx,
    read_docx,
)

TEMPLATE = TemplateText("t1", "甲州市生活垃圾分类工作实施方案\n一、总体要求\n深入贯彻党的十九大精神，推进生活垃圾分类工作。\n"
                              "到2025年，全市生活垃圾回收利用率达到35%以上，建成分类收运体系和处理设施网络。\n"
                              "二、主要任务\n在居民小区设置分类投放点，实行定时定点投放，并由街道统一组织督导员上岗。\n", "甲州市")
ROW = {"id": "x", "county": "青禾区", "topic": "生活垃圾分类工作", "year_from": 2027, "year_to": 2027,
       "must_have": ["总体要求|指导思想", "分类投放|投放点", "宣传|教育引导"]}


def _docx(tmp_path, paragraphs: list[str]):
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    path = tmp_path / "d.docx"
    doc.save(str(path))
    return path


def test_clean_draft_passes(tmp_path):
    path = _docx(tmp_path, ["青禾区2027年生活垃圾分类工作实施方案", "为做好青禾区生活垃圾分类工作，制定本方案。",
                            "一、总体要求", "深入贯彻党的二十大精神，推进生活垃圾分类工作。",
                            "二、主要任务", "（一）分类投放。在居民小区设置分类投放点，实行定时定点投放，并由街道统一组织督导员上岗。",
                            "（二）宣传引导【范本未涉及，需本地补充】", "附表", "起草说明：甲州市 35%"])
    r = evaluate_docx(path, ROW, [TEMPLATE])
    assert (r["coverage"], r["coverage_with_content"]) == (1.0, round(2 / 3, 4))
    assert (r["leaked_facts"], r["cut"], r["stale_unflagged_count"]) == (0, 0, 0)
    assert r["passed"] is True and r["title_ok"] is True


def test_a_template_sentence_stopped_short_counts_as_cut(tmp_path):
    path = _docx(tmp_path, ["青禾区2027年生活垃圾分类工作实施方案", "二、主要任务", "在居民小区设置分类投放点。"])
    assert evaluate_docx(path, ROW, [TEMPLATE])["cut"] == 1


def test_leaks_cuts_stale_and_missing_items_fail(tmp_path):
    path = _docx(tmp_path, ["青禾区2027年生活垃圾分类工作实施方案",
                            "一、总体要求", "深入贯彻党的十九大精神，推进生活垃圾分类工作。",
                            "到2027年，全市生活垃圾回收利用率达到35%以上，建成分类收运体系和处理设施网络。",
                            "甲州市将在居民小区设置分类投放点，实行定时定点投放，并由街道统一组织督导员上岗。",
                            "二、主要任务", "在居民小区设置分类投放点，实行定时定点投放，并由街道统一。",
                            "推进垃圾分类的"])
    r = evaluate_docx(path, ROW, [TEMPLATE])
    assert r["leaks"] == ["甲州市", "35%"]
    assert r["cut"] == 2 and any(c.endswith("并由街道统一。") for c in r["cut_sentences"])
    assert r["stale_unflagged"] == ["党的十九大：深入贯彻党的十九大精神，推进生活垃圾分类工作。"]
    assert r["missing"] == ["宣传|教育引导"] and r["coverage"] == round(2 / 3, 4)
    assert r["copied_share"] == 0.8     # 4 of 5 body sentences share 20 characters with the template
    assert r["passed"] is False


def test_marked_stale_formulation_and_placeholders_are_not_counted(tmp_path):
    path = _docx(tmp_path, ["青禾区2027年生活垃圾分类工作实施方案", "一、总体要求",
                            "深入贯彻党的十九大精神【表述待更新：党的十九大→党的二十大】，推进生活垃圾分类工作。",
                            "到2027年，全区生活垃圾回收利用率达到【目标值待定】以上。"])
    r = evaluate_docx(path, ROW, [TEMPLATE])
    assert (r["stale_unflagged_count"], r["stale_flagged"], r["leaked_facts"], r["cut"]) == (0, 1, 0, 0)


def test_copied_sentence_needs_a_20_character_run():
    index = TemplateIndex([TEMPLATE])
    assert index.copied("在居民小区设置分类投放点，实行定时定点投放，并由街道统一组织。")
    assert not index.copied("在居民小区设置分类投放点，并由街道组织。")
    assert not index.copied("在居民小区设置分类投放点【数值待定】实行定时定点投放。")


def test_read_docx_splits_run_in_headings(tmp_path):
    path = _docx(tmp_path, ["标题", "前言。", "一、总体要求", "正文一。", "（一）指导思想。正文二。", "附表", "不算"])
    title, sections, preamble = read_docx(path)
    assert (title, preamble) == ("标题", "前言。")
    assert [(s.level, s.heading, s.body) for s in sections] == [(1, "总体要求", "正文一。"), (2, "指导思想", "正文二。")]


def test_one_character_city_names_count_as_leaks(tmp_path):
    path = _docx(tmp_path, ["青禾区2027年生活垃圾分类工作实施方案", "一、总体要求", "为来沪人员提供分类投放指导。"])
    assert evaluate_docx(path, ROW, [TEMPLATE])["leaks"] == ["来沪人员"]


def test_words_for_every_or_this_place_are_not_place_names():
    index = TemplateIndex([TemplateText("t2", "各区县人民政府，本市各区要做好工作。", "各区县")])
    assert not [p for p in index.places if p[0] in "各全本"]
