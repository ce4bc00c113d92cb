"""The answer check: before a quoted sentence is given as *the answer*, it must answer the
question. One check with four named parts, each a plain predicate on typed values:

- `not_heading`: a heading alone (一、总体要求) is never an answer (a list item with a figure or a
  closing ； is not a heading, whatever the parser made of it);
- `kind`: the sentence holds the kind of value asked for: a number with the asked unit (一批 is
  not a number; 满分各20分 gives no figure to 满分; a table row's unit may stand in its header,
  月发放额（元）), a year, a day, a date or span for 期限, a 文号, a list of figures for 哪几档,
  or, for 由哪个部门负责 questions, a unit of work in one of the common phrasings
  (责任单位：…、牵头单位：…、由…负责、…牵头) or doing what the question asks (由…征收, 设在…), in
  the sentence or in the lead-in of the list it is an item of (下列人员…由人事部门受理：);
- `year`: a question about a year (2016) is not answered by a sentence, section or document
  that speaks of other years only;
- `focus`: the thing asked about (the question's key terms, less its place names, asking words,
  the words that only name the document and the words that only frame a question) is present in
  the sentence, its list's lead-in (an article's caption, or the clause 前款/上述 points back to),
  its own heading path or its table's caption and header, read also through the term lexicon
  (零就业家庭 ↔ 家里没人就业; a wording with several official terms each way); a figure in the
  measure's unit names the measure (年满30周岁 states a 年龄); the thing measured is named
  (`holds_head`) with the word that narrows it (`keeps_modifier`: 单套建筑面积 is not 人均住房建筑面积);
  a breakdown (按家庭人口分别) is not the thing measured; no word of the question names another
  document (`names_another_document`) unless the question writes this document's name.

`confidence` combines the focus share with the retrieval score; the answerer gives 答案 only
for a verified candidate, 相关内容 otherwise."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..index.lexical import normalize_query, tokenize
from ..ingest.structure import strip_heading_number
from ..textrules import DECREE_NUMBER, DOC_NUMBER_LOOSE
from .question import ASKING, BY_PART, UNITS, YEAR, QuestionInfo, answers_type, implied_units, seam_token

# A unit of work: an office, bureau, committee … (民政部门, 县卫生健康局, 市公安机关).
ORG = r"[\u4e00-\u9fff（）()、]{0,24}?(?:部门|局|委员会|委|办公室|办|人民政府|政府|机关|中心|院|厅|处|站|所|机构|公司|银行|街道办事处|居委会|村委会|管委会|联合会|协会)"
# A unit named with its short form: 市招生考试委员会办公室（以下简称“市招办”）负责…
ALIAS = r"(?:[（(](?:以下简称|下称|简称)[^）)]{0,16}[）)])?"
RESPONSIBILITY = re.compile(
    rf"(?:责任单位|牵头单位|主管部门|负责单位|实施单位|配合单位)\s*[:：]\s*{ORG}"
    rf"|由\s*{ORG}.{{0,12}}?(?:负责|牵头|审核|核查|复核|审批|认定|办理|组织|实施|主管|管理|受理|确定|发放|核定)"
    rf"|{ORG}[）)]?{ALIAS}\s*(?:负责|牵头|主管|具体负责|统一负责|会同|审核|核查|复核|审批|认定|办理|受理|核定)")
# The question's own verb around its asking words: 由哪个机关征收 → …机关征收; 设在哪个部门 → 设在…局.
ASKS_WHO = re.compile(r"(?:由)?(?:哪个|哪一个|哪些|哪一|什么|哪家)(?:部门|单位|机关|机构|级)|由谁|谁")
HAN2 = re.compile(r"[\u4e00-\u9fff]{2}")
NAME_WORD_MAX_SHARE = 0.15
# Characters of a document's name the question must write in a row to name that document.
NAMED_RUN = 4
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
# A name word is at least half as common among names as among the library's passages.
NAME_TEXT_RATIO = 0.5


def is_name_word(name_share: float, text_share: float) -> bool:
    """A word names documents when few names hold it (廉租 among the 住房 files; not 住房 or 办法)
    and names hold it at least about as often as the library's passages do (家庭 is in one name
    but in a fifth of all passages: that name holds it by chance)."""
    return 0 < name_share <= NAME_WORD_MAX_SHARE and name_share >= NAME_TEXT_RATIO * text_share
# A quote must say something: fewer Han characters than this (分钟|120) is a fragment, not a reading.
MIN_HAN = 4
# 不满8周年 does not answer a question about 满8周年: a limit word the question does not use.
LIMIT_WORDS = ("不满", "未满", "不足", "未达到", "不到")
RESPONSIBILITY_LINE = re.compile(r"(?:责任单位|牵头单位|负责单位)\s*[:：]")


@lru_cache(maxsize=1)
def frame_words() -> frozenset[str]:
    text = resources.files("assistant").joinpath("data/question_frame_words.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def over_frame(t: str) -> bool:
    """A frame word with one character stuck to it (标准分 from 缴费标准分哪几档): the tokenizer's
    seam, not a word of the question; a real compound (用人单位, 收费标准) keeps its meaning."""
    return len(t) > 2 and any(len(f) >= 2 and f in t and len(t.replace(f, "")) <= 1 for f in frame_words())


@dataclass(frozen=True)
class Candidate:
    """A sentence that might answer, with where it sits."""
    sentence: str
    heading_path: tuple[str, ...]
    title: str
    section_text: str      # the chunk the sentence comes from: where a 责任单位 line's focus is
    kind: str = "text"     # text | table | box
    table_header: str = ""
    doc_years: frozenset[str] = frozenset()   # years the whole document speaks of
    lead: str = ""         # the lead-in of the list the sentence is an item of (…下列条件：)


@dataclass(frozen=True)
class Verdict:
    not_heading: bool
    kind: bool
    year: bool
    focus: bool
    focus_share: float

    @property
    def ok(self) -> bool:
        return self.not_heading and self.kind and self.year and self.focus

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(n for n in ("not_heading", "kind", "year", "focus") if not getattr(self, n))


class AnswerCheck:
    def __init__(self, weight: Callable[[str], float], official_form: Callable[[str], str] = lambda s: s,
                 place_names: Callable[[str], list[str]] = lambda s: [], focus_min: float = 0.6,
                 doc_names: Callable[[], list[str]] = list,
                 text_share: Callable[[str], float] = lambda term: 0.0,
                 official_forms: Callable[[str], list[str]] | None = None) -> None:
        self.weight = weight                  # IDF weight of a term
        self.official_form = official_form    # lexicon: everyday wording → official term
        self.place_names = place_names        # names of places a text mentions (all spellings)
        self.focus_min = focus_min
        self.doc_names = doc_names            # the names (title + file name) of every document
        self.text_share = text_share          # share of the library's passages that hold a term
        # every official reading of a text (a wording with several official terms is read each way)
        self.official_forms = official_forms or (lambda text: [official_form(text)])
        self._readings: tuple[str | None, set[str]] = (None, set())

    def readings(self, text: str) -> set[str]:
        # Every candidate of one question asks for the same readings: the last ones are kept
        # (read once into a local: another thread may replace them between two reads).
        last = self._readings
        if last[0] != text:
            last = (text, {text, self.official_form(text), *self.official_forms(text)})
            self._readings = last
        return last[1]

    # --- the question's focus --------------------------------------------------------------
    def focus_terms(self, question: str, title: str) -> tuple[str, ...]:
        # 《…》 and a 文号 (东府令第135号) name the document asked about, not the thing asked.
        q = re.sub(r"《[^》]*》", " ", normalize_query(question))
        q = DECREE_NUMBER.sub(" ", DOC_NUMBER_LOOSE.sub(" ", q))
        for name in sorted(self.place_names(q), key=len, reverse=True):
            q = q.replace(name, " ")
        q = ASKING.sub(" ", YEAR.sub(" ", BY_PART.sub(" ", q)))  # 按年龄段分别: how the answer is broken down
        frame = frame_words()
        tokens = list(dict.fromkeys(tokenize(q)))
        terms = [t for t in tokens if t not in frame and not re.fullmatch(r"[\d.%年]+", t) and not over_frame(t)
                 and not seam_token(t)]
        own = [t for t in terms if t not in title.lower()]
        return tuple(own or terms)

    def focus_share(self, terms: tuple[str, ...], text: str) -> float:
        # Nothing to weigh: nothing named that the quote could lack.
        return weighted_share(self.weight, terms, text, empty=1.0)

    # --- the check ---------------------------------------------------------------------------
    def verify(self, info: QuestionInfo, cand: Candidate) -> Verdict:
        context = cand.sentence + " " + cand.lead + " " + " ".join(cand.heading_path)
        if info.unit_noun and info.unit and answers_type(info, cand.sentence):
            context += " " + info.unit_noun  # 年满30周岁 states the 年龄 the question names
        if cand.kind == "table":
            context += " " + cand.table_header
        share = max(self.focus_share(self.focus_terms(q, cand.title), context)
                    for q in self.readings(info.text))
        focus_ok = share >= self.focus_min
        if focus_ok and cand.kind == "table" and \
                self.focus_share(self.focus_terms(info.text, cand.title), cand.sentence) == 0 \
                and not names_a_stated_figure(info.text, cand.sentence):
            focus_ok = False  # the header names what is asked; the row must name which one (by a
            # word, or by a figure the question states: 64周岁 → the row 64|109)
        kind_ok = answers_type(info, cand.sentence, table=cand.kind == "table") or \
            cand.kind == "table" and unit_in_header(info, cand.sentence, cand.table_header)
        if info.wants_unit_of_work:
            # 下列人员…由人事部门受理：（一）引进的…人才: the item's unit is its lead-in's.
            has_unit = names_a_unit(info.text, cand.sentence) or bool(cand.lead) and names_a_unit(info.text, cand.lead)
            kind_ok = kind_ok and has_unit
            if has_unit and not focus_ok and RESPONSIBILITY_LINE.search(cand.sentence):
                # A 责任单位 line answers for the measures of its own section.
                share = max(self.focus_share(self.focus_terms(q, cand.title), cand.section_text + " " + context)
                            for q in self.readings(info.text))
                focus_ok = share >= self.focus_min
        if focus_ok and self.names_another_document(info, cand, context):
            focus_ok = False
        if "|" in cand.sentence and "\n" in cand.sentence.strip():
            kind_ok = False  # pieces of two table rows: never a reading of one row
        if kind_ok and adds_a_limit(info.text, cand.sentence):
            kind_ok = False
        in_box = cand.kind == "box" or any(h.startswith("专栏") for h in cand.heading_path)
        if info.wants_list and in_box and not re.search(r"专栏|项目|工程", info.text):
            kind_ok = False  # a 专栏 project list does not answer 有哪些措施
        if focus_ok and not (self.holds_head(info, context) and self.keeps_modifier(info, context)):
            focus_ok = False
        says = says_something(cand.sentence) or cand.kind == "table" and fills_the_header(cand.sentence, cand.table_header)
        return Verdict(not_heading=not is_heading_only(cand) and says, kind=kind_ok,
                       year=year_matches(info, cand), focus=focus_ok, focus_share=share)

    def holds_head(self, info: QuestionInfo, context: str) -> bool:
        """The thing measured is named last in the asking clause (…统筹基金的最高支付限额是多少 →
        限额): a quote that lacks that word, in any of its wordings, speaks of something else."""
        focus = [t for t in info.focus if not over_frame(t)]
        if not focus:
            return True
        head = focus[-1]
        if len(head) < 2 or head in frame_words():
            return True
        norm = normalize_query(context).lower()
        return head in norm or normalize_query(self.official_form(head)).lower() in norm

    def keeps_modifier(self, info: QuestionInfo, context: str) -> bool:
        """The word right before the thing measured narrows it (单套建筑面积, not 人均住房建筑面积):
        a quote that names the thing but not that word speaks of another kind of it."""
        units = UNITS.split("|")
        heads = [t for t in info.focus if len(t) >= 2 and t not in frame_words() and not any(t in u for u in units)
                 and not over_frame(t)]
        if not heads:
            return True
        head = heads[-1]
        if not any(noun in head for noun, _ in implied_units()):
            return True  # only a measure (面积, 满分, 年龄) comes in kinds a modifier tells apart
        asked = ASKING.sub(" ", re.sub(r"《[^》]*》", " ", info.text))  # 什么时候起施行: 起 is no modifier
        pos = asked.rfind(head)
        modifier = asked[max(0, pos - 2):pos] if pos >= 2 else ""
        if not re.fullmatch(r"[\u4e00-\u9fff]{2}", modifier) or re.search(r"[的之和与及在是为对按了]", modifier) \
                or modifier in frame_words() or self.place_names(modifier):
            return True
        norm = normalize_query(context).lower()
        if head not in norm:
            return True  # whether the quote names the thing at all is `holds_head`'s to say
        return modifier in norm or normalize_query(self.official_form(modifier)).lower() in norm

    def names_this_document(self, question: str, title: str, names: list[str]) -> bool:
        """按南京户籍准入暂行办法…: the question writes four characters of this document's name in a
        row, two of which name few documents (准入): it names this one, whatever else it says."""
        q = normalize_query(question).lower()
        for i in range(len(title) - NAMED_RUN + 1):
            run = title[i:i + NAMED_RUN]
            if not HAN_RUN.fullmatch(run) or run not in q:
                continue
            if any(is_name_word(sum(run[j:j + 2] in n for n in names) / len(names), self.text_share(run[j:j + 2]))
                   for j in range(NAMED_RUN - 1)):
                return True
        return False

    def names_another_document(self, info: QuestionInfo, cand: Candidate, context: str) -> bool:
        """The question uses a word that names other documents (廉租住房 in 东莞市廉租住房保障办法)
        which neither this document's name nor the quote holds: it asks about that other document."""
        names = self.doc_names()
        own = normalize_query(cand.title).lower()
        near = normalize_query(context).lower()
        if not names or self.names_this_document(info.text, own, names):
            return False
        for t in self.focus_terms(info.text, ""):
            if len(t) < 2 or t in own or t in near:
                continue
            if is_name_word(sum(t in n for n in names) / len(names), self.text_share(t)):
                return True
        return False


def names_a_unit(question: str, sentence: str) -> bool:
    """The sentence names a unit of work in one of the common phrasings, or doing what the
    question asks it does (由哪个机关征收 ← 由地方税务机关征收; 设在哪个部门 ← 设在市住房建设局)."""
    if RESPONSIBILITY.search(sentence):
        return True
    q = normalize_query(question)
    m = ASKS_WHO.search(q)
    if not m:
        return False
    after = HAN2.match(q, m.end())
    before = HAN2.fullmatch(q, max(0, m.start() - 2), m.start())
    if after and after.group(0) not in ("负责", "主管") and re.search(
            rf"{ORG}[）)]?{ALIAS}.{{0,12}}?{after.group(0)}", sentence):
        return True
    return bool(before and before.group(0) != "是由" and re.search(rf"{before.group(0)}\s*{ORG}", sentence))


def unit_in_header(info: QuestionInfo, row: str, header: str) -> bool:
    """A table states its unit once, in the header (月发放额（元）): a row's figures are in it."""
    return bool(info.unit and re.search(rf"[（(]{re.escape(info.unit)}[）)]", header) and re.search(r"\d", row))


def names_a_stated_figure(question: str, row: str) -> bool:
    """A cell of the row is a figure the question states (not a year): 64周岁开始领取 ↔ 64|109."""
    stated = {m.group(0) for m in re.finditer(r"\d+(?:\.\d+)?", normalize_query(question))} - set(YEAR.findall(question))
    cells = {re.sub(r"\s+", "", c) for c in row.split("|")}
    return bool(stated & cells)


def weighted_share(weight: Callable[[str], float], terms: tuple[str, ...], text: str,
                   empty: float = 0.0) -> float:
    """The IDF-weighted share of the terms found in the text (`empty` when there is nothing to weigh)."""
    norm = normalize_query(text).lower()
    total = sum(weight(t) for t in terms)
    return sum(weight(t) for t in terms if t in norm) / total if total else empty


def is_heading_only(cand: Candidate) -> bool:
    """The sentence is nothing but one of its own headings, or a lead-in (…如下：) whose
    content follows it."""
    text = cand.sentence.strip()
    if re.search(r"[：:]\s*(?:\n|$)", text):
        return True
    if text.endswith(("；", ";")) or ("，" in text and re.search(r"\d", text)):
        # An item of a list (（三）无住房…；, 3.持证人取得…学位，积90分。), whatever the heading
        # parser made of it: headings state no figures in a clause.
        return False
    s = _bare(strip_heading_number(text))
    return bool(s) and any(s == _bare(strip_heading_number(h)) for h in cand.heading_path)


def repeated_group(header: str) -> int:
    """年龄|月数|年龄|月数|年龄|月数: a header that names one group of columns several times
    over (a long table folded into side-by-side blocks) → the group's width; 0 otherwise."""
    names = [re.sub(r"\s+", "", h) for h in header.split("|")]
    n = len(names)
    for g in range(1, n // 2 + 1):
        if n % g == 0 and all(names[i] == names[i % g] for i in range(n)) and any(names[:g]):
            return g
    return 0


def fills_the_header(row: str, header: str) -> bool:
    """A row of figures (64|109) says something when it fills every column of its header, or of
    one block of a folded header: read under the header it is a whole statement, not a fragment."""
    header = header.split(" ")[-1]  # the caption comes first
    cells = [c for c in row.split("|")]
    width = len(header.split("|")) if "|" in header else 0
    return width > 1 and all(c.strip() for c in cells) and len(cells) in (width, repeated_group(header))


def says_something(sentence: str) -> bool:
    return len(re.findall(r"[\u4e00-\u9fff]", sentence)) >= MIN_HAN


def adds_a_limit(question: str, sentence: str) -> bool:
    """The sentence qualifies a term of the question with a limit word (不满8周年) that the
    question itself does not use (满8周年后): it states the other case."""
    q = normalize_query(question)
    s = normalize_query(sentence)
    for word in LIMIT_WORDS:
        if word in q:
            continue
        for m in re.finditer(word, s):
            after = s[m.end():m.end() + 6]
            # the limited thing is one the question names (本市户籍满8周年 ↔ 户籍不满8周年)
            core = re.sub(r"[\d.]+", "", after)[:2]
            if len(core) == 2 and core in q:
                return True
    return False


FULL_DATE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]")


def year_matches(info: QuestionInfo, cand: Candidate) -> bool:
    """A question that names years is answered only where those years are spoken of: the
    sentence's years, else its headings', else the document title's."""
    if not info.years:
        return True
    sentence = cand.sentence
    if set(info.years) <= set(YEAR.findall(normalize_query(cand.title))):
        # The year names the document's edition (2015年…招生通告): a full date in its sentences
        # (2009年8月31日前出生) is a value of that year's rules, not another year's rule.
        sentence = FULL_DATE.sub(" ", normalize_query(sentence))
    for text in (sentence, cand.table_header, " ".join(cand.heading_path), cand.title):
        years = set(YEAR.findall(normalize_query(text)))
        if years:
            return bool(years & set(info.years))
    # Nothing near the sentence names a year: the document must speak of the asked year at all.
    return bool(set(info.years) & cand.doc_years)


def _bare(text: str) -> str:
    return re.sub(r"[\s，,。.;；:：、（）()“”\"']", "", text)
