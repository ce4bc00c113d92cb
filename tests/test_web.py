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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(real_data_dir, tmp_path_factory):
    data = tmp_path_factory.mktemp("web")
    shutil.copytree(real_data_dir, data, dirs_exist_ok=True)
    port = _free_port()
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data)}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)], cwd=REPO_ROOT,
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
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client
    return Client(server, verbose=False)


def test_ask_endpoint_returns_answer_and_cited_passage(client):
    r = client.predict("到2025年学前教育三年毛入园率要达到多少?", api_name="/ask")
    assert r["grounded"] is True
    assert r["text"] == "据《关于新时代公共服务能力提升一揽子解决方案》二（一）：“到2025年,学前教育三年毛入园率达到95%以上。”[1]"
    [c] = r["citations"]
    assert (c["n"], c["doc"], c["quote"]) == (1, "000_72f48bf4814f4020", "到2025年,学前教育三年毛入园率达到95%以上。")
    scoped = client.predict("学前三年毛入园率", ["003_99ee4da949b934db"], api_name="/ask")
    assert {p["doc"] for p in scoped["passages"]} == {"003_99ee4da949b934db"}
    refused = client.predict("金普新区落实的大连市最低工资标准,具体是每月多少元?", api_name="/ask")
    assert refused["grounded"] is False and refused["citations"] == [] and refused["text"].startswith("资料中未找到")


def test_upload_lists_the_file_and_bad_files_do_not_block_others(client, tmp_path):
    from gradio_client import handle_file
    good = tmp_path / "青禾县养老服务方案.txt"
    good.write_text("青禾县养老服务实施方案\n一、总体要求\n（一）主要目标。到2030年，养老机构护理型床位占比达到60%。",
                    encoding="gb18030")
    bad = tmp_path / "损坏.docx"
    bad.write_bytes(b"PK\x03\x04broken")
    result, table, *_ = client.predict([handle_file(str(bad)), handle_file(str(good))], api_name="/upload")
    assert "❌ 损坏.docx: 不是有效的 .docx 文件（文件损坏）" in result
    assert "✅ 青禾县养老服务方案.txt → 《青禾县养老服务实施方案》1 段（新增）" in result
    rows = {row[0]: row for row in table["data"]}
    assert set(rows) == {"000_72f48bf4814f4020", "003_99ee4da949b934db", "青禾县养老服务方案"}
    assert rows["青禾县养老服务方案"][1] == "青禾县养老服务实施方案"
    r = client.predict("青禾县养老机构护理型床位占比到2030年要达到多少?", api_name="/ask")
    assert r["citations"][0]["doc"] == "青禾县养老服务方案" and "60%" in r["text"]


def test_draft_endpoint_returns_a_docx(client):
    from docx import Document
    outline, files = client.predict("青禾县", ["教育", "医疗卫生"], "2026-2030", "", "appendix", api_name="/draft")
    assert outline.startswith("# 青禾县2026—2030年基本公共服务能力提升实施方案")
    docx_path = next(f for f in files if str(f).endswith(".docx"))
    doc = Document(docx_path)
    assert doc.paragraphs[0].text == "青禾县2026—2030年基本公共服务能力提升实施方案"
    assert any(p.text.startswith("一、") for p in doc.paragraphs)  # the outline follows the templates


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (.ci/browser-deps installs it)")
def test_browser_question_answer_and_source(server, tmp_path):
    from playwright.sync_api import sync_playwright
    external = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("request", lambda r: external.append(r.url)
                if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
        page.goto(server, wait_until="load")
        page.locator("#question textarea").fill("到2025年学前教育三年毛入园率要达到多少?")
        page.locator("#send").click()
        page.locator("#sources mark").first.wait_for(timeout=60_000)
        chat = page.locator("#chat").inner_text()
        assert "95%以上" in chat and "[1]" in chat
        sources = page.locator("#sources").inner_text()
        assert "《关于新时代公共服务能力提升一揽子解决方案》二（一）" in sources
        assert page.locator("#sources mark").first.inner_text() == "到2025年,学前教育三年毛入园率达到95%以上。"
        out = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))  # SCREENSHOT_DIR=docs refreshes docs/
        out.mkdir(exist_ok=True)
        page.screenshot(path=str(out / "qa-tab.png"))
        browser.close()
    assert external == []  # offline by construction: no CDN, fonts or analytics requests
