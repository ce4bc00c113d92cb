"""Security defaults (issue 14.5) at the unit level: credentials, bind rules, login lock-out,
question limits, read-only library, hostile upload names. The running server is exercised in
tests/reliability/test_web_security.py."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.app.security import (
    ARGV_AUTH_REFUSED,
    READ_ONLY,
    Credentials,
    LoginGuard,
    WebAssistant,
    check_bind,
    is_loopback,
    load_credentials,
)
from assistant.index.indexer import safe_doc_id

from conftest import REPO_ROOT


def test_credentials_come_from_a_file_or_the_environment(tmp_path):
    f = tmp_path / "auth"
    f.write_text("# 政策通\nadmin:p@ss:word\n", encoding="utf-8")
    f.chmod(0o600)
    assert load_credentials({}, f) == Credentials("admin", "p@ss:word")
    assert load_credentials({"ASSISTANT_AUTH": "u:v"}, None) == Credentials("u", "v")
    assert load_credentials({}, None) is None
    assert "v" not in repr(Credentials("u", "v"))
    with pytest.raises(ValueError, match="ASSISTANT_AUTH 的格式应为 用户名:密码"):
        load_credentials({"ASSISTANT_AUTH": "nopassword"}, None)
    with pytest.raises(ValueError, match="两者都不能为空"):
        load_credentials({"ASSISTANT_AUTH": "u:"}, None)
    with pytest.raises(FileNotFoundError, match="找不到登录凭据文件"):
        load_credentials({}, tmp_path / "missing")


def test_non_loopback_bind_needs_a_password_or_an_explicit_opt_out():
    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "127.0.0.2"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.5", "::", "example.org"))
    assert check_bind("127.0.0.1", None, False) is None
    assert check_bind("0.0.0.0", Credentials("u", "v"), False) is None
    with pytest.raises(ValueError, match="监听非本机地址 0.0.0.0 必须设置登录密码"):
        check_bind("0.0.0.0", None, False)
    assert check_bind("0.0.0.0", None, True) == "警告：0.0.0.0 上的任何人都可以无密码访问本服务；文档库只读"


def test_failed_logins_lock_the_user_out_for_a_while():
    now = [1000.0]
    guard = LoginGuard(Credentials("admin", "right"), max_failures=3, lockout_s=60, clock=lambda: now[0])
    assert guard("admin", "right") is True
    assert [guard("admin", "wrong") for _ in range(3)] == [False, False, False]
    assert guard("admin", "right") is False          # locked, even with the right password
    assert guard.locked("user:admin") == 60
    now[0] += 61
    assert guard("admin", "right") is True
    assert guard("other", "right") is False and guard("admin", "") is False


def _serve(*args, env=None):
    return subprocess.run([sys.executable, "-m", "assistant", "serve", *args], cwd=REPO_ROOT, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow  # starts `assistant serve` twice in new processes (each imports Gradio)
def test_serve_refuses_a_password_on_the_command_line_and_an_open_network_bind(tmp_path):
    r = _serve("--auth", "admin:secret", env={"ASSISTANT_DATA_DIR": str(tmp_path)})
    assert (r.returncode, r.stderr.strip()) == (1, "错误：" + ARGV_AUTH_REFUSED)
    r = _serve("--host", "0.0.0.0", env={"ASSISTANT_DATA_DIR": str(tmp_path)})
    assert r.returncode == 1 and r.stderr.startswith("错误：监听非本机地址 0.0.0.0 必须设置登录密码")
    assert "Traceback" not in r.stderr


class _SlowAssistant:
    def __init__(self, delay):
        self.delay, self.changed = delay, []

    def ask(self, question, *a, **k):
        time.sleep(self.delay)
        return f"answer:{question}"

    def stream_ask(self, question, *a, **k):
        yield "partial"
        time.sleep(self.delay)
        yield f"answer:{question}"

    def ingest_upload(self, path, display_name):
        self.changed.append(display_name)

    def documents(self):
        return []


def test_questions_are_bounded_in_length_and_time():
    web = WebAssistant(_SlowAssistant(0.0), max_question_chars=10, request_timeout_s=1)
    assert web.ask("短问题") == "answer:短问题"
    assert list(web.stream_ask("短问题")) == ["partial", "answer:短问题"]
    with pytest.raises(ValueError, match=r"^问题太长（11 字），请控制在 10 字以内$"):
        web.ask("问" * 11)
    with pytest.raises(ValueError, match="问题太长"):
        list(web.stream_ask("问" * 11))
    slow = WebAssistant(_SlowAssistant(3.0), max_question_chars=10, request_timeout_s=0.5)
    t = time.monotonic()
    with pytest.raises(TimeoutError, match="本次提问超过 0.5 秒仍未完成"):
        slow.ask("问题")
    with pytest.raises(TimeoutError, match="本次提问超过 0.5 秒仍未完成"):
        list(slow.stream_ask("问题"))
    assert time.monotonic() - t < 2.5


def test_a_read_only_library_refuses_every_change_and_still_answers():
    inner = _SlowAssistant(0.0)
    web = WebAssistant(inner, 100, 5, read_only=True)
    for name in ("ingest", "ingest_upload", "remove", "reindex", "set_metadata"):
        with pytest.raises(PermissionError, match=READ_ONLY):
            getattr(web, name)
    assert web.ask("问题") == "answer:问题" and web.documents() == [] and inner.changed == []
    WebAssistant(inner, 100, 5).ingest_upload(Path("x.txt"), "x.txt")
    assert inner.changed == ["x.txt"]


@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\..\\boot.ini", "a\x00b.txt", "\u202etxt.exe",
                                  "名" * 300 + ".txt", "/abs/path.txt", ".hidden", "...", "~root", "a/../../b.md"])
def test_hostile_upload_names_give_a_plain_id(name):
    doc_id = safe_doc_id(Path(name))
    assert doc_id and len(doc_id) <= 60
    assert not ({"/", "\\", "\x00", "\u202e"} & set(doc_id)) and doc_id not in {".", ".."}
    assert not doc_id.startswith(".")
