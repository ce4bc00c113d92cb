"""The offline answerer on hand-made chunks, without an index or a model: which sentences are
candidates and how they score, when a candidate becomes the answer, the three answer shapes
(one quote, a lead-in and its items, a heading's run-in sub-headings), comparisons, the rescue by
meaning, refusals, and where each citation points in the original file.

The answer check is replaced by a stub that returns the verdict a test sets (its own tests are in
test_answer_check*.py), so each outcome here is the answerer's own doing."""
from __future__ import annotations

import math

import pytest

from assistant.answer.answer_check import Candidate as CheckInput
from assistant.answer.answer_check import Verdict
from assistant.answer.extractive import (
    MAX_ITEMS,
    Candidate,
    ExtractiveAnswerer,
    _item_style,
    idf_from_lexical,
)
from assistant.answer.question import QuestionInfo
from assistant.ingest.chunking import citation_label
from assistant.ingest.cleaning import OffsetMap
from assistant.types import NOT_FOUND_TEXT, RELATED_TEXT, Chunk, Passage

# The original file has a page header before the text the cleaner keeps: every citation's
# offsets are the cleaned offsets shifted by its length.
PREFIX = "（第1页）"
TITLE = "青禾县教育规划"
OK = Verdict(not_heading=True, kind=True, year=True, focus=True, focus_share=1.0)
NO = Verdict(not_heading=True, kind=True, year=True, focus=False, focus_share=0.0)


def chunk(doc: str, n: int, text: str, start: int, path: tuple[str, ...] = (), kind: str = "text",
          title: str = TITLE) -> Chunk:
    o = start + len(PREFIX)
    return Chunk(f"{doc}:{n}", doc, title, path, citation_label(path), text, start, start + len(text), o,
                 o + len(text), kind, n)


def doc_chunks(doc: str, pieces: list[tuple[str, tuple[str, ...]]], kind: str = "text",
               title: str = TITLE) -> list[Chunk]:
    """Consecutive chunks of one document: (text, heading path) each."""
    out, pos = [], 0
    for n, (text, path) in enumerate(pieces):
        out.append(chunk(doc, n, text, pos, path, kind, title))
        pos += len(text)
    return out


class StubCheck:
    """The answer check's seam: `verdicts` by sentence (default: `default`); every input recorded."""

    def __init__(self, verdicts: dict[str, Verdict] | None = None, default: Verdict = OK) -> None:
        self.verdicts, self.default, self.seen, self.infos = verdicts or {}, default, [], []

    def verify(self, info: QuestionInfo, cand: CheckInput) -> Verdict:
        self.seen.append(cand)
        self.infos.append(info)
        return self.verdicts.get(cand.sentence, self.default)


def answerer(chunks: list[Chunk], idf: dict | None = None, check: StubCheck | None = None,
             **kw) -> ExtractiveAnswerer:
    by_doc: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    texts = {d: "".join(c.text for c in sorted(cs, key=lambda c: c.start)) for d, cs in by_doc.items()}
    return ExtractiveAnswerer(idf if idf is not None else {},
                              lambda d: OffsetMap(((0, len(PREFIX), len(texts[d])),)),
                              lambda d: PREFIX + texts[d], lambda d: by_doc.get(d, []),
                              check=check or StubCheck(), **kw)


def question(text: str, terms: tuple[str, ...], *, number: bool = True, wants_list: bool = False,
             compare: bool = False) -> QuestionInfo:
    return QuestionInfo(text=text, terms=terms, wants_number=number, wants_year=False, wants_list=wants_list,
                        compare=compare, unit=None)


RATE = question("学前教育毛入园率达到多少", ("学前教育", "入园率"))


# --- weights and coverage ------------------------------------------------------------------
def test_weight_is_the_idf_with_a_floor_single_characters_count_less_and_unknown_terms_most():
    a = answerer([], idf={"入园率": 2.5, "的": 0.05, "率": 1.0, "教育": 0.5})
    assert a.max_idf == 2.5
    assert a.weight("入园率") == 2.5 and a.weight("教育") == 0.5
    assert a.weight("的") == pytest.approx(0.1 * 0.3)      # the floor, then the single-character cut
    assert a.weight("率") == pytest.approx(0.3)
    assert a.weight("托育") == 2.5                          # never used by the corpus: the most telling
    assert a.weight("托") == pytest.approx(0.75)
    assert answerer([]).max_idf == 1.0                       # an empty table weighs every word 1


def test_an_idf_table_that_knows_its_maximum_is_asked_for_it():
    class Table(dict):
        max_idf = 7.0
    assert answerer([], idf=Table({"教育": 3.0})).weight("托育") == 7.0


def test_coverage_is_the_weighted_share_of_the_terms_in_the_text():
    a = answerer([], idf={"学前教育": 3.0, "入园率": 1.0})
    assert a.coverage(("学前教育", "入园率"), "入园率达到95%") == pytest.approx(0.25)
    assert a.coverage(("学前教育", "入园率"), "学前教育入园率") == 1.0
    assert a.coverage((), "任何文字") == 0.0


def test_document_years_are_read_once_from_every_chunk_of_the_document():
    chunks = doc_chunks("d", [("到２０２５年，", ()), ("2030年远景。", ()), ("第1899号不是年份，到20", ()),
                              ("35年。", ())])
    calls = []
    a = answerer(chunks)
    inner = a.chunks_for_doc
    a.chunks_for_doc = lambda d: calls.append(d) or inner(d)
    # Full-width digits are years too, and so is a year cut by a chunk boundary (20|35年).
    assert a.doc_years("d") == frozenset({"2025", "2030", "2035"})
    assert a.doc_years("d") == frozenset({"2025", "2030", "2035"}) and calls == ["d"]
    assert a.doc_years("none") == frozenset()


# --- candidates ---------------------------------------------------------------------------------
def test_candidates_score_each_sentence_by_its_own_terms_the_context_and_the_passage_rank():
    first = chunk("d", 0, "到2025年，学前教育毛入园率达到95%。加强师资。", 0, ("一、学前教育",))
    second = chunk("d", 1, "入园率稳步提高。", len(first.text))
    cands = answerer([first, second]).candidates(RATE, [Passage(first, 0.8, 1), Passage(second, 0.4, 2)])
    got = [(c.text, c.start, c.end, c.coverage, round(c.score, 6), c.typed) for c in cands]
    assert got == [
        # both terms in the sentence (0.55 + 0.3), top passage (0.15), the heading names 学前教育 (+0.15)
        ("到2025年，学前教育毛入园率达到95%。", 0, 21, 1.0, 1.15, True),
        # half the terms, half the top score, no number: (0.275 + 0.15 + 0.075) × 0.6
        ("入园率稳步提高。", 26, 34, 0.5, 0.3, False),
        # only the heading holds a term; named heading; no number: (0 + 0.15 + 0.15 + 0.15) × 0.6
        ("加强师资。", 21, 26, 0.5, 0.27, False),
    ]
    assert [c.passage.chunk.chunk_id for c in cands] == ["d:0", "d:1", "d:0"]


def test_words_of_the_title_count_for_the_context_only_unless_all_are_in_it():
    c = chunk("d", 0, "学前教育稳步发展。", 0, title="学前教育三年行动计划")
    only_title = answerer([c]).candidates(RATE, [Passage(c, 1.0, 1)])
    # 学前教育 names the document: the sentence's own share is 入园率's, which it lacks.
    assert [round(x.score, 6) for x in only_title] == [round((0.0 + 0.3 * 0.5 + 0.15) * 0.6, 6)]
    everything = question("学前教育怎么样", ("学前教育",), number=False)
    [cand] = answerer([c]).candidates(everything, [Passage(c, 1.0, 1)])
    assert (cand.coverage, round(cand.score, 6)) == (1.0, 1.0)


def test_fragments_and_a_tables_header_row_are_never_candidates():
    text = "好的。指标 2015年 2020年 入园率(%) 80 95"
    table = chunk("d", 0, text, 0, ("（一）主要指标",), kind="table")
    cands = answerer([table]).candidates(RATE, [Passage(table, 1.0, 1)])
    assert [c.text for c in cands] == ["入园率(%) 80 95"]
    assert answerer([]).candidates(RATE, []) == []


def test_a_passage_score_of_zero_at_the_top_adds_nothing_for_rank():
    c = chunk("d", 0, "入园率达到95%。", 0)
    [cand] = answerer([c]).candidates(RATE, [Passage(c, 0.0, 1)])
    assert round(cand.score, 6) == round(0.55 * 0.5 + 0.3 * 0.5, 6)


# --- one quote ------------------------------------------------------------------------------------
def test_the_best_verified_sentence_is_quoted_with_its_place_in_the_original_file():
    first = chunk("d", 0, "到2025年，学前教育毛入园率达到95%。加强师资。", 0, ("一、总体目标", "（一）学前教育"))
    check = StubCheck()
    a = answerer([first], check=check, name_for={"d": "青禾县教育规划 jy2025"}.get)
    answer = a.answer("学前教育毛入园率要达到多少？", RATE, [Passage(first, 0.8, 1)])
    assert answer.question == "学前教育毛入园率要达到多少？" and check.infos == [RATE]
    assert (answer.outcome, answer.grounded, answer.confidence) == ("answer", True, 1.0)
    assert answer.text == "据《青禾县教育规划》一（一）：“到2025年，学前教育毛入园率达到95%。”[1]"
    [c] = answer.citations
    assert (c.n, c.doc_id, c.chunk_id, c.title, c.citation_label, c.heading_path) == (
        1, "d", "d:0", TITLE, "一（一）", ("一、总体目标", "（一）学前教育"))
    assert (c.start, c.end) == (len(PREFIX), len(PREFIX) + 21)
    assert c.quote == c.source_text == "到2025年，学前教育毛入园率达到95%。"
    assert c.score == 1.15 and answer.passages == (Passage(first, 0.8, 1),)
    # The check sees the sentence where it sits: the document's name, the section, the years.
    [seen] = check.seen
    assert seen == CheckInput(sentence="到2025年，学前教育毛入园率达到95%。", heading_path=first.heading_path,
                              title="青禾县教育规划 jy2025", section_text=first.text, kind="text", table_header="",
                              doc_years=frozenset({"2025"}))


def test_the_check_falls_back_to_the_chunk_title_and_reads_a_tables_header():
    rows = chunk("d", 0, "指标 2015年 2020年 入园率(%) 80 95", 0, ("（一）主要指标",), kind="table")
    check = StubCheck()
    answer = answerer([rows], check=check).answer("q", RATE, [Passage(rows, 1.0, 1)])
    assert check.seen[0].title == TITLE and check.seen[0].table_header == "指标 2015年 2020年"
    assert check.seen[0].kind == "table"
    # A table row is read by its columns after the quote.
    assert answer.text == "据《青禾县教育规划》（一）：“入园率(%) 80 95”（即入园率：2015年 80%，2020年 95%）[1]"


def test_a_document_mark_inside_a_quote_is_not_a_citation_mark():
    c = chunk("d", 0, "入园率达到95%[1]。", 0)
    answer = answerer([c]).answer("q", RATE, [Passage(c, 1.0, 1)])
    assert answer.text == "据《青禾县教育规划》：“入园率达到95%［1］。”[1]"


def test_the_first_verified_candidate_wins_and_a_failed_check_moves_to_the_next():
    c = chunk("d", 0, "学前教育毛入园率达到95%。入园率达到90%。", 0)
    a = answerer([c], check=StubCheck({"学前教育毛入园率达到95%。": NO}))
    answer = a.answer("q", RATE, [Passage(c, 1.0, 1)])
    assert [x.quote for x in answer.citations] == ["入园率达到90%。"]
    assert [s.sentence for s in a.check.seen] == ["学前教育毛入园率达到95%。", "入园率达到90%。"]


def test_below_the_coverage_threshold_or_without_the_asked_kind_a_sentence_is_not_checked():
    c = chunk("d", 0, "学前教育稳步发展。入园率达到95%。", 0)
    check = StubCheck()
    # 入园率 alone is half the terms: below a threshold of 0.6, above half of it (related).
    answer = answerer([c], check=check, threshold=0.6).answer("q", RATE, [Passage(c, 1.0, 1)])
    assert (answer.outcome, answer.text, answer.citations) == ("related", RELATED_TEXT, ())
    assert check.seen == []          # 学前教育稳步发展。 has no number; the other too little coverage
    assert answerer([c], threshold=0.5).answer("q", RATE, [Passage(c, 1.0, 1)]).outcome == "answer"


def test_only_the_first_twelve_candidates_are_checked():
    text = "".join(f"入园率达到{k}%。" for k in range(13))
    c = chunk("d", 0, text, 0)
    check = StubCheck(default=NO)
    answerer([c], check=check).answer("q", question("入园率", ("入园率",)), [Passage(c, 1.0, 1)])
    assert len(check.seen) == 12


def test_the_confidence_must_reach_its_minimum():
    c = chunk("d", 0, "入园率达到95%。", 0)
    half = Verdict(True, True, True, True, focus_share=0.5)
    # 0.5 × 0.5 + 0.3 × 0.5 + 0.2 × min(1, 0.55×0.5 + 0.3×0.5 + 0.15) = 0.25 + 0.15 + 0.115
    a = answerer([c], check=StubCheck(default=half), min_confidence=0.515)
    assert a.answer("q", RATE, [Passage(c, 1.0, 1)]).confidence == 0.515
    a = answerer([c], check=StubCheck(default=half), min_confidence=0.5151)
    assert a.answer("q", RATE, [Passage(c, 1.0, 1)]).outcome == "related"


def test_confidence_combines_focus_coverage_and_score_capped_at_one():
    c = chunk("d", 0, "x", 0)
    a = answerer([c])
    cand = Candidate(Passage(c, 1.0, 1), 0, 1, "x", coverage=0.4, score=2.0, typed=True,
                     verdict=Verdict(True, True, True, True, 0.6))
    assert a.confidence(cand) == round(0.5 * 0.6 + 0.3 * 0.4 + 0.2 * 1.0, 4)
    assert a.confidence(Candidate(Passage(c, 1.0, 1), 0, 1, "x", 1.0, 1.0, True,
                                  Verdict(True, True, True, True, 1.0))) == 1.0
    assert a.confidence(Candidate(Passage(c, 1.0, 1), 0, 1, "x", 0.5, 0.5, True)) == round(0.15 + 0.1, 4)


def test_a_fragment_is_skipped_and_the_sentences_after_it_are_still_read():
    c = chunk("d", 0, "好。入园率达到95%。", 0)
    assert [x.text for x in answerer([c]).candidates(RATE, [Passage(c, 1.0, 1)])] == ["入园率达到95%。"]


def test_an_unchecked_candidate_is_passed_over_not_the_end_of_the_search():
    # The named heading lifts the sentence without a number above the one with it.
    named = chunk("d", 0, "学前教育入园率稳步提高。", 0, ("一、学前教育",))
    plain = chunk("d", 1, "入园率达到95%。", len(named.text))
    a = answerer([named, plain])
    passages = [Passage(named, 1.0, 1), Passage(plain, 1.0, 2)]
    assert [c.text for c in a.candidates(RATE, passages)] == ["学前教育入园率稳步提高。", "入园率达到95%。"]
    assert [c.quote for c in a.answer("q", RATE, passages).citations] == ["入园率达到95%。"]


def test_a_table_row_holds_its_unit_in_its_label():
    rows = chunk("d", 0, "指标 2015年 2020年 社会保障卡发放数量(万张) 67 86", 0, ("（二）指标",), kind="table")
    info = QuestionInfo(text="社会保障卡发放数量是多少万张", terms=("社会保障卡",), wants_number=True, wants_year=False,
                        wants_list=False, compare=False, unit="万张")
    [cand] = answerer([rows]).candidates(info, [Passage(rows, 1.0, 1)])
    assert (cand.text, cand.typed) == ("社会保障卡发放数量(万张) 67 86", True)


def test_a_table_split_over_chunks_is_read_as_one_and_a_row_without_a_reading_is_quoted_alone():
    head = chunk("d", 0, "指标 2015年 2020年 入园率(%) 80 95", 0, ("（一）主要指标",), kind="table")
    tail = chunk("d", 1, "师资比(%) 10 12", len(head.text), ("（一）主要指标",), kind="table")
    info = question("师资比是多少", ("师资比",))
    check = StubCheck()
    answer = answerer([head, tail], check=check).answer("q", info, [Passage(tail, 1.0, 1)])
    assert answer.text == "据《青禾县教育规划》（一）：“师资比(%) 10 12”（即师资比：2015年 10%，2020年 12%）[1]"
    assert check.seen[0].table_header == "指标 2015年 2020年"      # found in the table's first chunk
    lone = chunk("e", 0, "生均面积(平方米) 10 12", 0, ("（三）附表",), kind="table")
    check = StubCheck()
    answer = answerer([lone], check=check).answer("q", question("生均面积是多少", ("生均面积",)),
                                                  [Passage(lone, 1.0, 1)])
    assert answer.text == "据《青禾县教育规划》（三）：“生均面积(平方米) 10 12”[1]"
    assert check.seen[0].table_header == ""


def test_scores_and_confidence_are_rounded_to_four_places():
    top = chunk("d", 0, "其他内容。", 0)
    c = chunk("d", 1, "学前教育入园率达到95%。", 5)
    half = Verdict(True, True, True, True, focus_share=0.5)
    a = answerer([top, c], check=StubCheck({"其他内容。": NO}, default=half))
    answer = a.answer("q", RATE, [Passage(top, 0.9, 1), Passage(c, 0.7, 2)])
    # 0.55 + 0.3 + 0.15 × 0.7 / 0.9 = 0.96666…; confidence 0.25 + 0.3 + 0.2 × 0.96666… = 0.74333…
    assert answer.citations[0].score == 0.9667 and answer.confidence == 0.7433


def test_without_a_check_given_the_answerer_checks_with_its_own_weights():
    a = answerer([], idf={"入园率": 2.5})
    default = ExtractiveAnswerer({"入园率": 2.5}, None, None, lambda d: [])
    assert default.check.weight("入园率") == a.weight("入园率") == 2.5
    assert default.check.weight("托育") == 2.5 and default.rescue_by_meaning(RATE, []) == []


def test_an_answer_composed_without_verdicts_has_no_confidence():
    c = chunk("d", 0, "入园率达到95%。", 0)
    answer = answerer([c]).compose("q", [Candidate(Passage(c, 1.0, 1), 0, 9, "入园率达到95%。", 1.0, 1.0, True)],
                                   [Passage(c, 1.0, 1)])
    assert (answer.confidence, answer.question, answer.outcome) == (0.0, "q", "answer")


# --- refusals -------------------------------------------------------------------------------------
def test_refusals_say_related_when_passages_help_and_not_found_otherwise():
    c = chunk("d", 0, "入园率达到95%。", 0)
    a = answerer([c])
    related = a.refuse("q", [Passage(c, 1.0, 1)])
    assert (related.question, related.outcome, related.text, related.grounded, related.passages) == (
        "q", "related", RELATED_TEXT, False, (Passage(c, 1.0, 1),))
    assert (a.refuse("q", []).question, a.refuse("q", []).outcome, a.refuse("q", []).text) == (
        "q", "not_found", NOT_FOUND_TEXT)
    unrelated = a.refuse("q", [Passage(c, 1.0, 1)], related=False)
    assert (unrelated.outcome, unrelated.text, unrelated.passages) == ("not_found", NOT_FOUND_TEXT,
                                                                       (Passage(c, 1.0, 1),))
    assert (a.answer("q", RATE, []).outcome, a.answer("q", RATE, []).question) == ("not_found", "q")


def test_a_refusal_is_related_only_when_the_best_candidate_has_half_the_threshold():
    c = chunk("d", 0, "入园率稳步提高。", 0)
    check = StubCheck(default=NO)
    # coverage 0.5; threshold 1.0: 0.5 >= 0.5 → related; threshold 1.01: not found
    related = answerer([c], check=check, threshold=1.0).answer("q", RATE, [Passage(c, 1.0, 1)])
    assert (related.outcome, related.question) == ("related", "q")
    assert answerer([c], check=check, threshold=1.01).answer("q", RATE, [Passage(c, 1.0, 1)]).outcome == "not_found"


# --- comparisons ----------------------------------------------------------------------------------
CMP = question("两份文件的入园率分别是多少", ("入园率",), compare=True)


def test_a_comparison_quotes_one_sentence_from_each_document_named_by_its_title():
    a_doc = chunk("a", 0, "入园率达到95%。", 0, ("一、目标",), title="甲县规划")
    b_doc = chunk("b", 0, "入园率达到90%。", 0, ("二、任务",), title="乙县规划")
    answer = answerer([a_doc, b_doc]).answer("q", CMP, [Passage(a_doc, 1.0, 1), Passage(b_doc, 0.9, 2)])
    assert answer.text == "《甲县规划》一：“入园率达到95%。”[1]\n《乙县规划》二：“入园率达到90%。”[2]"
    assert [(c.n, c.doc_id) for c in answer.citations] == [(1, "a"), (2, "b")]


def test_a_comparison_answered_from_one_document_only_is_refused():
    a_doc = chunk("a", 0, "入园率达到95%。入园率达到96%。", 0, title="甲县规划")
    b_doc = chunk("b", 0, "入园率达到90%。", 0, title="乙县规划")
    passages = [Passage(a_doc, 1.0, 1), Passage(b_doc, 0.9, 2)]
    refused = answerer([a_doc, b_doc], check=StubCheck({"入园率达到90%。": NO})).answer("q", CMP, passages)
    assert (refused.outcome, refused.citations, refused.question) == ("related", (), "q")
    assert answerer([a_doc], check=StubCheck()).answer("q", CMP, passages[:1]).outcome == "related"


def test_the_other_side_of_a_comparison_needs_coverage_and_the_asked_kind():
    a_doc = chunk("a", 0, "入园率达到95%。", 0, title="甲县规划")
    b_doc = chunk("b", 0, "入园率稳步提高。", 0, title="乙县规划")  # no number
    passages = [Passage(a_doc, 1.0, 1), Passage(b_doc, 0.9, 2)]
    assert answerer([a_doc, b_doc]).answer("q", CMP, passages).outcome == "related"
    two = question("两份文件的入园率和师资分别是多少", ("入园率", "师资"), compare=True)
    a_full = chunk("a", 0, "入园率和师资达到95%。", 0, title="甲县规划")   # both terms: 1.0
    b_half = chunk("b", 0, "入园率达到90%。", 0, title="乙县规划")         # half the terms: 0.5
    passages = [Passage(a_full, 1.0, 1), Passage(b_half, 0.9, 2)]
    # The other side needs 0.8 × the threshold: 0.5 ≥ 0.48 at 0.6, 0.5 < 0.504 at 0.63.
    assert answerer([a_full, b_half], threshold=0.6).answer("q", two, passages).outcome == "answer"
    assert answerer([a_full, b_half], threshold=0.63).answer("q", two, passages).outcome == "related"
    assert answerer([a_full, b_half], threshold=0.625).answer("q", two, passages).outcome == "answer"  # 0.5 = 0.5


# --- the rescue by meaning --------------------------------------------------------------------------
def _rescue(sims, **kw):
    c = chunk("d", 0, "托育机构稳步发展95家。幼儿园有90所。其他3项。", 0)
    info = question("托位有多少", ("托位",))
    check = StubCheck(**kw.pop("check", {}))
    a = answerer([c], check=check, similarity=lambda q, sents: sims[:len(sents)], rescue_min=0.8,
                 rescue_margin=0.05, **kw)
    return a, info, [Passage(c, 1.0, 1)]


def test_a_sentence_close_in_meaning_and_clearly_first_is_rescued():
    a, info, passages = _rescue([0.9, 0.84, 0.1])
    answer = a.answer("托位有多少", info, passages)
    assert [c.quote for c in answer.citations] == ["托育机构稳步发展95家。"] and answer.question == "托位有多少"
    assert a.check.infos == [info]


def test_the_rescue_ranks_by_similarity_and_accepts_the_minimum_itself():
    a, info, passages = _rescue([0.1, 0.8, 0.2])
    asked = []
    sims = a.similarity
    a.similarity = lambda q, sents: asked.append(q) or sims(q, sents)
    got = a.rescue_by_meaning(info, a.candidates(info, passages))
    assert [c.text for c in got] == ["幼儿园有90所。"] and asked == ["托位有多少"]


def test_a_lone_candidate_is_rescued_by_its_own_similarity():
    c = chunk("d", 0, "托育机构95家。", 0)
    info = question("托位有多少", ("托位",))
    a = answerer([c], similarity=lambda q, s: [0.9], rescue_min=0.8, rescue_margin=0.05)
    assert [x.text for x in a.rescue_by_meaning(info, a.candidates(info, [Passage(c, 1.0, 1)]))] == ["托育机构95家。"]


@pytest.mark.parametrize("sims", [[0.79, 0.1, 0.1], [0.9, 0.86, 0.1]])
def test_no_rescue_below_the_minimum_or_without_a_clear_margin(sims):
    a, info, passages = _rescue(sims)
    # No sentence shares a term with the question: nothing found, not even related content.
    answer = a.answer("q", info, passages)
    assert (answer.outcome, answer.citations) == ("not_found", ())


def test_the_rescue_is_off_without_a_similarity_or_at_a_minimum_of_one():
    c = chunk("d", 0, "托育机构稳步发展95家。", 0)
    info = question("托位有多少", ("托位",))
    assert answerer([c]).rescue_by_meaning(info, answerer([c]).candidates(info, [Passage(c, 1.0, 1)])) == []
    a = answerer([c], similarity=lambda q, s: [1.0] * len(s), rescue_min=1.0)
    assert a.rescue_by_meaning(info, a.candidates(info, [Passage(c, 1.0, 1)])) == []
    a = answerer([c], similarity=lambda q, s: [1.0] * len(s), rescue_min=0.9)
    assert a.rescue_by_meaning(info, []) == []


@pytest.mark.parametrize("verdict,rescued", [
    (Verdict(True, True, True, False, 0.1), True),     # focus fails, but shares the floor: rescued
    (Verdict(True, True, True, False, 0.09), False),   # shares less than the floor
    (Verdict(False, True, True, False, 0.5), False),   # a heading
    (Verdict(True, False, True, False, 0.5), False),   # not the asked kind
    (Verdict(True, True, False, False, 0.5), False),   # another year
])
def test_a_rescued_sentence_must_pass_every_other_part_of_the_check(verdict, rescued):
    a, info, passages = _rescue([0.9, 0.1, 0.1], check={"default": verdict})
    got = a.rescue_by_meaning(info, a.candidates(info, passages))
    assert [c.text for c in got] == (["托育机构稳步发展95家。"] if rescued else [])


def test_the_rescue_takes_a_typed_sentence_from_the_first_eight_only():
    c = chunk("d", 0, "托育机构稳步发展。" + "".join(f"托位{k}个。" for k in range(9)), 0)
    info = question("托位有多少", ("托位",))
    asked = []

    def sims(q, sents):
        asked.append(len(sents))
        return [0.95 if s == "托育机构稳步发展。" else 0.1 for s in sents]
    a = answerer([c], check=StubCheck(default=NO), similarity=sims, rescue_min=0.8)
    cands = a.candidates(info, [Passage(c, 1.0, 1)])
    # the top one by meaning has no number: nothing is rescued
    assert a.rescue_by_meaning(info, cands) == [] and asked == [8]


# --- lists ----------------------------------------------------------------------------------------
LIST_Q = question("申请需要符合哪些条件", ("申请", "条件"), number=False, wants_list=True)


def test_a_lead_in_sentence_is_answered_with_the_items_that_follow_it():
    chunks = doc_chunks("d", [("申请需符合下列条件：", ("三、申请条件",)),
                              ("（一）本县户籍；\n（二）年满18周岁；\n", ("三、申请条件", "（一）条件")),
                              ("（三）无住房。\n1.其他事项。", ("三、申请条件", "（一）条件"))])
    check = StubCheck()
    answer = answerer(chunks, check=check).answer("q", LIST_Q, [Passage(chunks[0], 1.0, 1)])
    assert answer.question == "q" and check.infos == [LIST_Q]
    assert answer.text == ("据《青禾县教育规划》三：“申请需符合下列条件：”[1]\n"
                           "1. “（一）本县户籍；”[2]\n2. “（二）年满18周岁；”[3]\n3. “（三）无住房。”[4]")
    assert [c.chunk_id for c in answer.citations] == ["d:0", "d:1", "d:1", "d:2"]
    starts = [c.start - len(PREFIX) for c in answer.citations]
    full = "".join(c.text for c in chunks)
    assert [full[s:s + 2] for s in starts] == ["申请", "（一", "（二", "（三"]
    assert answer.confidence == 1.0 and answer.outcome == "answer"
    # The lead-in keeps its own score and verdict: a half focus lowers the answer's confidence.
    half = StubCheck(default=Verdict(True, True, True, True, 0.5))
    info = question("申请需要符合哪些条件和材料", ("申请", "条件", "材料"), number=False, wants_list=True)
    answer = answerer(chunks, check=half).answer("q", info, [Passage(chunks[0], 1.0, 1)])
    # two of three terms: 0.85 × 2/3 + 0.15 = 0.71666…
    assert answer.citations[0].score == 0.7167
    assert answer.confidence == round(0.25 + 0.3 * 2 / 3 + 0.2 * (0.85 * 2 / 3 + 0.15), 4)


def test_a_lead_in_ends_with_a_colon_and_is_among_the_first_eight_candidates():
    chunks = doc_chunks("d", [("申请人应当具备的条件：", ()), ("（一）甲；\n（二）乙；\n", ())])
    info = question("申请人应当具备哪些条件", ("申请人", "条件"), number=False, wants_list=True)
    a = answerer(chunks)
    cands = a.candidates(info, [Passage(chunks[0], 1.0, 1)])
    assert [c.text for c in a.list_from_enumeration(info, cands)] == ["申请人应当具备的条件：", "（一）甲；", "（二）乙；"]
    lead = next(c for c in cands if c.text == "申请人应当具备的条件：")
    filler = [Candidate(lead.passage, 0, 1, f"第{k}句。", 1.0, 9.0, True) for k in range(8)]
    assert a.list_from_enumeration(info, filler + [lead]) == []
    assert len(a.list_from_enumeration(info, filler[:7] + [lead])) == 3


def test_a_lead_in_needs_its_focus_and_year_and_two_items_of_one_style():
    lead = ("下列情形不予受理：", ())
    items = ("（一）材料不全；\n（二）逾期申请；\n", ())
    chunks = doc_chunks("d", [lead, items])
    info = question("哪些情形不予受理", ("情形", "受理"), number=False, wants_list=True)
    no_focus = StubCheck({"下列情形不予受理：": Verdict(False, True, True, False, 0.0)}, default=NO)
    assert answerer(chunks, check=no_focus).list_from_enumeration(
        info, answerer(chunks).candidates(info, [Passage(chunks[0], 1.0, 1)])) == []
    mixed = doc_chunks("d", [lead, ("（一）材料不全；\n1.逾期申请。\n", ())])
    a = answerer(mixed)
    assert a.list_from_enumeration(info, a.candidates(info, [Passage(mixed[0], 1.0, 1)])) == []
    # A heading verdict (the lead-in ends with ：) does not stop it: only focus and year count.
    heading = StubCheck(default=Verdict(False, True, True, True, 1.0))
    a = answerer(chunks, check=heading)
    got = a.list_from_enumeration(info, a.candidates(info, [Passage(chunks[0], 1.0, 1)]))
    assert [c.text for c in got] == ["下列情形不予受理：", "（一）材料不全；", "（二）逾期申请；"]


def test_a_lead_in_is_a_sentence_ending_with_a_colon_or_naming_what_follows():
    chunks = doc_chunks("d", [("具体包括以下内容", ()), ("\n一是加强领导；\n二是落实责任。\n", ())])
    info = question("包括哪些内容", ("内容",), number=False, wants_list=True)
    a = answerer(chunks)
    got = a.list_from_enumeration(info, a.candidates(info, [Passage(chunks[0], 1.0, 1)]))
    assert [c.text for c in got] == ["具体包括以下内容", "一是加强领导；", "二是落实责任。"]


def test_items_stop_at_the_first_line_of_another_style_and_at_the_maximum():
    lines = "".join(f"{k}.第{k}项；\n" for k in range(1, MAX_ITEMS + 3))
    chunks = doc_chunks("d", [("要求如下：", ()), (lines, ())])
    a = answerer(chunks)
    lead = a.candidates(LIST_Q, [Passage(chunks[0], 1.0, 1)])[0]
    items = a.items_after(lead)
    assert len(items) == MAX_ITEMS and items[-1].text == f"{MAX_ITEMS}.第{MAX_ITEMS}项；"
    one = doc_chunks("d", [("要求如下：", ()), ("1.只有一项；\n（二）另一种；\n", ())])
    a = answerer(one)
    assert a.items_after(a.candidates(LIST_Q, [Passage(one[0], 1.0, 1)])[0]) == []
    two = doc_chunks("d", [("要求如下：", ()), ("1.甲；\n2.乙；\n（三）另一种；\n", ())])
    a = answerer(two)
    assert [c.text for c in a.items_after(a.candidates(LIST_Q, [Passage(two[0], 1.0, 1)])[0])] == ["1.甲；", "2.乙；"]


def test_items_are_read_after_the_lead_in_only():
    chunks = doc_chunks("d", [("（一）之前的项；\n（二）之前的项；\n", ()), ("要求如下：", ()),
                              ("（一）甲；\n（二）乙；\n", ())])
    a = answerer(chunks)
    lead = next(c for c in a.candidates(LIST_Q, [Passage(chunks[1], 1.0, 1)]) if c.text == "要求如下：")
    assert [c.text for c in a.items_after(lead)] == ["（一）甲；", "（二）乙；"]


@pytest.mark.parametrize("marker,style", [("（一）", "paren-cn"), ("(二)", "paren-cn"), ("（1）", "paren-num"),
                                          ("(2)", "paren-num"), ("1.", "num"), ("12、", "num"), ("一是", "shi"),
                                          ("第一，", "di"), ("③", "circled"), ("⑩", "circled"), ("⑳", "circled"),
                                          ("三、", "cn")])
def test_item_marker_styles(marker, style):
    assert _item_style(marker) == style


def _principles():
    return doc_chunks("d", [
        ("坚持原则。", ("二、基本原则",)),
        ("保障基本。守住底线，兜牢民生。", ("二、基本原则", "保障基本")),
        ("补充说明。", ("二、基本原则", "保障基本")),
        ("促进均等。缩小差距。", ("二、基本原则", "促进均等")),
        ("强化责任。落实责任。", ("二、基本原则", "强化责任")),
    ])


def test_run_in_sub_headings_two_levels_down_under_a_named_heading():
    path = ("一、总体要求", "（二）基本原则")
    chunks = doc_chunks("d", [("总的要求。", path[:1]), ("坚持原则。", path),
                              ("守住底线。兜牢民生。", (*path, "保障基本")),
                              ("促进均等。缩小差距。", (*path, "促进均等")),
                              ("另一节。", ("一、总体要求", "（三）主要目标")),
                              ("目标一。", ("一、总体要求", "（三）主要目标", "目标一"))])
    info = question("确立了哪几条基本原则", ("基本原则",), number=False, wants_list=True)
    answer = answerer(chunks).answer("q", info, [Passage(chunks[2], 1.0, 1)])
    # The sub-heading's own text lacks its name: its first sentence (and the next) is quoted.
    assert answer.text == ("据《青禾县教育规划》一（二）“（二）基本原则”，共2项：保障基本、促进均等。\n"
                           "1. 保障基本：“守住底线。兜牢民生。”[1]\n2. 促进均等：“促进均等。缩小差距。”[2]")
    # The passage itself may sit on the named heading.
    got = answerer(chunks).list_from_structure(info, [Passage(chunks[1], 1.0, 1)])
    assert [c.passage.chunk.chunk_id for c in got] == ["d:2", "d:3"]


def test_a_heading_the_question_does_not_name_gives_no_list():
    chunks = _principles()
    info = question("有哪些要求", ("要求",), number=False, wants_list=True)
    assert answerer(chunks).list_from_structure(info, [Passage(chunks[1], 1.0, 1)]) == []


def test_a_heading_the_question_names_is_answered_with_its_run_in_sub_headings():
    chunks = _principles()
    info = question("确立了哪几条基本原则", ("基本原则",), number=False, wants_list=True)
    answer = answerer(chunks).answer("q", info, [Passage(chunks[0], 1.0, 1)])
    assert answer.question == "q"
    assert answer.text == ("据《青禾县教育规划》二“二、基本原则”，共3项：保障基本、促进均等、强化责任。\n"
                           "1. 保障基本：“保障基本。守住底线，兜牢民生。”[1]\n"
                           "2. 促进均等：“促进均等。缩小差距。”[2]\n"
                           "3. 强化责任：“强化责任。落实责任。”[3]")
    assert [c.chunk_id for c in answer.citations] == ["d:1", "d:3", "d:4"]
    assert answer.confidence == 1.0


def test_a_question_naming_one_sub_heading_is_not_answered_with_all_of_them():
    chunks = _principles()
    info = question("基本原则中促进均等是什么", ("基本原则", "促进均等"), number=False, wants_list=True)
    assert answerer(chunks).list_from_structure(info, [Passage(chunks[1], 1.0, 1)]) == []


def test_sub_headings_are_looked_for_under_the_first_three_passages_only():
    chunks = _principles()
    other = chunk("x", 0, "无关内容。", 0)
    info = question("确立了哪几条基本原则", ("基本原则",), number=False, wants_list=True)
    a = answerer([*chunks, other])
    assert a.list_from_structure(info, [Passage(other, 1.0, k) for k in (1, 2, 3)] + [Passage(chunks[1], 1.0, 4)]) == []
    got = a.list_from_structure(info, [Passage(other, 1.0, k) for k in (1, 2)] + [Passage(chunks[1], 1.0, 3)])
    assert [c.text for c in got] == ["保障基本。守住底线，兜牢民生。", "促进均等。缩小差距。", "强化责任。落实责任。"]


def test_one_sub_heading_is_no_list():
    chunks = doc_chunks("d", [("保障基本。守住底线。", ("二、基本原则", "保障基本"))])
    info = question("确立了哪几条基本原则", ("基本原则",), number=False, wants_list=True)
    assert answerer(chunks).list_from_structure(info, [Passage(chunks[0], 1.0, 1)]) == []


def test_a_sub_heading_sentence_without_a_next_sentence_is_quoted_alone():
    chunks = doc_chunks("d", [("保障基本。", ("二、基本原则", "保障基本")),
                              ("前言。促进均等。", ("二、基本原则", "促进均等"))])
    info = question("确立了哪几条基本原则", ("基本原则",), number=False, wants_list=True)
    got = answerer(chunks).list_from_structure(info, [Passage(chunks[0], 1.0, 1)])
    assert [(c.text, c.start, c.end) for c in got] == [("保障基本。", 0, 5), ("促进均等。", 8, 13)]


# --- the IDF from token lists ---------------------------------------------------------------------
def test_idf_from_token_lists():
    idf = idf_from_lexical([["教育", "学前", "教育"], ["教育"], ["医疗"]])
    assert idf == pytest.approx({"教育": math.log(1 + 1.5 / 2.5), "学前": math.log(1 + 2.5 / 1.5),
                                 "医疗": math.log(1 + 2.5 / 1.5)})
    assert idf_from_lexical([]) == {}


# --- boundaries --------------------------------------------------------------------------------------
def test_a_not_found_refusal_is_never_grounded():
    answer = answerer([]).refuse("q", [], related=False)
    assert (answer.grounded, answer.citations, answer.confidence) == (False, (), 0.0)


def test_a_two_character_heading_the_question_names_lifts_its_sentences():
    c = chunk("d", 0, "入园率达到95%。", 0, ("一、托育",))
    info = question("托育入园率是多少", ("入园率",))
    [cand] = answerer([c]).candidates(info, [Passage(c, 1.0, 1)])
    assert round(cand.score, 6) == round(0.55 + 0.3 + 0.15 + 0.15, 6)
    chunks = doc_chunks("d", [("总述。", ("二、托育",)), ("甲。说明。", ("二、托育", "甲项")),
                              ("乙。说明。", ("二、托育", "乙项"))])
    listed = answerer(chunks).list_from_structure(question("托育有哪些", ("托育",), number=False, wants_list=True),
                                                  [Passage(chunks[0], 1.0, 1)])
    assert [c.text for c in listed] == ["甲。说明。", "乙。说明。"]


def test_the_other_side_of_a_comparison_is_checked_against_the_same_question():
    a_doc = chunk("a", 0, "入园率达到95%。", 0, title="甲县规划")
    b_doc = chunk("b", 0, "入园率达到90%。", 0, title="乙县规划")
    check = StubCheck()
    answerer([a_doc, b_doc], check=check).answer("q", CMP, [Passage(a_doc, 1.0, 1), Passage(b_doc, 0.9, 2)])
    assert check.infos == [CMP, CMP]


def test_the_rescue_margin_is_measured_against_the_second_candidate_and_may_equal_the_minimum():
    c = chunk("d", 0, "托育机构95家。幼儿园90所。", 0)
    info = question("托位有多少", ("托位",))
    def rescued(sims, margin):
        a = answerer([c], similarity=lambda q, s: sims, rescue_min=0.8, rescue_margin=margin)
        return [x.text for x in a.rescue_by_meaning(info, a.candidates(info, [Passage(c, 1.0, 1)]))]
    assert rescued([0.9, 0.88], 0.05) == []                 # two candidates: the margin is 0.02
    assert rescued([0.9, 0.85], 0.05) == ["托育机构95家。"]     # 0.05 ≥ 0.05 (0.9 - 0.85 = 0.05000…1)


def test_items_are_read_after_a_lead_in_in_the_middle_of_a_chunk():
    text = "前言。\n其他说明。\n要求如下：\n（一）甲；\n（二）乙；\n"
    [c] = doc_chunks("d", [(text, ())])
    a = answerer([c])
    lead = next(x for x in a.candidates(LIST_Q, [Passage(c, 1.0, 1)]) if x.text == "要求如下：")
    assert [x.text for x in a.items_after(lead)] == ["（一）甲；", "（二）乙；"]


def test_a_run_in_list_is_introduced_with_the_first_items_place():
    chunks = doc_chunks("d", [("坚持以下基本原则。", ("二、基本原则",)),
                              ("保障基本。守住底线。", ("二、基本原则", "（一）保障基本")),
                              ("促进均等。缩小差距。", ("二、基本原则", "（二）促进均等"))])
    info = question("确立了哪几条基本原则", ("基本原则",), number=False, wants_list=True)
    answer = answerer(chunks).answer("q", info, [Passage(chunks[0], 1.0, 1)])
    assert answer.text.splitlines()[0] == "据《青禾县教育规划》二（一）“二、基本原则”，共2项：（一）保障基本、（二）促进均等。"


def test_items_whose_headings_are_their_own_sentences_are_quoted_whole_not_named_by_cut_titles():
    path = ("一、补贴对象", "（一）申请条件")
    chunks = doc_chunks("d", [("须同时符合以下条件。", path),
                              ("1．持有本县户籍的技能人才。", (*path, "1.持有本县户籍的技能人才")),
                              ("2．取得高级工以上职业资格证书；", (*path, "2.取得高级工以上")),
                              ("另一节。", ("一、补贴对象", "（二）其他"))])
    info = question("要满足哪些申请条件", ("申请条件",), number=False, wants_list=True)
    answer = answerer(chunks).answer("q", info, [Passage(chunks[1], 1.0, 1)])
    assert answer.text == ("据《青禾县教育规划》一（一）1“（一）申请条件”，共2项：\n"
                           "1. “1．持有本县户籍的技能人才。”[1]\n"
                           "2. “2．取得高级工以上职业资格证书；”[2]")
