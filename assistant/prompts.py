"""Prompt files in prompts/: a front matter that declares the variables, then the template.
Rendering checks that exactly the declared variables are given."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


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


def load_prompt(prompts_dir: Path, name: str) -> Prompt:
    path = Path(prompts_dir) / f"{name}.md"
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


def all_prompts(prompts_dir: Path) -> list[Prompt]:
    return [load_prompt(prompts_dir, p.stem) for p in sorted(Path(prompts_dir).glob("*.md"))]
