"""What a question asks for: its key terms, the kind of answer (number, year, list …), and the
resolution of follow-ups such as 那2020年的目标呢？ against earlier turns."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..index.lexical import normalize_query, tokenize
from ..ingest.places import find_places, most_specific
from ..types import Turn

CN_NUM = "一二三四五六七八九十两百千万零"
UNITS = ("平方米|万元|亿元|万张|万人|周岁|个月|分钟|公里|元|张|人|名|所|个|户|床|项|条|级|期|批|家|岁|年|"
         "次|倍|亩|套|台|分|天|日|月|小时|%")
ASK_UNIT = re.compile(rf"(?:多少|几)({UNITS})")
ASK_NUMBER = re.compile(r"多少|多大|多远|多高|多长|多久|几[个项条级期所名人批家岁]?|比例|比率|第几|百分之|哪一年|哪年|何时|什么时候|数量")
# A county named by its level only (县里、全县、本县、县方案): the county's documents.
COUNTY_WORD = re.compile(r"县里|全县|本县|该县|县级|县方案|县的方案|县城")
ASK_DATE = re.compile(r"哪一天|哪天|哪几天|哪几日|几号|几月几日|几月几号|哪一日|什么日期|哪个日期|什么时间|时间段|起止时间|截止时间|哪段时间")
# 哪个县的: the answer must name a place; 根据哪些文件: it must name a document (《…》).
ASK_PLACE = re.compile(r"哪个(?:县|市|区|省|地方|地区)|哪(?:县|市|区|省)的|哪里的")
ASK_DOCUMENT = re.compile(r"(?:根据|依据|按照)(?:哪些|哪个|哪份|什么)(?:文件|规定|政策|法规)?|依据(?:是什么|的文件)|哪些文件")
# The words that ask (哪几个, 多少, 哪天起): they say how the question asks, never what about.
ASKING = re.compile(r"哪一天|哪几天|哪天|哪一年|哪年|什么时候|什么时间|何时|哪几[个档项条类种所科门]?|哪[些个种类里家]|"
                    r"多少|多大|多长|多久|多高|几[个档项条类种年天月岁次所名人科门]?|什么|怎么样|怎样|怎么|如何|是否|吗|呢|"
                    r"各[科项门类档]|每[科项门]|最[高低]一?[档级]")
ENUMERATION = re.compile(r"[\u4e00-\u9fff\d%）)]、[\u4e00-\u9fff\d（(]|[：:].+；")
# 哪几档/哪些比例 ask for several values; 有什么要求 may be answered by one.
ASK_WHICH = re.compile(r"哪几|哪些|哪[一二三四五六七八九十两]+[项条类种个方面]")
ASK_REQUIREMENT = re.compile(r"什么要求|要求是什么|何要求|什么标准|标准是什么|什么条件|什么限制")
# 各科满分各20分 is per item: it answers 每科/各科/分别, not the whole (满分是多少).
DISTRIBUTIVE_ASK = re.compile(r"各|每|分别|单科|单项")
DISTRIBUTIVE_FIGURE = re.compile(r"各\s*\d+(?:\.\d+)?\s*[\u4e00-\u9fff%]?")
ASK_YEAR = re.compile(r"哪一年|哪年|何时|什么时候|哪个年份")
ASK_LIST = re.compile(r"哪些|哪几|几条|几类|几种|包括什么|有什么|哪[一二三四五六七八九十两]+[项条类种个方面]")
COMPARE = re.compile(r"两份|两个文件|二者|两者|都要求|都提出|对比|比较")
# 分别/各自 compare only when the question names two things joined (东莞和中山…分别); after one
# thing (各学历分别积多少分, 按家庭人口分别是多少) they ask for its parts, not for two documents.
PER_SIDE = re.compile(r"分别|各自")
JOINED = re.compile(r"[\u4e00-\u9fff）)](?:和|与|及|跟|同|、)[\u4e00-\u9fff（(]")
FOLLOW_UP = re.compile(r"^(那|那么|还有|另外|此外|它|其|这)|呢[？?]?$")
# Nouns that name the kind of value asked for, not the thing measured (文号是多少 → a …号).
VALUE_NOUNS = {"文号": re.compile(r"\d+\s*号"),
               # 期限: a date (自2016年1月1日起) or a span of time (有效期5年, 30个工作日).
               "期限": re.compile(r"\d+\s*(?:年|个月|月|日|天|个工作日)|[一二三四五六七八九十两]+(?:年|个月|个工作日)")}
# 一批、一些、一定 are quantities in words only, never the number asked for.
# 第十三条、第二款 are references to other articles, never the value asked for; a lone 一 is
# mostly an article (一年内、一次), not a figure.
NOT_A_NUMBER = re.compile(r"一(?:批|些|定|般|步|律|并|致|起|体|项项|次性|系列|方面|揽子|把手|线)|"
                          r"第[\d一二三四五六七八九十百零]+(?:条|款|项|章|节|款|目|批|期)|(?<![一二三四五六七八九十两百千万零\d])一(?![一二三四五六七八九十百千万零\d])")
NUMBER_IN_TEXT = re.compile(rf"\d|[{CN_NUM}]+(?:{UNITS})")
YEAR = re.compile(r"(?:19|20)\d{2}(?=年|\D|$)")
# A question asking who is responsible: 哪个部门/由谁/牵头单位/责任单位.
ASK_UNIT_OF_WORK = re.compile(r"哪个(?:部门|单位|机关|机构)|哪些(?:部门|单位)|哪一(?:部门|级)|由谁|谁(?:负责|来|审核|核查|办理|牵头)|"
                              r"哪家|什么(?:部门|单位|机关|机构)|牵头单位|责任单位|主管部门是")


@dataclass(frozen=True)
class QuestionInfo:
    text: str
    terms: tuple[str, ...]
    wants_number: bool
    wants_year: bool
    wants_list: bool
    compare: bool
    unit: str | None
    focus: tuple[str, ...] = ()
    value_noun: str | None = None
    unit_noun: str | None = None       # the noun that implies the unit (满分 → 分)
    years: tuple[str, ...] = ()        # years the question names (2016): the answer must be of that year
    wants_date: bool = False           # 哪一天/几月几日: the answer must hold a day
    wants_unit_of_work: bool = False   # 责任单位/牵头/由哪个部门负责
    wants_place: bool = False          # 哪个县的: a named place
    wants_document: bool = False       # 根据哪些文件: a named document 《…》


@lru_cache(maxsize=1)
def implied_units() -> tuple[tuple[str, str], ...]:
    text = resources.files("assistant").joinpath("data/implied_units.tsv").read_text(encoding="utf-8")
    rows = [ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return tuple((r[0].strip(), r[1].strip()) for r in rows if len(r) >= 2)


def analyse(question: str) -> QuestionInfo:
    q = normalize_query(question)
    unit = unit_noun = None
    m = ASK_UNIT.search(q)
    if m:
        unit = m.group(1)
    elif ASK_NUMBER.search(q) or ASK_REQUIREMENT.search(q):
        # 对面积有什么要求 asks for a figure as much as 面积是多少 does.
        # 按年龄段分别是多少: the breakdown names no measure of its own.
        measured = BY_PART.sub("分别", q)
        unit_noun, unit = next(((noun, u) for noun, u in implied_units() if noun in measured), (None, None))
    terms = tuple(dict.fromkeys(tokenize(q)))
    wants_date = bool(ASK_DATE.search(q))
    if wants_date:
        # 哪几天 asks for days of the calendar, not for a count of days or a list of items.
        unit = None if unit in ("天", "日") else unit
        q_items = ASK_DATE.sub(" ", q)
    else:
        q_items = q
    wants_list = bool(ASK_LIST.search(q_items))
    # 哪几条/几类 ask for items, not for a count.
    wants_number = bool(ASK_NUMBER.search(re.sub(r"哪几[条类种项个]?|几[条类种]", "", q_items))) if wants_list \
        else bool(ASK_NUMBER.search(q_items))
    return QuestionInfo(text=q, terms=terms, wants_number=wants_number,
                        wants_year=bool(ASK_YEAR.search(q)), wants_list=wants_list,
                        compare=_compares(q), unit=unit, focus=_focus_terms(q),
                        value_noun=next((n for n in VALUE_NOUNS if n in q), None), unit_noun=unit_noun,
                        years=tuple(dict.fromkeys(YEAR.findall(q))),
                        wants_unit_of_work=bool(ASK_UNIT_OF_WORK.search(q)),
                        wants_date=wants_date,
                        wants_place=bool(ASK_PLACE.search(q)), wants_document=bool(ASK_DOCUMENT.search(q)))


def _compares(q: str) -> bool:
    if COMPARE.search(q):
        return True
    m = PER_SIDE.search(q)
    return bool(m and JOINED.search(q[:m.start()]))


INTERROGATIVE = re.compile(r"多少|多大|几[个项条级期所名人批家岁类种]?|第几|哪一年|哪年|何时|什么时候|是什么")
# Words that frame a value rather than name the thing measured.
FRAME = {"目标", "目标值", "标值", "要求", "最低", "最高", "数量", "达到", "提高", "提高到", "基数", "要", "将", "应",
         "至少", "占", "多", "大", "一年", "是", "为", "年"}


BY_PART = re.compile(r"按照?[^，,。？?]{1,8}?分别")
# A clause that only breaks the asked value down (按家庭人口分别…, 各科…); 每条记录扣多少分 names
# the thing counted, so 每 is no breakdown.
BREAKDOWN = re.compile(rf"{BY_PART.pattern}|各[科项门类档级]|分别")
# 按家庭人口分别是多少 / 各科多少分: one figure per part, so every parallel clause is quoted.
PER_PART = re.compile(rf"{PER_SIDE.pattern}|各[\u4e00-\u9fff]{{1,4}}?(?:多少|几|是)")


def seam_token(t: str) -> bool:
    """额是 from 发放额是多少: two characters across a word seam, ending in 是/的/了; no word of
    what is asked."""
    return len(t) == 2 and t[1] in "是的了"


def _focus_terms(q: str) -> tuple[str, ...]:
    """Key terms of the clause that holds the asking word (…医师数要达到多少): the thing measured."""
    clauses = [c for c in re.split(r"[,，。;；?？!！]", q) if c.strip()]
    for k in range(len(clauses) - 1, -1, -1):
        clause = clauses[k]
        m = ASK_NUMBER.search(clause)
        if m and k > 0 and BREAKDOWN.match(clause.strip()):
            # …配房租赁的建筑面积标准，按家庭人口分别是多少: the clause before names the thing
            # measured; this one says how it is broken down.
            earlier = clauses[k - 1]
            asked = ASK_NUMBER.search(earlier) or ASK_LIST.search(earlier)
            return _measured_terms(earlier[:asked.start()] if asked else earlier)
        if m:
            # The thing measured comes before the asking word (…面积按多少平方米计算 → 面积), unless
            # nothing does (多少人参加…).
            before = clause[:m.start()]
            for place in find_places(before):
                for name in sorted((place.name, *place.aliases), key=len, reverse=True):
                    before = before.replace(name, " ")
            named = [t for t in tokenize(before) if len(t) >= 2 and t not in FRAME and t not in ("提出", "规定", "要求")]
            part = clause[:m.start()] if named else clause
            return _measured_terms(part)
    return ()


def _measured_terms(part: str) -> tuple[str, ...]:
    """The words of a clause that name the thing measured: less asking, framing and seam words."""
    terms = [t for t in tokenize(INTERROGATIVE.sub(" ", part)) if t not in FRAME and t not in VALUE_NOUNS
             and not seam_token(t)]
    return tuple(dict.fromkeys(terms))


def answers_type(info: QuestionInfo, sentence: str, table: bool = False) -> bool:
    """Does the sentence contain the kind of value the question asks for? A table row holds
    its unit in the row label (社会保障卡发放数量(万张)67 86), not after each number."""
    s = normalize_query(sentence)
    if info.value_noun and not VALUE_NOUNS[info.value_noun].search(s):
        return False
    if info.wants_year and not re.search(r"(19|20)\d{2}", s):
        return False
    if info.wants_document and not re.search(r"《[^》]{4,}》", s):
        return False
    if info.wants_place and not find_places(s):
        return False  # 我县、本市 name no place
    if info.wants_date and not re.search(r"\d{1,2}月\d{1,2}[日号]|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日", s):
        return False
    if info.wants_list and (info.unit or info.wants_number) and ASK_WHICH.search(info.text) and not ENUMERATION.search(s) \
            and len(NUMBER_IN_TEXT.findall(NOT_A_NUMBER.sub("", s))) < 2:
        return False  # one sentence answers 比例可选哪几档 only if it lists figures
    if info.unit or info.wants_number:
        s = NOT_A_NUMBER.sub("", s)
        if not DISTRIBUTIVE_ASK.search(info.text):
            s = DISTRIBUTIVE_FIGURE.sub("", s)
    if info.unit and table:
        return info.unit in s and bool(re.search(r"\d", s))
    if info.unit and info.unit_noun and info.unit_noun in s and not re.search(
            rf"{re.escape(info.unit_noun)}[^，,。；;\d]{{0,10}}?[\d{CN_NUM}][\d.]*\s*(?:{_unit_pattern(info.unit)})", s):
        return False  # the sentence names 满分 but gives its figure to nothing (满分各20分 per item)
    if info.unit:
        return bool(re.search(rf"[\d{CN_NUM}]\s*(?:[\d.{CN_NUM}]\s*)*(?:{_unit_pattern(info.unit)})", s))
    if info.wants_number:
        return bool(NUMBER_IN_TEXT.search(s))
    return True


def _unit_pattern(unit: str) -> str:
    """The asked unit as written after a number; 岁 is also written 周岁 (年满60周岁)."""
    return "周?岁" if unit == "岁" else re.escape(unit)


def resolve_follow_up(question: str, history: list[Turn]) -> str:
    """A short or elliptical question is read against the last question asked: its years and
    places replace those of the earlier question, the rest of the earlier question is kept
    (那成都呢？ after 武汉中考总分是多少？ asks about 成都, never about 武汉)."""
    if not history:
        return question
    q = normalize_query(question).strip()
    if not FOLLOW_UP.search(q):
        return question
    previous = normalize_query(resolve_follow_up(history[-1].question, list(history[:-1])))
    years = re.findall(r"(?:19|20)\d{2}", q)
    base = previous
    new_places = most_specific(find_places(q))
    level = COUNTY_WORD.search(q)
    if level and not new_places:
        # 那县里呢？ after a question about 金普新区: the county, not 金普新区 again.
        for named in find_places(base):
            for name in sorted((named.name, *named.aliases), key=len, reverse=True):
                base = base.replace(name, "")
        base = level.group(0) + base
        q = q.replace(level.group(0), "")
    if new_places:
        for named in find_places(base):
            for name in sorted((named.name, *named.aliases), key=len, reverse=True):
                base = base.replace(name, "")
        base = "".join(p.name for p in new_places) + base
        for p in new_places:
            for name in sorted((p.name, *p.aliases), key=len, reverse=True):
                q = q.replace(name, "")
    if years:
        old_years = re.findall(r"(?:19|20)\d{2}", previous)
        for k, y in enumerate(old_years):
            base = base.replace(y, years[min(k, len(years) - 1)])
    rest = re.sub(r"^(那|那么|还有|另外|此外)|呢[？?]?$|[？?]", "", q)
    rest = re.sub(r"(?:19|20)\d{2}年?", "", rest).strip("的 ")
    return f"{base} {rest}".strip() if rest and rest not in base else base
