"""Who may use the web app, and how much one request may take.

- Bind: loopback by default; a non-loopback address needs a password (or an explicit
  `--insecure-no-auth`, which then makes the library read-only).
- Credentials come from ASSISTANT_AUTH=user:pass or a file, never from argv (visible in `ps`).
- Failed logins are counted per user (the Gradio auth callable) and per client address (an ASGI
  middleware on /login); after `login_max_failures` the user or address is locked out for
  `login_lockout_s` seconds, even with the right password.
- `WebAssistant` wraps the facade for the web app: question length and a per-request time limit,
  and library-changing calls refused when the library is read-only.

No Gradio import here: the app layer (web.py) wires these in."""
from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import os
import queue
import stat
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
AUTH_ENV = "ASSISTANT_AUTH"
ARGV_AUTH_REFUSED = ("出于安全考虑不再接受 --auth 用户名:密码（密码会出现在进程列表中）；"
                     "请改用环境变量 ASSISTANT_AUTH=用户名:密码 或 --auth-file 文件")
READ_ONLY = "当前为无密码的网络共享模式，文档库只读：上传、删除、重建索引和修改元数据需要设置登录密码后才能使用"


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    def __post_init__(self) -> None:
        if not self.user or not self.password:
            raise ValueError("登录凭据格式应为 用户名:密码，两者都不能为空")

    def __repr__(self) -> str:  # never print the password
        return f"Credentials(user={self.user!r}, password=***)"


def parse_credentials(text: str, where: str) -> Credentials:
    user, sep, password = text.strip().partition(":")
    if not sep:
        raise ValueError(f"{where} 的格式应为 用户名:密码")
    return Credentials(user.strip(), password)


def load_credentials(env: Mapping[str, str], auth_file: str | Path | None) -> Credentials | None:
    """From --auth-file (first non-comment line) or else ASSISTANT_AUTH; None when neither is set."""
    if auth_file:
        path = Path(auth_file)
        if not path.is_file():
            raise FileNotFoundError(f"找不到登录凭据文件 {path}")
        if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            log.warning("%s can be read by other users; chmod 600 it", path)
            print(f"警告：凭据文件 {path} 其他用户可读，建议 chmod 600", flush=True)
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
        if not lines:
            raise ValueError(f"凭据文件 {path} 是空的")
        return parse_credentials(lines[0], str(path))
    if env.get(AUTH_ENV):
        return parse_credentials(env[AUTH_ENV], AUTH_ENV)
    return None


def is_loopback(host: str) -> bool:
    if host.lower() in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, credentials: Credentials | None, insecure_no_auth: bool) -> str | None:
    """Raises for a non-loopback bind without a password; returns a warning line for an explicit
    --insecure-no-auth, None when all is well."""
    if is_loopback(host) or credentials is not None:
        return None
    if not insecure_no_auth:
        raise ValueError(f"监听非本机地址 {host} 必须设置登录密码：环境变量 ASSISTANT_AUTH=用户名:密码 或 --auth-file 文件"
                         "（确需无密码共享，请加 --insecure-no-auth，此时文档库只读）")
    return f"警告：{host} 上的任何人都可以无密码访问本服务；文档库只读"


class LoginGuard:
    """The Gradio auth callable, with lock-out: `max_failures` wrong logins for a user (or from an
    address, through `LoginRateLimit`) lock it for `lockout_s` seconds."""

    def __init__(self, credentials: Credentials, max_failures: int = 5, lockout_s: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.credentials, self.max_failures, self.lockout_s, self.clock = credentials, max_failures, lockout_s, clock
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def __call__(self, username: str, password: str) -> bool:
        key = "user:" + username
        if self.locked(key):
            log.warning("login refused for locked user %r", username)
            return False
        ok = hmac.compare_digest(username.encode(), self.credentials.user.encode()) & \
            hmac.compare_digest(password.encode(), self.credentials.password.encode())
        if ok:
            self.reset(key)
        else:
            self.failed(key)
        return bool(ok)

    def locked(self, key: str) -> float:
        """Seconds left of the lock-out of `key`, 0 when it may try."""
        with self._lock:
            return max(0.0, self._locked_until.get(key, 0.0) - self.clock())

    def failed(self, key: str) -> None:
        with self._lock:
            now = self.clock()
            recent = [t for t in self._failures.get(key, []) if now - t < self.lockout_s] + [now]
            self._failures[key] = recent
            if len(recent) >= self.max_failures:
                self._locked_until[key] = now + self.lockout_s
                self._failures[key] = []
                log.warning("login locked for %s after %d failures", key, len(recent))

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class LoginRateLimit:
    """ASGI middleware: counts failed POST /login per client address in `guard`; a locked address
    gets HTTP 429 with a Chinese message before its password is even checked."""

    def __init__(self, app, guard: LoginGuard) -> None:
        self.app, self.guard = app, guard

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or \
                not scope.get("path", "").rstrip("/").endswith("/login"):
            await self.app(scope, receive, send)
            return
        key = "addr:" + (scope.get("client") or ("?", 0))[0]
        wait = self.guard.locked(key)
        if wait:
            body = json.dumps({"detail": f"登录失败次数过多，请 {int(wait) + 1} 秒后再试"}, ensure_ascii=False).encode()
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        status: dict[str, int] = {}

        async def watch(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)
        await self.app(scope, receive, watch)
        if status.get("code") == 400:
            self.guard.failed(key)
        elif status.get("code") in (200, 302):
            self.guard.reset(key)


class WebAssistant:
    """The facade as the web app sees it: bounded questions and, when `read_only`, a library that
    cannot be changed. Everything else is passed through."""

    CHANGING = ("ingest", "ingest_upload", "remove", "reindex", "set_metadata")

    def __init__(self, assistant, max_question_chars: int, request_timeout_s: float, read_only: bool = False,
                 workers: int = 8) -> None:
        self._a = assistant
        self.max_question_chars, self.request_timeout_s, self.read_only = max_question_chars, request_timeout_s, read_only
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ask")

    def __getattr__(self, name: str) -> Any:
        if name in self.CHANGING and self.read_only:
            raise PermissionError(READ_ONLY)
        return getattr(self._a, name)

    def _check(self, question: str) -> None:
        n = len(question or "")
        if n > self.max_question_chars:
            raise ValueError(f"问题太长（{n} 字），请控制在 {self.max_question_chars} 字以内")

    def _too_slow(self) -> TimeoutError:
        return TimeoutError(f"本次提问超过 {self.request_timeout_s:g} 秒仍未完成，已停止等待；请缩小问题范围或稍后再试")

    def ask(self, question: str, *args, **kwargs):
        self._check(question)
        future = self._pool.submit(self._a.ask, question, *args, **kwargs)
        try:
            return future.result(timeout=self.request_timeout_s)
        except FutureTimeout:
            raise self._too_slow() from None

    def stream_ask(self, question: str, *args, **kwargs) -> Iterator:
        self._check(question)
        parts: queue.Queue = queue.Queue()
        done = object()

        def produce() -> None:
            try:
                for part in self._a.stream_ask(question, *args, **kwargs):
                    parts.put(part)
                parts.put(done)
            except Exception as exc:  # noqa: BLE001 - handed to the consumer and raised there
                parts.put(exc)
        self._pool.submit(produce)
        deadline = time.monotonic() + self.request_timeout_s
        while True:
            try:
                part = parts.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise self._too_slow() from None
            if part is done:
                return
            if isinstance(part, BaseException):
                raise part
            yield part


def upload_dir(data_dir: Path) -> Path:
    """Where Gradio keeps uploaded files: inside the data dir, private to this user."""
    path = Path(data_dir) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path
