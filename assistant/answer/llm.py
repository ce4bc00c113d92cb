"""The LLM answerer: any OpenAI-compatible endpoint through LangChain (vLLM, Ollama, DeepSeek,
Qwen). Passages are numbered in the prompt; the model must cite [n] after each sentence; every
citation is then checked against its passage (citecheck).

A failing endpoint (down, slow, HTTP error, a reply that cannot be read) raises `LLMUnavailable`
with a one-line notice; the facade then answers offline (extractive) with that notice."""
from __future__ import annotations

import logging
import time
from pathlib import Path

from ..types import NOT_FOUND_TEXT, RELATED_TEXT, Answer, Citation, Passage, Turn
from .citecheck import Source, check, is_refusal
from .citeformat import source_line
from .prompts import load_prompt

log = logging.getLogger(__name__)
FALLBACK = "以下为离线检索答案。"


class LLMUnavailable(RuntimeError):
    """The model could not answer; `notice` is the one line shown to the user."""

    def __init__(self, notice: str) -> None:
        super().__init__(notice)
        self.notice = notice


def notice_for(exc: BaseException, timeout_s: float) -> str:
    """One Chinese line saying what went wrong with the model service (never the user's fault)."""
    names = {c.__name__ for c in type(exc).__mro__}
    status = getattr(exc, "status_code", None)
    if names & {"APITimeoutError", "TimeoutError", "ReadTimeout", "TimeoutException"}:
        what = f"大模型服务在 {timeout_s:g} 秒内没有回答"
    elif names & {"APIConnectionError", "ConnectionError", "ConnectError"}:
        what = "无法连接大模型服务"
    elif status is not None:
        what = f"大模型服务出错（HTTP {status}）"
    else:
        what = "大模型服务的回复无法解析"
    return f"{what}，{FALLBACK}"


def make_chat_model(settings):
    from langchain_openai import ChatOpenAI
    return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model, api_key=settings.llm_api_key,
                      timeout=settings.llm_timeout_s, max_retries=0, temperature=0)


class LLMAnswerer:
    def __init__(self, chat_model, prompts_dir: Path | None, offsets_for, original_for,
                 timeout_s: float = 60.0) -> None:
        self.chat = chat_model
        self.timeout_s = timeout_s
        self.prompt = load_prompt(prompts_dir, "answer")
        self.offsets_for, self.original_for = offsets_for, original_for

    def messages(self, question: str, passages: list[Passage], history: list[Turn]):
        from langchain_core.messages import HumanMessage
        numbered = "\n\n".join(f"[{p.rank}] {source_line(p.chunk)}\n{p.chunk.text}" for p in passages)
        hist = "\n".join(f"问：{t.question}\n答：{t.answer}" for t in history[-3:]) or "（无）"
        return [HumanMessage(content=self.prompt.render(question=question, passages=numbered, history=hist))]

    def answer(self, question: str, passages: list[Passage], history: list[Turn]) -> Answer:
        messages = self.messages(question, passages, history)
        try:
            reply = self.chat.invoke(messages)
            content = reply.content
            if not isinstance(content, str):
                raise TypeError(f"unexpected content {type(content).__name__}")
        except Exception as exc:  # anything the model client raises is the service's failure
            log.info("LLM call failed: %r", exc)
            raise LLMUnavailable(notice_for(exc, self.timeout_s)) from exc
        return self.checked(question, content, passages)

    def stream(self, question: str, passages: list[Passage], history: list[Turn]):
        """Partial texts, then the checked Answer. Raises LLMUnavailable (also mid-stream, and when
        the whole reply takes longer than the timeout, however steadily it trickles)."""
        messages = self.messages(question, passages, history)
        text = ""
        deadline = time.monotonic() + self.timeout_s
        try:
            for part in self.chat.stream(messages):
                if not isinstance(part.content, str):
                    raise TypeError(f"unexpected content {type(part.content).__name__}")
                text += part.content
                if time.monotonic() > deadline:
                    raise TimeoutError("stream exceeded the LLM timeout")
                yield text
        except Exception as exc:
            log.info("LLM stream failed: %r", exc)
            raise LLMUnavailable(notice_for(exc, self.timeout_s)) from exc
        yield self.checked(question, text, passages)

    def checked(self, question: str, text: str, passages: list[Passage]) -> Answer:
        by_rank = {p.rank: p for p in passages}
        if is_refusal(text) or not text.strip():
            return Answer(question=question, text=RELATED_TEXT if passages else NOT_FOUND_TEXT, grounded=False,
                          citations=(), passages=tuple(passages), backend="llm",
                          outcome="related" if passages else "not_found")
        sentences = check(text, {n: Source(p.chunk.text, " ".join((p.chunk.title, *p.chunk.heading_path)))
                                 for n, p in by_rank.items()})
        citations: list[Citation] = []
        renumber: dict[int, int] = {}
        lines, unsupported = [], []
        for s in sentences:
            if not s.ok:
                unsupported.append(s.text)
                lines.append(f"{s.text}（未能核实出处）")
                continue
            marks = ""
            for n in s.supported:
                if n not in renumber:
                    renumber[n] = len(renumber) + 1
                    p = by_rank[n]
                    c = p.chunk
                    citations.append(Citation(
                        n=renumber[n], doc_id=c.doc_id, title=c.title, heading_path=c.heading_path,
                        citation_label=c.citation_label, quote=c.text,
                        source_text=self.original_for(c.doc_id)[c.orig_start:c.orig_end],
                        start=c.orig_start, end=c.orig_end, chunk_id=c.chunk_id, score=p.score))
                marks += f"[{renumber[n]}]"
            lines.append(s.text + marks)
        # An answer is 答案 only if every sentence is verified; otherwise it is 相关内容.
        grounded = bool(citations) and not unsupported
        return Answer(question=question, text="".join(lines), grounded=grounded, citations=tuple(citations),
                      passages=tuple(passages), unsupported_sentences=tuple(unsupported), backend="llm",
                      outcome="answer" if grounded else ("related" if passages else "not_found"),
                      confidence=len([s for s in sentences if s.ok]) / max(1, len(sentences)))
