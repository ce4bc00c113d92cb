"""Term lexicon: official terms and the everyday or older wordings people use for them
(零就业家庭 ↔ 家里没人就业). Package data `data/lexicon.tsv`, plus an optional user file of the
same format (Settings.lexicon_path). Used to expand queries and to judge whether a quote is about
what the question asks: a question in everyday words is read as the official term."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

# A question is read in at most this many official wordings.
MAX_READINGS = 6


@dataclass(frozen=True)
class Lexicon:
    # (official, variants), longest variants first so 家里没人就业 is read before 就业.
    entries: tuple[tuple[str, tuple[str, ...]], ...]

    @cached_property
    def _pairs(self) -> tuple[tuple[str, str], ...]:
        """(wording, official term), longest wording first; sorted once, read for every candidate."""
        return tuple(sorted(((v, o) for o, vs in self.entries for v in vs), key=lambda x: -len(x[0])))

    @cached_property
    def _first_official(self) -> dict[str, str]:
        """Each wording's first listed official term."""
        first: dict[str, str] = {}
        for o, vs in self.entries:
            for v in vs:
                first.setdefault(v, o)
        return first

    def official_form(self, text: str) -> str:
        """The text with every everyday wording replaced by its official term."""
        for variant, official in self._pairs:
            if variant in text and official not in text:
                text = text.replace(variant, official)
        return text

    def official_forms(self, text: str) -> list[str]:
        """Every official reading of the text: a wording some documents give one official term and
        others another (中考: 初中毕业升学考试 / 高中阶段学校招生考试) is read each way."""
        first = self.official_form(text)
        out = [first]
        for v, official in self._pairs:
            if v in text and official not in text and official not in first:
                out.append(self.official_form(text.replace(v, official)))
        return list(dict.fromkeys(out))[:MAX_READINGS]

    def expand(self, text: str) -> str:
        """The text, followed by the official terms its everyday wordings stand for (for retrieval)."""
        # One official term per wording (the first listed): a wording with several (中考) would
        # otherwise pull the search towards every one of them at once.
        extra = list(dict.fromkeys(o for v, o in self._first_official.items() if v in text and o not in text))
        return text + (" " + " ".join(extra) if extra else "")

    def variants(self, term: str) -> tuple[str, ...]:
        """Other wordings of an official term (the term itself not included)."""
        return next((vs for o, vs in self.entries if o == term), ())


def parse(text: str) -> list[tuple[str, tuple[str, ...]]]:
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        official, _, variants = line.partition("\t")
        vs = tuple(v.strip() for v in variants.replace("，", ",").split(",") if v.strip())
        if official.strip() and vs:
            out.append((official.strip(), vs))
    return out


@lru_cache(maxsize=8)
def load_lexicon(user_path: str | None = None) -> Lexicon:
    entries = parse(resources.files("assistant").joinpath("data/lexicon.tsv").read_text(encoding="utf-8"))
    if user_path:
        path = Path(user_path)
        if not path.is_file():
            raise FileNotFoundError(f"术语表文件不存在：{path}")
        entries += parse(path.read_text(encoding="utf-8"))
    return Lexicon(tuple(entries))
