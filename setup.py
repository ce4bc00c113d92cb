"""Only the package list, which pyproject.toml cannot express: every `assistant*` package on
disk (data folders included) plus `assistant.prompt_templates`, which lives in the top-level
prompts/ folder (mapped in pyproject.toml's [tool.setuptools.package-dir])."""
from setuptools import find_namespace_packages, setup

PACKAGES = find_namespace_packages(include=["assistant", "assistant.*"], exclude=["*__pycache__*"])
setup(packages=[*PACKAGES, "assistant.prompt_templates"])
