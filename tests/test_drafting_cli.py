"""`assistant draft --topic …` and `assistant eval-draft` end to end on templates written here."""
from __future__ import annotations

import json

from docx import Document
from test_drafting import NEW_TEMPLATE, OLD_TEMPLATE

from assistant.app.cli import main


def _library(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    d = tmp_path / "docs"
    d.mkdir()
    (d / "甲州市生活垃圾分类工作实施方案2023.txt").write_text(NEW_TEMPLATE, encoding="utf-8")
    (d / "乙县生活垃圾分类工作方案2018.txt").write_text(OLD_TEMPLATE, encoding="utf-8")
    assert main(["ingest", str(d)]) == 0


def test_draft_by_topic_writes_docx_and_markdown(tmp_path, monkeypatch, capsys):
    _library(tmp_path, monkeypatch)
    capsys.readouterr()
    out = tmp_path / "x.docx"
    assert main(["draft", "--county", "青禾区", "--topic", "生活垃圾分类工作", "--years", "2027-2027",
                 "--instruction", "增加医养结合", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"已生成 {out}《青禾区2027年生活垃圾分类工作实施方案》" in printed
    assert "需本地补充：医养结合" in printed
    paras = [p.text for p in Document(str(out)).paragraphs if p.text]
    assert paras[0] == "青禾区2027年生活垃圾分类工作实施方案"
    assert "（四）医养结合【范本未涉及，需本地补充】" in paras
    assert out.with_suffix(".md").read_text(encoding="utf-8").startswith("# 青禾区2027年生活垃圾分类工作实施方案\n")


def test_draft_with_picked_templates_only(tmp_path, monkeypatch, capsys):
    _library(tmp_path, monkeypatch)
    capsys.readouterr()
    main(["docs", "--json"])
    docs = json.loads(capsys.readouterr().out)
    old = next(d["doc_id"] for d in docs if "乙县" in d["doc_id"] + d["title"])
    out = tmp_path / "y.docx"
    assert main(["draft", "--county", "青禾区", "--topic", "生活垃圾分类", "--templates", old, "--years", "2027",
                 "--out", str(out), "--json", str(tmp_path / "y.json")]) == 0
    outline = json.loads((tmp_path / "y.json").read_text(encoding="utf-8"))["outline"]
    assert [it["title"] for it in outline["items"]] == ["总体思路", "重点工作", "保障措施"]
    assert outline["templates"] == ["《乙县生活垃圾分类工作方案2018》"]


def test_draft_user_errors_are_one_line(tmp_path, monkeypatch, capsys):
    _library(tmp_path, monkeypatch)
    capsys.readouterr()
    assert main(["draft", "--county", "青禾区", "--years", "2027", "--out", str(tmp_path / "z.docx")]) == 1
    assert capsys.readouterr().err.strip() == "错误：请填写起草主题（如 义务教育招生入学工作），或选择领域、范本"
    assert main(["draft", "--county", "青禾区", "--topic", "x", "--templates", "nope", "--years", "2027",
                 "--out", str(tmp_path / "z.docx")]) == 1
    assert capsys.readouterr().err.strip() == "错误：文档库中没有范本 nope"


def test_eval_draft_scores_the_exported_docx(tmp_path, monkeypatch, capsys):
    _library(tmp_path, monkeypatch)
    req = {"id": "g1", "county": "青禾区", "topic": "生活垃圾分类工作", "year_from": 2027, "year_to": 2027,
           "must_have": ["指导思想", "分类投放", "经费", "宣传"]}
    f = tmp_path / "r.jsonl"
    f.write_text(json.dumps(req, ensure_ascii=False) + "\n", encoding="utf-8")
    capsys.readouterr()
    code = main(["eval-draft", "--requests", str(f), "--out-dir", str(tmp_path / "o"), "--json", str(tmp_path / "e.json")])
    r = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))["requests"][0]
    assert code == 0 and r["passed"] is True
    assert (r["coverage"], r["leaked_facts"], r["cut"], r["stale_unflagged_count"]) == (1.0, 0, 0, 0)
    assert (tmp_path / "o" / "g1.docx").exists()
    assert "g1   覆盖 4/4=1.00" in capsys.readouterr().out
