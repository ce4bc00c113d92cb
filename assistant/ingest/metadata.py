"""What a document is, read from its own text: title, issuing body, 文号, date/year, place and topic.

Real files open with page furniture (site menus, 索引号 tables, 红头 `X人民政府文件`, a notice that
印发 the real document), so the title is chosen among candidates rather than taken from line one:
labelled fields (名称：…), lines or runs of short lines ending in a document type (…办法, …的通知),
the body title of an 印发 notice, and the file name as a fallback. The file name also breaks ties:
people name files after the document. Place comes from the title, then the issuing body, the file
name and the opening text, resolved against the gazetteer (assistant/ingest/places.py). Word lists are in
data/metadata_rules.toml.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..textrules import DOC_NUMBER
from ..types import DocumentMeta
from .places import Place, gazetteer

HEAD_CHARS = 5000
CN_NUM = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
DATE = re.compile(r"((?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})")
CN_DATE = re.compile(r"([一二三四五六七八九〇○零ＯO]{4})年([一二三四五六七八九十]{1,3})月"
                     r"([一二三四五六七八九十]{1,3})日")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
ORDER_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}令\s*第?\s*\d{1,5}\s*号")
HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、]"
                           r"|第[一二三四五六七八九十百]+[章条节])")
MARKUP = re.compile(r"^[#>*\-+|■□●◆◇★☆·•\s]+|[*|■\s]+$")
BRACKET_PREFIX = re.compile(r"^[\[［【][^\]］】]{1,10}[\]］】]")
SENTENCE_PUNCT = "。，,；;：:！？!?|"
EFFECTIVE = re.compile(r"本(?:规定|办法|细则|意见|条例|方案|通知|决定)(?:自|从)\s*((?:19|20)\s*\d\s*\d)\s*年"
                       r"[^。]{0,10}?(?:起|施行|实施|执行)")


@dataclass(frozen=True)
class Rules:
    doc_types: tuple[str, ...]
    title_qualifiers: tuple[str, ...]
    title_fields: tuple[str, ...]
    issuer_fields: tuple[str, ...]
    number_fields: tuple[str, ...]
    date_fields: tuple[str, ...]
    issuer_suffixes: tuple[str, ...]
    junk_name_words: tuple[str, ...]
    not_title_prefixes: tuple[str, ...]
    national_prefixes: tuple[str, ...]
    topics: tuple[tuple[str, tuple[str, ...]], ...]


@lru_cache(maxsize=1)
def rules() -> Rules:
    raw = tomllib.loads(resources.files("assistant").joinpath("data/metadata_rules.toml").read_text("utf-8"))
    topics = tuple((k, tuple(v)) for k, v in raw.pop("topics").items())
    return Rules(topics=topics, **{k: tuple(v) for k, v in raw.items()})


@dataclass(frozen=True)
class TitleCandidate:
    text: str
    source: str        # field | line | body | site | filename | first_line
    position: int      # offset in the text where it was found (filename: -1)


# --- public -------------------------------------------------------------------------------------

def extract_metadata(text: str, filename: str, original: str = "") -> DocumentMeta:
    """Metadata of a document from its cleaned text, its file name and (for a 文库 header line) the
    original text. Confidence is the lower of the title's and the place's."""
    head = text[:HEAD_CHARS]
    lines = _lines(head)
    file_title = filename_title(filename)
    fields = _fields(lines)
    title, title_conf = _choose_title(_title_candidates(lines, fields, original, head), file_title)
    doc_number = _doc_number(lines, fields, filename)
    issuer = _issuer(title, lines, fields)
    place, place_conf = _place(title, issuer, file_title, head)
    if issuer and place and issuer.startswith("市") and place.level == "市":
        issuer = place.name + issuer[1:]  # 市教委 in 天津市's own notice is 天津市教委
    date = _date(lines, fields, head, text)
    year = _year(date, doc_number, title, file_title, text)
    return DocumentMeta(
        title=title, region=place.name if place else None, doc_number=doc_number,
        period=_period(title, head), place_level=place.level if place else None, issuer=issuer,
        date=date, year=year, topic=_topic(title, head),
        confidence=round(min(title_conf, place_conf), 2))


def filename_title(filename: str) -> str:
    """The title part of a file name: no extension, no trailing year, 文号 or copy number."""
    stem = re.sub(r"\.(docx?|wps|pdf|txt|md|html?)$", "", filename.rsplit("/", 1)[-1], flags=re.IGNORECASE)
    stem = re.sub(r"[（(][^（）()]*\d+\s*号[）)]\s*$", "", stem)          # （东府[2012]12号）
    stem = re.sub(r"[-_ ]*(?:\(\d\)|（\d）|-\d|副本)$", "", stem)
    stem = re.sub(r"[-_ ]*(?:19|20)\d{2}$", "", stem)                    # …办法2016
    return stem.replace("_", "").strip()


def title_core(title: str) -> str:
    """A title without its wrapping: the issuer's 关于印发…的通知, 《》, （试行）, years and spaces."""
    t = re.sub(r"\s+", "", title)
    m = re.search(r"关于(?:印发|转发|发布|公布|批转)(.+?)的?通知$", t)
    if m:
        t = m.group(1)
    t = re.sub(r"[《》〈〉<>“”\"'_]", "", t)
    for q in rules().title_qualifiers:
        t = t.replace(q, "")
    t = re.sub(r"(?:19|20)\d{2}年?", "", t)
    return t


def similarity(a: str, b: str) -> float:
    """2·LCS / (|a| + |b|): 1.0 for equal strings, lower for extra or missing characters on either side."""
    if not a or not b:
        return 0.0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return 2 * prev[-1] / (len(a) + len(b))


# --- lines and fields -----------------------------------------------------------------------------

def _lines(head: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for raw in head.split("\n"):
        line = MARKUP.sub("", raw).strip()
        line = line.replace("**", "").strip()
        if line:
            out.append((pos + max(0, raw.find(line[:1])), line))
        pos += len(raw) + 1
    return out


def _fields(lines: list[tuple[int, str]]) -> dict[str, tuple[int, str]]:
    """Labelled fields (名称：…, 发布机构：…) of web pages and legal databases; several may share a line."""
    r = rules()
    names = sorted({*r.title_fields, *r.issuer_fields, *r.number_fields, *r.date_fields}, key=len, reverse=True)
    label = re.compile(r"[【\[]?(" + "|".join(map(re.escape, names)) + r")[】\]]?\s*[:：]\s*")
    out: dict[str, tuple[int, str]] = {}
    for pos, line in lines:
        marks = list(label.finditer(line))
        for k, m in enumerate(marks):
            if (m.start() > 0 and line[m.start() - 1] not in " \t|　" and len(m.group(1)) < 4
                    and not _is_label_boundary(line, m.start())):
                continue
            end = marks[k + 1].start() if k + 1 < len(marks) else len(line)
            value = line[m.end():end].strip(" |　")
            if value and m.group(1) not in out:
                out[m.group(1)] = (pos + m.end(), value)
    return out


def _is_label_boundary(line: str, i: int) -> bool:
    # Fields run together on flattened pages: 文号:粤府〔2013〕92号公报期号: — a label may follow a value.
    return bool(re.match(r"[\d号日)）]", line[i - 1]))


def _field(fields: dict[str, tuple[int, str]], names: tuple[str, ...]) -> tuple[int, str] | None:
    for name in names:
        if name in fields:
            return fields[name]
    return None


# --- title ------------------------------------------------------------------------------------------

def _ends_with_doc_type(s: str) -> bool:
    r = rules()
    for q in r.title_qualifiers:
        if s.endswith(q):
            s = s[: -len(q)]
            break
    s = re.sub(r"[（(]?(?:19|20)\d{2}年?(?:版|修订)?[）)]?$", "", s)
    return s.endswith(r.doc_types)


def _breadcrumb(s: str) -> bool:
    return (">" in s or "＞" in s) and "<" not in s and "＜" not in s


def _title_like(s: str) -> bool:
    if not 6 <= len(s) <= 90 or any(p in s for p in SENTENCE_PUNCT) or _breadcrumb(s):
        return False
    if HEADING_START.match(s) or s.startswith(rules().not_title_prefixes):
        return False
    if s.startswith(("根据", "为了", "为", "现将", "按照", "经", "对")) and "关于" not in s[:12]:
        return False
    han = sum("\u4e00" <= c <= "\u9fff" for c in s)
    if han < 5 or s.count("《") != s.count("》"):
        return False
    return _ends_with_doc_type(s)


def _clean_title(s: str) -> str:
    s = BRACKET_PREFIX.sub("", s.strip())
    s = re.sub(r"\s+", "", s).strip("\"“”'")
    if s.startswith("《") and s.endswith("》") and s.count("《") == 1:
        s = s[1:-1]
    return s


def _breaks_join(line: str) -> bool:
    han = sum("\u4e00" <= c <= "\u9fff" for c in line)
    return bool(han < 2 or han < 0.7 * len(line) or line.startswith(rules().not_title_prefixes)
                or any(p in line for p in SENTENCE_PUNCT) or _breadcrumb(line) or DOC_NUMBER.fullmatch(line) or ORDER_NUMBER.search(line)
                or DATE.search(line) or CN_DATE.search(line) or line.endswith(("文件", "令")) or len(line) > 40
                or HEADING_START.match(line))


def _title_candidates(lines: list[tuple[int, str]], fields: dict[str, tuple[int, str]], original: str,
                      head: str) -> list[TitleCandidate]:
    out: list[TitleCandidate] = []
    field = _field(fields, rules().title_fields)
    if field and _title_like(_clean_title(field[1])):
        out.append(TitleCandidate(_clean_title(field[1]), "field", field[0]))
    # 文库 pages name the file in a header line: 《…解决方案.docx》由会员分享
    m = re.search(r"《([^》]{4,80}?)(?:\.docx?|\.pdf|\.txt|\.wps)?》", original.split("\n", 1)[0])
    if m and _title_like(_clean_title(m.group(1))):
        out.append(TitleCandidate(_clean_title(m.group(1)), "line", 0))
    for k, (pos, line) in enumerate(lines[:80]):
        # Saved web pages put the title in the page name: 标题-栏目-网站 / 网站_标题.
        for part in re.split(r"\s*[-_|－—]{1,2}\s*", line) if re.search(r"[-_|－]", line) else ():
            if _title_like(_clean_title(part)) and len(part) < len(line):
                out.append(TitleCandidate(_clean_title(part), "site", pos))
        # A title on one line, or wrapped over up to four short lines (红头文件 layout).
        joined = ""
        for j in range(k, min(k + 4, len(lines))):
            piece = lines[j][1]
            if j > k and _breaks_join(piece):
                break
            joined += piece
            if _title_like(_clean_title(joined)):
                out.append(TitleCandidate(_clean_title(joined), "line", pos))
                break
            if j == k and (_breaks_join(piece) or len(piece) > 30):
                break
        # Flattened pages: 京政发[2016]43号北京市人民政府关于…的通知各区人民政府，…
        inline = _inline_title(line)
        if inline:
            out.append(TitleCandidate(inline, "line", pos))
    # The body title of an 印发 notice: the 《name》 it issues, written again as a heading line.
    for c in list(out):
        m = re.search(r"关于(?:印发|转发|发布|公布|批转)(.+?)的?通知$", c.text)
        if not m:
            continue
        body = re.sub(r"^《|》$", "", m.group(1))
        body_plain = body.replace("《", "").replace("》", "")
        for pos, line in lines:
            if pos > c.position and (line in (body, body_plain) or line.startswith((body + "第", body_plain + "第"))):
                out.append(TitleCandidate(body_plain if line.startswith(body_plain) else body, "body", pos))
                break
    return out


def _inline_title(line: str) -> str | None:
    """A title run into the text of a flattened page: after a 文号 or at the line start, ending in a
    document type outside any 《》, followed by the addressees (各…) or the body."""
    if len(line) <= 90:
        return None
    m = DOC_NUMBER.match(line)
    start = m.end() if m else 0
    depth = 0
    for i in range(start, min(len(line), start + 90)):
        ch = line[i]
        if ch in "《〈":
            depth += 1
        elif ch in "》〉":
            depth -= 1
        if ch in SENTENCE_PUNCT:
            return None
        if depth == 0 and i + 1 - start >= 6:
            cand = line[start:i + 1]
            rest = line[i + 1:i + 3]
            for q in rules().title_qualifiers:
                if line.startswith(q, i + 1):
                    cand, rest = cand + q, line[i + 1 + len(q):i + 3 + len(q)]
            if _title_like(cand) and (rest.startswith(("各", "第", "为", "根据")) or not rest):
                return cand
    return None


def _file_title_usable(file_title: str) -> bool:
    han = sum("\u4e00" <= c <= "\u9fff" for c in file_title)
    return han >= 5 and not any(w.lower() in file_title.lower() for w in rules().junk_name_words)


def _choose_title(cands: list[TitleCandidate], file_title: str) -> tuple[str, float]:
    usable = _file_title_usable(file_title)
    core_f = title_core(file_title) if usable else ""
    best: tuple[float, TitleCandidate] | None = None
    for c in cands:
        agree = similarity(title_core(c.text), core_f) if core_f else 0.0
        score = {"field": 1.0, "line": 1.0, "body": 1.4, "site": 0.8}[c.source] + 2.0 * agree
        score -= 0.3 * min(c.position, HEAD_CHARS) / HEAD_CHARS
        if best is None or score > best[0]:
            best = (score, c)
    if best and (not core_f or similarity(title_core(best[1].text), core_f) >= 0.5):
        c = best[1]
        agree = similarity(title_core(c.text), core_f) if core_f else 0.0
        return c.text, 0.95 if agree >= 0.8 else (0.85 if core_f else 0.75)
    if usable:
        return file_title, 0.6
    if best:
        return best[1].text, 0.5
    first = next((line for line in (cand.text for cand in cands)), "")
    return (first or file_title or "未命名文档")[:40], 0.3


# --- 文号, issuer, dates ---------------------------------------------------------------------------

def _doc_number(lines: list[tuple[int, str]], fields: dict[str, tuple[int, str]], filename: str) -> str | None:
    field = _field(fields, rules().number_fields)
    if field:
        m = DOC_NUMBER.search(field[1]) or ORDER_NUMBER.search(field[1])
        if m:
            return _norm_number(m.group(0))
    for _, line in lines[:40]:
        m = DOC_NUMBER.match(line)
        # The document's own 文号 stands on its own line or opens a flattened line; cited ones sit in （）.
        if m and (len(line) - m.end() <= 3 or _inline_title(line)):
            return _norm_number(m.group(0))
    m = DOC_NUMBER.search(filename)
    return _norm_number(m.group(0)) if m else None


def _norm_number(s: str) -> str:
    """粤府 [2013] 92号 / 宁人社〔2015］60号 → 粤府〔2013〕92号."""
    s = re.sub(r"\s+", "", s)
    return re.sub(r"[〔\[［(（]((?:19|20)\d{2})[\]］)）〕]", r"〔\1〕", s)


def _issuer(title: str, lines: list[tuple[int, str]], fields: dict[str, tuple[int, str]]) -> str | None:
    r = rules()
    field = _field(fields, r.issuer_fields)
    if field:
        value = re.split(r"[\s|]", field[1])[0]
        if value.endswith(r.issuer_suffixes) and 3 <= len(value) <= 30:
            return value
    m = re.match(r"(.{2,30}?)(?:关于|印发|转发)", title)
    if m and m.group(1).endswith(r.issuer_suffixes):
        return m.group(1)
    for _, line in lines[:30]:
        m = re.match(r"^([\u4e00-\u9fff（）]{2,24}?)(?:文件|令)$", line)
        if m and m.group(1).endswith(r.issuer_suffixes):
            return m.group(1)
    # The signature: the body's name on the line just above the date it signed.
    for k in range(1, min(len(lines), 60)):
        line = lines[k][1]
        if _is_date_line(line) and lines[k - 1][1].endswith(r.issuer_suffixes):
            prev = lines[k - 1][1]
            if 3 <= len(prev) <= 30 and not any(p in prev for p in SENTENCE_PUNCT):
                return prev
    return None


def _iso(y: int, mo: int, d: int) -> str | None:
    if 1949 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _cn_int(s: str) -> int:
    if len(s) == 4:  # 二○一二 is written digit by digit
        return int("".join(str(CN_NUM.get(c, 0)) for c in s))
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + CN_NUM[s[1]]
    if s.endswith("十"):
        return CN_NUM[s[0]] * 10
    if "十" in s:
        return CN_NUM[s[0]] * 10 + CN_NUM[s[-1]]
    return CN_NUM.get(s, 0)


def _parse_date(s: str) -> str | None:
    m = DATE.search(s)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = CN_DATE.search(s)
    if m:
        return _iso(_cn_int(m.group(1)), _cn_int(m.group(2)), _cn_int(m.group(3)))
    return None


def _is_date_line(line: str) -> bool:
    s = line.strip("（）() ")
    m = DATE.match(s) or CN_DATE.match(s)
    return m is not None and len(s) - m.end() <= 1


def _date(lines: list[tuple[int, str]], fields: dict[str, tuple[int, str]], head: str, text: str) -> str | None:
    """Signature date of the notice at the head, else a labelled date, else a promulgation note
    (2009年11月27日市政府第202号令发布), else the signature at the end of the text."""
    for _, line in lines[:60]:
        if _is_date_line(line):
            d = _parse_date(line)
            if d:
                return d
    field = _field(fields, rules().date_fields)
    if field:
        d = _parse_date(field[1][:20])
        if d:
            return d
    m = re.search(r"[（(]((?:19|20)\d{2}年\d{1,2}月\d{1,2}日)[^（）()]{0,30}(?:发布|公布|通过|施行)[）)]", head)
    if m:
        return _parse_date(m.group(1))
    for line in reversed(text[-600:].split("\n")):
        line = line.strip()
        if _is_date_line(line):
            return _parse_date(line)
    # Flattened pages: the signature sits inside a long line, right after the issuing body.
    m = re.search(r"(?:人民政府|办公厅|办公室|局|委员会)\s*((?:19|20)\d{2}年\d{1,2}月\d{1,2}日)", head)
    return _parse_date(m.group(1)) if m else None


def _year(date: str | None, doc_number: str | None, title: str, file_title: str, text: str) -> int | None:
    if date:
        return int(date[:4])
    # No date of issue anywhere: the year it takes effect (本办法自2015年5月1日起执行) is the nearest.
    m = EFFECTIVE.search(text)
    if m:
        return int(re.sub(r"\s", "", m.group(1)))
    if doc_number:
        m = re.search(r"(?:19|20)\d{2}", doc_number)
        if m:
            return int(m.group(0))
    for s in (title, file_title):
        m = YEAR.search(s)
        if m:
            return int(m.group(1))
    return None


# --- place, topic, period ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _short_names() -> dict[str, tuple[Place, ...]]:
    """郑州市二七区 → 二七区, for county-level names shared by several cities (白云区, 鼓楼区)."""
    out: dict[str, list[Place]] = {}
    for p in gazetteer():
        if p.parent and p.name.startswith(p.parent) and len(p.name) - len(p.parent) >= 2:
            out.setdefault(p.name[len(p.parent):], []).append(p)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Place]:
    out: dict[str, Place] = {}
    for p in gazetteer():
        out.setdefault(p.name, p)
        for a in p.aliases:
            if len(a) >= 2:
                out.setdefault(a, p)
    return out


def _mentions(text: str) -> list[tuple[int, Place]]:
    """Gazetteer places named in `text`, with positions; the longest name wins at each position."""
    names = _by_name()
    found: list[tuple[int, int, Place]] = []
    i = 0
    while i < len(text):
        for n in range(min(14, len(text) - i), 1, -1):
            p = names.get(text[i:i + n])
            if p:
                found.append((i, n, p))
                i += n - 1
                break
        i += 1
    return [(i, p) for i, _, p in found]


def _resolve_short(text: str, context: str) -> list[tuple[int, Place]]:
    out = []
    for short, places in _short_names().items():
        i = text.find(short)
        if i < 0:
            continue
        if len(places) == 1:
            out.append((i, places[0]))
            continue
        named = [p for p in places if p.parent and (p.parent in context or p.parent[:-1] in context)]
        if len(named) == 1:
            out.append((i, named[0]))
    return out


def _most_specific(mentions: list[tuple[int, Place]]) -> Place | None:
    """The first place named, narrowed to a named place inside it (广州市 … 白云区 → 广州市白云区)."""
    if not mentions:
        return None
    mentions = sorted(mentions, key=lambda m: m[0])
    first = mentions[0][1]
    for _, p in mentions[1:]:
        chain: set[str] = set()
        q: Place | None = p
        while q and q.parent and q.parent not in chain:
            chain.add(q.parent)
            q = _by_name().get(q.parent)
        if first.name in chain:
            first = p
    return first


def _place_in(text: str, context: str) -> Place | None:
    outside = re.sub(r"《[^》]*》", "", text)
    for t in (outside, text):
        mentions = _mentions(t)
        covered = {p.name for _, p in mentions}
        mentions += [(i, p) for i, p in _resolve_short(t, context) if p.name not in covered]
        place = _most_specific(mentions)
        if place:
            return place
    return None


def _place(title: str, issuer: str | None, file_title: str, head: str) -> tuple[Place | None, float]:
    context = f"{title}\n{file_title}\n{head[:2000]}"
    for source, conf in ((title, 0.95), (issuer or "", 0.9), (file_title, 0.8)):
        place = _place_in(source, context)
        if place:
            return place, conf
    if title.startswith(rules().national_prefixes) or (issuer or "").startswith(rules().national_prefixes):
        return None, 0.9  # a national document naming no place governs none: not narrowed by its body
    # The opening text: the place named most often outside 《》 citations.
    body = re.sub(r"《[^》]*》", "", head[:2000])
    counts: dict[str, tuple[int, Place]] = {}
    for _, p in _mentions(body):
        n, _p = counts.get(p.name, (0, p))
        counts[p.name] = (n + 1, p)
    if counts:
        n, p = max(counts.values(), key=lambda x: x[0])
        if n >= 2:
            return p, 0.6
    return None, 0.4


def _topic(title: str, head: str) -> str | None:
    for text in (title, head[:1500]):
        for topic, words in rules().topics:
            if any(w in text for w in words):
                return topic
    return None


PERIOD = re.compile(r"(20\d{2})\s*[—\-–~至－]+\s*(20\d{2})\s*年?")
FIVE_YEAR = {"十三五": "2016—2020", "十四五": "2021—2025", "十五五": "2026—2030", "十二五": "2011—2015"}


def _period(title: str, head: str) -> str | None:
    m = PERIOD.search(title) or PERIOD.search(head[:400])
    if m:
        return f"{m.group(1)}—{m.group(2)}"
    for key, value in FIVE_YEAR.items():
        if key in title or key in head[:400]:
            return value
    return None
