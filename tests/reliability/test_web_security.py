"""Security defaults of a running `assistant serve` (issue 14.5): password from the environment,
login lock-out per address, everything behind the login, question and upload limits, uploads kept
inside the data dir, no share hint; off loopback without a password the library is read-only."""
import os
import subprocess
import sys
import time

import httpx
import pytest
from harness import REPO, SEEDS, free_port, in_child, op_ingest, preload, start_server

from assistant.app.security import READ_ONLY

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    preload()
    data = tmp_path_factory.mktemp("web-security") / "data"
    assert in_child(op_ingest, str(data), [str(p) for p in SEEDS]).value is not None
    return data


def _stop(proc) -> str:
    proc.terminate()
    out, _ = proc.communicate(timeout=30)
    return out


def test_password_server(library, tmp_path):
    from gradio_client import Client, handle_file
    port = free_port()
    proc = start_server(library, port, {"ASSISTANT_AUTH": "clerk:correct horse", "ASSISTANT_LOGIN_MAX_FAILURES": "3",
                                        "ASSISTANT_LOGIN_LOCKOUT_S": "4", "ASSISTANT_MAX_QUESTION_CHARS": "50",
                                        "ASSISTANT_MAX_UPLOAD_MB": "1"})
    url = f"http://127.0.0.1:{port}/"
    try:
        assert httpx.get(url + "gradio_api/info").status_code == 401       # nothing without a login
        assert httpx.post(url + "gradio_api/upload", files={"files": ("a.txt", b"x")}).status_code == 401
        assert httpx.post(url + "gradio_api/queue/join", json={"data": ["x"], "fn_index": 0, "session_hash": "s"}
                          ).status_code == 401
        client = Client(url, auth=("clerk", "correct horse"), verbose=False)
        assert client.predict("护理型床位占比要达到多少？", api_name="/ask")["text"]
        with pytest.raises(Exception, match=r"问题太长（51 字），请控制在 50 字以内"):
            client.predict("问" * 51, api_name="/ask")
        big = tmp_path / "大文件.txt"
        big.write_text("青禾县方案\n" + "推进学前教育。" * 200_000, encoding="utf-8")   # ~4 MB > 1 MB
        with pytest.raises(Exception):  # noqa: B017 - Gradio refuses it before our code runs
            client.predict([handle_file(str(big))], api_name="/upload")
        small = tmp_path / "青禾县养老方案.txt"
        small.write_text("青禾县养老方案\n到2030年，护理型床位占比达到65%。", encoding="utf-8")
        result = client.predict([handle_file(str(small))], api_name="/upload")[0]
        assert "<div class='line ok'>新增：青禾县养老方案.txt → 《青禾县养老方案》1 段</div>" in result
        assert list((library / "uploads").rglob("青禾县养老方案.txt")), "uploads stay inside the data dir"
        assert not list((library / "uploads").rglob("大文件.txt"))
        def login(pw):
            return httpx.post(url + "login", data={"username": "clerk", "password": pw})
        assert [login("wrong").status_code for _ in range(3)] == [400, 400, 400]
        locked = login("correct horse")
        assert locked.status_code == 429 and locked.json()["detail"].startswith("登录失败次数过多，请")
        time.sleep(4.5)
        assert login("correct horse").status_code == 200
    finally:
        out = _stop(proc)
    assert f"政策通已启动：http://127.0.0.1:{port}（需要登录）" in out
    assert "share=True" not in out and "public link" not in out and "correct horse" not in out


def test_open_network_bind_without_password_is_read_only(library, tmp_path):
    from gradio_client import Client, handle_file
    port = free_port()
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(library), "ASSISTANT_EMBEDDER": "hash", "PYTHONPATH": str(REPO)}
    env.pop("ASSISTANT_AUTH", None)
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--host", "0.0.0.0", "--port", str(port),
                             "--no-ingest", "--insecure-no-auth"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 120
        while True:
            try:
                httpx.get(url, timeout=2)
                break
            except httpx.HTTPError:
                assert time.time() < deadline and proc.poll() is None
                time.sleep(0.5)
        client = Client(url, verbose=False)
        assert client.predict("护理型床位占比要达到多少？", api_name="/ask")["text"]
        f = tmp_path / "新文件.txt"
        f.write_text("青禾县交通方案\n到2030年，公交站点覆盖率达到90%。", encoding="utf-8")
        with pytest.raises(Exception, match=READ_ONLY):
            client.predict([handle_file(str(f))], api_name="/upload")
    finally:
        out = _stop(proc)
    assert "警告：0.0.0.0 上的任何人都可以无密码访问本服务；文档库只读" in out
