from assistant.ingest.chunking import chunk_document, citation_label, sentence_spans
from assistant.ingest.cleaning import clean
from assistant.ingest.metadata import extract_metadata
from assistant.ingest.structure import parse_sections

from conftest import SEED_000, SEED_003


def _doc(path):
    original = path.read_text(encoding="utf-8")
    return original, clean(original)


def test_offsets_round_trip_to_original_file():
    for path in (SEED_000, SEED_003):
        original, cleaned = _doc(path)
        for cs, os_, n in cleaned.offsets.runs:
            assert cleaned.text[cs:cs + n] == original[os_:os_ + n]


def test_page_markers_boilerplate_and_footer_numbers_are_removed():
    original, cleaned = _doc(SEED_000)
    assert "由会员分享" not in cleaned.text
    # "…重要讲话精\n2、神和考察…": the page marker cut a word; cleaning joins it back.
    assert "系列重要讲话精神和考察重要讲话指示批示精神" in cleaned.text
    original3, cleaned3 = _doc(SEED_003)
    # PDF footer number " 7 " inside a sentence, and spaces inside Chinese text.
    assert "符合交流条件教师总数的10%" in cleaned3.text
    assert "到2020年全部消除义务教育大班额" in cleaned3.text
    # A span of cleaned text maps back to the exact original characters, page number included.
    i = cleaned3.text.index("符合交流条件教师总数")
    a, b = cleaned3.offsets.span(i, i + len("符合交流条件教师总数"))
    assert original3[a:b] == "符合交流条件教师 7 总数"


def test_numbers_with_spaces_that_are_not_page_numbers_are_kept():
    _, cleaned = _doc(SEED_003)
    assert "保证每个街道至少有1所公办中心幼儿园" in cleaned.text
    assert "国发2017 9号" in cleaned.text  # the space between two numbers stays


def test_metadata_read_from_text():
    original, cleaned = _doc(SEED_003)
    meta = extract_metadata(cleaned.text, SEED_003.name, original)
    assert meta.title == "金普新区推进基本公共服务均等化实施意见"
    assert (meta.region, meta.place_level) == ("大连市金普新区", "新区")
    assert meta.period == "2016—2020"
    original0, cleaned0 = _doc(SEED_000)
    meta0 = extract_metadata(cleaned0.text, SEED_000.name, original0)
    assert meta0.title == "关于新时代公共服务能力提升一揽子解决方案"
    assert meta0.period == "2021—2025"


def _path_of(text, sections, sentence):
    i = text.index(sentence)
    owners = [s for s in sections if s.start <= i < s.end]
    return max(owners, key=lambda s: (s.level if s.kind != "item" else 9, s.start)).path


def test_heading_paths_of_known_sentences():
    _, c0 = _doc(SEED_000)
    s0 = parse_sections(c0.text)
    assert _path_of(c0.text, s0, "到2025年,学前教育三年毛入园率达到95%以上") == (
        "二、构建优质公平的现代教育服务体系", "（一）积极发展学前教育", "加快学前教育机构建设")
    assert _path_of(c0.text, s0, "普通高中:实施县二中(高中)迁建") == (
        "二、构建优质公平的现代教育服务体系", "（六）努力推进终身教育", "专栏1教育现代化重点项目", "普通高中")
    _, c3 = _doc(SEED_003)
    s3 = parse_sections(c3.text)
    assert _path_of(c3.text, s3, "确保零就业家庭动态清零") == (
        "二、主要任务和措施", "（二）积极促进就业创业", "1.重点任务", "公共就业服务")
    assert _path_of(c3.text, s3, "严格落实国家省市明确的各类服务项目") == (
        "一、总体要求", "（二）基本原则", "保障基本")
    assert _path_of(c3.text, s3, "居民健康素养水平(%)16.3 25") == (
        "一、总体要求", "（三）总体目标", "“十三五”时期金普新区基本公共服务领域主要发展指标")


def test_citation_labels():
    assert citation_label(("二、主要任务和措施", "（一）大力发展基本公共教育", "1.重点任务", "义务教育")) == "二（一）1"
    assert citation_label(("二、构建", "（六）努力推进终身教育", "专栏1教育现代化重点项目", "普通高中")) == "二（六）专栏1"


def test_chunks_keep_offsets_and_never_cut_sentences():
    for path in (SEED_000, SEED_003):
        original, cleaned = _doc(path)
        sections = parse_sections(cleaned.text)
        chunks = chunk_document("d", "t", cleaned.text, sections, cleaned.offsets, 200)
        assert [c.text for c in chunks] == [cleaned.text[c.start:c.end] for c in chunks]
        covered = "".join(c.text for c in chunks)
        assert len(covered) >= len(cleaned.text) - 5  # the chunks tile the document
        boundaries = {b for _, b in sentence_spans(cleaned.text, 0, len(cleaned.text))}
        boundaries |= {b for _, b in sentence_spans(cleaned.text, 0, len(cleaned.text), table=True)}
        boundaries |= {s.start for s in sections} | {len(cleaned.text)}
        for c in chunks:
            assert c.end in boundaries, c.text[-15:]
            assert c.start in boundaries | {0}, c.text[:15]
        ids = [c.chunk_id for c in chunks]
        assert len(ids) == len(set(ids))
        again = chunk_document("d", "t", cleaned.text, sections, cleaned.offsets, 200)
        assert [c.chunk_id for c in again] == ids  # stable ids
