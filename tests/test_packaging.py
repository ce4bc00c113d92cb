"""The built wheel is a complete program: installed into a fresh venv and run from a folder
outside the checkout, it has every prompt and data file and its console script works."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from assistant.config import REPO_ROOT

SOURCES = ("setup.py", "pyproject.toml", "README.md", "assistant", "prompts")

CHECK = r"""
import json, sys
from importlib import resources
import assistant
from assistant.answer.prompts import all_prompts, prompt_folder
from assistant.ingest.places import find_places
prompts = {p.name: p.render(**{v: f"<{v}>" for v in p.variables}) for p in all_prompts()}
data = sorted(f.name for f in resources.files("assistant").joinpath("data").iterdir() if f.is_file())
sizes = {n: len(resources.files("assistant").joinpath("data", n).read_bytes()) for n in data}
print(json.dumps({"package": assistant.__file__, "folder": str(prompt_folder()), "prompts": prompts,
                  "data": sizes, "places": [p.name for p in find_places("北京市海淀区")]}, ensure_ascii=False))
"""


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


@pytest.mark.slow
def test_wheel_installs_and_renders_every_prompt_outside_the_checkout(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        item = REPO_ROOT / name
        if item.is_dir():
            shutil.copytree(item, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(item, src / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    _run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "-q",
          "-w", str(tmp_path / "dist")], src, env)
    wheel = next((tmp_path / "dist").glob("assistant-*.whl"))

    # A fresh venv that borrows the installed dependencies from this one through a .pth line
    # (a plain path: this venv's editable install of the checkout is not picked up).
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env)
    py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path, env).strip())
    (site / "parent-deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-build-isolation",
          "-q", str(wheel)], tmp_path, env)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = json.loads(_run([str(py), "-c", CHECK], elsewhere, env))
    assert Path(out["package"]).is_relative_to(venv)
    # a namespace package: importlib.resources names it MultiplexedPath('…/assistant/prompt_templates')
    assert str(venv / "lib") in out["folder"] or str(venv / "Lib") in out["folder"]
    assert "prompt_templates" in out["folder"]
    shipped = sorted(p.stem for p in (REPO_ROOT / "prompts").glob("*.md"))
    assert sorted(out["prompts"]) == shipped and "answer" in shipped
    assert "<question>" in out["prompts"]["answer"] and "<passages>" in out["prompts"]["answer"]
    data = {p.name: p.stat().st_size for p in (REPO_ROOT / "assistant" / "data").iterdir() if p.is_file()}
    assert out["data"] == data and "places.tsv" in data
    assert out["places"][:1] == ["北京市"]

    script = venv / ("Scripts/assistant.exe" if os.name == "nt" else "bin/assistant")
    env_app = dict(env, ASSISTANT_EMBEDDER="hash", ASSISTANT_DATA_DIR=str(tmp_path / "data"))
    assert "文档库为空" in _run([str(script), "docs"], elsewhere, env_app)


def test_prompt_folder_override_and_checkout_default(tmp_path):
    from assistant.answer.prompts import all_prompts, load_prompt, prompt_folder
    assert prompt_folder() == REPO_ROOT / "prompts"  # a source checkout reads its own prompts/
    (tmp_path / "answer.md").write_text("---\nname: answer\nvariables: [question]\n---\n问：{question}\n",
                                        encoding="utf-8")
    assert prompt_folder(tmp_path) == tmp_path
    assert load_prompt(tmp_path, "answer").render(question="几所?") == "问：几所?\n"
    assert [p.name for p in all_prompts(tmp_path)] == ["answer"]
    with pytest.raises(FileNotFoundError, match="找不到提示词文件 draft_section.md"):
        load_prompt(tmp_path, "draft_section")
