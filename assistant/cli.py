"""Command line: `assistant ingest|ask|docs|remove|meta|reindex|eval|eval-draft|draft|serve|bench`.
Errors are one clear line and a non-zero exit, never a traceback."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .config import force_offline


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
    from .config import Settings
    from .service import Assistant
    settings = Settings()
    if args is not None and getattr(args, "data_dir", None):
        settings = settings.model_copy(update={"data_dir": Path(args.data_dir)})
    return Assistant(settings)


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    from .ingest import iter_files
    a = _assistant(args)
    files = iter_files(Path(p) for p in args.paths)
    if not files:
        raise FileNotFoundError("没有找到可导入的文件：" + " ".join(args.paths))
    failed = 0
    bar = tqdm(total=len(files), desc="导入", unit="个文件", file=sys.stderr, disable=not sys.stderr.isatty())
    for path in files:
        r = a.ingest([path], force=args.force)[0]
        bar.update(1)
        if r.status == "error":
            failed += 1
            tqdm.write(f"失败  {r.error}", file=sys.stdout)
        else:
            label = {"added": "新增", "updated": "更新", "unchanged": "未变"}[r.status]
            tqdm.write(f"{label}  {r.doc_id}  《{r.title or ''}》  {r.chunks} 段", file=sys.stdout)
    bar.close()
    print(f"共 {len(files)} 个文件，失败 {failed} 个；库中现有 {a.status()['documents']} 份文档、{a.status()['chunks']} 段。")
    return 1 if failed else 0


OUTCOME_LABELS = {"answer": "答案", "related": "相关内容（不是答案）", "not_found": "未找到"}


def cmd_ask(args) -> int:
    a = _assistant(args)
    from .types import Turn
    history = [Turn(q) for q in (args.previous or [])]
    answer = a.ask(args.question, history=history, doc_ids=args.doc or None, k=args.k)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return 0
    label = OUTCOME_LABELS.get(answer.outcome, answer.outcome)
    print(f"【{label}】" + (f"（置信度 {answer.confidence:.2f}）" if answer.outcome == "answer" else ""))
    print(answer.text)
    print()
    if answer.citations:
        print("来源：")
        for c in answer.citations:
            print(f"[{c.n}] 《{c.title}》{c.citation_label}  {' > '.join(c.heading_path)}")
            print(f"    “{c.quote}”（原文第 {c.start}–{c.end} 字）")
    elif answer.passages:
        print("相关段落（不是答案，仅供参考）：")
        for p in answer.passages[:3]:
            print(f"- 《{p.chunk.title}》{p.chunk.citation_label} {p.chunk.text[:60]}…")
    return 0


def cmd_docs(args) -> int:
    a = _assistant(args)
    docs = a.documents()
    if args.json:
        print(json.dumps(docs, ensure_ascii=False, indent=2))
        return 0
    if not docs:
        print("文档库为空。用 assistant ingest corpus 导入。")
    for d in docs:
        print(f"{d['doc_id']}\t《{d['title']}》\t{d['region'] or '-'}\t{d['period'] or '-'}\t{d['format']}\t{d['chunk_count']} 段")
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
    a.set_metadata(args.doc, title=args.title, region=args.region, doc_number=args.doc_number, period=args.period)
    print(f"已更新 {args.doc}")
    return 0


def cmd_reindex(args) -> int:
    a = _assistant(args)
    for r in a.reindex():
        print(f"重建  {r.doc_id}  {r.chunks} 段")
    return 0


def cmd_eval(args) -> int:
    from .evaluation.runner import run_eval
    return run_eval(args)


def cmd_eval_draft(args) -> int:
    from .drafting.evaluate import run_eval_draft
    return run_eval_draft(args)


def cmd_draft(args) -> int:
    from .drafting.pipeline import run_draft_cli
    return run_draft_cli(args)


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

    s = sub.add_parser("eval-draft", help="评测起草")
    s.add_argument("--requests", required=True)
    s.add_argument("--json", dest="json_out")
    s.add_argument("--out-dir", default=None)
    s.set_defaults(func=cmd_eval_draft)

    s = sub.add_parser("draft", help="起草实施方案提纲与初稿，导出 Word")
    s.add_argument("--county", required=True)
    s.add_argument("--domains", required=True, help="逗号分隔，如 教育,医疗卫生")
    s.add_argument("--years", required=True, help="如 2026-2030")
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
    s.add_argument("--auth", default=None, help="USER:PASSWORD")
    s.add_argument("--no-ingest", action="store_true")
    s.set_defaults(func=cmd_serve)
    return p


if __name__ == "__main__":
    sys.exit(main())
