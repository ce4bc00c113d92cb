"""Command line: `assistant ingest|ask|docs|remove|meta|reindex|eval|eval-draft|draft|serve|bench`.
Errors are one clear line and a non-zero exit, never a traceback."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..config import force_offline


def main(argv: list[str] | None = None) -> int:
    force_offline()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "cmd", None):
        parser.print_help()
        return 2
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except (ValueError, FileNotFoundError, RuntimeError, OSError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1


def _assistant(args=None):
    from .bootstrap import build_assistant, settings_from_args
    return build_assistant(settings_from_args(args))


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    from ..index.indexer import scan
    a = _assistant(args)
    found = scan(Path(p) for p in args.paths)
    files = list(found.files)
    if not files and not found.refused:
        raise FileNotFoundError("没有找到可导入的文件：" + " ".join(args.paths))
    failed = len(found.refused)
    from ..ingest.read_limits import display_name
    for path, reason in found.refused:
        print(f"失败  {display_name(path)}: {reason}")
    bar = tqdm(total=len(files), desc="导入", unit="个文件", file=sys.stderr, disable=not sys.stderr.isatty())

    def report(r) -> None:
        nonlocal failed
        bar.update(1)
        if r.status == "error":
            failed += 1
            tqdm.write(f"失败  {r.error}", file=sys.stdout)
        else:
            label = {"added": "新增", "updated": "更新", "unchanged": "未变"}[r.status]
            tqdm.write(f"{label}  {r.doc_id}  《{r.title or ''}》  {r.chunks} 段", file=sys.stdout)
    # One batch: each file is stored as it is read (Ctrl-C keeps what is done; a re-run finds it
    # 未变), and the library view is refreshed once at the end.
    a.ingest(files, progress=report, force=args.force)
    bar.close()
    status = a.status()
    print(f"共 {len(files) + len(found.refused)} 个文件，失败 {failed} 个；库中现有 {status.documents} 份文档、{status.chunks} 段。")
    return 1 if failed else 0


def cmd_ask(args) -> int:
    from ..answer.citeformat import source_label, source_line
    from ..types import OUTCOME_WORDS, Turn
    a = _assistant(args)
    history = [Turn(q) for q in (args.previous or [])]
    answer = a.ask(args.question, history=history, doc_ids=args.doc or None, k=args.k)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return 0
    if answer.notice:
        print(f"提示：{answer.notice}")
    label = OUTCOME_WORDS.get(answer.outcome, answer.outcome)
    print(f"【{label}】" + (f"（置信度 {answer.confidence:.2f}）" if answer.outcome == "answer" else ""))
    print(answer.text)
    print()
    if answer.citations:
        print("来源：")
        for c in answer.citations:
            print(f"[{c.n}] {source_line(c, sep='  ')}")
            print(f"    “{c.quote}”（原文第 {c.start}–{c.end} 字）")
    elif answer.passages:
        print("相关段落（不是答案，仅供参考）：")
        for p in answer.passages[:3]:
            print(f"- {source_label(p.chunk)} {p.chunk.text[:60]}…")
    return 0


def cmd_docs(args) -> int:
    a = _assistant(args)
    docs = a.documents()
    if args.json:
        print(json.dumps([d.to_json() for d in docs], ensure_ascii=False, indent=2))
        return 0
    if not docs:
        print("文档库为空。用 assistant ingest corpus 导入。")
    for d in docs:
        print(f"{d.doc_id}\t《{d.title}》\t{d.region or '-'}\t{d.period or '-'}\t{d.format}\t{d.chunk_count} 段")
    return 0


def cmd_remove(args) -> int:
    a = _assistant(args)
    if not a.remove(args.doc):
        raise ValueError(f"文档库中没有 {args.doc}")
    print(f"已删除 {args.doc}")
    return 0


def cmd_meta(args) -> int:
    a = _assistant(args)
    if not a.document(args.doc):
        raise ValueError(f"文档库中没有 {args.doc}")
    fields = _meta_fields(args)
    if not fields:
        raise ValueError("没有要修改的字段（可用 --title --region --level --issuer --doc-number --date --year --topic --period）")
    a.set_metadata(args.doc, **fields)
    print(f"已更新 {args.doc}")
    return 0


def _meta_fields(args) -> dict:
    """Only the fields given; a place is stored under its canonical name with its level."""
    import re

    from ..ingest.places import canonical, gazetteer
    fields = {k: getattr(args, k, None) for k in ("title", "region", "doc_number", "period", "issuer", "topic")}
    fields = {k: v.strip() for k, v in fields.items() if v is not None and v.strip()}
    if "region" in fields:
        fields["region"] = canonical(fields["region"]) or fields["region"]
        level = next((p.level for p in gazetteer() if p.name == fields["region"]), None)
        if level and not getattr(args, "level", None):
            fields["place_level"] = level
    if getattr(args, "level", None):
        fields["place_level"] = args.level
    if getattr(args, "date", None):
        m = re.fullmatch(r"((?:19|20)\d{2})(?:-(\d{2}))?(?:-(\d{2}))?", args.date.strip())
        if not m:
            raise ValueError("日期格式应为 YYYY-MM-DD、YYYY-MM 或 YYYY")
        fields["date"] = args.date.strip()
        fields.setdefault("year", int(m.group(1)))
    if getattr(args, "year", None):
        fields["year"] = args.year
    if "title" in fields or "region" in fields:
        fields["confidence"] = 1.0  # set by a person
    return fields


def cmd_reindex(args) -> int:
    from tqdm import tqdm
    a = _assistant(args)
    bar = tqdm(total=len(a.manifest.doc_ids()), desc="重建", unit="份", file=sys.stderr,
               disable=not sys.stderr.isatty())

    def report(r) -> None:
        bar.update(1)
        tqdm.write(f"重建  {r.doc_id}  {r.chunks} 段", file=sys.stdout)
    a.reindex(progress=report)
    bar.close()
    return 0


def cmd_eval(args) -> int:
    """Ingests the corpus (unchanged files are skipped), runs the dataset and prints the table."""
    from ..evaluation.metrics import summarize
    from ..evaluation.runner import (
        METRIC_COLUMNS,
        evaluate_assistant,
        evaluate_baseline,
        format_table,
        load_dataset,
        load_file_places,
        report,
    )
    from .bootstrap import build_assistant, settings_from_args
    settings = settings_from_args(args)
    corpus = Path(args.corpus) if getattr(args, "corpus", None) else settings.corpus_dir
    if not corpus.is_dir():
        raise FileNotFoundError(f"语料目录不存在：{corpus}")
    rows = load_dataset(Path(args.dataset))
    file_places = load_file_places(corpus)
    assistant = build_assistant(settings)
    # A file that cannot be read is one line and the run goes on.
    for r in assistant.ingest([corpus]):
        if r.status == "error":
            print(f"跳过（无法读取）：{r.error}")
    results = evaluate_assistant(assistant, rows, k=args.k, file_places=file_places)
    baseline_summary = None
    table_rows = {"assistant (hybrid)": summarize(results)}
    if args.baseline:  # the main row first: the comparison rows take as long again
        print(format_table(table_rows), flush=True)
        for mode, label in (("dense", "dense only"), ("lexical", "bm25 only")):
            table_rows[label] = summarize(evaluate_assistant(assistant, rows, k=args.k, mode=mode,
                                                             file_places=file_places))
    if args.baseline and not getattr(args, "no_langchain", False):
        from ..evaluation.baseline import LangChainBaseline
        from ..index.indexer import iter_files
        base = LangChainBaseline(iter_files([corpus]), assistant.embedder.inner)
        for line in base.skipped:
            print(f"基线跳过（无法读取）：{line}")
        base_results = evaluate_baseline(base, rows, file_places)
        baseline_summary = report(base_results, str(args.dataset), None)
        baseline_summary.pop("baseline")
        table_rows["langchain baseline"] = summarize(base_results)
    out = report(results, str(args.dataset), baseline_summary)
    print(f"数据集 {args.dataset}：{len(rows)} 题；向量模型 {assistant.embedder.name}；"
          f"融合权重 dense={settings.dense_weight} bm25={settings.lexical_weight}；拒答阈值 {settings.refusal_threshold}")
    print(format_table(table_rows))
    if "langchain baseline" in table_rows:
        a, b = table_rows["assistant (hybrid)"], table_rows["langchain baseline"]
        ratios = {n: (round(a[n] / b[n], 2) if b[n] else "∞" if a[n] else "-") for n in METRIC_COLUMNS
                  if n not in ("false_refusal_rate",)}
        print("assistant / baseline: " + ", ".join(f"{n}={v}" for n, v in ratios.items()))
    print("\nby type:")
    print(format_table({t: m for t, m in out["by_type"].items()}))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"\n已写入 {args.json_out}")
    return 0


def cmd_eval_draft(args) -> int:
    """Drafts every request of the file, exports each to .docx and scores the .docx with the
    independent evaluator (assistant.drafting.evaluate)."""
    import tempfile

    from ..drafting.evaluate import (
        TemplateIndex,
        TemplateText,
        evaluate_docx,
        summary_line,
    )
    from ..drafting.export_docx import export_docx
    from ..drafting.pipeline import make_request
    a = _assistant(args)
    if not a.documents():
        a.ingest([a.settings.corpus_dir])
    rows = [json.loads(line) for line in Path(args.requests).read_text(encoding="utf-8").splitlines() if line.strip()]
    out_dir = Path(args.out_dir) if args.out_dir else Path(tempfile.mkdtemp(prefix="eval-draft-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    templates = [TemplateText(d.doc_id, a.document(d.doc_id).text, d.region) for d in a.documents()]
    index = TemplateIndex(templates)
    results = []
    for row in rows:
        req = make_request(row["county"], row.get("domains", ()), f"{row['year_from']}-{row['year_to']}",
                           row.get("instruction", ""), topic=row.get("topic", ""), templates=row.get("templates", ()))
        draft = a.draft(req)
        path = export_docx(draft, out_dir / f"{row['id']}.docx")
        result = evaluate_docx(path, row, templates, index)
        result["time_ms"] = round(draft.timings_ms.get("total", 0.0), 1)
        results.append(result)
        print(summary_line(result))
        for m in result["missing"]:
            print(f"      未覆盖：{m}")
        for leak in result["leaks"][:10]:
            print(f"      泄漏：{leak}")
        for cut in result["cut_sentences"][:5]:
            print(f"      断句：{cut}")
        for st in result["stale_unflagged"][:5]:
            print(f"      旧表述未标注：{st}")
    print(f"已导出 {len(results)} 份 .docx 到 {out_dir}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"requests": results}, ensure_ascii=False, indent=2),
                                       encoding="utf-8")
    failed = [r["id"] for r in results if not r["passed"]]
    if failed:
        print("未达标：" + "、".join(failed))
    return 1 if failed else 0


def cmd_draft(args) -> int:
    from ..drafting.export_docx import export_docx
    from ..drafting.export_md import export_markdown
    from ..drafting.pipeline import draft_json, make_request
    a = _assistant(args)
    req = make_request(args.county, args.domains or "", args.years, args.instruction, args.sections, args.sources,
                       topic=args.topic or "", templates=args.templates or ())
    draft = a.draft(req)
    out = export_docx(draft, Path(args.out), sources_as=req.sources_as)
    print(f"已生成 {out}《{draft.outline.title}》（{draft.timings_ms['total']:.0f} ms，{draft.backend}）")
    md = Path(args.markdown) if args.markdown else Path(args.out).with_suffix(".md")
    export_markdown(draft, md)
    print(f"已生成 {md}")
    marked = [it.title for it, _ in draft.outline.walk() if it.note]
    if marked:
        print("需本地补充：" + "、".join(marked))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(draft_json(draft), ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def cmd_serve(args) -> int:
    from .web import serve
    return serve(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description="政策通：规划文件问答与起草助手（离线）")
    p.add_argument("--data-dir", help="数据目录（默认 ASSISTANT_DATA_DIR 或用户数据目录）")
    sub = p.add_subparsers(dest="cmd")

    s = sub.add_parser("ingest", help="导入文件或文件夹")
    s.add_argument("paths", nargs="+")
    s.add_argument("--force", action="store_true", help="即使文件未变也重新导入")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("ask", help="提问")
    s.add_argument("question")
    s.add_argument("--json", action="store_true")
    s.add_argument("--doc", action="append", help="只在这些文档中检索（可重复）")
    s.add_argument("--previous", action="append", help="之前的问题（多轮追问，可重复）")
    s.add_argument("-k", type=int, default=None)
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("docs", help="列出文档")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_docs)

    s = sub.add_parser("remove", help="删除文档及其全部索引")
    s.add_argument("doc")
    s.set_defaults(func=cmd_remove)

    s = sub.add_parser("meta", help="修改文档元数据")
    s.add_argument("doc")
    s.add_argument("--title")
    s.add_argument("--region")
    s.add_argument("--doc-number")
    s.add_argument("--period")
    s.add_argument("--issuer", help="发文机关")
    s.add_argument("--date", help="成文日期 YYYY-MM-DD")
    s.add_argument("--year", type=int)
    s.add_argument("--level", help="地域级别：省/市/区/县/开发区")
    s.add_argument("--topic")
    s.set_defaults(func=cmd_meta)

    s = sub.add_parser("reindex", help="按当前设置重建全部索引")
    s.set_defaults(func=cmd_reindex)

    s = sub.add_parser("eval", help="评测检索、答案与引用")
    s.add_argument("--dataset", required=True)
    s.add_argument("--k", type=int, default=5)
    s.add_argument("--baseline", action="store_true")
    s.add_argument("--json", dest="json_out")
    s.add_argument("--corpus", default=None, help="语料目录（默认 corpus/）")
    s.add_argument("--no-langchain", action="store_true", help="--baseline 时不跑 LangChain 基线（只跑向量/BM25 单路）")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("eval-draft", help="评测起草（独立评测：覆盖、照抄、泄漏、断句、旧表述、切题）")
    s.add_argument("--requests", required=True)
    s.add_argument("--json", dest="json_out")
    s.add_argument("--out-dir", default=None)
    s.set_defaults(func=cmd_eval_draft)

    s = sub.add_parser("draft", help="起草实施方案提纲与初稿，导出 Word")
    s.add_argument("--county", required=True)
    s.add_argument("--topic", default="", help="起草主题，如 义务教育招生入学工作")
    s.add_argument("--templates", nargs="+", default=None, metavar="DOC_ID", help="作为范本的文档（默认按主题检索）")
    s.add_argument("--domains", default="", help="多领域方案的领域，逗号分隔，如 教育,医疗卫生")
    s.add_argument("--years", required=True, help="如 2026-2030 或 2027")
    s.add_argument("--instruction", default="")
    s.add_argument("--sections", default="", help="只起草这些部分（逗号分隔）")
    s.add_argument("--sources", choices=["comments", "appendix"], default="appendix")
    s.add_argument("--out", required=True)
    s.add_argument("--markdown", default=None)
    s.add_argument("--json", dest="json_out")
    s.set_defaults(func=cmd_draft)

    s = sub.add_parser("serve", help="启动网页应用")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=7860)
    s.add_argument("--auth", default=None, help=argparse.SUPPRESS)  # refused: argv is visible in ps
    s.add_argument("--auth-file", default=None,
                   help="登录凭据文件（一行 用户名:密码）；也可用环境变量 ASSISTANT_AUTH=用户名:密码")
    s.add_argument("--insecure-no-auth", action="store_true",
                   help="允许在非本机地址上无密码访问（文档库只读）")
    s.add_argument("--no-ingest", action="store_true")
    s.set_defaults(func=cmd_serve)
    return p


if __name__ == "__main__":
    sys.exit(main())
