"""The drafter's data files (assistant/data/draft_*): formulations and their era, fixed phrases
for spotting OCR damage, domains of multi-domain plans, instruction words. Loaded once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("assistant").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class Formulation:
    text: str
    current_from: int
    current_to: int
    successor: str

    def stale_for(self, year_from: int) -> bool:
        return year_from > self.current_to


@lru_cache(maxsize=1)
def formulations() -> tuple[Formulation, ...]:
    out = []
    for line in _lines("draft_formulations.tsv"):
        text, a, b, successor = (line.split("\t") + ["", "", "", ""])[:4]
        out.append(Formulation(text.strip(), int(a), int(b), successor.strip()))
    return tuple(sorted(out, key=lambda f: -len(f.text)))


@lru_cache(maxsize=1)
def fixed_phrases() -> tuple[str, ...]:
    return tuple(line.strip() for line in _lines("draft_fixed_phrases.txt"))


@lru_cache(maxsize=1)
def instruction_words() -> tuple[str, ...]:
    return tuple(sorted((line.strip() for line in _lines("draft_instruction_words.txt")), key=len, reverse=True))


@dataclass(frozen=True)
class Domain:
    name: str
    subtopic: str
    words: tuple[str, ...]


@lru_cache(maxsize=1)
def domains() -> tuple[Domain, ...]:
    out = []
    for line in _lines("draft_domains.tsv"):
        name, sub, words = (line.split("\t") + ["", "", ""])[:3]
        out.append(Domain(name.strip(), sub.strip(), tuple(words.split())))
    return tuple(out)


def domain_words(name: str) -> tuple[str, ...]:
    """Words naming a domain or a subtopic (教育 -> 教育 学前教育 幼儿园 …; 学前教育 -> 学前教育 幼儿园 入园)."""
    rows = [d for d in domains() if d.name == name] or [d for d in domains() if d.subtopic == name]
    words = [name]
    for d in rows:
        for w in (d.subtopic, *d.words):
            if w not in words:
                words.append(w)
    return tuple(words)


@lru_cache(maxsize=1)
def section_words() -> dict[str, tuple[str, ...]]:
    """Role -> words (closing, tasks, goals, heading_noise) from data/draft_section_words.tsv."""
    out: dict[str, tuple[str, ...]] = {}
    for line in _lines("draft_section_words.tsv"):
        role, words = (line.split("\t") + ["", ""])[:2]
        out[role.strip()] = tuple(words.split())
    return out


@lru_cache(maxsize=1)
def section_roles() -> dict[str, int]:
    """Heading -> role number, from data/draft_section_roles.tsv (总体要求 and 总体思路 share one)."""
    out: dict[str, int] = {}
    for k, line in enumerate(_lines("draft_section_roles.tsv")):
        for word in line.split():
            out.setdefault(word, k)
    return out
