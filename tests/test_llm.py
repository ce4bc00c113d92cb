import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from langchain_core.messages import AIMessage

from assistant.answer.citecheck import check, supports
from assistant.app.bootstrap import build_assistant
from assistant.fakes import scripted_chat_model

from conftest import make_settings


def test_citation_checks_on_crafted_outputs():
    passages = {1: "到2025年,学前教育三年毛入园率达到95%以上。", 2: "保证每个街道至少有1所公办中心幼儿园"}
    out = check("学前教育三年毛入园率到2025年达到95%以上[1]。每个街道至少1所公办中心幼儿园[2]。"
                "毛入园率达到98%[1]。教师工资不低于公务员[7]。", passages)
    assert [(s.text, s.cited, s.supported) for s in out] == [
        ("学前教育三年毛入园率到2025年达到95%以上。", (1,), (1,)),
        ("每个街道至少1所公办中心幼儿园。", (2,), (2,)),
        ("毛入园率达到98%。", (1,), ()),            # a number the passage does not have
        ("教师工资不低于公务员。", (7,), ()),          # a passage that does not exist
    ]
    assert supports("学前教育毛入园率提高", passages[1]) is True
    assert supports("养老床位护理型比例提高", passages[1]) is False


def test_llm_answer_keeps_supported_citations_and_flags_the_rest(seeded_assistant):
    chat = scripted_chat_model([])
    a = seeded_assistant(chat)
    passages = a.retrieve("到2025年学前教育三年毛入园率要达到多少?")
    n = next(p.rank for p in passages if "95%以上" in p.chunk.text)
    chat.messages = iter([AIMessage(
        content=f"到2025年,学前教育三年毛入园率达到95%以上[{n}]。同时要求毛入园率达到99%[{n}]。另有规定[9]。")])
    answer = a.ask("到2025年学前教育三年毛入园率要达到多少?", use_llm=True)
    # Two of three sentences unverified: shown as 相关内容, never as a grounded answer.
    assert answer.backend == "llm" and not answer.grounded and answer.outcome == "related"
    assert [c.n for c in answer.citations] == [1]
    assert "95%以上" in answer.citations[0].quote
    assert answer.unsupported_sentences == ("同时要求毛入园率达到99%。", "另有规定。")
    prompt = chat.prompts[0][0].content
    assert "到2025年学前教育三年毛入园率要达到多少?" in prompt and f"[{n}] 《" in prompt


def test_llm_refusal_is_not_grounded(seeded_assistant):
    hash_assistant = seeded_assistant(scripted_chat_model(["资料中未找到。"]))
    answer = hash_assistant.ask("月球基地建设目标?", use_llm=True)
    assert (answer.grounded, answer.citations) == (False, ())


class _Stub(BaseHTTPRequestHandler):
    requests: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Stub.requests.append((self.path, body))
        text = "每个乡镇卫生院、社区卫生服务中心至少配备1名专职公共卫生医师[1]。"
        payload = {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                   "choices": [{"index": 0, "finish_reason": "stop",
                                "message": {"role": "assistant", "content": text}}],
                   "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_real_http_path_to_an_openai_compatible_server(tmp_path):
    server = HTTPServer(("127.0.0.1", 0), _Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        from assistant.fakes import HashEmbedder
        settings = make_settings(tmp_path / "d", llm_base_url=f"http://127.0.0.1:{server.server_port}/v1",
                                 llm_model="qwen-test", llm_api_key="k")
        a = build_assistant(settings, embedder=HashEmbedder())
        src = tmp_path / "p.txt"
        src.write_text("（一）公共卫生。每个乡镇卫生院、社区卫生服务中心至少配备1名专职公共卫生医师。", encoding="utf-8")
        a.ingest([src])
        answer = a.ask("每个乡镇卫生院至少配备几名专职公共卫生医师?")
        assert answer.backend == "llm" and answer.grounded
        assert answer.text == "每个乡镇卫生院、社区卫生服务中心至少配备1名专职公共卫生医师。[1]"
        path, body = _Stub.requests[-1]
        assert path == "/v1/chat/completions" and body["model"] == "qwen-test"
        assert "至少配备1名专职公共卫生医师" in body["messages"][0]["content"]
        assert a.status().llm == "qwen-test"
    finally:
        server.shutdown()
