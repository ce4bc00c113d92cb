"""Keep template facts out of the new county's plan.

Replaced: the template's own region (金普新区, and 新区 / 全区 that stand for it) by the new
county; other proper place names (大连市, 辽宁省, 金州区, 长三角 …: jieba's place tags ending in
省/市/区/县, and the multi-province regions) by 【所在地区】 placeholders; document numbers by
【文号】; enumerations of schools or projects by 【项目名称待补充】; target values (numbers
with %, units or after 达到/不低于/至少) by 【目标值待定】; target years by the new plan's end year.
Every replacement is recorded so the draft can list what it changed."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from ..ingest.place_tags import place_names
from ..textrules import DOC_NUMBER_LOOSE, NUMBER
from ..types import Document
from .model import Replacement

# A 文号 with the brackets around it, if any: （国发〔2017〕9号） goes as a whole.
DOC_NUMBER = re.compile(rf"[（(]?{DOC_NUMBER_LOOSE.pattern}[）)]?")
DATE = re.compile(r"(?:20\d{2}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]|(?:20\d{2}\s*年\s*)?\d{1,2}\s*月(?:份|底|初|中旬|上旬|下旬)?")
ANY_YEAR = re.compile(r"(20\d{2}|19\d{2})(?=\s*(?:年|学年|级|届))")
PROJECT_LIST = re.compile(r"((?:[^,，。:：;；、]{2,30}、)+[^,，。:：;；、]{2,30}?)(等项目)")
NAMED_PLACES = re.compile(r"((?:[^,，。:：;；、]{2,30}(?:学校|中学|小学|初中|幼儿园|校区|分校|医院)[^,，。:：;；、]{0,8}、)+"
                          r"[^,，。:：;；、]{2,30}?)(等)")
TARGET_VALUE = re.compile(
    rf"(?:(?<=达到)|(?<=不低于)|(?<=不少于)|(?<=至少)|(?<=至少有)|(?<=提高到)|(?<=超过)|(?<=控制在))\s*{NUMBER.pattern}\s*[%‰％]?"
    rf"|{NUMBER.pattern}\s*[%‰％][o0]?")
PER_CENT = re.compile(rf"{NUMBER.pattern}\s*[%‰]")
TARGET_YEAR = re.compile(r"(到|至)\s*(20\d{2})\s*年")
FIVE_YEAR = re.compile(r"[“”\"]?十[二三四五六]五[”“\"]?")


@lru_cache(maxsize=1)
def abbreviated_place() -> re.Pattern:
    """来沪/在穗/赴京: a one-character place name after a verb of moving or staying."""
    from importlib import resources
    text = resources.files("assistant").joinpath("data/draft_place_abbreviations.txt").read_text(encoding="utf-8")
    chars = "".join(w for line in text.splitlines() if not line.startswith("#") for w in line.split())
    return re.compile(f"([来在赴驻留离返])([{chars}])(?=务工|人员|就读|居住|定居|落户|学习|工作|创业)")


def five_year_label(year_from: int, year_to: int) -> str:
    names = {2016: "十三五", 2021: "十四五", 2026: "十五五", 2031: "十六五"}
    for start, name in names.items():
        if start <= year_from and year_to <= start + 4:
            return f"“{name}”"
    return f"{year_from}—{year_to}年"


def template_places(docs: Iterable[Document], names: list[str], regions: list[str]) -> list[str]:
    """Proper place names used by the templates, longest first: the names ingest tagged in each
    document (tagged now for a document ingested before ingest kept them), and the places of the
    templates' titles and own regions."""
    found = {r for r in regions if r}
    for doc in docs:
        found |= set(doc.places) if doc.places is not None else place_names(doc.text)
    for name in names:
        found |= place_names(name)
    return sorted(found, key=lambda n: (-len(n), n))   # longest first; ties in a fixed order


class FactScrubber:
    def __init__(self, county: str, year_from: int, year_to: int, own_regions: list[str], places: list[str]) -> None:
        self.county, self.year_from, self.year_to = county, year_from, year_to
        self.own_regions = [r for r in own_regions if r]
        self.places = [p for p in places if p not in self.own_regions]
        self.log: Counter = Counter()

    def scrub(self, text: str, doc_year: int | None = None, doc_level: str | None = None) -> str:
        def sub(pattern, repl, kind, s, flags=0):
            def f(m):
                new = repl(m) if callable(repl) else repl
                if new != m.group(0):
                    self.log[(m.group(0), new, kind)] += 1
                return new
            return re.sub(pattern, f, s, flags=flags)

        text = sub(DOC_NUMBER, "【文号】", "doc_number", text)
        text = sub(abbreviated_place(), lambda m: m.group(1) + "【所在地区】", "place", text)
        if "项目" in text or "建设" in text:
            text = sub(PROJECT_LIST, lambda m: "【项目名称待补充】" + m.group(2), "project", text)
            text = sub(NAMED_PLACES, lambda m: "【项目名称待补充】" + m.group(2), "project", text)
        for place in self.places:
            text = sub(re.escape(place), "【所在地区】", "place", text)
        for region in self.own_regions:
            text = sub(re.escape(region), self.county, "place", text)
            if region.endswith("新区"):
                text = sub(r"(?<![\u4e00-\u9fff]{2}[市省])新区(?!建设)", self.county, "place", text)
        whole = "全" + self.county[-1] if self.county[-1] in "区县市镇" else "全县"
        # 全区/全县 (and 全市 in a city's own plan) mean the template's whole place: the new county.
        text = sub(r"全[区县市](?![委政])" if doc_level == "市" else r"全[区县](?![委政])", whole, "place", text)
        text = sub(TARGET_YEAR, lambda m: f"{m.group(1)}{self.year_to}年", "year", text)
        text = sub(FIVE_YEAR, lambda m: five_year_label(self.year_from, self.year_to), "year", text)
        text = sub(TARGET_VALUE, "【目标值待定】", "target", text)
        # Every other number in a template is a local fact of its place and year: dates, the
        # template's own year, quotas, scores, class sizes. The new plan gets placeholders.
        text = sub(DATE, "【日期待定】", "date", text)
        keep = {str(self.year_from), str(self.year_to)}

        def year(m: re.Match) -> str:
            if m.group(1) in keep:
                return m.group(1)
            if doc_year and int(m.group(1)) == doc_year:
                return str(self.year_from)
            return "【年份待定】"
        text = sub(ANY_YEAR, year, "year", text)
        parts = re.split(r"(【[^】]*】|[（(]?\d+[）)]?(?=[、．]|\.(?!\d)))", text)
        for i in range(0, len(parts), 2):
            parts[i] = sub(NUMBER, lambda m: m.group(0) if m.group(0) in keep else "【数值待定】", "number",
                           parts[i])
        return "".join(parts)

    def replacements(self) -> list[Replacement]:
        return [Replacement(o, n, k, c) for (o, n, k), c in sorted(self.log.items(), key=lambda x: (x[0][2], x[0][0]))]


def leaked_facts(text: str, places: list[str], template_numbers: set[str]) -> list[str]:
    """Template place names and template target values that appear in the new plan's own text."""
    leaks = [p for p in places if p in text]
    for m in PER_CENT.finditer(text):
        if m.group(0).replace(" ", "") in template_numbers:
            leaks.append(m.group(0))
    return leaks


def template_target_numbers(texts: list[str]) -> set[str]:
    out = set()
    for t in texts:
        out |= {m.replace(" ", "") for m in PER_CENT.findall(t)}
    return out
