"""draft_plan: request -> outline -> section drafts; and the `assistant draft` command."""
from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, replace
from pathlib import Path

from .compose import compose_offline, compose_with_llm
from .model import Draft, DraftRequest
from .outline import OutlineBuilder


def parse_years(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(20\d{2})\s*[-—–~至]+\s*(20\d{2})\s*", text or "")
    if not m or int(m.group(1)) > int(m.group(2)):
        raise ValueError(f"年份格式应为 2026-2030，收到：{text!r}")
    return int(m.group(1)), int(m.group(2))


def make_request(county: str, domains, years: str, instruction: str = "", sections="",
                 sources_as: str = "appendix") -> DraftRequest:
    county = (county or "").strip()
    if not county:
        raise ValueError("请填写县（区）名称")
    if isinstance(domains, str):
        domains = [d for d in re.split(r"[,，、\s]+", domains) if d]
    if not domains:
        raise ValueError("请至少选择一个领域")
    if isinstance(sections, str):
        sections = [s for s in re.split(r"[,，、]+", sections) if s.strip()]
    y1, y2 = parse_years(years)
    return DraftRequest(county=county, domains=tuple(domains), year_from=y1, year_to=y2,
                        instruction=instruction or "", sections=tuple(sections), sources_as=sources_as)


def draft_plan(assistant, request: DraftRequest) -> Draft:
    if not assistant.documents():
        raise ValueError("文档库为空：请先导入范本文件")
    t0 = time.perf_counter()
    outline = OutlineBuilder(assistant, request).build()
    t1 = time.perf_counter()
    if assistant.settings.llm_enabled or assistant._chat_model is not None:
        draft = compose_with_llm(outline, assistant._chat(), assistant.settings.prompts_dir)
    else:
        draft = compose_offline(outline)
    t2 = time.perf_counter()
    return replace(draft, timings_ms={"outline": (t1 - t0) * 1000, "compose": (t2 - t1) * 1000,
                                      "total": (t2 - t0) * 1000})


def draft_json(draft: Draft) -> dict:
    return {"outline": asdict(draft.outline), "sections": draft.sections, "backend": draft.backend,
            "unsupported": list(draft.unsupported), "timings_ms": draft.timings_ms}


def run_draft_cli(args) -> int:
    from ..cli import _assistant
    from .export_docx import export_docx
    from .export_md import export_markdown
    a = _assistant(args)
    req = make_request(args.county, args.domains, args.years, args.instruction, args.sections, args.sources)
    draft = a.draft(req)
    out = export_docx(draft, Path(args.out), sources_as=req.sources_as)
    print(f"已生成 {out}（{draft.timings_ms['total']:.0f} ms，{draft.backend}）")
    md = Path(args.markdown) if args.markdown else Path(args.out).with_suffix(".md")
    export_markdown(draft, md)
    print(f"已生成 {md}")
    marked = [it.title for it, _ in draft.outline.walk() if it.note]
    if marked:
        print("需本地补充：" + "、".join(marked))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(draft_json(draft), ensure_ascii=False, indent=2), encoding="utf-8")
    return 0
