"""Domains a multi-domain plan can be limited to (`--domains`), read from data/draft_domains.tsv.
Kept as `DOMAINS` (domain -> Topic with subtopics) for the web page's choice list."""
from __future__ import annotations

from dataclasses import dataclass

from .lexicon import domains


@dataclass(frozen=True)
class Topic:
    title: str
    keywords: tuple[str, ...]
    subtopics: tuple[Topic, ...] = ()


def _load() -> dict[str, Topic]:
    out: dict[str, list[Topic]] = {}
    for d in domains():
        out.setdefault(d.name, [])
        if d.subtopic != d.name:
            out[d.name].append(Topic(d.subtopic, d.words))
    return {name: Topic(name, (name,), tuple(subs)) for name, subs in out.items()}


DOMAINS: dict[str, Topic] = _load()
