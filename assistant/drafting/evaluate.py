"""An evaluator of drafts that does not trust the drafter: it reads the exported .docx (what the
official gets), the request, and the templates' plain text, and shares no code with the drafting
modules (it imports none of them).

Measures, per draft:
- must-have coverage: a request lists what an official requires (“招生对象|入学条件”: any of the
  alternatives); covered when one appears in a heading or in the body. Also reported: covered with
  content (not only as a 范本未涉及 heading).
- copied share: body sentences sharing a run of >= 20 characters with any template.
- leaked template facts: template place names and template numbers (with their unit) in the new
  document's own text; the requested place and years are not leaks.
- cut sentences: a body sentence that does not end, ends on a connective (的。和。、。), has
  unbalanced brackets or quotes, or whose ending is, in every template that has it, followed by
  more of the same sentence.
- stale formulations unflagged: formulations past their era for the plan's first year
  (data/draft_formulations.tsv) in a sentence that carries no 【…待更新…】 mark.
- garbled unmarked: sentences that look OCR-damaged (92.以上, 五位体) without a 【…识别…】 mark.
- section fit: body sentences found in a template under a heading that shares words with the
  draft's heading, or that share words with the heading themselves.
Pass: coverage >= 0.9, leaks 0, cut 0, stale unflagged 0."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

WINDOW = 20
HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）|\d{1,2}[.．]|（\d{1,2}）)")
ANNEX = re.compile(r"^(附表|附件|附：|起草说明)")
MARK = re.compile(r"【[^】]*】")
SENT = re.compile(r"[^。！？!?]+[。！？!?]+[”’）)】]*|[^。！？!?]+$")
TERMINALS = "。！？!?"
DANGLING = re.compile(r"[的和及与或、，,；（(“]\s*[。！？]$")
ENUMERATOR = re.compile(r"[（(]\d{1,2}[）)]|\d{1,2}[、．](?!\d)")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
TEMPLATE_HEADING = re.compile(r"(?:^|\n|。)\s*(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）|\d{1,2}[.、．]|第[一二三四五六七八九十百]+[章条])"
                              r"\s*([^。\n]{2,30})")
GENERIC_PLACE = {"市", "城", "新", "郊", "本", "全", "该", "各", "辖", "社", "城市", "新城"}
GENERIC = set("工作有关相关加强做好进一步推进实施主要的和与及")


@dataclass(frozen=True)
class TemplateText:
    doc_id: str
    text: str
    region: str | None = None


@dataclass(frozen=True)
class Section:
    level: int
    heading: str
    body: str


def read_docx(path: Path) -> tuple[str, list[Section], str]:
    """Title, sections (heading + body) and preamble of the document's own text (annexes and the
    drafting notes after 附表/附件/起草说明 are not part of it)."""
    from docx import Document
    paras = [p.text.strip() for p in Document(str(path)).paragraphs]
    paras = [p for p in paras if p]
    title, rest = (paras[0], paras[1:]) if paras else ("", [])
    sections: list[Section] = []
    preamble: list[str] = []
    for text in rest:
        if ANNEX.match(text):
            break
        m = HEADING.match(text)
        if m:
            number = m.group(0)
            level = 1 if number.endswith("、") else 2 if number.startswith("（") and not number[1].isdigit() else 3
            head, _, body = text[len(number):].partition("。")
            if not _ and len(head) > 40:      # a numbered sentence, not a heading
                head, body = head[:0], text[len(number):]
            sections.append(Section(level, head, body))
        elif sections:
            last = sections[-1]
            sections[-1] = Section(last.level, last.heading, (last.body + text) if not last.body else last.body + "\n" + text)
        else:
            preamble.append(text)
    return title, sections, "\n".join(preamble)


def split_sentences(text: str) -> list[str]:
    out = []
    for para in text.split("\n"):
        out += [m.group(0).strip() for m in SENT.finditer(para) if m.group(0).strip()]
    return out


@lru_cache(maxsize=1)
def stale_table() -> tuple[tuple[str, int, str], ...]:
    text = resources.files("assistant").joinpath("data/draft_formulations.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            cols = line.split("\t")
            rows.append((cols[0].strip(), int(cols[2]), cols[3].strip() if len(cols) > 3 else ""))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@lru_cache(maxsize=1)
def abbreviations() -> re.Pattern:
    """来沪人员, 在穗务工: a template city's one-character name (data/draft_place_abbreviations.txt)."""
    text = resources.files("assistant").joinpath("data/draft_place_abbreviations.txt").read_text(encoding="utf-8")
    chars = "".join(w for line in text.splitlines() if not line.startswith("#") for w in line.split())
    return re.compile(f"[来在赴驻][{chars}](?:务工|人员|就读|居住|定居|落户|学习|工作|创业)")


@lru_cache(maxsize=1)
def fixed_phrases() -> tuple[str, ...]:
    text = resources.files("assistant").joinpath("data/draft_fixed_phrases.txt").read_text(encoding="utf-8")
    return tuple(x.strip() for x in text.splitlines() if x.strip() and not x.startswith("#"))


GARBLED = re.compile(r"\d\.(?=[\u4e00-\u9fff])|[%％][0oO]|(?<=[\u4e00-\u9fff])[A-Za-z]{1,2}(?=[\u4e00-\u9fff])|[■□�]"
                     r"|(?<=[\u4e00-\u9fff])\.(?=[\u4e00-\u9fff])")


def looks_garbled(sentence: str) -> bool:
    """Typical OCR slips, or a fixed 公文 phrase with one character dropped or misread."""
    plain = MARK.sub("", sentence)
    if GARBLED.search(plain):
        return True
    for p in fixed_phrases():
        if len(p) < 4 or p in plain:
            continue
        for i in range(len(p)):
            if re.search(re.escape(p[:i]) + r"[\u4e00-\u9fff]?" + re.escape(p[i + 1:]), plain):
                return True
    return False


class TemplateIndex:
    """Every 20-character window of the templates, their place names and their numbers."""

    def __init__(self, templates: list[TemplateText]) -> None:
        from ..ingest.places import find_places
        self.texts = [re.sub(r"\s+", "", t.text) for t in templates]
        self.windows: set[str] = set()
        for flat in self.texts:
            self.windows.update(flat[i:i + WINDOW] for i in range(max(0, len(flat) - WINDOW + 1)))
        places: set[str] = {t.region for t in templates if t.region}
        for t in templates:
            for p in find_places(t.text):
                places.update(n for n in (p.name, *p.aliases) if len(n) >= 2 and n in t.text)
        # A district's name without 区/县 (二七, 白云) names it just as well.
        places |= {p[:-1] for p in list(places) if p.endswith(("区", "县")) and len(p) >= 3 and p[:-1] not in GENERIC_PLACE}
        # 各区县, 本市, 全区 are words for "every/this/the whole place", not names.
        places = {p for p in places if p[0] not in "各全本该我其此每"}
        self.places = sorted(places, key=len, reverse=True)
        self.joined = "\n".join(self.texts)

    def copied(self, sentence: str) -> bool:
        for seg in MARK.split(re.sub(r"\s+", "", sentence)):
            if any(seg[i:i + WINDOW] in self.windows for i in range(max(0, len(seg) - WINDOW + 1))) \
                    and len(seg) >= WINDOW:
                return True
        return False

    def continues(self, sentence: str) -> bool:
        """True when the sentence's ending is, wherever a template has it, followed by more text of
        the same sentence: the draft stopped where the template did not."""
        core = MARK.split(re.sub(r"\s+", "", sentence))[-1].rstrip(TERMINALS + "”’）)】")
        tail = core[-8:]
        if len(tail) < 8:
            return False
        follows = [self.joined[m.end():m.end() + 1] for m in re.finditer(re.escape(tail), self.joined)]
        return bool(follows) and all(f and f not in TERMINALS + "”’）)】\n" for f in follows)

    def heading_before(self, sentence: str) -> str:
        seg = max(MARK.split(re.sub(r"\s+", "", sentence)), key=len)[:WINDOW]
        if len(seg) < 8:
            return ""
        for t in self.texts:
            i = t.find(seg)
            if i >= 0:
                heads = list(TEMPLATE_HEADING.finditer(t, max(0, i - 3000), i))
                return heads[-1].group(1) if heads else ""
        return ""


def _words(text: str) -> set[str]:
    t = re.sub(r"[^\u4e00-\u9fff]", "", MARK.sub("", text))
    return {t[i:i + 2] for i in range(len(t) - 1) if not set(t[i:i + 2]) <= GENERIC}


def must_haves(row: dict) -> list[str]:
    """The request's must-haves. Older requests (must_have_sections, such as “教育·重点任务:义务教育
    (经费保障…)”) count by their last named part, literally: no synonyms."""
    if "must_have" in row:
        return list(row["must_have"])
    out = []
    for m in row.get("must_have_sections", []):
        main = re.sub(r"[（(].*?[)）]", "", m)
        parts = [re.split(r"[,，]", p)[0].strip() for p in re.split(r"[:：·]", main)]
        parts = [p for p in parts if p and "标注" not in p and not p.startswith("仅")]
        if parts:
            out.append(parts[-1])
    return out


def evaluate_docx(path: Path, row: dict, templates: list[TemplateText], index: TemplateIndex | None = None) -> dict:
    index = index or TemplateIndex(templates)
    row = {**row, "must_have": must_haves(row)}
    title, sections, preamble = read_docx(path)
    county, y1, y2 = row["county"], int(row["year_from"]), int(row["year_to"])
    headings = [s.heading for s in sections]
    bodies = [s.body for s in sections]
    body_sentences = [s for b in [preamble, *bodies] for s in split_sentences(b)]
    own = "\n".join([title, preamble, *headings, *bodies])
    own_plain = MARK.sub("", own)

    # must-haves
    heads_text, body_text = "\n".join(headings), MARK.sub("", "\n".join(bodies))
    covered, with_content, missing = [], [], []
    for must in row.get("must_have", []):
        alts = [a.strip() for a in must.split("|") if a.strip()]
        in_body = any(a in body_text for a in alts)
        in_head = any(a in heads_text for a in alts)
        if in_body or in_head:
            covered.append(must)
            if in_body or any(any(a in s.heading for a in alts) and MARK.sub("", s.body).strip() for s in sections):
                with_content.append(must)
        else:
            missing.append(must)
    musts = row.get("must_have", [])

    # leaks
    leaks = []
    for p in index.places:
        if p in county or county in p:
            continue
        for _ in re.finditer(re.escape(p), own_plain):
            if not any(p in q and p != q and q in own_plain for q in index.places):
                leaks.append(p)
    leaks += [m.group(0) for m in abbreviations().finditer(own_plain)]
    for line in own_plain.split("\n"):
        body = HEADING.sub("", line)
        for m in NUMBER.finditer(body):
            if m.group(0) in (str(y1), str(y2)):
                continue
            if ENUMERATOR.match(body, max(0, m.start() - 1)) or ENUMERATOR.match(body, m.start()):
                continue     # a list label such as 1、 or （2）, not a fact
            token = m.group(0) + body[m.end():m.end() + 1]
            if token in index.joined or m.group(0) in index.joined:
                leaks.append(token)

    # cut sentences
    cut = []
    for b in [preamble, *bodies]:
        for para in b.split("\n"):
            plain = para.strip()
            if plain and plain[-1] not in TERMINALS + "”’）)】":
                cut.append(plain[-30:])
    for s in body_sentences:
        plain = MARK.sub("", s)
        balanced = plain.count("（") + plain.count("(") == plain.count("）") + plain.count(")") \
            and plain.count("《") == plain.count("》") and plain.count("“") == plain.count("”")
        if DANGLING.search(plain) or not balanced or index.continues(s):
            cut.append(s[-30:])

    # stale formulations
    stale_unflagged: list[str] = []
    stale_flagged: list[str] = []
    for s in [*body_sentences, *headings, title]:
        taken: list[tuple[int, int]] = []
        plain = MARK.sub("", s)
        for text, current_to, _ in stale_table():
            for m in re.finditer(re.escape(text), plain):
                if any(a <= m.start() < b for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                if y1 > current_to:
                    flagged = any("待更新" in mk or "表述" in mk for mk in MARK.findall(s))
                    (stale_flagged if flagged else stale_unflagged).append(f"{text}：{s[:40]}")

    garbled = [s[:40] for s in body_sentences if looks_garbled(s) and not any("识别" in mk for mk in MARK.findall(s))]

    # copied share and section fit
    copied = [s for s in body_sentences if index.copied(s)]
    fit_total, fit_ok, misfits = 0, 0, []
    for sec in sections:
        hw = _words(sec.heading)
        if not hw:
            continue
        for s in split_sentences(sec.body):
            if not MARK.sub("", s).strip():
                continue
            fit_total += 1
            src_head = index.heading_before(s)
            if hw & _words(s) or (src_head and hw & _words(src_head)):
                fit_ok += 1
            else:
                misfits.append(f"{sec.heading}：{s[:30]}")

    placeholders = len(MARK.findall(own))
    coverage = round(len(covered) / len(musts), 4) if musts else 1.0
    result = {
        "id": row["id"], "title": title, "expected_title_parts": [county, row.get("topic", "")],
        "title_ok": county in title and str(y1) in title and (row.get("topic", "")[:4] in title),
        "sections": len(sections), "sentences": len(body_sentences),
        "must_have": len(musts), "covered": len(covered), "coverage": coverage,
        "coverage_with_content": round(len(with_content) / len(musts), 4) if musts else 1.0,
        "missing": missing,
        "copied_share": round(len(copied) / len(body_sentences), 4) if body_sentences else 0.0,
        "leaked_facts": len(leaks), "leaks": leaks,
        "cut": len(cut), "cut_sentences": cut,
        "stale_unflagged_count": len(stale_unflagged), "stale_unflagged": stale_unflagged,
        "stale_flagged": len(stale_flagged),
        "section_fit": round(fit_ok / fit_total, 4) if fit_total else 1.0, "misfits": misfits[:10],
        "placeholders": placeholders,
        "garbled_unmarked_count": len(garbled), "garbled_unmarked": garbled,
    }
    result["passed"] = coverage >= 0.9 and not leaks and not cut and not stale_unflagged
    return result


def summary_line(r: dict) -> str:
    return (f"{r['id']:<4} 覆盖 {r['covered']}/{r['must_have']}={r['coverage']:.2f}（有内容 {r['coverage_with_content']:.2f}）"
            f"  照抄句占比 {r['copied_share']:.2f}  泄漏 {r['leaked_facts']}  断句 {r['cut']}"
            f"  旧表述未标注 {r['stale_unflagged_count']}（已标注 {r['stale_flagged']}）  切题 {r['section_fit']:.2f}"
            f"  疑识别错误未标注 {r['garbled_unmarked_count']}  句 {r['sentences']} 占位 {r['placeholders']}  {'通过' if r['passed'] else '未通过'}  《{r['title']}》")
