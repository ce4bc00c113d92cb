"""draft_plan: request -> outline -> section drafts. The `assistant draft` command lives in cli.py."""
from __future__ import annotations

import re
import time
from dataclasses import asdict, replace

from .compose import compose_offline, compose_with_llm
from .model import Draft, DraftRequest
from .outline import OutlineBuilder


def parse_years(text: str) -> tuple[int, int]:
    """2026-2030, 2026—2030, 2026—2030年, 2026至2030年, or a single year 2027."""
    text = (text or "").strip().rstrip("年")
    m = re.fullmatch(r"\s*(20\d{2})\s*年?\s*(?:[-—–~至到]+\s*(20\d{2}))?\s*", text)
    if not m or (m.group(2) and int(m.group(1)) > int(m.group(2))):
        raise ValueError(f"年份格式应为 2026-2030，收到：{text!r}")
    return int(m.group(1)), int(m.group(2) or m.group(1))


def _split(value, pattern: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(d for d in re.split(pattern, value) if d.strip())
    return tuple(value or ())


def make_request(county: str, domains, years: str, instruction: str = "", sections="",
                 sources_as: str = "appendix", topic: str = "", templates=()) -> DraftRequest:
    county = (county or "").strip()
    if not county:
        raise ValueError("请填写县（区）名称")
    domains = _split(domains, r"[,，、\s]+")
    templates = _split(templates, r"[,，\s]+")
    if not domains and not (topic or "").strip() and not templates:
        raise ValueError("请填写起草主题（如 义务教育招生入学工作），或选择领域、范本")
    y1, y2 = parse_years(years)
    return DraftRequest(county=county, domains=domains, year_from=y1, year_to=y2, instruction=instruction or "",
                        sections=_split(sections, r"[,，、]+"), sources_as=sources_as, topic=(topic or "").strip(),
                        templates=templates)


def draft_plan(assistant, request: DraftRequest) -> Draft:
    if not assistant.documents():
        raise ValueError("文档库为空：请先导入范本文件")
    if request.sections and not request.instruction:
        request = replace(request, instruction="只写" + "、".join(request.sections))
    t0 = time.perf_counter()
    outline = OutlineBuilder(assistant, request).build()
    t1 = time.perf_counter()
    chat = assistant.drafting_chat_model()
    if chat is not None:
        draft = compose_with_llm(outline, chat, assistant.settings.prompts_dir)
    else:
        draft = compose_offline(outline)
    t2 = time.perf_counter()
    return replace(draft, timings_ms={"outline": (t1 - t0) * 1000, "compose": (t2 - t1) * 1000,
                                      "total": (t2 - t0) * 1000})


def draft_json(draft: Draft) -> dict:
    return {"outline": asdict(draft.outline), "sections": draft.sections, "backend": draft.backend,
            "unsupported": list(draft.unsupported), "timings_ms": draft.timings_ms}


def with_outline(draft: Draft, outline) -> Draft:
    """The draft after the user edited its outline (Outline.move/delete/rename): section texts are
    recomposed offline from the edited outline, so the export always matches what the user sees."""
    return replace(compose_offline(outline), timings_ms=draft.timings_ms)
