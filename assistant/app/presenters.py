"""Turn answers, documents, drafts and settings into what the web page shows: small HTML
fragments built from escaped text. Pure functions, so the UI module stays a thin layer of
widgets.

Everything that comes from a document or a model is text, never markup: `esc` escapes HTML and
also the characters that Gradio's templates (`${…}`, `{{…}}`) or a Markdown renderer could
read as syntax, so a document that says `<img onerror=…>` or `[1]` shows exactly that, and a
`[1]` written inside a document can never look like one of our citation links."""
from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..answer.citeformat import CITATION_MARK, heading_text, label_text, source_label
from ..answer.indicators import parse_indicator_table, row_for_text
from ..ingest.structure import TABLE_HEADER
from ..types import OUTCOME_WORDS, Answer, Chunk, DocumentInfo, LibraryStatus

# Values an OCR pass typically garbles: a decimal point with no digits after it (92.以上), a
# per-cent sign followed by a stray 0/o (97%0, 99%o), a letter o inside a number (9o.5). Two
# digits at least before the bare point, so list numbers (1.加强…) are not flagged.
OCR_SUSPECT = re.compile(r"\d{2,}\.(?=[^\d\s.，。、；,;)）])|\d+(?:\.\d+)?%[0oO]|\d+[oO]\d*(?:\.\d+)?%?(?![A-Za-z])")
CONTEXT_CHARS = 300
OUTCOME_LABEL = {**OUTCOME_WORDS, "pending": "生成中（尚未核对引用）"}
_EXTRA = str.maketrans({"$": "&#36;", "{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;",
                        "`": "&#96;", "*": "&#42;", "_": "&#95;", "!": "&#33;", "|": "&#124;",
                        "\\": "&#92;", "~": "&#126;"})


def esc(text: object) -> str:
    """Text → HTML that displays it literally (also inert for template and Markdown syntax)."""
    return html.escape(str(text if text is not None else ""), quote=True).translate(_EXTRA)


def esc_lines(text: str) -> str:
    return esc(text).replace("\n", "<br>")


def mark_ocr(text: str) -> str:
    """Escaped text with suspected OCR damage wrapped in a visible marker."""
    out, last = [], 0
    for m in OCR_SUSPECT.finditer(text):
        out.append(esc(text[last:m.start()]))
        out.append(f"<span class='ocr' title='原文疑有识别错误'>{esc(m.group(0))}"
                   f"<small>（原文疑有识别错误）</small></span>")
        last = m.end()
    out.append(esc(text[last:]))
    return "".join(out)


# --- turns: an answer as a JSON-safe record, stored in the conversation -------------------
def turn_record(question: str, answer: Answer, chunks_of: Callable[[str], list[Chunk]]) -> dict[str, Any]:
    """What a conversation keeps of one question and its answer (JSON-serialisable)."""
    d = answer.to_json()
    chunk_kind = {p.chunk.chunk_id: p.chunk for p in answer.passages}
    tables = {}
    for c in answer.citations:
        chunk = chunk_kind.get(c.chunk_id)
        if chunk is not None and chunk.kind == "table":
            view = table_view(chunks_of(chunk.doc_id), chunk, c.quote)
            if view:
                tables[str(c.n)] = view
    return {"question": question, "text": d["text"], "outcome": d["outcome"], "confidence": d["confidence"],
            "grounded": d["grounded"], "resolved_question": d["resolved_question"], "backend": d["backend"],
            "citations": d["citations"], "passages": d["passages"][:5], "tables": tables,
            "notice": d.get("notice")}


def table_view(doc_chunks: Sequence[Chunk], chunk: Chunk, quote: str) -> dict[str, Any] | None:
    """The quoted table line as one row under the table's own column names."""
    table_text = "".join(c.text for c in doc_chunks if c.heading_path == chunk.heading_path)
    header = TABLE_HEADER.search(table_text)
    row = row_for_text(parse_indicator_table(table_text), quote)
    if not header or row is None:
        return None
    columns = ["指标", "单位", f"{header.group(1)}年", f"{header.group(2)}年"]
    if row.domain:
        columns.insert(0, "领域")
    cells = [row.name, row.unit or "", row.base or "", row.target or ""]
    if row.domain:
        cells.insert(0, row.domain)
    return {"columns": columns, "cells": cells, "line": quote}


# --- the conversation ------------------------------------------------------------------------
def _quoted_spans(text: str, quotes: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for q in quotes:
        if not q:
            continue
        start = 0
        while (k := text.find(q, start)) >= 0:
            spans.append((k, k + len(q)))
            start = k + len(q)
    return spans


def answer_body_html(turn: dict, k: int, partial: str | None = None) -> str:
    """The answer text with our [n] marks as links; [n] inside quoted document text stays text."""
    if partial is not None:  # text still being written: plain text only, checked later
        return f"<div class='answer-text streaming'>{esc_lines(partial)}</div>"
    text = turn["text"]
    valid = {c["n"] for c in turn.get("citations", [])}
    inside = _quoted_spans(text, [c["quote"] for c in turn.get("citations", [])])
    out, last = [], 0
    for m in CITATION_MARK.finditer(text):
        n = int(m.group(1))
        if n not in valid or any(a <= m.start() < b for a, b in inside):
            continue
        out.append(mark_ocr(text[last:m.start()]))
        out.append(f"<a class='cite' href='#' data-turn='{k}' data-n='{n}' title='查看原文'>&#91;{n}&#93;</a>")
        last = m.end()
    out.append(mark_ocr(text[last:]))
    body = "".join(out).replace("\n", "<br>")
    tables = "".join(_table_html(t, k, int(n)) for n, t in sorted(turn.get("tables", {}).items()))
    return f"<div class='answer-text'>{body}</div>{tables}"


def _table_html(view: dict, k: int, n: int) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in view["columns"])
    cells = "".join(f"<td>{mark_ocr(v)}</td>" for v in view["cells"])
    return (f"<table class='answer-table'><thead><tr>{head}</tr></thead><tbody><tr>{cells}</tr></tbody></table>"
            f"<div class='table-line'>原文：“{mark_ocr(view['line'])}”"
            f"<a class='cite' href='#' data-turn='{k}' data-n='{n}'>&#91;{n}&#93;</a></div>")


def turn_html(turn: dict, k: int, pending: str | None = None, partial: str | None = None) -> str:
    q = f"<div class='bubble q'><span class='who'>问</span>{esc_lines(turn['question'])}</div>"
    if pending is not None:
        return q + f"<div class='bubble a pending'><span class='progress'>{esc(pending)}</span></div>"
    outcome = turn.get("outcome", "not_found")
    badge = f"<span class='badge badge-{outcome}'>{OUTCOME_LABEL.get(outcome, outcome)}</span>"
    if outcome == "answer" and partial is None:
        badge += f"<span class='confidence'>把握 {round(100 * float(turn.get('confidence', 0)))}%</span>"
    resolved = turn.get("resolved_question")
    note = f"<div class='resolved'>按上文理解为：{esc(resolved)}</div>" if resolved else ""
    if turn.get("notice"):  # e.g. the LLM endpoint failed and the offline answer is shown
        note = f"<div class='notice'>提示：{esc(turn['notice'])}</div>" + note
    if outcome == "answer":
        body = answer_body_html(turn, k, partial)
    else:  # no answer: say so plainly, list the nearest passages only as pointers
        body = f"<div class='answer-text'>{esc_lines(partial if partial is not None else turn['text'])}</div>"
        if outcome == "related" and partial is None:
            body += "<ul class='related-list'>" + "".join(
                f"<li>{esc(label_text(p['title'], p['citation_label']))}</li>" for p in turn.get("passages", [])[:3]
            ) + "</ul>"
    final = "" if partial is not None else " final"
    return q + f"<div class='bubble a outcome-{outcome}{final}'>{badge}{note}{body}</div>"


def chat_html(turns: Sequence[dict], pending: tuple[str, str] | None = None,
              streaming: tuple[dict, str] | None = None) -> str:
    parts = [turn_html(t, k) for k, t in enumerate(turns)]
    if pending:
        parts.append(turn_html({"question": pending[0]}, len(turns), pending=pending[1]))
    if streaming:
        parts.append(turn_html(streaming[0], len(turns), partial=streaming[1]))
    if not parts:
        return "<div class='chat empty'>在下方输入问题。答案只引用文档库中的原文，每处引用可点开查看出处。</div>"
    return "<div class='chat'>" + "".join(parts) + "</div>"


# --- sources panel and document viewer ----------------------------------------------------
def _marked_passage(passage: str, quote: str) -> str:
    if quote and quote in passage:
        a = passage.index(quote)
        return (mark_ocr(passage[:a]) + f"<mark>{mark_ocr(quote)}</mark>" + mark_ocr(passage[a + len(quote):]))
    return f"<mark>{mark_ocr(quote)}</mark>"


def sources_html(turn: dict | None, k: int = 0) -> str:
    if turn is None:
        return "<div class='sources empty'>提问后，这里显示答案引用的原文段落；点答案里的 [1] 可打开原文。</div>"
    outcome = turn.get("outcome")
    if outcome == "answer" and turn.get("citations"):
        blocks = []
        passages = {p["chunk_id"]: p for p in turn.get("passages", [])}
        for c in turn["citations"]:
            p = passages.get(c["chunk_id"])
            body = _marked_passage(p["quote"], c["quote"]) if p else f"<mark>{mark_ocr(c['quote'])}</mark>"
            blocks.append(
                f"<div class='source' id='source-{c['n']}'><div class='source-head'>"
                f"<a class='cite' href='#' data-turn='{k}' data-n='{c['n']}'>&#91;{c['n']}&#93; 打开原文</a> "
                f"{esc(label_text(c['title'], c['citation_label']))}</div>"
                f"<div class='path'>{esc(heading_text(c['heading_path']))}</div>"
                f"<div class='passage'>{body}</div><div class='pos'>原文第 {c['start']}–{c['end']} 字</div></div>")
        return "<div class='sources'><h4>引用来源</h4>" + "".join(blocks) + "</div>"
    if outcome == "related":
        blocks = [f"<div class='source related'><div class='source-head'>{esc(label_text(p['title'], p['citation_label']))}"
                  f"</div><div class='path'>{esc(heading_text(p['heading_path']))}</div>"
                  f"<div class='passage'>{mark_ocr(p['quote'])}</div></div>" for p in turn.get("passages", [])[:3]]
        return ("<div class='sources'><h4>相关段落（仅供参考，不是答案）</h4>" + "".join(blocks) + "</div>")
    return "<div class='sources none'><h4>未找到</h4>文档库中没有与该问题相关的段落。</div>"


def viewer_html(citation: dict, original: str | None, whole: bool = False) -> str:
    """The cited place in the document's original text, highlighted: with some context around
    it, or the whole document. `citation['start'/'end']` index `original`."""
    head = (f"<div class='viewer-head'><b>&#91;{citation['n']}&#93;</b> "
            f"{esc(label_text(citation['title'], citation['citation_label']))}"
            f"<div class='path'>{esc(heading_text(citation['heading_path']))}</div></div>")
    if original is None:
        return f"<div class='viewer'>{head}<div class='error-line'>该文档已不在文档库中，无法打开原文。</div></div>"
    a, b = citation["start"], citation["end"]
    lo, hi = (0, len(original)) if whole else (max(0, a - CONTEXT_CHARS), min(len(original), b + CONTEXT_CHARS))
    text = (("…" if lo > 0 else "") + esc_lines(original[lo:a]) + f"<mark id='cited'>{esc_lines(original[a:b])}</mark>"
            + esc_lines(original[b:hi]) + ("…" if hi < len(original) else ""))
    scope = "全文" if whole else "上下文"
    return (f"<div class='viewer {'whole' if whole else 'context'}'>{head}"
            f"<div class='pos'>{scope} · 引文位于原文第 {a}–{b} 字（共 {len(original)} 字）</div>"
            f"<div class='doc-text'>{text}</div></div>")


def find_citation(turns: Sequence[dict], k: int, n: int) -> dict | None:
    if not 0 <= k < len(turns):
        return None
    return next((c for c in turns[k].get("citations", []) if c["n"] == n), None)


# --- the ask API ------------------------------------------------------------------------------
def api_payload(answer: Answer) -> dict:
    d = answer.to_json()
    return {"text": d["text"], "outcome": d["outcome"], "confidence": d["confidence"], "grounded": d["grounded"],
            "citations": d["citations"], "passages": d["passages"][:5], "timings_ms": d["timings_ms"],
            "notice": d["notice"]}


# --- documents -----------------------------------------------------------------------------
DOC_HEADERS = ["编号", "标题", "地区", "文号", "规划期", "日期", "格式", "段数", "导入时间"]
META_FIELDS = ("title", "region", "doc_number", "period", "date", "issuer")


def documents_rows(docs: Sequence[DocumentInfo]) -> list[list]:
    # Dataframe cells are shown as text by Gradio; strings here are data, not markup.
    return [[d.doc_id, d.title, d.region or "", d.doc_number or "", d.period or "",
             d.date or "", d.format, d.chunk_count,
             dt.datetime.fromtimestamp(d.ingested_at).strftime("%Y-%m-%d %H:%M")] for d in docs]


def doc_choices(docs: Sequence[DocumentInfo]) -> list[tuple[str, str]]:
    return [(f"{d.title}（{d.doc_id}）", d.doc_id) for d in docs]


def doc_title(docs: Sequence[DocumentInfo], doc_id: str | None) -> str | None:
    return next((d.title for d in docs if d.doc_id == doc_id), None)


def meta_values(docs: Sequence[DocumentInfo], doc_id: str | None) -> list[str]:
    d = next((d for d in docs if d.doc_id == doc_id), None)
    return [str(getattr(d, f) or "") if d else "" for f in META_FIELDS]


def chunks_html(title: str | None, chunks: Sequence[Chunk]) -> str:
    if title is None:
        return "<div class='chunks empty'>选择一份文档，查看它被切成的段落及其公文层级。</div>"
    rows = []
    for c in chunks:
        path = heading_text(c.heading_path) or "（无标题层级）"
        kind = {"table": "表格", "box": "专栏"}.get(c.kind, "正文")
        rows.append(f"<div class='chunk'><div class='path'>#{c.ordinal + 1} · {kind} · {esc(path)}"
                    f" · 原文第 {c.orig_start}–{c.orig_end} 字</div><div class='chunk-text'>{mark_ocr(c.text)}</div></div>")
    return f"<div class='chunks'><h4>《{esc(title)}》共 {len(chunks)} 段</h4>" + "".join(rows) + "</div>"


STATUS_WORDS = {"added": "新增", "updated": "更新", "unchanged": "未变"}


def ingest_lines(results: Iterable[tuple[str, Any]], docs: Sequence[DocumentInfo]) -> str:
    """One line per uploaded file, as HTML. `results`: (file name, IngestResult)."""
    lines = []
    for name, r in results:
        if r.status == "error":
            lines.append(f"<div class='line fail'>失败：{esc(r.error or name)}</div>")
        else:
            title = r.title or doc_title(docs, r.doc_id) or name
            lines.append(f"<div class='line ok'>{STATUS_WORDS.get(r.status, r.status)}：{esc(name)} → 《{esc(title)}》"
                         f"{r.chunks} 段</div>")
    return "".join(lines) or "<div class='line'>未选择文件</div>"


def message_html(text: str, kind: str = "info") -> str:
    return f"<div class='msg {kind}'>{esc(text)}</div>" if text else ""


# --- drafting ------------------------------------------------------------------------------
def outline_html(draft) -> str:
    """The outline tree with its sources, as escaped HTML (template text is data)."""
    o = draft.outline
    parts = [f"<div class='outline'><h3>{esc(o.title)}</h3>"]
    if o.request.instruction:
        parts.append(f"<div class='instruction'>起草要求：{esc(o.request.instruction)}</div>")
    for item, _path in o.walk():
        note = f"<span class='note'>【{esc(item.note)}】</span>" if item.note else ""
        parts.append(f"<div class='item level-{item.level}'><span class='num'>{esc(item.number)}</span>"
                     f"{esc(item.title)}{note}")
        if item.points:
            parts.append("<ul>" + "".join(f"<li>{esc(p)}</li>" for p in item.points) + "</ul>")
        if item.sources:
            parts.append("<div class='src'>来源：" + "；".join(
                esc(source_label(s)) for s in item.sources) + "</div>")
        parts.append("</div>")
    return "".join(parts) + "</div>"


OUTLINE_HEADERS = ["位置", "顺序", "层级", "标题", "保留"]


def outline_rows(draft) -> list[list]:
    """Editable rows for the outline editor: position key, order, level, title, keep."""
    rows = []

    def walk(items, prefix: str) -> None:
        for i, it in enumerate(items, 1):
            key = f"{prefix}{i}"
            rows.append([key, i, it.level, it.title, "是"])
            walk(it.children, key + ".")
    walk(draft.outline.items, "")
    return rows


# --- settings ------------------------------------------------------------------------------
def settings_html(settings, status: LibraryStatus) -> str:
    llm = (f"已启用：{esc(settings.llm_model)} @ {esc(settings.llm_base_url)}（密钥不显示）"
           if settings.llm_enabled else "未启用（离线抽取式回答）")
    rows = [
        ("向量模型", f"{esc(status.embedder)}（{status.dim} 维）"),
        ("大模型接口", llm),
        ("向量库", esc(status.vector_store)),
        ("数据目录", esc(status.data_dir)),
        ("文档", f"{status.documents} 份，共 {status.chunks} 段"),
        ("拒答阈值", esc(settings.refusal_threshold)),
        ("返回段落数 / 候选数", f"{settings.top_k} / {settings.candidates}"),
        ("向量 / 关键词权重", f"{settings.dense_weight} / {settings.lexical_weight}"),
        ("分段长度", f"{settings.chunk_size} 字"),
        ("单个文件上限", f"{settings.max_file_mb} MB"),
    ]
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return ("<div class='settings'><table>" + body + "</table>"
            "<p class='hint'>设置只读；修改请设置环境变量 ASSISTANT_*（如 ASSISTANT_REFUSAL_THRESHOLD）后重启。</p></div>")
