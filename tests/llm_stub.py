"""A scripted OpenAI-compatible chat endpoint on 127.0.0.1 for tests and benchmarks: each
request takes the next scripted behaviour — an answer text, or a failure ("slow", "500",
"malformed", "empty-choices", "drop"). Streams as server-sent events when the client asks to."""
from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ScriptedLLM:
    def __init__(self, script: list[str] | None = None, slow_s: float = 5.0) -> None:
        self.script = list(script or [])
        self.default = "资料中未找到。"
        self.slow_s = slow_s
        self.requests: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.requests.append(body)
                step = stub.script.pop(0) if stub.script else stub.default
                if step == "slow":
                    time.sleep(stub.slow_s)
                    step = stub.default
                if step == "drop":  # the service dies mid-request: no response at all
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return None
                if step == "500":
                    return self._send(500, b'{"error": {"message": "internal error"}}')
                if step == "malformed":
                    return self._send(200, b"<html>not json</html>", "text/html")
                if step == "empty-choices":
                    return self._send(200, json.dumps({"id": "x", "object": "chat.completion", "created": 0,
                                                       "model": body["model"], "choices": []}).encode())
                if body.get("stream"):
                    chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                             "choices": [{"index": 0, "delta": {"role": "assistant", "content": step},
                                          "finish_reason": None}]}
                    end = {**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                    data = f"data: {json.dumps(chunk)}\n\ndata: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode()
                    return self._send(200, data, "text/event-stream")
                payload = {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                           "choices": [{"index": 0, "finish_reason": "stop",
                                        "message": {"role": "assistant", "content": step}}],
                           "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                self._send(200, json.dumps(payload).encode())

            def _send(self, code: int, data: bytes, ctype: str = "application/json") -> None:
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def dead_url() -> str:
    """An address where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
