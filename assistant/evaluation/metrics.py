"""Metric definitions (eval/README.md states them in words). Pure functions, tested on
hand-built cases."""
from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

COVER_SHARE = 0.8
PUNCT_RE = re.compile(r"[\s\u3000,，。.、;；:：!！?？“”\"'‘’()（）\[\]【】〔〕《》<>—\-~·…/|]+")


def strip_ws(text: str) -> str:
    return re.sub(r"\s+", "", text)


def covers(passage_text: str, evidence: str) -> bool:
    """Evidence is covered when, whitespace removed, the passage contains at least 80% of the
    evidence's characters as one contiguous match."""
    p, e = strip_ws(passage_text), strip_ws(evidence)
    if not e:
        return False
    if e in p:
        return True
    m = SequenceMatcher(None, p, e, autojunk=False).find_longest_match(0, len(p), 0, len(e))
    return m.size >= COVER_SHARE * len(e)


def normalize_answer(text: str) -> str:
    """NFKC (full-width to half-width), lower case, no whitespace or punctuation; '.' between
    digits and '%' are kept because they are part of numbers."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"(?<=\d)\.(?=\d)", "<dot>", text)
    text = PUNCT_RE.sub("", text)
    return text.replace("<dot>", ".")


def answer_correct(answer_text: str, gold: str, aliases: list[str]) -> bool:
    """Correct when the normalised answer contains the normalised gold answer or an alias; for
    an enumerated gold answer (three or more items joined by 、) when it contains every item."""
    got = normalize_answer(answer_text)
    for g in [gold, *aliases]:
        ng = normalize_answer(g)
        if ng and ng in got:
            return True
    items = [normalize_answer(x) for x in re.split(r"[、；;]", re.sub(r"[（(].*?[）)]", "", gold))]
    items = [x for x in items if x]
    if len(items) >= 3 and all(x in got for x in items):
        return True
    # A composite answer, one part per place or item (东莞：…100分；中山：…60分): every part's
    # figures, each with its unit, must be in the answer (numbers compared as numbers).
    parts = [p for p in re.split(r"[；;]", re.sub(r"[（(].*?[）)]", "", gold)) if p.strip()]
    if len(parts) < 2:
        return False
    got_figures = set(_figures(answer_text))
    return all(_figures(p) and set(_figures(p)) <= got_figures for p in parts)


def _figures(text: str) -> list[tuple[float, str]]:
    """Numbers with the unit character after them: 100分 → (100.0, '分'), 9％ → (9.0, '%')."""
    t = unicodedata.normalize("NFKC", text)
    return [(float(m.group(1)), m.group(2)) for m in re.finditer(r"(\d+(?:\.\d+)?)\s*([%\u4e00-\u9fff]?)", t)]


@dataclass
class QuestionResult:
    qid: str
    qtype: str
    answerable: bool
    evidence: list[str]
    gold: str
    aliases: list[str]
    ranked_texts: list[str]             # retrieved passages, best first (original-file text)
    answer_text: str
    refused: bool
    cited_texts: list[str]              # text of the passage behind each citation
    retrieve_ms: float = 0.0
    answer_ms: float = 0.0
    extra: dict = field(default_factory=dict)
    outcome: str = ""                   # answer | related | not_found ("" = derived from `refused`)
    asked_places: tuple[str, ...] = ()  # places the question (or its resolved follow-up) is about
    cited_places: tuple[str, ...] = ()  # place of the document behind each citation

    @property
    def answered(self) -> bool:
        return not self.refused


def recall_at(r: QuestionResult, k: int) -> bool:
    top = r.ranked_texts[:k]
    return all(any(covers(t, e) for t in top) for e in r.evidence)


def reciprocal_rank(r: QuestionResult, k: int = 10) -> float:
    for i, t in enumerate(r.ranked_texts[:k], start=1):
        if any(covers(t, e) for e in r.evidence):
            return 1.0 / i
    return 0.0


def citation_ok(r: QuestionResult, cited: str) -> bool:
    if any(covers(cited, e) for e in r.evidence):
        return True
    if not r.answerable:
        return False
    norm = normalize_answer(cited)
    return any(normalize_answer(g) and normalize_answer(g) in norm for g in [r.gold, *r.aliases])


def citation_recall_ok(r: QuestionResult) -> bool:
    return all(any(covers(t, e) for t in r.cited_texts) for e in r.evidence)


def wrong_answer(r: QuestionResult) -> bool:
    """An answer was given and it is wrong: any answer to an unanswerable question, or an
    answer that matches neither the gold answer nor an alias."""
    if r.refused:
        return False
    return (not r.answerable) or not answer_correct(r.answer_text, r.gold, r.aliases)


def place_key(place: str) -> str:
    """北京市 → 北京, 郑州市二七区 → 郑州二七: the name without level suffixes, for comparing."""
    return re.sub(r"(省|市|自治区|新区|开发区|区|县)", "", place)


def same_or_within(cited: str, asked: str) -> bool:
    """The cited document's place is the asked place, or one contains the other by name
    (郑州市 and 郑州市二七区)."""
    a, c = place_key(asked), place_key(cited)
    return bool(a and c and (a == c or a in c or c in a))


def wrong_place(r: QuestionResult) -> bool:
    """An answer citing a document whose place is none of the places the question names."""
    if r.refused or not r.asked_places:
        return False
    return any(cp and not any(same_or_within(cp, ap) for ap in r.asked_places) for cp in r.cited_places)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def _outcome(r: QuestionResult) -> str:
    return r.outcome or ("related" if r.refused else "answer")


def summarize(results: list[QuestionResult], with_latency: bool = True) -> dict:
    ans = [r for r in results if r.answerable]
    unans = [r for r in results if not r.answerable]
    cits = [(r, t) for r in results for t in r.cited_texts]

    def share(xs) -> float:
        xs = list(xs)
        return round(sum(xs) / len(xs), 4) if xs else 0.0

    out: dict[str, Any] = {
        "n": len(results),
        "recall@1": share(recall_at(r, 1) for r in ans),
        "recall@5": share(recall_at(r, 5) for r in ans),
        "recall@10": share(recall_at(r, 10) for r in ans),
        "mrr@10": round(statistics.mean(reciprocal_rank(r) for r in ans), 4) if ans else 0.0,
        "answer_accuracy": share((not r.refused) and answer_correct(r.answer_text, r.gold, r.aliases) for r in ans),
        "citation_precision": share(citation_ok(r, t) for r, t in cits),
        "citation_recall": share((not r.refused) and citation_recall_ok(r) for r in ans),
        "refusal_rate_unanswerable": share(r.refused for r in unans),
        "false_refusal_rate": share(r.refused for r in ans),
        "wrong_answer_rate": share(wrong_answer(r) for r in results),
        "wrong_place_answers": sum(wrong_place(r) for r in results),
        "outcomes": {o: sum(_outcome(r) == o for r in results) for o in ("answer", "related", "not_found")},
    }
    if with_latency:
        out["latency_ms"] = {
            "retrieve_p50": round(_pct([r.retrieve_ms for r in results], 0.5), 2),
            "retrieve_p95": round(_pct([r.retrieve_ms for r in results], 0.95), 2),
            "answer_p50": round(_pct([r.answer_ms for r in results], 0.5), 2),
            "answer_p95": round(_pct([r.answer_ms for r in results], 0.95), 2),
        }
    return out
