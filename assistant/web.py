"""The web app (Gradio): 问答, 起草, 文档库, 状态. Each handler turns widget values into one call
on the `Assistant` facade and the result back into widget values; formatting lives in
presenters.py. No Chroma, LangChain or python-docx import here."""
from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from . import presenters as show
from .drafting.skeleton import DOMAINS
from .types import Turn

CSS = """
.sources .source {border-left: 3px solid #c9d3e0; padding: 6px 10px; margin: 8px 0; background: #fafbfc;}
.sources .source.selected {border-left-color: #c0392b; background: #fff6f5;}
.sources .related {border-left-color: #aaa; opacity: .85;}
.sources mark {background: #ffe08a;}
.sources .path, .sources .pos {color: #667; font-size: 12px;}
.refusal {color: #8a5a00;}
sup.cite {color: #c0392b; font-weight: bold;}
"""
DOMAIN_CHOICES = list(DOMAINS) + [t.title for d in DOMAINS.values() for t in d.subtopics if t.title not in DOMAINS]


def build_app(assistant) -> gr.Blocks:
    def doc_choices():
        return [(f"{d['title']}（{d['doc_id']}）", d["doc_id"]) for d in assistant.documents()]

    # --- 问答 -------------------------------------------------------------------------
    def ask(question: str, doc_ids: list[str] | None = None, history: list[str] | None = None) -> dict:
        """Answer a question from the documents. Returns the answer text with [n] markers, a
        grounded flag, and the cited passages (title, heading path, quote, offsets)."""
        answer = assistant.ask(question, history=[Turn(q) for q in (history or [])], doc_ids=doc_ids or None)
        return show.api_payload(answer)

    def chat(question, doc_ids, messages, turns):
        question = (question or "").strip()
        if not question:
            yield messages, turns, gr.update(), gr.update(), ""
            return
        history = [Turn(t["question"], t["text"]) for t in turns]
        messages = messages + [{"role": "user", "content": question}, {"role": "assistant", "content": "…"}]
        answer = None
        for part in assistant.stream_ask(question, history, doc_ids or None):
            if isinstance(part, str):  # an LLM is writing
                messages[-1] = {"role": "assistant", "content": part}
                yield messages, turns, gr.update(), gr.update(), ""
            else:
                answer = part
        messages[-1] = {"role": "assistant", "content": show.answer_markdown(answer)}
        turns = turns + [{"question": question, **answer.to_json(), "_answer": answer}]
        choices = [f"[{c.n}]" for c in answer.citations]
        yield (messages, turns, show.sources_html(answer),
               gr.update(choices=choices, value=choices[0] if choices else None, visible=bool(choices)), "")

    def select_source(marker, turns):
        if not turns or not marker:
            return gr.update()
        return show.sources_html(turns[-1]["_answer"], int(marker.strip("[]")))

    def export_conversation(turns):
        path = Path(tempfile.mkdtemp()) / "问答记录.md"
        path.write_text(show.conversation_markdown(turns), encoding="utf-8")
        return str(path)

    # --- 起草 -------------------------------------------------------------------------
    def draft(county, domains, years, instruction, sources_as, progress=gr.Progress()):
        from .drafting.pipeline import make_request
        progress(0.1, desc="分析范本结构")
        req = make_request(county, domains or [], years, instruction, sources_as=sources_as)
        result = assistant.draft(req)
        progress(0.7, desc="导出 Word")
        out = Path(tempfile.mkdtemp())
        files = assistant_export(result, out, req.sources_as)
        progress(1.0)
        return show.outline_markdown(result), files

    def assistant_export(result, out: Path, sources_as: str) -> list[str]:
        from .drafting.export_docx import export_docx
        from .drafting.export_md import export_markdown
        name = result.outline.title
        return [str(export_docx(result, out / f"{name}.docx", sources_as)), str(export_markdown(result, out / f"{name}.md"))]

    # --- 文档库 -----------------------------------------------------------------------
    def upload(files, progress=gr.Progress()):
        lines = []
        for k, f in enumerate(files or []):
            progress((k + 1) / max(1, len(files)), desc=Path(f).name)
            r = assistant.ingest_upload(Path(f), display_name=Path(f).name)
            lines.append(f"❌ {r.error}" if r.status == "error" else
                         f"✅ {Path(f).name} → 《{r.title}》{r.chunks} 段（{ {'added': '新增', 'updated': '更新', 'unchanged': '未变'}[r.status]}）")
        return "\n\n".join(lines) or "未选择文件", show.documents_rows(assistant.documents()), \
            gr.update(choices=doc_choices()), gr.update(choices=doc_choices()), show.status_markdown(assistant.status())

    def remove(doc_id):
        msg = f"已删除 {doc_id}" if doc_id and assistant.remove(doc_id) else "请选择要删除的文档"
        return msg, show.documents_rows(assistant.documents()), gr.update(choices=doc_choices(), value=None), \
            gr.update(choices=doc_choices()), show.status_markdown(assistant.status())

    def reindex():
        results = assistant.reindex()
        return f"已重建 {len(results)} 份文档的索引", show.documents_rows(assistant.documents())

    with gr.Blocks(title="政策通 · 规划文件问答与起草") as app:
        gr.Markdown("## 政策通 · 规划文件问答与起草助手（离线）")
        with gr.Tab("问答"):
            turns = gr.State([])
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="对话", height=460, elem_id="chat")
                    question = gr.Textbox(label="问题", placeholder="例如：到2025年学前教育三年毛入园率要达到多少？",
                                          elem_id="question")
                    with gr.Row():
                        send = gr.Button("提问", variant="primary", elem_id="send")
                        export_btn = gr.DownloadButton("导出对话及来源", elem_id="export")
                    scope = gr.Dropdown(choices=doc_choices(), multiselect=True, label="只在这些文档中检索（可不选）")
                with gr.Column(scale=2):
                    marker = gr.Radio(choices=[], label="查看引用", visible=False, elem_id="markers")
                    sources = gr.HTML(show.sources_html(None), elem_id="sources")
            send.click(chat, [question, scope, chatbot, turns], [chatbot, turns, sources, marker, question],
                       api_visibility="private")
            question.submit(chat, [question, scope, chatbot, turns], [chatbot, turns, sources, marker, question],
                            api_visibility="private")
            marker.change(select_source, [marker, turns], [sources], api_visibility="private")
            export_btn.click(export_conversation, [turns], [export_btn], api_visibility="private")
        with gr.Tab("起草"):
            with gr.Row():
                county = gr.Textbox(label="县（区）名称", value="青禾县", elem_id="county")
                years = gr.Textbox(label="规划期", value="2026-2030", elem_id="years")
                sources_as = gr.Radio([("附录（附：起草依据）", "appendix"), ("Word 批注", "comments")],
                                      value="appendix", label="出处放在")
            domains = gr.Dropdown(DOMAIN_CHOICES, value=["教育", "医疗卫生"], multiselect=True, label="领域")
            instruction = gr.Textbox(label="起草要求（可选）", lines=2)
            go = gr.Button("生成提纲和初稿", variant="primary", elem_id="draft")
            with gr.Row():
                outline_md = gr.Markdown(elem_id="outline")
                files = gr.File(label="下载 Word / Markdown", file_count="multiple", elem_id="files")
            go.click(draft, [county, domains, years, instruction, sources_as], [outline_md, files], api_name="draft")
        with gr.Tab("文档库"):
            uploads = gr.File(label="上传文件（.txt .md .docx .pdf，可多选）", file_count="multiple", elem_id="upload")
            upload_result = gr.Markdown()
            table = gr.Dataframe(show.documents_rows(assistant.documents()),
                                 headers=["编号", "标题", "地区", "规划期", "格式", "段数", "导入时间"], interactive=False)
            with gr.Row():
                to_remove = gr.Dropdown(choices=doc_choices(), label="选择文档")
                remove_btn = gr.Button("删除", variant="stop")
                reindex_btn = gr.Button("重建索引")
        with gr.Tab("状态"):
            status = gr.Markdown(show.status_markdown(assistant.status()), elem_id="status")
        uploads.upload(upload, [uploads], [upload_result, table, to_remove, scope, status], api_name="upload")
        remove_btn.click(remove, [to_remove], [upload_result, table, to_remove, scope, status], api_visibility="private")
        reindex_btn.click(reindex, [], [upload_result, table], api_visibility="private")
        gr.api(ask, api_name="ask")
    return app


def serve(args) -> int:
    from .bootstrap import build_assistant, settings_from_args
    settings = settings_from_args(args)
    assistant = build_assistant(settings)
    if not args.no_ingest and not assistant.documents() and settings.corpus_dir.is_dir():
        results = assistant.ingest([settings.corpus_dir])
        print(f"已导入 {sum(r.status != 'error' for r in results)} 份范本文件")
    auth = None
    if args.auth:
        user, _, password = args.auth.partition(":")
        if not user or not password:
            raise ValueError("--auth 格式应为 USER:PASSWORD")
        auth = (user, password)
    app = build_app(assistant)
    print(f"政策通已启动：http://{args.host}:{args.port}", flush=True)
    app.queue().launch(server_name=args.host, server_port=args.port, auth=auth, show_error=True,
                       footer_links=["api"], css=CSS, theme=gr.themes.Default())
    return 0
