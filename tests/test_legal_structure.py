"""办法/规定/细则 structure (第X章 / 第X条), hard-wrapped PDF lines and dashed page numbers, on
documents written for these tests."""
from assistant.ingest.chunking import citation_label
from assistant.ingest.cleaning import clean
from assistant.ingest.structure import legal_number, parse_sections, strip_heading_number

MEASURES = (
    "某市廉租住房保障办法\n"
    "第一章 总则\n"
    "第一条 为保障低收入家庭住房，制定本办法。\n"
    "第二条 本办法适用于本市行政区域。\n"
    "第二章 申请条件\n"
    "第三条 申请廉租住房应当同时符合下列条件：\n"
    "（一）具有本市户籍满5年；\n"
    "（二）家庭人均月收入低于最低生活保障标准的2倍；\n"
    "第四条 申请人应当提交下列材料，依照本办法第三条规定审核：\n"
    "一、户口簿；\n"
    "二、收入证明。\n"
    "第三章 附则\n"
    "第十二条 本办法自2012年3月1日起施行。\n"
)


def _paths(text: str) -> dict[str, tuple[str, ...]]:
    return {s.number or s.title: s.path for s in parse_sections(text)}


def test_chapters_and_articles_form_the_hierarchy():
    secs = parse_sections(MEASURES)
    heads = [(s.level, " > ".join(s.path)) for s in secs if s.kind == "heading"]
    assert heads[:3] == [(0, "第一章 总则"), (1, "第一章 总则 > 第一条"), (1, "第一章 总则 > 第二条")]
    # （一） inside an article is the article's item, one level below it, and restarts per article.
    assert (3, "第二章 申请条件 > 第三条 > （一）具有本市户籍满5年") in heads
    # 一、 inside an article does not close the article.
    assert any(p.startswith("第二章 申请条件 > 第四条 > 一、") for _, p in heads)
    # A missing article number (第五条…第十一条 absent) is too big a gap; 第十二条 is not an article,
    # but its sentence stays under 第三章.
    last = [s for s in secs if s.start <= MEASURES.index("本办法自2012年") < s.end]
    assert last[-1].path[0] == "第三章 附则"


def test_a_reference_to_an_article_is_not_an_article():
    numbers = [s.number for s in parse_sections(MEASURES)]
    assert numbers.count("第三条") == 1  # "依照本办法第三条规定" is a reference


def test_articles_in_flattened_text_after_a_space():
    flat = "北京市某某管理办法(试行) 第一条 为规范管理，制定本办法。 第二条 本办法由市政府负责解释。"
    numbers = [s.number for s in parse_sections(flat) if s.kind == "heading"]
    assert numbers == ["第一条", "第二条"]


def test_article_body_starts_after_its_number_and_labels_read_well():
    secs = {s.number: s for s in parse_sections(MEASURES)}
    art = secs["第三条"]
    assert MEASURES[art.body_start:].startswith("申请廉租住房")
    assert art.title == ""
    assert citation_label(("第二章 申请条件", "第三条")).endswith("第三条")


def test_legal_numbers_and_heading_numbers():
    assert [legal_number(s) for s in ("一", "十", "十二", "二十", "一百零五", "一百二十三", "X")] == [1, 10, 12, 20, 105, 123, 0]
    assert strip_heading_number("第十二条 本办法自印发之日起施行") == "本办法自印发之日起施行"
    assert strip_heading_number("第三章申请条件") == "申请条件"


WRAPPED = "\n".join([
    "关于某县积分入户的实施细则",
    "一、申请条件",
    "申请人应当在本县连续工作满三年并参加社会保险，且无违法",
    "犯罪记录；申请时须持有本县有效的居住证，居住证有效期",
    "不少于六个月。本细则自2016年1月1日起实施，有效期至2020年12",
    "—8—",
    "月31日。本细则由县人力资源局负责解释，具体办法另行制定",
    "并向社会公布，请各单位认真贯彻执行，遇到问题及时反馈。",
    "二、办理程序",
    "申请人向所在镇街提交申请材料，镇街在十个工作日内完成初",
    "审并报县人力资源局复核，复核通过的名单在县政府网站公示",
    "七日，公示无异议的予以办理入户手续，公示有异议的另行处",
    "理并书面告知申请人，申请人对结果有异议的可申请复查一次。",
])


def test_hard_wrapped_lines_are_joined_and_page_numbers_removed():
    cleaned = clean(WRAPPED)
    text = cleaned.text
    assert "且无违法犯罪记录" in text
    assert "有效期至2020年12月31日。" in text  # the page number between the two lines is gone
    assert "—8—" not in text
    # Headings keep their own lines.
    assert "\n二、办理程序\n" in text
    # The joined sentence maps back to the original, line break and page number included.
    i = text.index("2020年12月31日")
    a, b = cleaned.offsets.span(i, i + len("2020年12月31日"))
    assert WRAPPED[a:b] == "2020年12\n—8—\n月31日"


def test_paragraph_text_is_not_joined():
    # Lines of very different widths that end with a sentence end: one paragraph per line.
    text = "一、总则\n本办法适用于全市。\n申请人应当如实提交材料，不得隐瞒真实情况或者提供虚假材料。\n二、附则\n本办法自发布之日起施行。\n"
    assert clean(text).text.count("\n") == text.strip("\n").count("\n")


def test_two_numbers_either_side_of_a_wrap_stay_apart():
    lines = ["某某指标的目标值由县统计局按季度核定并公布，二〇二五年达到95.7"] * 6 + ["97.5以上的比例由县教育局核定并在年底前公布结果。"] * 4
    cleaned = clean("\n".join(lines))
    assert "95.797.5" not in cleaned.text
