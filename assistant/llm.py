"""The LLM answerer: any OpenAI-compatible endpoint through LangChain (vLLM, Ollama, DeepSeek,
Qwen). Passages are numbered in the prompt; the model must cite [n] after each sentence; every
citation is then checked against its passage (citecheck)."""
from __future__ import annotations

from pathlib import Path

from .citecheck import check, is_refusal
from .prompts import load_prompt
from .types import Answer, Citation, Passage, Turn


def make_chat_model(settings):
    from langchain_openai import ChatOpenAI
    return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model, api_key=settings.llm_api_key,
                      timeout=settings.llm_timeout_s, max_retries=0, temperature=0)


class LLMAnswerer:
    def __init__(self, chat_model, prompts_dir: Path | None, offsets_for, original_for) -> None:
        self.chat = chat_model
        self.prompt = load_prompt(prompts_dir, "answer")
        self.offsets_for, self.original_for = offsets_for, original_for

    def messages(self, question: str, passages: list[Passage], history: list[Turn]):
        from langchain_core.messages import HumanMessage
        numbered = "\n\n".join(
            f"[{p.rank}] 《{p.chunk.title}》{p.chunk.citation_label} {' > '.join(p.chunk.heading_path)}\n{p.chunk.text}"
            for p in passages)
        hist = "\n".join(f"问：{t.question}\n答：{t.answer}" for t in history[-3:]) or "（无）"
        return [HumanMessage(content=self.prompt.render(question=question, passages=numbered, history=hist))]

    def answer(self, question: str, passages: list[Passage], history: list[Turn]) -> Answer:
        reply = self.chat.invoke(self.messages(question, passages, history))
        return self.checked(question, str(reply.content), passages)

    def stream(self, question: str, passages: list[Passage], history: list[Turn]):
        text = ""
        for part in self.chat.stream(self.messages(question, passages, history)):
            text += str(part.content)
            yield text
        yield self.checked(question, text, passages)

    def checked(self, question: str, text: str, passages: list[Passage]) -> Answer:
        by_rank = {p.rank: p for p in passages}
        if is_refusal(text) or not text.strip():
            return Answer(question=question, text="资料中未找到与该问题直接相关的内容。", grounded=False,
                          citations=(), passages=tuple(passages), backend="llm",
                          outcome="related" if passages else "not_found")
        sentences = check(text, {n: p.chunk.text for n, p in by_rank.items()})
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
