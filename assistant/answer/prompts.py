"""Prompt files in prompts/: a front matter that declares the variables, then the template.
Rendering checks that exactly the declared variables are given.

Where the files come from: an explicit folder (`Settings.prompts_dir`) if one is set; else the
prompts/ folder of a source checkout (so edits show at once); else the copy shipped inside the
installed package as `assistant.prompt_templates` (see pyproject.toml), read with importlib.resources."""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ..config import REPO_ROOT as _CHECKOUT

PACKAGE = "assistant.prompt_templates"


@dataclass(frozen=True)
class Prompt:
    name: str
    variables: tuple[str, ...]
    template: str

    def render(self, **values: str) -> str:
        missing = set(self.variables) - set(values)
        extra = set(values) - set(self.variables)
        if missing or extra:
            raise ValueError(f"提示词 {self.name}：缺少变量 {sorted(missing)}，多余变量 {sorted(extra)}")
        return self.template.format(**values)


def prompt_folder(prompts_dir: Path | str | None = None) -> Traversable:
    """The folder the prompt files are read from (see the module docstring for the order)."""
    if prompts_dir is not None:
        return Path(prompts_dir)
    checkout = _CHECKOUT / "prompts"
    if (_CHECKOUT / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return resources.files(PACKAGE)


def load_prompt(prompts_dir: Path | str | None, name: str) -> Prompt:
    path = prompt_folder(prompts_dir) / f"{name}.md"
    if not path.is_file():
        raise FileNotFoundError(f"找不到提示词文件 {name}.md（{prompt_folder(prompts_dir)}）")
    text = path.read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S)
    if not m:
        raise ValueError(f"{path} 缺少变量声明头")
    head, body = m.group(1), m.group(2)
    vm = re.search(r"variables:\s*\[(.*?)\]", head)
    variables = tuple(v.strip() for v in vm.group(1).split(",") if v.strip()) if vm else ()
    used = set(re.findall(r"(?<!\{)\{(\w+)\}(?!\})", body))
    if used != set(variables):
        raise ValueError(f"{path}：声明的变量 {sorted(variables)} 与模板中使用的 {sorted(used)} 不一致")
    return Prompt(name=name, variables=variables, template=body)


def all_prompts(prompts_dir: Path | str | None = None) -> list[Prompt]:
    names = sorted(p.name[:-3] for p in prompt_folder(prompts_dir).iterdir() if p.name.endswith(".md"))
    return [load_prompt(prompts_dir, name) for name in names]
