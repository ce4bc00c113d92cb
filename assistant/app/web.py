"""The web app (Gradio): 问答, 起草, 文档库, 设置. Each handler turns widget values into one call
on the `Assistant` facade (or the conversation store) and the result back into widget values;
formatting lives in presenters.py, saved conversations in conversations.py. No Chroma,
LangChain or python-docx import here. User errors (ValueError) become one line in the page."""
from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import gradio as gr

from ..drafting.skeleton import DOMAINS
from ..types import Turn
from . import conversations as conv_store
from . import presenters as show

CSS = """
.chat {display: flex; flex-direction: column; gap: 6px; max-height: 520px; overflow-y: auto; padding: 4px;}
.chat.empty, .sources.empty {color: #667;}
.bubble {border-radius: 6px; padding: 8px 12px; line-height: 1.7;}
.bubble.q {background: #eef3fb; align-self: flex-end; max-width: 85%;}
.bubble .who {font-weight: bold; color: #345; margin-right: 8px;}
.bubble.a {background: #fff; border: 1px solid #d6dbe3; border-left-width: 6px;}
.bubble.a.pending {border-style: dashed; color: #556;}
.badge {display: inline-block; font-weight: bold; padding: 1px 8px; border-radius: 3px; margin: 0 8px 4px 0; font-size: 13px;}
.outcome-answer {border-left-color: #1e7d3a !important;}
.badge-answer {background: #1e7d3a; color: #fff;}
.outcome-related {border-left-color: #8a8f98 !important; background: #f6f6f4 !important; border-style: dashed !important;}
.badge-related {background: #fff; color: #555; border: 1px dashed #777;}
.outcome-not_found {border-left-color: #b45309 !important; background: #fffaf2 !important;}
.badge-not_found {background: #b45309; color: #fff;}
.outcome-pending {border-left-color: #9aa5b1 !important;}
.badge-pending {background: #e5e9ef; color: #334;}
.confidence {color: #556; font-size: 12px;}
.resolved {color: #556; font-size: 12px; margin-bottom: 4px;}
.notice {color: #8a5300; background: #fff4e0; border-left: 3px solid #e0a030; padding: 2px 6px; font-size: 13px; margin-bottom: 4px;}
a.cite {color: #b91c1c; font-weight: bold; text-decoration: none; cursor: pointer; margin: 0 1px;}
a.cite:hover {text-decoration: underline;}
.related-list {margin: 4px 0 0 0; color: #555;}
.answer-table {border-collapse: collapse; margin: 8px 0 2px 0; font-size: 14px;}
.answer-table th, .answer-table td {border: 1px solid #c9d3e0; padding: 3px 10px;}
.answer-table th {background: #f0f3f8;}
.table-line {color: #556; font-size: 13px;}
.ocr {background: #fde8e8; border-bottom: 2px dotted #b91c1c;}
.ocr small {color: #b91c1c;}
.sources .source, .viewer {border-left: 3px solid #c9d3e0; padding: 6px 10px; margin: 8px 0; background: #fafbfc;}
.sources .related {border-left-color: #aaa;}
mark {background: #ffe08a;}
.path, .pos {color: #667; font-size: 12px;}
.viewer .doc-text {max-height: 420px; overflow-y: auto; position: relative; white-space: normal; line-height: 1.8; padding: 6px 0;}
.viewer.whole .doc-text {max-height: 560px;}
.msg {padding: 4px 0;}
.msg.error, .error-line, .line.fail {color: #b91c1c;}
.line.ok {color: #1e4d2b;}
.chunks {max-height: 520px; overflow-y: auto;}
.chunks .chunk {border-bottom: 1px solid #e5e7eb; padding: 6px 0;}
.outline .item {margin: 2px 0;}
.outline .level-2 {margin-left: 1.5em;} .outline .level-3 {margin-left: 3em;}
.outline .note {color: #b45309;} .outline .src {color: #667; font-size: 12px;}
.outline .instruction {color: #1e4d8a; margin-bottom: 6px;}
.settings th {text-align: left; padding-right: 16px; color: #445;}
#confirm-delete {border: 2px solid #b91c1c; padding: 8px;}
#cite-hint {color: #667;}
"""
# Clicks on our citation links (never on text from a document: that is escaped) become one
# 'click' event carrying which turn and which citation.
CITE_JS = """
element.addEventListener('click', (e) => {
  const a = e.target.closest('a.cite');
  if (!a) return;
  e.preventDefault();
  trigger('click', {turn: Number(a.dataset.turn), n: Number(a.dataset.n)});
});
"""
# Scroll only the viewer's own text box to the highlighted quote, not the page.
SCROLL_TO_MARK = """() => { setTimeout(() => {
  const m = document.querySelector('#viewer mark'); const box = m && m.closest('.doc-text');
  if (box) box.scrollTop = m.offsetTop - box.offsetTop - box.clientHeight / 3; }, 200); }"""
DOMAIN_CHOICES = list(DOMAINS) + [t.title for d in DOMAINS.values() for t in d.subtopics if t.title not in DOMAINS]
VIEWER_HINT = "<div class='viewer-hint'>点答案中的 [1] 等引用标记，这里打开原文出处（高亮），可再打开全文。</div>"


def _text_steps(text: str):
    """The answer text in growing prefixes, one sentence more each time (offline streaming)."""
    ends = [m.end() for m in re.finditer(r"[。；！？\n]", text)] + [len(text)]
    for e in sorted(set(ends)):
        yield text[:e]


def build_app(assistant) -> gr.Blocks:
    store = conv_store.ConversationStore(assistant.settings.data_dir / "conversations")
    export_dir = Path(tempfile.mkdtemp(prefix="zct-export-"))

    # --- 问答 -------------------------------------------------------------------------
    def ask(question: str, doc_ids: list[str] | None = None, history: list[str] | None = None) -> dict:
        """Answer a question from the documents. Returns the answer text with [n] markers, the
        outcome (answer / related / not_found), a confidence, a grounded flag, and the cited
        passages (title, heading path, quote, offsets)."""
        try:
            answer = assistant.ask(question, history=[Turn(q) for q in (history or [])], doc_ids=doc_ids or None)
        except ValueError as e:  # a user error: its one line to the caller, no traceback on the console
            raise gr.Error(str(e), title="请求有误", print_exception=False) from None
        return show.api_payload(answer)

    def _session(session) -> str:
        """This browser's id (kept in its localStorage); a new one if it has none yet."""
        if not isinstance(session, str) or not conv_store.SESSION_ID.fullmatch(session):
            return conv_store.new_session_id()
        return session

    def start_session(session):
        session = _session(session)
        md, docx = conv_store.export_files([], export_dir / session)
        return session, _conv_list(session), md, docx

    def _conv_list(session, value=None):
        return gr.update(choices=conv_store.conversation_choices(store.list(session)), value=value)

    def chat(question, doc_ids, turns, session, conv):
        # outputs: chat, turns, conv, sources, question, message, export_md, export_docx, conv_list, session
        question = (question or "").strip()
        keep = gr.update()
        session = _session(session)
        if not question:
            yield keep, turns, conv, keep, keep, show.message_html("请输入问题", "error"), keep, keep, keep, session
            return
        yield (show.chat_html(turns, pending=(question, "正在检索文档…")), turns, conv, keep, "", "",
               keep, keep, keep, session)
        history = [Turn(t["question"], t["text"]) for t in turns]
        answer, streamed = None, False
        try:
            for part in assistant.stream_ask(question, history, doc_ids or None):
                if isinstance(part, str):  # an LLM is writing: shown as plain text until checked
                    streamed = True
                    draft = {"question": question, "outcome": "pending", "text": part}
                    yield (show.chat_html(turns, streaming=(draft, part)), turns, conv, keep, "", "",
                           keep, keep, keep, session)
                else:
                    answer = part
        except ValueError as e:
            yield (show.chat_html(turns), turns, conv, keep, question, show.message_html(str(e), "error"),
                   keep, keep, keep, session)
            return
        record = show.turn_record(question, answer, assistant.chunks_of)
        k = len(turns)
        # Offline the answer comes whole: show its outcome and sources first, then the text sentence
        # by sentence. An LLM's text was already shown as it came.
        for prefix in [] if streamed else ["", *_text_steps(record["text"])]:
            yield (show.chat_html(turns, streaming=(record, prefix)), turns, conv, show.sources_html(record, k),
                   "", "", keep, keep, keep, session)
            time.sleep(0.02)
        turns = turns + [record]
        conv = conv or conv_store.new_conversation_id()
        store.save(session, conv, turns)
        md, docx = conv_store.export_files(turns, export_dir / session)
        yield (show.chat_html(turns), turns, conv, show.sources_html(record, k), "", "", md, docx,
               _conv_list(session, conv), session)

    def open_citation(turns, evt: gr.EventData):
        data = evt._data or {}
        try:
            k, n = int(data.get("turn", -1)), int(data.get("n", -1))
        except (TypeError, ValueError):
            return gr.update(), None
        c = show.find_citation(turns, k, n)
        if c is None:
            return show.message_html("该引用已不在当前对话中", "error"), None
        doc = assistant.document(c["doc"])
        return show.viewer_html(c, doc.original if doc else None), c

    def open_whole(current):
        if not current:
            return show.message_html("请先点答案中的引用标记", "error")
        doc = assistant.document(current["doc"])
        return show.viewer_html(current, doc.original if doc else None, whole=True)

    def reset_outputs(session, turns, conv, value=None):
        session = _session(session)
        md, docx = conv_store.export_files(turns, export_dir / session)
        k = len(turns) - 1
        return (show.chat_html(turns), turns, conv, show.sources_html(turns[-1] if turns else None, k),
                VIEWER_HINT, None, md, docx, _conv_list(session, value), session)

    def clear(session, conv):
        if conv and conv_store.SESSION_ID.fullmatch(session or ""):  # clearing removes the conversation: nothing of it is used or exported again
            store.delete(session, conv)
        return reset_outputs(session, [], None)

    def new_conversation(session):
        return reset_outputs(session, [], None)

    def open_conversation(session, conv_id, turns, conv):
        if not conv_id:
            return reset_outputs(session, turns, conv, conv)
        try:
            loaded = store.load(session, conv_id)
        except ValueError:
            return reset_outputs(session, [], None)
        return reset_outputs(session, loaded, conv_id, conv_id)

    def delete_conversation(session, conv_id, turns, conv):
        if conv_id and conv_store.SESSION_ID.fullmatch(session or ""):
            store.delete(session, conv_id)
        if conv_id == conv:
            return reset_outputs(session, [], None)
        return reset_outputs(session, turns, conv, conv)

    # --- 起草 -------------------------------------------------------------------------
    def draft(county, domains, years, instruction, sources_as, topic="", templates=None,
              progress=gr.Progress()):  # noqa: B008 (Gradio injects progress)
        from ..drafting.pipeline import make_request
        # topic/templates are passed only when given: drafting accepts them from the draft branch on
        extra = {k: v for k, v in {"topic": (topic or "").strip(), "templates": tuple(templates or ())}.items() if v}
        try:
            progress(0.05, desc="检查起草要求")
            req = make_request(county, domains or [], years, instruction, sources_as=sources_as, **extra)
            progress(0.2, desc="分析范本结构、生成提纲")
            result = assistant.draft(req)
        except ValueError as e:
            return show.message_html(str(e), "error"), gr.update(), gr.update(), gr.update(), None
        progress(0.8, desc="导出 Word / Markdown")
        files = _export_draft(result)
        progress(1.0)
        return (show.message_html(f"已生成（{result.timings_ms.get('total', 0):.0f} ms）"), show.outline_html(result),
                show.outline_rows(result), files, result)

    def apply_edits(result, rows):
        from ..drafting.edit import apply_outline_edits
        if result is None:
            return show.message_html("请先生成提纲", "error"), gr.update(), gr.update(), gr.update(), None
        try:
            edited = apply_outline_edits(result, rows.values.tolist() if hasattr(rows, "values") else rows)
        except ValueError as e:
            return show.message_html(str(e), "error"), gr.update(), gr.update(), gr.update(), result
        return (show.message_html("已按修改后的提纲重新导出"), show.outline_html(edited), show.outline_rows(edited),
                _export_draft(edited), edited)

    def _export_draft(result) -> list[str]:
        from ..drafting.export_docx import export_docx
        from ..drafting.export_md import export_markdown
        out = Path(tempfile.mkdtemp(dir=export_dir))
        name = re.sub(r"[\\/:*?\"<>|]", "_", result.outline.title)[:80] or "初稿"
        return [str(export_docx(result, out / f"{name}.docx", result.outline.request.sources_as)),
                str(export_markdown(result, out / f"{name}.md"))]

    # --- 文档库 -----------------------------------------------------------------------
    def library_outputs(message: str):
        docs = assistant.documents()
        choices = show.doc_choices(docs)
        return (message, show.documents_rows(docs), gr.update(choices=choices, value=None),
                gr.update(choices=choices), gr.update(choices=choices), show.settings_html(assistant.settings, assistant.status()),
                show.chunks_html(None, []), *([""] * len(show.META_FIELDS)), gr.update(visible=False), None)

    def upload(files, progress=gr.Progress()):  # noqa: B008 (Gradio injects progress)
        results = []
        for k, f in enumerate(files or []):
            name = Path(f).name
            progress((k + 0.5) / max(1, len(files)), desc=f"导入 {name}")
            results.append((name, assistant.ingest_upload(Path(f), display_name=name)))
        return library_outputs(show.ingest_lines(results, assistant.documents()))

    def select_document(doc_id):
        docs = assistant.documents()
        title = show.doc_title(docs, doc_id)
        chunks = assistant.chunks_of(doc_id) if title else []
        return (show.chunks_html(title, chunks), *show.meta_values(docs, doc_id), gr.update(visible=False), None)

    def ask_remove(doc_id):
        title = show.doc_title(assistant.documents(), doc_id)
        if title is None:
            return show.message_html("请先在上面选择要删除的文档", "error"), gr.update(visible=False), None
        return (show.message_html(f"确定删除《{title}》（{doc_id}）及其全部索引吗？此操作不可撤销。", "error"),
                gr.update(visible=True), doc_id)

    def confirm_remove(pending):
        title = show.doc_title(assistant.documents(), pending)
        if pending and assistant.remove(pending):
            return library_outputs(show.message_html(f"已删除《{title}》（{pending}）"))
        return library_outputs(show.message_html("没有待删除的文档", "error"))

    def cancel_remove():
        return show.message_html("已取消删除"), gr.update(visible=False), None

    def save_meta(doc_id, *values):
        if show.doc_title(assistant.documents(), doc_id) is None:
            return library_outputs(show.message_html("请先选择文档", "error"))
        fields = {k: (v.strip() or None) for k, v in zip(show.META_FIELDS, values)}
        if not fields["title"]:
            return library_outputs(show.message_html("标题不能为空", "error"))
        assistant.set_metadata(doc_id, **fields)
        return library_outputs(show.message_html(f"已保存《{fields['title']}》的元数据"))

    def reindex(progress=gr.Progress()):  # noqa: B008 (Gradio injects progress)
        progress(0.1, desc="重建索引中")
        results = assistant.reindex()
        return library_outputs(show.message_html(f"已重建 {len(results)} 份文档的索引"))

    docs0 = assistant.documents()
    # Gradio's copies of exported files older than a day are removed, checked hourly.
    with gr.Blocks(title="政策通 · 规划文件问答与起草", delete_cache=(3600, 86400)) as app:
        gr.Markdown("## 政策通 · 规划文件问答与起草助手（离线）")
        session = gr.BrowserState("", storage_key="zct-session",
                                  secret=conv_store.browser_secret(store.root))
        with gr.Tab("问答", elem_id="tab-qa"):
            turns = gr.State([])
            conv = gr.State(None)
            current_cite = gr.State(None)
            with gr.Row():
                with gr.Column(scale=3):
                    with gr.Row():
                        conv_list = gr.Dropdown(choices=[], value=None, label="历史对话（本浏览器）", elem_id="conv-list",
                                                scale=6)
                        open_btn = gr.Button("打开", size="sm", elem_id="conv-open", scale=1, min_width=70)
                        del_conv_btn = gr.Button("删除", size="sm", elem_id="conv-delete", scale=1, min_width=70)
                        new_btn = gr.Button("新对话", size="sm", elem_id="conv-new", scale=1, min_width=70)
                    chat_box = gr.HTML(show.chat_html([]), elem_id="chat", js_on_load=CITE_JS)
                    question = gr.Textbox(label="问题", placeholder="例如：到2025年学前教育三年毛入园率要达到多少？",
                                          elem_id="question")
                    ask_msg = gr.HTML("", elem_id="ask-msg")
                    with gr.Row():
                        send = gr.Button("提问", variant="primary", elem_id="send")
                        clear_btn = gr.Button("清空对话", elem_id="clear")
                        export_md = gr.DownloadButton("导出 Markdown", value=None, elem_id="export-md")
                        export_docx = gr.DownloadButton("导出 Word", value=None, elem_id="export-docx")
                    scope = gr.Dropdown(choices=show.doc_choices(docs0), multiselect=True,
                                        label="只在这些文档中检索（可不选）")
                with gr.Column(scale=2):
                    viewer = gr.HTML(VIEWER_HINT, elem_id="viewer")
                    whole_btn = gr.Button("打开全文", size="sm", elem_id="open-whole")
                    sources = gr.HTML(show.sources_html(None), elem_id="sources", js_on_load=CITE_JS)
            chat_outputs = [chat_box, turns, conv, sources, question, ask_msg, export_md, export_docx, conv_list,
                            session]
            send.click(chat, [question, scope, turns, session, conv], chat_outputs, api_visibility="private")
            question.submit(chat, [question, scope, turns, session, conv], chat_outputs, api_visibility="private")
            for box in (chat_box, sources):
                box.click(open_citation, [turns], [viewer, current_cite], api_visibility="private") \
                    .then(None, js=SCROLL_TO_MARK)
            whole_btn.click(open_whole, [current_cite], [viewer], api_visibility="private").then(None, js=SCROLL_TO_MARK)
            reset = [chat_box, turns, conv, sources, viewer, current_cite, export_md, export_docx, conv_list, session]
            clear_btn.click(clear, [session, conv], reset, api_visibility="private")
            new_btn.click(new_conversation, [session], reset, api_visibility="private")
            open_btn.click(open_conversation, [session, conv_list, turns, conv], reset, api_visibility="private")
            del_conv_btn.click(delete_conversation, [session, conv_list, turns, conv], reset, api_visibility="private")
        with gr.Tab("起草", elem_id="tab-draft"):
            draft_state = gr.State(None)
            with gr.Row():
                county = gr.Textbox(label="县（区）名称", value="青禾县", elem_id="county")
                years = gr.Textbox(label="规划期（如 2026-2030 或 2026—2030年）", value="2026-2030", elem_id="years")
                sources_as = gr.Radio([("附录（附：起草依据）", "appendix"), ("Word 批注", "comments")],
                                      value="appendix", label="出处放在")
            with gr.Row():
                topic = gr.Textbox(label="起草主题（可选，如：义务教育招生入学工作）", elem_id="topic", scale=2)
                templates = gr.Dropdown(choices=show.doc_choices(docs0), value=[], multiselect=True, scale=3,
                                        label="范本（可不选，按主题检索）", elem_id="templates")
            domains = gr.Dropdown(DOMAIN_CHOICES, value=["教育", "医疗卫生"], multiselect=True, label="领域")
            instruction = gr.Textbox(label="起草要求（可选，如：突出医养结合，增加数字化内容）", lines=2,
                                     elem_id="instruction")
            go = gr.Button("生成提纲和初稿", variant="primary", elem_id="draft")
            draft_msg = gr.HTML("", elem_id="draft-msg")
            with gr.Row():
                with gr.Column(scale=3):
                    outline_view = gr.HTML("<div class='outline empty'>生成后，这里显示提纲及每项的范本出处。</div>",
                                           elem_id="outline")
                with gr.Column(scale=2):
                    files = gr.File(label="下载 Word / Markdown", file_count="multiple", elem_id="files")
                    gr.Markdown("**修改提纲**：改“顺序”数字可调整次序，改“标题”可重命名，“保留”填 否 即删除该项；"
                                "改完点“按修改后的提纲导出”。")
                    outline_rows = gr.Dataframe(headers=show.OUTLINE_HEADERS, type="array", interactive=True,
                                                elem_id="outline-editor", wrap=True)
                    apply_btn = gr.Button("按修改后的提纲导出", elem_id="apply-outline")
            go.click(draft, [county, domains, years, instruction, sources_as, topic, templates],
                     [draft_msg, outline_view, outline_rows, files, draft_state], api_name="draft")
            apply_btn.click(apply_edits, [draft_state, outline_rows],
                            [draft_msg, outline_view, outline_rows, files, draft_state], api_visibility="private")
        with gr.Tab("文档库", elem_id="tab-library"):
            pending = gr.State(None)
            uploads = gr.File(label="上传文件（.txt .md .docx .pdf，可多选）", file_count="multiple", elem_id="upload")
            lib_msg = gr.HTML("", elem_id="library-msg")
            table = gr.Dataframe(show.documents_rows(docs0), headers=show.DOC_HEADERS, interactive=False,
                                 elem_id="doc-table")
            with gr.Row():
                to_remove = gr.Dropdown(choices=show.doc_choices(docs0), value=None, label="选择文档",
                                        elem_id="doc-select", scale=3)
                remove_btn = gr.Button("删除…", variant="stop", elem_id="remove", scale=1)
                reindex_btn = gr.Button("重建索引", elem_id="reindex", scale=1)
            with gr.Row(visible=False, elem_id="confirm-delete") as confirm_box:
                confirm_btn = gr.Button("确认删除", variant="stop", elem_id="confirm-remove")
                cancel_btn = gr.Button("取消", elem_id="cancel-remove")
            with gr.Row():
                with gr.Column(scale=3):
                    chunk_view = gr.HTML(show.chunks_html(None, []), elem_id="chunks")
                with gr.Column(scale=2):
                    gr.Markdown("**元数据**（改后点保存）")
                    meta = [gr.Textbox(label=label, elem_id=f"meta-{name}") for name, label in zip(
                        show.META_FIELDS, ["标题", "地区", "文号", "规划期", "日期（YYYY-MM-DD）", "发文机关"])]
                    save_meta_btn = gr.Button("保存元数据", elem_id="save-meta")
        with gr.Tab("设置", elem_id="tab-settings"):
            settings_view = gr.HTML(show.settings_html(assistant.settings, assistant.status()), elem_id="settings")
        lib_outputs = [lib_msg, table, to_remove, scope, templates, settings_view, chunk_view, *meta, confirm_box,
                       pending]
        uploads.upload(upload, [uploads], lib_outputs, api_name="upload")
        to_remove.change(select_document, [to_remove], [chunk_view, *meta, confirm_box, pending],
                         api_visibility="private")
        remove_btn.click(ask_remove, [to_remove], [lib_msg, confirm_box, pending], api_visibility="private")
        confirm_btn.click(confirm_remove, [pending], lib_outputs, api_visibility="private")
        cancel_btn.click(cancel_remove, [], [lib_msg, confirm_box, pending], api_visibility="private")
        save_meta_btn.click(save_meta, [to_remove, *meta], lib_outputs, api_visibility="private")
        reindex_btn.click(reindex, [], lib_outputs, api_visibility="private")
        app.load(start_session, [session], [session, conv_list, export_md, export_docx], api_visibility="private")
        gr.api(ask, api_name="ask")
    return app


def serve(args) -> int:
    """Start the web app with the safety defaults (assistant/app/security.py): loopback unless a password
    is set, password from ASSISTANT_AUTH or --auth-file, login lock-out, bounded questions and
    uploads, uploads kept inside the data dir, several questions answered at once."""
    import os

    from fastapi.middleware import Middleware

    from . import security
    from .bootstrap import build_assistant, settings_from_args
    if getattr(args, "auth", None):
        raise ValueError(security.ARGV_AUTH_REFUSED)
    settings = settings_from_args(args)
    credentials = security.load_credentials(os.environ, getattr(args, "auth_file", None))
    warning = security.check_bind(args.host, credentials, getattr(args, "insecure_no_auth", False))
    if warning:
        print(warning, flush=True)
    settings.ensure_dirs()
    # Gradio stores uploads under its temp dir: keep them inside the data dir (never /tmp/gradio).
    os.environ["GRADIO_TEMP_DIR"] = str(security.upload_dir(settings.data_dir))
    assistant = build_assistant(settings)
    if not args.no_ingest and not assistant.documents() and settings.corpus_dir.is_dir():
        results = assistant.ingest([settings.corpus_dir])
        print(f"已导入 {sum(r.status != 'error' for r in results)} 份范本文件")
    web = security.WebAssistant(assistant, settings.max_question_chars, settings.request_timeout_s,
                                read_only=credentials is None and not security.is_loopback(args.host),
                                workers=2 * settings.web_concurrency)
    guard = security.LoginGuard(credentials, settings.login_max_failures, settings.login_lockout_s) \
        if credentials else None
    app = build_app(web)
    print(f"政策通已启动：http://{args.host}:{args.port}" + ("（需要登录）" if guard else ""), flush=True)
    app.queue(default_concurrency_limit=settings.web_concurrency).launch(
        server_name=args.host, server_port=args.port, auth=guard, show_error=True, quiet=True,
        max_file_size=int(settings.max_upload_mb * 1024 * 1024), share=False,
        app_kwargs={"middleware": [Middleware(security.LoginRateLimit, guard=guard)]} if guard else None,
        footer_links=["api"], css=CSS, theme=gr.themes.Default())
    return 0
