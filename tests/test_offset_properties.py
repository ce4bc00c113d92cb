"""The cleaned → original offset map, as properties: for any cleaned span, the original span it
maps to, minus the characters the cleaner deleted, IS the cleaned span (equality, not `in`),
and both ends of the original span are kept characters (no page number or space at either end).

Checked on every sentence of the bundled corpus/ and of the real dev corpus (slow tier; skipped
when absent), on random spans of them, and on generated texts full of what the cleaner removes."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.ingest.cleaning import Cleaned, OffsetMap, clean
from assistant.ingest.readers import ReadError, read_file
from assistant.textrules import sentence_spans

from conftest import CORPUS, REPO_ROOT

# Locally /work/shared/eval/real; in CI the shared folder sits beside the checkout.
REAL_CORPUS = next((p for p in (Path(os.environ.get("ASSISTANT_REAL_CORPUS", "/nonexistent")),
                                REPO_ROOT.parent / "shared" / "eval" / "real" / "corpus",
                                Path("/work/shared/eval/real/corpus")) if p.is_dir()), None)


def kept_mask(original: str, offsets: OffsetMap) -> list[bool]:
    kept = [False] * len(original)
    for _, o, length in offsets.runs:
        for i in range(o, o + length):
            kept[i] = True
    return kept


def check_span(original: str, cleaned: Cleaned, kept: list[bool], a: int, b: int) -> None:
    o_start, o_end = cleaned.offsets.span(a, b)
    assert 0 <= o_start < o_end <= len(original), (a, b, o_start, o_end)
    assert kept[o_start] and kept[o_end - 1], (a, b, original[o_start:o_end])
    survivors = "".join(ch for i, ch in enumerate(original[o_start:o_end], o_start) if kept[i])
    assert survivors == cleaned.text[a:b]


# The bundled corpus is checked in the fast tier; the real dev corpus (56 office files, read with
# their PDF and Word readers: about 20 s) in the slow one.
CORPORA = ["bundled", pytest.param("real", marks=pytest.mark.slow)]


@lru_cache(maxsize=None)
def documents(corpus: str) -> tuple[tuple[str, str], ...]:
    """(name, original text) of every readable file of one corpus."""
    if corpus == "bundled":
        paths = sorted(p for p in CORPUS.iterdir() if p.suffix == ".txt")
    elif REAL_CORPUS is None:
        pytest.skip("real dev corpus not present (../shared/eval/real/corpus)")
    else:
        paths = sorted(p for p in REAL_CORPUS.iterdir() if p.is_file())
    out = []
    for p in paths:
        try:
            out.append((p.name, read_file(p).text))
        except ReadError:  # a scanned PDF or an old .doc: nothing to clean
            continue
    return tuple(out)


@lru_cache(maxsize=None)
def cleaned_doc(corpus: str, k: int) -> tuple[str, Cleaned, list[bool]]:
    original = documents(corpus)[k][1]
    cleaned = clean(original)
    return original, cleaned, kept_mask(original, cleaned.offsets)


@pytest.mark.parametrize("corpus", CORPORA)
def test_the_map_reproduces_the_cleaned_text(corpus):
    """The runs' concatenation is the cleaned text: the foundation the other properties stand on."""
    for k in range(len(documents(corpus))):
        original, cleaned, _ = cleaned_doc(corpus, k)
        rebuilt = "".join(original[o:o + n] for _, o, n in cleaned.offsets.runs)
        assert rebuilt[:len(cleaned.text)] == cleaned.text and not rebuilt[len(cleaned.text):].strip()
        starts = [c for c, _, _ in cleaned.offsets.runs]
        assert starts == sorted(starts) and starts[:1] in ([], [0])


@pytest.mark.parametrize("corpus", CORPORA)
def test_every_sentence_of_the_corpus_maps_back_exactly(corpus):
    names = [name for name, _ in documents(corpus)]
    sentences = 0
    for k in range(len(names)):
        original, cleaned, kept = cleaned_doc(corpus, k)
        for a, b in sentence_spans(cleaned.text):
            while a < b and cleaned.text[a] in " \n":
                a += 1
            while b > a and cleaned.text[b - 1] in " \n":
                b -= 1
            if a < b:
                check_span(original, cleaned, kept, a, b)
                sentences += 1
    if corpus == "bundled":
        assert len(names) >= 2 and sentences > 150
    else:
        assert len(names) >= 40 and sentences > 5000


@pytest.mark.parametrize("corpus", CORPORA)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_span_of_a_corpus_document_maps_back_exactly(corpus, data):
    k = data.draw(st.integers(0, len(documents(corpus)) - 1))
    original, cleaned, kept = cleaned_doc(corpus, k)
    if not cleaned.text:
        return
    a = data.draw(st.integers(0, len(cleaned.text) - 1))
    b = data.draw(st.integers(a + 1, min(len(cleaned.text), a + 400)))
    check_span(original, cleaned, kept, a, b)


# Generated texts: Chinese sentences, numbers, spaces of every kind, line breaks, scraped page
# markers (2、 at a line start), running footer page numbers and site boilerplate.
PIECES = st.sampled_from([
    "发展", "教育", "。", "，", "、", "到2025年", "95%", "3.5", " ", "  ", "\u3000", "\t", "\xa0", "\n", "\n\n",
    "\r\n", " 7 ", " 8 ", " 9 ", "由会员分享", "（一）", "一、", "A", "b", "”", "。\n",
])
LINES = st.lists(PIECES, min_size=0, max_size=12).map("".join)


@st.composite
def scraped_texts(draw):
    lines = draw(st.lists(LINES, min_size=1, max_size=10))
    if draw(st.booleans()):  # a scraped page dump: nearly every line starts with its page number
        first = draw(st.integers(1, 5))
        lines = [f"{first + i}、{line}" for i, line in enumerate(lines)]
    return "\n".join(lines)


@settings(max_examples=400, deadline=None)
@given(original=scraped_texts(), data=st.data())
def test_any_span_of_a_generated_text_maps_back_exactly(original, data):
    cleaned = clean(original)
    kept = kept_mask(original, cleaned.offsets)
    rebuilt = "".join(original[o:o + n] for _, o, n in cleaned.offsets.runs)
    assert rebuilt.startswith(cleaned.text)
    if not cleaned.text:
        return
    a = data.draw(st.integers(0, len(cleaned.text) - 1))
    b = data.draw(st.integers(a + 1, len(cleaned.text)))
    check_span(original, cleaned, kept, a, b)
    # Each single character maps to exactly itself.
    assert original[cleaned.offsets.to_original(a)] == cleaned.text[a]


def test_an_empty_span_maps_to_an_empty_place():
    cleaned = clean("1、第一页内容。\n2、第二页内容。")
    assert cleaned.text == "第一页内容。第二页内容。"
    start, end = cleaned.offsets.span(6, 6)
    assert start == end == cleaned.offsets.to_original(6) == 11


def test_page_marker_and_footer_number_are_never_at_the_ends_of_a_quote():
    # Scraped pages: every line begins with its page number; the number must not be quoted.
    original = "1、一、总体要求。到2025年,学前教育三年毛入园率达\n2、到95%以上。二、主要任务。\n3、（一）加强领导。"
    cleaned = clean(original)
    assert cleaned.text == "一、总体要求。到2025年,学前教育三年毛入园率达到95%以上。二、主要任务。（一）加强领导。"
    a = cleaned.text.index("到2025年")
    b = cleaned.text.index("以上。") + 3
    o_start, o_end = cleaned.offsets.span(a, b)
    assert original[o_start:o_end] == "到2025年,学前教育三年毛入园率达\n2、到95%以上。"
    a = cleaned.text.index("到95%")
    o_start, o_end = cleaned.offsets.span(a, a + 4)
    assert original[o_start:o_end] == "到95%"
