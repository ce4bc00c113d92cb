"""Checks that each `[n]` in a generated text is supported by passage n.

A sentence's citation holds only when all of these hold against the cited passage:

- **quantities**: every number in the sentence occurs in the passage as the same whole number
  (5% never matches 95%), with the same unit (95% is not 95 所) and no other direction
  (以上/不低于 vs 以下/不超过, 左右); a direction the passage does not state may not be added;
- **words**: enough of the sentence's key words occur in the passage;
- **the quoted span** — the passage sentence(s) that carry the sentence's numbers, else the one
  sharing most words — has the same polarity: a negation (不得, 严禁, 未…) is neither inserted
  nor removed before the same word;
- **subject**: the words before the sentence's predicate (its subject or focus, e.g.
  学前教育三年毛入园率 in …达到95%以上) all occur in the span or in the passage's own title and
  heading path, so a true figure is never given to another subject.

Citations to passages that do not exist are dropped; sentences left with no supported citation
are flagged. Word lists are package data (assistant/data/citecheck.tsv)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..index.lexical import _tokenizer, normalize_query, tokenize
from ..textrules import CN_QUANTITY_DIGITS, NUMBER, WHOLE_NUMBER, cn_quantity_to_int, sentences
from ..types import REFUSAL
from .citeformat import CITATION_MARK as CITE

MIN_KEYWORD_SHARE = 0.5
POST_DIRECTION = ("及以上", "以上", "及以下", "以下", "以内", "左右", "上下")
PRE_WINDOW = 6          # characters before a number searched for 至少/不超过/约…


@dataclass(frozen=True)
class Source:
    """A cited passage: its text, and its own title and heading path (where a subject named
    only in a heading, such as （一）积极发展学前教育, is found)."""
    text: str
    context: str = ""


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str            # "" when the number stands alone
    directions: frozenset[str]   # subset of {"ge", "le", "approx"}


@dataclass(frozen=True)
class CheckedSentence:
    text: str            # without its [n] markers
    cited: tuple[int, ...]
    supported: tuple[int, ...]
    reasons: tuple[str, ...] = ()   # why each unsupported citation failed (for logs and tests)

    @property
    def ok(self) -> bool:
        return bool(self.supported)


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[str, ...]]:
    text = resources.files("assistant").joinpath("data/citecheck.tsv").read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            kind, word = line.split("\t", 1)
            out.setdefault(kind.strip(), []).append(word.strip())
    # Longest first, so 个百分点 wins over 个 and 及以上 over 以上.
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


def _words(kind: str) -> tuple[str, ...]:
    return _lexicon().get(kind, ())


# --- quantities ------------------------------------------------------------------------------
def _normalize(text: str) -> str:
    """Half-width, 百分之N → N%, 2,000 → 2000, 一名/两所 → 1名/2所 (Chinese numerals before a unit)."""
    text = normalize_query(text)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    units = "|".join(re.escape(u) for u in _words("unit") if not u[0].isdigit())
    pattern = re.compile(rf"(?<![{CN_QUANTITY_DIGITS}第])([{CN_QUANTITY_DIGITS}]+)(?=(?:{units}))")

    def to_digits(m: re.Match) -> str:
        n = cn_quantity_to_int(m.group(1))
        return str(n) if n is not None else m.group(0)
    return pattern.sub(to_digits, text)


def quantities(text: str) -> list[tuple[Quantity, int, int]]:
    """Numbers in already normalised text, each with its unit and direction words, and its span."""
    out = []
    units = _words("unit")
    for m in WHOLE_NUMBER.finditer(text):
        end = m.end()
        rest = text[end:end + 6].lstrip()
        unit = next((u for u in units if rest.startswith(u)), "")
        after = rest[len(unit):].lstrip()
        directions = set()
        for word in POST_DIRECTION:
            if after.startswith(word):
                directions.add(_direction_of(word))
                break
        before = re.split(r"[，,。；;、：:（）()]", text[max(0, m.start() - PRE_WINDOW):m.start()])[-1]
        for word, kind in _pre_directions():
            if word in before:
                directions.add(kind)
                before = before.replace(word, "\0")   # 不低于 is not also 低于
        out.append((Quantity(float(m.group(0)), unit, frozenset(d for d in directions if d)), m.start(), end))
    return out


@lru_cache(maxsize=1)
def _pre_directions() -> tuple[tuple[str, str], ...]:
    pairs = [(w, k) for k in ("ge", "le", "approx") for w in _words(k) if w not in POST_DIRECTION]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


def _direction_of(word: str) -> str:
    return next((k for k in ("ge", "le", "approx") if word in _words(k)), "")


def _matches(claim: Quantity, stated: Quantity) -> bool:
    if claim.value != stated.value:
        return False
    if claim.unit and stated.unit and claim.unit != stated.unit:
        return False
    return claim.directions <= stated.directions


# --- words, negation, subject ----------------------------------------------------------------
def _key_words(text: str) -> list[str]:
    return [w for w in tokenize(text) if len(w) >= 2 and not NUMBER.fullmatch(w.rstrip("%"))]


def _tokens(text: str, keep_punct: bool = False) -> list[str]:
    """Precise-mode words, with 不低于/不超过… kept whole so their 不 is not read as a negation."""
    jieba = _tokenizer()
    keep = sorted((w for k in ("ge", "le") for w in _words(k) if w.startswith("不")), key=len, reverse=True)
    out: list[str] = []
    pos = 0
    pattern = re.compile("|".join(re.escape(w) for w in keep)) if keep else None
    for m in (pattern.finditer(text) if pattern else ()):
        out += [t for t in jieba.lcut(text[pos:m.start()]) if keep_punct or t.strip()]
        out.append(m.group(0))
        pos = m.end()
    out += [t for t in jieba.lcut(text[pos:]) if keep_punct or t.strip()]
    return out if keep_punct else [t for t in out if not re.fullmatch(r"[\W_]+", t)]


CLAUSE = re.compile(r"[^，,；;。！？!?：:\n]+")


def _negations(clause: str) -> list[str]:
    words = set(_words("negation"))
    return [t for t in _tokens(clause) if t in words]


def _polarity_error(sentence: str, passage: str) -> str | None:
    """Each clause of the sentence against the passage clause that shares most of its words:
    one negated and the other not means a negation was inserted or removed."""
    p_clauses = [c.group(0) for c in CLAUSE.finditer(passage)]
    for m in CLAUSE.finditer(sentence):
        words = set(_key_words(m.group(0)))
        if len(words) < 2 or not p_clauses:
            continue
        best = max(p_clauses, key=lambda c: sum(w in c for w in words))
        if sum(w in best for w in words) / len(words) < MIN_KEYWORD_SHARE:
            continue
        mine, theirs = _negations(m.group(0)), _negations(best)
        if mine and not theirs:
            return f"加了原文没有的否定词（{mine[0]}）"
        if theirs and not mine:
            return f"去掉了原文的否定词（{theirs[0]}）"
    return None


def split_subject(clause: str) -> tuple[str, str]:
    """(subject, rest): the words before the clause's first predicate or direction word, and the
    text from there on. ("", clause) when the clause starts with its predicate; (clause, "") when
    it has none."""
    predicates = set(_words("predicate")) | set(_words("negation"))
    directions = {w for k in ("ge", "le") for w in _words(k)}
    pos = 0
    for t in _tokens(clause, keep_punct=True):
        if t in predicates or t in directions:
            return clause[:pos], clause[pos:]
        pos += len(t)
    return clause, ""


def subject(sentence: str) -> str:
    return split_subject(sentence)[0] if split_subject(sentence)[1] else ""


def _subject_missing(subject_text: str, span: str, context: str) -> list[str]:
    meta = set(_words("meta"))
    where = span + " " + _normalize(context)
    return [w for w in _key_words(subject_text) if w not in meta and w not in where]


def _clause_subject_error(sentence: str, passage: str, context: str) -> str | None:
    """Each clause's figures must sit in a passage sentence about the clause's own subject
    (a clause with no subject of its own continues the previous one's)."""
    inherited = ""
    for clause in re.split(r"[，,：:]", sentence):
        subj, rest = split_subject(clause)
        if not rest:
            inherited += subj
            continue
        subj = subj if _key_words(subj) else inherited + subj
        inherited = subj
        claims = [q for q, _, _ in quantities(rest)]
        if not claims:
            continue
        span, _ = _span(rest, claims, passage)
        absent = _subject_missing(subj, span, context)
        if absent:
            return f"主语与原文不同（{'、'.join(absent)}）"
    return None


# --- the check -------------------------------------------------------------------------------
def _span(sentence: str, claims: list[Quantity], passage: str) -> tuple[str, list[Quantity]]:
    """The passage sentences that carry the claims (best first), and the claims found nowhere."""
    parts = sentences(passage) or [passage]
    stated = [[q for q, _, _ in quantities(p)] for p in parts]
    words = set(_key_words(sentence))

    def score(i: int) -> tuple[int, int]:
        hits = sum(any(_matches(c, s) for s in stated[i]) for c in claims)
        return hits, sum(w in parts[i] for w in words)
    order = sorted(range(len(parts)), key=lambda i: score(i), reverse=True)
    chosen, missing = [order[0]], []
    for c in claims:
        if any(_matches(c, s) for i in chosen for s in stated[i]):
            continue
        j = next((i for i in order if any(_matches(c, s) for s in stated[i])), None)
        if j is None:
            missing.append(c)
        else:
            chosen.append(j)
    return "".join(parts[i] for i in sorted(chosen)), missing


def why_unsupported(sentence: str, source: Source | str) -> str | None:
    """None when `source` supports `sentence`; otherwise the reason, in Chinese."""
    src = source if isinstance(source, Source) else Source(source)
    s, p = _normalize(sentence), _normalize(src.text)
    claims = [q for q, _, _ in quantities(s)]
    span, missing = _span(s, claims, p)
    if missing:
        q = missing[0]
        return f"原文没有这个数（{q.value:g}{q.unit}）或方向不同"
    words = _key_words(s)
    if not words and not claims:
        return "句子没有可核对的内容"
    polarity = _polarity_error(s, p)
    if polarity:
        return polarity
    absent = _subject_missing(subject(s), span, src.context)
    if absent:
        return f"主语与原文不同（{'、'.join(absent)}）"
    clause_error = _clause_subject_error(s, p, src.context)
    if clause_error:
        return clause_error
    if words and sum(w in p for w in words) / len(words) < MIN_KEYWORD_SHARE:
        return "关键词大多不在原文中"
    return None


def supports(sentence: str, passage: Source | str) -> bool:
    return why_unsupported(sentence, passage) is None


def check(text: str, passages: dict[int, Source] | dict[int, str]) -> list[CheckedSentence]:
    out = []
    for sentence in sentences(text):
        raw = sentence.strip()
        if not raw:
            continue
        cited = tuple(int(n) for n in CITE.findall(raw))
        plain = CITE.sub("", raw).strip()
        if not plain.strip("。；;，, "):
            continue
        supported, reasons = [], []
        for n in cited:
            if n not in passages:
                reasons.append(f"[{n}] 不存在")
                continue
            reason = why_unsupported(plain, passages[n])
            if reason is None:
                supported.append(n)
            else:
                reasons.append(f"[{n}] {reason}")
        out.append(CheckedSentence(plain, cited, tuple(supported), tuple(reasons)))
    return out


def is_refusal(text: str) -> bool:
    return REFUSAL in text and not CITE.search(text)
