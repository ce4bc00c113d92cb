"""Reorganise the flat `assistant/` package into subpackages named after the pipeline's stages.

    python tools/reorganise.py            # move, rewrite, check; leaves the changes staged
    python tools/reorganise.py --commit   # ... and commits them as one commit
    python tools/reorganise.py --dry-run  # print the plan, change nothing

Written to be run again on a later main (other branches keep editing the flat modules): it moves
files with `git mv` (history follows them), then rewrites every reference it can prove is one:

- Python imports (read with `ast`, absolute and relative, in function bodies and under
  TYPE_CHECKING too); relative imports are recomputed from each file's new place;
- `assistant.<module>` and `assistant/<module>.py` inside Python strings and comments (module
  paths in subprocess code, logger names, mutmut targets, docstrings), never in code, where
  `assistant.ingest(...)` is a method call on a facade;
- the same two forms in README.md, eval/README.md, pyproject.toml, Makefile and .ci/;
- README.md's "## 结构" tree, regrouped by package (each line keeps its own description);
- tests/test_import_graph.py gets the layer rules (the old "only cli and web import cli and web"
  test is replaced).

It refuses to run when a top-level module is neither in MOVES nor in STAY (a module added since:
decide its stage first), when a module to be moved locates files relative to itself
(`__file__`), or when the working tree is not clean. After rewriting it checks that every
`assistant.*` import in the tree names an existing module, and that every file still parses."""
from __future__ import annotations

import argparse
import ast
import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "assistant"
SELF = Path(__file__).resolve()

# Stage subpackages, in layer order (a stage imports only stages before it, and base).
STAGES = {
    "ingest": ("Reading files into documents and chunks: the format readers and their limits, cleaning "
               "(with the map back\nto the original characters), the 公文 structure, metadata and places, "
               "chunking. Nothing here stores anything.",
               "读取：文件 → 清理后的文档（保留到原文的字符映射）→ 公文层级、元数据 → 段；不存储"),
    "index": ("Storing and searching chunks: the embedder, the three stores (Chroma vectors, the lexical index, "
              "the\nSQLite manifest) behind their Protocols, the indexer that writes a read document into all "
              "three,\nthe start-up repair that makes them agree, and hybrid retrieval.",
              "存储与检索：向量模型、三个存储（向量库、关键词索引、清单）及其 Protocol、写入、启动修复、混合检索"),
    "answer": ("Answering a question from retrieved passages: the question's analysis and place scope, the term "
               "lexicon,\nthe offline extractive answerer and its answer check, the LLM answerer and its "
               "citation check,\nhow a citation is written, indicator tables, prompt files.",
               "回答：问题分析与地域范围、术语词表、抽取式回答与答案核对、大模型回答与引用核对、引用写法、指标表、提示词"),
    "app": ("The application: the `Assistant` facade (facade.py), the composition root that builds it "
            "(bootstrap.py),\nand the front ends that call it: the command line (cli.py) and the Gradio web app "
            "(web.py, with\npresenters, saved conversations and the security wrapper).",
            "应用：Assistant 门面、组装入口、命令行、网页（显示格式、对话保存、安全限制）"),
}
# Existing subpackages, for the README tree's order (they stay where they are).
KEPT_PACKAGES = ("drafting", "evaluation")
TREE_ORDER = ("ingest", "index", "answer", "drafting", "evaluation", "app")

# Top-level module -> its new place (package/module), by the stage it belongs to.
MOVES = {
    # ingest
    "readers": "ingest/readers", "read_docx": "ingest/read_docx", "read_html": "ingest/read_html",
    "read_legacy": "ingest/read_legacy", "read_pdf": "ingest/read_pdf", "read_limits": "ingest/read_limits",
    "cleaning": "ingest/cleaning", "structure": "ingest/structure", "chunking": "ingest/chunking",
    "metadata": "ingest/metadata", "places": "ingest/places", "place_tags": "ingest/place_tags",
    # index
    "embedding": "index/embedding", "vectorstore": "index/vectorstore", "lexical": "index/lexical",
    "stores": "index/stores", "manifest": "index/manifest", "reconcile": "index/reconcile",
    "retrieval": "index/retrieval", "ingest": "index/indexer",
    # answer
    "question": "answer/question", "scope": "answer/scope", "lexicon": "answer/lexicon",
    "answer_check": "answer/answer_check", "extractive": "answer/extractive", "citecheck": "answer/citecheck",
    "citeformat": "answer/citeformat", "indicators": "answer/indicators", "llm": "answer/llm",
    "prompts": "answer/prompts",
    # app
    "service": "app/facade", "bootstrap": "app/bootstrap", "cli": "app/cli", "web": "app/web",
    "presenters": "app/presenters", "conversations": "app/conversations", "security": "app/security",
}
# Top-level modules that stay: shared by every stage (base), or entry points.
STAY = {"__init__", "__main__", "config", "types", "textrules", "fakes", "langchain"}

OLD_TO_NEW = {f"assistant.{old}": "assistant." + new.replace("/", ".") for old, new in MOVES.items()}
_NAMES = "|".join(sorted(map(re.escape, MOVES), key=len, reverse=True))
# `assistant.cli` as a module path (not `x.assistant.cli`, not `assistant.ingest(...)`, a call).
MODULE_REF = re.compile(rf"(?<![\w.])assistant\.({_NAMES})(?![\w])(?!\s*\()")
PATH_REF = re.compile(rf"(?<![\w/])assistant/({_NAMES})\.py\b")
TEXT_FILES = ("README.md", "eval/README.md", "pyproject.toml", "Makefile", ".ci/run", ".ci/browser-deps")


def git(*args: str, check: bool = True) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def new_module(old: str) -> str:
    """The module's name after the move (unchanged when it does not move)."""
    for prefix, target in OLD_TO_NEW.items():
        if old == prefix or old.startswith(prefix + "."):
            return target + old[len(prefix):]
    return old


def _sub_text(text: str) -> str:
    text = MODULE_REF.sub(lambda m: OLD_TO_NEW[f"assistant.{m.group(1)}"], text)
    return PATH_REF.sub(lambda m: f"assistant/{MOVES[m.group(1)]}.py", text)


# --- checks before moving ----------------------------------------------------------------------------
def preflight(allow_dirty: bool) -> None:
    problems = []
    if not allow_dirty and git("status", "--porcelain").strip():
        problems.append("the working tree is not clean (commit or stash first, or pass --allow-dirty)")
    top = {p.stem for p in PKG.glob("*.py")}
    unknown = sorted(top - set(MOVES) - STAY)
    if unknown:
        problems.append(f"top-level modules in neither MOVES nor STAY: {', '.join(unknown)}")
    missing = sorted(set(MOVES) - top)
    if missing:
        problems.append(f"modules in MOVES that are not there (already moved?): {', '.join(missing)}")
    clash = sorted(s for s in STAGES if (PKG / s).exists())
    if clash:
        problems.append(f"stage packages already exist: {', '.join(clash)}")
    for old in sorted(set(MOVES) & top):
        if "__file__" in (PKG / f"{old}.py").read_text(encoding="utf-8"):
            problems.append(f"assistant/{old}.py locates files from its own path (__file__): fix that first")
    if problems:
        raise SystemExit("reorganise: refusing to run:\n- " + "\n- ".join(problems))


# --- Python files: imports, strings and comments -----------------------------------------------------
def module_of(path: Path) -> str | None:
    """The dotted module a file under assistant/ is (None outside the package)."""
    rel = path.relative_to(ROOT)
    if rel.parts[0] != "assistant":
        return None
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _offsets(src: str) -> list[int]:
    starts, pos = [0], 0
    for line in src.splitlines(keepends=True):
        pos += len(line)
        starts.append(pos)
    return starts


def _relative(from_package: str, target: str) -> str:
    """`from <this> import` text that names `target` from inside `from_package`."""
    here, there = from_package.split("."), target.split(".")
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    return "." * (len(here) - common + 1) + ".".join(there[common:])


def _import_edit(node: ast.AST, segment: str, old_package: str | None, new_package: str | None,
                 path: Path) -> str | None:
    """The statement rewritten for the new layout, or None when it does not change."""
    if isinstance(node, ast.Import):
        out = segment
        for alias in node.names:
            if alias.name.split(".")[0] == "assistant" and new_module(alias.name) != alias.name:
                out = re.sub(rf"(?<![\w.]){re.escape(alias.name)}(?![\w])", new_module(alias.name), out, count=1)
        return out if out != segment else None
    assert isinstance(node, ast.ImportFrom)
    if node.level:
        if old_package is None:
            return None
        base = old_package.split(".")
        base = base[:len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    elif node.module and node.module.split(".")[0] == "assistant":
        target = node.module
    else:
        return None
    # `from pkg import module` names modules; each must land in the same new package.
    parents = set()
    for alias in node.names:
        full = f"{target}.{alias.name}"
        moved = new_module(full)
        if full in OLD_TO_NEW or moved != full:
            parents.add(moved.rpartition(".")[0])
        else:
            parents.add(new_module(target))
    if len(parents) != 1:
        raise SystemExit(f"{path.relative_to(ROOT)}: `{segment.strip()}` imports modules that now live in "
                         f"different packages ({', '.join(sorted(parents))}): split it by hand first")
    new_target = parents.pop()
    if node.level:
        assert new_package is not None
        header = f"from {_relative(new_package, new_target)} import"
    else:
        header = f"from {new_target} import"
    out = re.sub(r"^from\s+\.*[\w.]*\s+import", header, segment, count=1)
    return out if out != segment else None


def rewrite_python(path: Path, moved_to: dict[Path, Path]) -> tuple[str, list[str]]:
    """The file's new text, and the lines of strings/comments changed (for the report)."""
    src = path.read_text(encoding="utf-8")
    current = moved_to.get(path, path)
    old_mod, new_mod = module_of(path), module_of(current)
    is_package = path.name == "__init__.py"
    old_package = old_mod if is_package else (old_mod.rpartition(".")[0] if old_mod else None)
    new_package = new_mod if is_package else (new_mod.rpartition(".")[0] if new_mod else None)
    starts = _offsets(src)
    edits: list[tuple[int, int, str]] = []
    tree = ast.parse(src)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            a = starts[node.lineno - 1] + node.col_offset
            b = starts[node.end_lineno - 1] + node.end_col_offset  # type: ignore[operator]
            new = _import_edit(node, src[a:b], old_package, new_package, path)
            if new is not None:
                edits.append((a, b, new))
    report = []
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type in (tokenize.STRING, tokenize.COMMENT):
            new = _sub_text(tok.string)
            if new != tok.string:
                a = starts[tok.start[0] - 1] + tok.start[1]
                b = starts[tok.end[0] - 1] + tok.end[1]
                if not any(x <= a < y for x, y, _ in edits):
                    edits.append((a, b, new))
                    report.append(f"{path.relative_to(ROOT)}:{tok.start[0]}: {new.strip()[:110]}")
    for a, b, new in sorted(edits, reverse=True):
        src = src[:a] + new + src[b:]
    return src, report


# --- README's tree --------------------------------------------------------------------------------------
def regroup_tree(readme: str) -> str:
    """The fenced tree under "## 结构", its module lines grouped under their new packages."""
    head = readme.find("## 结构")
    if head < 0:
        return readme
    start = readme.index("```\n", head) + 4
    end = readme.index("```", start)
    lines = readme[start:end].splitlines()
    if not lines or lines[0].strip() != "assistant/":
        raise SystemExit("README.md: the 结构 block does not start with assistant/")
    items: list[list[str]] = []
    for line in lines[1:]:
        if line.startswith("  ") and not line.startswith("   "):
            items.append([line])
        elif items:
            items[-1].append(line)
    groups: dict[str, list[list[str]]] = {"": []}
    for item in items:
        names = re.match(r"\s+([\w./]+(?:,\s*[\w./]+)*)", item[0]).group(1)  # type: ignore[union-attr]
        first = names.split(",")[0].strip()
        if first.endswith("/"):
            groups.setdefault(first.rstrip("/"), []).insert(0, item)
            continue
        stem = first.removesuffix(".py")
        if stem in STAY:
            groups[""].append(item)
            continue
        if stem not in MOVES:
            raise SystemExit(f"README.md: the 结构 tree lists {first}, which is in neither MOVES nor STAY")
        package = MOVES[stem].split("/")[0]
        renamed = item[0]
        for name in (n.strip() for n in names.split(",")):
            s = name.removesuffix(".py")
            if s in MOVES and MOVES[s].split("/")[0] != package:
                raise SystemExit(f"README.md: one tree line lists modules of two stages: {names}")
            if s in MOVES:
                new_name = MOVES[s].split("/")[1] + ".py"
                # The description keeps its column: the spaces after a renamed file absorb the difference.
                renamed = re.sub(rf"(?<![\w/]){re.escape(name)}( *)",
                                 lambda m, n=new_name, old=name: n + " " * max(2 if m.group(1) else 0,
                                                                                len(m.group(1)) + len(old) - len(n)),
                                 renamed, count=1)
        groups.setdefault(package, []).append(["  " + ln for ln in [renamed, *item[1:]]])
    out = ["assistant/"]
    for item in groups.pop(""):
        out += item
    for package in TREE_ORDER:
        members = groups.pop(package, [])
        if package in STAGES:
            out.append(f"  {package + '/':<16}{STAGES[package][1]}")
        for item in members:
            out += item
    if groups:
        raise SystemExit(f"README.md: tree entries left over: {sorted(groups)}")
    note = ("\n\n依赖只能由上往下：顶层模块（config、types、textrules、fakes）< ingest < index < answer < drafting、evaluation "
            "< app；\n每个阶段只导入自己和排在前面的阶段，drafting 与 evaluation 互不导入，`tests/test_import_graph.py` "
            "检查这一点（也检查没有循环导入）。")
    rest = readme[end:]
    fence_end = rest.index("\n") if "\n" in rest else len(rest)
    if "依赖只能由上往下" not in rest:
        rest = rest[:fence_end] + note + rest[fence_end:]
    return readme[:start] + "\n".join(out) + "\n" + rest


# --- the layer rules ---------------------------------------------------------------------------------------
LAYER_TESTS = '''

# --- the layers -----------------------------------------------------------------------------------
# base (config, types, textrules, fakes) < ingest < index < answer < drafting, evaluation < app.
# Each module imports only its own stage and those before it; drafting and evaluation import neither
# each other nor app; the entry points (the package itself, __main__, langchain) are imported by none.
LAYERS = {"ingest": 1, "index": 2, "answer": 3, "drafting": 4, "evaluation": 4, "app": 5}
BASE = {"assistant.config", "assistant.types", "assistant.textrules", "assistant.fakes"}
ENTRY_POINTS = {"assistant", "assistant.__main__", "assistant.langchain"}


def stage_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in LAYERS:
        return parts[1]
    return "entry" if module in ENTRY_POINTS else "base"


def test_every_top_level_module_is_base_or_an_entry_point():
    top = {m for m in import_graph() if m.count(".") == 1 and m.split(".")[1] not in LAYERS}
    assert top == (BASE | ENTRY_POINTS) - {"assistant"}


def test_each_stage_imports_only_its_own_and_earlier_stages():
    level = {"base": 0, **LAYERS}
    offenders = {}
    for module, deps in import_graph().items():
        stage = stage_of(module)
        if stage == "entry":
            continue
        bad = sorted(d for d in deps if stage_of(d) == "entry" or (stage_of(d) != stage and (
            level[stage_of(d)] >= level[stage] if stage != "base" else True)))
        if bad:
            offenders[module] = bad
    assert offenders == {}


def test_nothing_below_the_app_layer_imports_it():
    offenders = {m: sorted(d for d in deps if stage_of(d) == "app") for m, deps in import_graph().items()
                 if stage_of(m) not in ("app", "entry") and any(stage_of(d) == "app" for d in deps)}
    assert offenders == {}


def test_the_pipeline_stages_import_no_drafting_evaluation_or_app():
    late = {"drafting", "evaluation", "app"}
    offenders = {m: sorted(d for d in deps if stage_of(d) in late) for m, deps in import_graph().items()
                 if stage_of(m) in ("base", "ingest", "index", "answer") and any(stage_of(d) in late for d in deps)}
    assert offenders == {}


def test_the_stages_form_no_cycle_either():
    stages: dict[str, set[str]] = {}
    for module, deps in import_graph().items():
        stages.setdefault(stage_of(module), set()).update(stage_of(d) for d in deps if stage_of(d) != stage_of(module))
    assert find_cycle(stages) is None, " → ".join(find_cycle(stages) or [])
'''

OLD_APP_TEST = re.compile(
    r"\n\ndef test_nothing_below_the_app_layer_imports_it\(\):\n(?:    .*\n|\n(?=    ))*", re.M)


def add_layer_tests(text: str) -> str:
    if "def stage_of(" in text:
        return text
    text = re.sub(r'^APP_LAYER = .*\nAPP_MODULES = .*\n', "", text, flags=re.M)
    text = OLD_APP_TEST.sub("\n", text).rstrip("\n") + "\n"
    text = text.replace("no import cycle between modules, and only the app layer (cli, web) imports the app layer.",
                        "no import cycle between modules, and each stage imports only the stages below it.")
    return text + LAYER_TESTS


# --- the run -------------------------------------------------------------------------------------------------
def plan() -> list[tuple[Path, Path]]:
    return [(PKG / f"{old}.py", PKG / f"{new}.py") for old, new in MOVES.items()]


def tracked_python() -> list[Path]:
    files = [ROOT / f for f in git("ls-files", "*.py").splitlines()]
    return [f for f in files if f.exists() and f.resolve() != SELF and "mutants" not in f.parts]


def verify() -> list[str]:
    """Every `assistant.*` import names an existing module or package; every file parses."""
    problems = []
    for path in tracked_python():
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError as exc:
            problems.append(f"{path.relative_to(ROOT)}: {exc}")
            continue
        mod = module_of(path)
        package = (mod if path.name == "__init__.py" else mod.rpartition(".")[0]) if mod else None
        for node in ast.walk(tree):
            targets: list[str] = []
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.split(".")[0] == "assistant"]
            else:
                if node.level and package:
                    base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                    targets = [".".join(base + ([node.module] if node.module else []))]
                elif node.module and node.module.split(".")[0] == "assistant":
                    targets = [node.module]
            for t in targets:
                rel = Path(*t.split("."))
                if t == "assistant.prompt_templates":
                    continue
                if not ((ROOT / rel).with_suffix(".py").exists() or (ROOT / rel / "__init__.py").exists()):
                    problems.append(f"{path.relative_to(ROOT)}:{node.lineno}: no module {t}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--commit", action="store_true")
    ap.add_argument("--allow-dirty", action="store_true")
    ap.add_argument("--quiet", action="store_true", help="do not list the string and comment rewrites")
    args = ap.parse_args(argv)
    moves = plan()
    if args.dry_run:
        for a, b in moves:
            print(f"{a.relative_to(ROOT)} -> {b.relative_to(ROOT)}")
        return 0
    preflight(args.allow_dirty)
    # Rewrite first (each file read at its old place, rewritten for its new one), then move.
    moved_to = dict(moves)
    report: list[str] = []
    for path in tracked_python():
        new_text, changed = rewrite_python(path, moved_to)
        report += changed
        if new_text != path.read_text(encoding="utf-8"):
            path.write_text(new_text, encoding="utf-8")
    for stage, (doc, _) in STAGES.items():
        (PKG / stage).mkdir(exist_ok=True)
        (PKG / stage / "__init__.py").write_text(f'"""{doc}"""\n', encoding="utf-8")
    for a, b in moves:
        git("mv", str(a.relative_to(ROOT)), str(b.relative_to(ROOT)))
    git("add", *(str((PKG / s / "__init__.py").relative_to(ROOT)) for s in STAGES))
    for name in TEXT_FILES:
        path = ROOT / name
        if path.exists():
            text = path.read_text(encoding="utf-8")
            new = _sub_text(text)
            if name == "README.md":
                new = regroup_tree(new)
            if new != text:
                path.write_text(new, encoding="utf-8")
    graph_test = ROOT / "tests" / "test_import_graph.py"
    if graph_test.exists():
        graph_test.write_text(add_layer_tests(graph_test.read_text(encoding="utf-8")), encoding="utf-8")
    # Relative imports now sort differently (`..config` before `.cli`): let the linter re-sort them.
    sort = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "I", "--fix", "--quiet",
                           "assistant", "tests", "eval"], cwd=ROOT, capture_output=True, text=True)
    if sort.returncode != 0:
        print(f"ruff could not sort the imports (is it installed?):\n{sort.stdout}{sort.stderr}", file=sys.stderr)
    problems = verify()
    if not args.quiet:
        print("Strings and comments rewritten (check these read right):")
        print("\n".join(f"  {line}" for line in report) or "  (none)")
    if problems:
        print("Problems:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    git("add", "-A", *(p for p in ("assistant", "tests", "eval", "tools", ".ci", *TEXT_FILES) if (ROOT / p).exists()))
    print(f"Moved {len(moves)} modules into {', '.join(f'assistant/{s}/' for s in STAGES)}; changes staged.")
    if args.commit:
        git("commit", "-q", "-m", "Package layout shows the stages: assistant/{ingest,index,answer,app}/ "
            "(tools/reorganise.py: git mv + rewritten imports, module paths, README tree, layer tests)")
        print(git("log", "--oneline", "-1").strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
