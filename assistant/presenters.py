"""Turn `Answer` and `Draft` values into what the web page shows: Markdown and small HTML
fragments. Pure functions, so the UI module stays a thin layer of widgets."""
from __future__ import annotations

import html
import json
import re

from .types import Answer

CITE = re.compile(r"\[(\d{1,2})\]")


def answer_markdown(answer: Answer) -> str:
    text = html.escape(answer.text)
    text = CITE.sub(lambda m: f"<sup class='cite'>[{m.group(1)}]</sup>", text).replace("\n", "<br>")
    if not answer.grounded:
        return f"<div class='refusal'>{text}</div>"
    return text


def sources_html(answer: Answer | None, selected: int | None = None) -> str:
    if answer is None:
        return "<div class='sources empty'>提问后，这里显示答案引用的原文段落。</div>"
    blocks = []
    if answer.grounded and answer.citations:
        cites = sorted(answer.citations, key=lambda c: (c.n != selected, c.n))
        for c in cites:
            passage = next((p.chunk for p in answer.passages if p.chunk.chunk_id == c.chunk_id), None)
            body = html.escape(passage.text) if passage else html.escape(c.quote)
            q = html.escape(c.quote)
            body = body.replace(q, f"<mark>{q}</mark>", 1) if q in body else f"<mark>{q}</mark>"
            cls = "source selected" if c.n == selected else "source"
            blocks.append(
                f"<div class='{cls}' id='source-{c.n}'><div class='source-head'><b>[{c.n}]</b> 《{html.escape(c.title)}》"
                f"{html.escape(c.citation_label)}</div><div class='path'>{html.escape(' > '.join(c.heading_path))}</div>"
                f"<div class='passage'>{body}</div><div class='pos'>原文第 {c.start}–{c.end} 字</div></div>")
        return "<div class='sources'><h4>引用来源</h4>" + "".join(blocks) + "</div>"
    for p in answer.passages[:3]:
        ch = p.chunk
        blocks.append(f"<div class='source related'><div class='source-head'>《{html.escape(ch.title)}》"
                      f"{html.escape(ch.citation_label)}</div><div class='path'>{html.escape(' > '.join(ch.heading_path))}</div>"
                      f"<div class='passage'>{html.escape(ch.text)}</div></div>")
    return ("<div class='sources'><h4>相关段落（仅供参考，不是答案）</h4>" + "".join(blocks) + "</div>")


def api_payload(answer: Answer) -> dict:
    d = answer.to_json()
    return {"text": d["text"], "grounded": d["grounded"], "citations": d["citations"],
            "passages": d["passages"][:5], "timings_ms": d["timings_ms"]}


def conversation_markdown(turns: list[dict]) -> str:
    lines = ["# 政策通问答记录", ""]
    for k, t in enumerate(turns, 1):
        lines += [f"## 问题 {k}：{t['question']}", "", t["text"], ""]
        for c in t.get("citations", []):
            lines.append(f"- [{c['n']}] 《{c['title']}》{c.get('citation_label', '')} "
                         f"{' > '.join(c['heading_path'])}：“{c['quote']}”（原文第 {c['start']}–{c['end']} 字）")
        lines.append("")
    return "\n".join(lines)


def outline_markdown(draft) -> str:
    from .drafting.export_md import to_markdown
    return to_markdown(draft)


def documents_rows(docs: list[dict]) -> list[list]:
    import datetime as dt
    return [[d["doc_id"], d["title"], d["region"] or "", d["period"] or "", d["format"], d["chunk_count"],
             dt.datetime.fromtimestamp(d["ingested_at"]).strftime("%Y-%m-%d %H:%M")] for d in docs]


def status_markdown(status: dict) -> str:
    return "\n".join([
        f"- **向量模型**：{status['embedder']}（{status['dim']} 维）",
        f"- **回答方式**：{status['llm']}",
        f"- **文档**：{status['documents']} 份，共 {status['chunks']} 段",
        f"- **向量库**：{status['vector_store']}",
        f"- **数据目录**：`{status['data_dir']}`",
    ])


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False)
