"""The package's layering, read from the source with ast (nothing is imported):
no import cycle between modules, and only the app layer (cli, web) imports the app layer.
Imports under `if TYPE_CHECKING:` are annotations only and do not count."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "assistant"
APP_LAYER = {"assistant.cli", "assistant.web", "assistant.__main__"}
APP_MODULES = {"assistant.cli", "assistant.web"}


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
    assert "assistant.service" in graph and "assistant.config" in graph["assistant.service"]
    assert find_cycle(graph) is None, " → ".join(find_cycle(graph) or [])


def test_nothing_below_the_app_layer_imports_it():
    offenders = {name: sorted(deps & APP_MODULES) for name, deps in import_graph().items()
                 if name not in APP_LAYER and deps & APP_MODULES}
    assert offenders == {}
