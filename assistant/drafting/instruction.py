"""The 起草要求 read offline: which sections to keep (只写/仅保留 …), in what order (依次/顺序 …),
and which topics to add (any other phrase: 医养结合, 家庭医生签约服务)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .align import Item, similarity
from .lexicon import instruction_words

ONLY = re.compile(r"只写|仅写|只保留|仅保留|只包括|仅包括|只需")
ORDER = re.compile(r"依次|顺序|先写|按.{0,6}排列")
NOISE = re.compile(r"\d|范本|提纲|县|区|市|年|待定|未涉及|文件|一级|二级|三级")
MAX_TOPICS = 6
SPLIT = re.compile(r"[，。；、,.;：:\n“”\"‘’（）()《》]|以及|和|及|与|并且|并")


@dataclass(frozen=True)
class Instruction:
    text: str
    phrases: tuple[str, ...]
    only: tuple[str, ...]        # the phrases of a 只写/仅保留 clause: the sections to keep
    ordered: bool

    def matches(self, item: Item, phrases: tuple[str, ...] | None = None) -> list[int]:
        """Indexes of the phrases that name this item."""
        return [i for i, p in enumerate(self.phrases if phrases is None else phrases)
                if similarity(p, item.title) >= 0.9 or any(similarity(p, n.title) >= 0.9 for n in item.members)]

    def select(self, items: list[Item]) -> list[Item]:
        """Keeps only the named sections (with their parents) when asked to; orders the named
        top-level sections as named when asked to."""
        if self.only:
            kept = self._keep(items)
            if kept:          # a 只写… that names no section of this outline selects nothing
                items = kept
        if self.ordered:
            named = [(min(self.matches(it)), k) for k, it in enumerate(items) if self.matches(it)]
            slots = sorted(k for _, k in named)
            reordered = [items[k] for _, k in sorted(named)]
            out = list(items)
            for slot, it in zip(slots, reordered):
                out[slot] = it
            items = out
        return items

    def _keep(self, items: list[Item]) -> list[Item]:
        out = []
        for it in items:
            if self.matches(it, self.only):
                out.append(it)
                continue
            kids = self._keep(it.children)
            if kids:
                it.children = kids
                out.append(it)
        return out

    @property
    def topics(self) -> tuple[str, ...]:
        return self.phrases


def read_instruction(text: str) -> Instruction:
    text = text or ""
    only: tuple[str, ...] = ()
    for clause in re.split(r"[。；;！\n]", text):
        m = ONLY.search(clause)
        if m:
            only += _phrases(clause[m.start():])
    return Instruction(text, _phrases(text), only, bool(ORDER.search(text)))


def _phrases(text: str) -> tuple[str, ...]:
    phrases: list[str] = []
    for part in SPLIT.split(text):
        for w in instruction_words():
            part = part.replace(w, " ")
        for piece in part.split():
            piece = piece.strip("的之等了是在")
            if 2 <= len(piece) <= 12 and re.search(r"[\u4e00-\u9fff]{2}", piece) and not NOISE.search(piece) \
                    and piece not in phrases:
                phrases.append(piece)
    return tuple(phrases[:MAX_TOPICS])
