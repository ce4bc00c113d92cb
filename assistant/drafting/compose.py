"""Section drafts: offline, one paragraph per outline item composed from its adapted 要点 with a
source note; with an LLM, the draft_section prompt rewrites each top-level section and the
citations of the result are checked like Q&A answers."""
from __future__ import annotations

from ..answer.citecheck import check
from ..answer.citeformat import source_label
from .model import Draft, Outline, OutlineItem


def source_note(item: OutlineItem) -> str:
    if not any(not s.flag for s in item.sources):
        return ""
    labels = []
    for s in item.sources:
        if s.flag:
            continue
        label = source_label(s)
        if label not in labels:
            labels.append(label)
    return "（参照" + "、".join(labels) + "）"


def offline_paragraphs(item: OutlineItem) -> list[str]:
    paras = []
    for child, _ in item.walk():
        if child is item and child.level == 1:
            continue
        head = f"{child.number}{child.title}。"
        if child.note and not child.points:
            paras.append(f"{head}【{child.note}】")
            continue
        if child.points:
            body = "".join(p if p.endswith(("。", "）")) else p + "。" for p in child.points)
            note = f"【{child.note}】" if child.note else ""
            paras.append(f"{head}{body}{note}")
    return paras


def compose_offline(outline: Outline) -> Draft:
    return Draft(outline=outline, sections={it.title: offline_paragraphs(it) for it in outline.items})


def compose_with_llm(outline: Outline, chat_model, prompts_dir) -> Draft:
    from langchain_core.messages import HumanMessage

    from ..answer.prompts import load_prompt
    prompt = load_prompt(prompts_dir, "draft_section")
    req = outline.request
    sections, unsupported = {}, []
    for item in outline.items:
        passages: dict[int, str] = {}
        lines = []
        for child, _ in item.walk():
            for src in child.sources:
                if not src.flag and src.quote not in passages.values():
                    passages[len(passages) + 1] = src.quote
        outline_text = "\n".join(
            f"{c.number}{c.title}：{'；'.join(c.points)}{('【' + c.note + '】') if c.note else ''}"
            for c, _ in item.walk() if c is not item)
        numbered = "\n".join(f"[{n}] {q}" for n, q in passages.items())
        # The prompt has no slots for the document's title and the 起草要求: they lead the outline text.
        lead = f"文件标题：{outline.title}\n" + (f"起草要求：{req.instruction}\n" if req.instruction else "")
        message = prompt.render(county=req.county, years=f"{req.year_from}—{req.year_to}",
                                section_title=item.title, outline_items=lead + outline_text,
                                passages=numbered or "（无）")
        text = str(chat_model.invoke([HumanMessage(content=message)]).content)
        for s in check(text, passages):
            if s.ok or "范本未涉及" in s.text:
                lines.append(s.text)
            else:
                unsupported.append(s.text)
                lines.append(f"{s.text}【出处待核实】")
        sections[item.title] = ["".join(lines)] if lines else offline_paragraphs(item)
    return Draft(outline=outline, sections=sections, backend="llm", unsupported=tuple(unsupported))
