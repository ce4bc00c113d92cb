"""The package's layering, read from the source with ast (nothing is imported):
no import cycle between modules, and each stage imports only the stages below it.
Imports under `if TYPE_CHECKING:` are annotations only and do not count."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "assistant"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def _runtime_imports(tree: ast.AST):
    """Import nodes anywhere (function bodies too: a lazy import still runs), except under TYPE_CHECKING."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of this package that `name` imports at run time."""
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()

    def add(target: str) -> None:
        # The deepest module of ours that the dotted name names (a.b.func -> a.b).
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)

    for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "assistant":
                    add(alias.name)
        else:
            if node.level:
                base = here
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                base = f"{base}.{node.module}" if node.module else base
            elif node.module and node.module.split(".")[0] == "assistant":
                base = node.module
            else:
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                add(sub if sub in modules else base)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def test_the_graph_reader_sees_relative_lazy_and_type_checking_imports(tmp_path):
    modules = {"assistant": tmp_path / "__init__.py", "assistant.a": tmp_path / "a.py",
               "assistant.b": tmp_path / "b.py", "assistant.sub": tmp_path / "sub" / "__init__.py",
               "assistant.sub.c": tmp_path / "sub" / "c.py"}
    src = tmp_path / "sub" / "c.py"
    src.parent.mkdir()
    src.write_text("from typing import TYPE_CHECKING\nfrom .. import a\nimport json\n"
                   "if TYPE_CHECKING:\n    from ..b import X\n"
                   "def f():\n    from assistant.b import Y\n    from . import nothing_here\n", encoding="utf-8")
    assert imports_of("assistant.sub.c", src, modules) == {"assistant.a", "assistant.b", "assistant.sub"}
    src.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..b import X\n", encoding="utf-8")
    assert imports_of("assistant.sub.c", src, modules) == set()
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_package_has_no_import_cycle():
    graph = import_graph()
    assert "assistant.app.facade" in graph and "assistant.config" in graph["assistant.app.facade"]
    assert find_cycle(graph) is None, " → ".join(find_cycle(graph) or [])


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
