"""Metadata read from a document's own text: exact values on texts laid out like real files."""
from pathlib import Path

import pytest

from assistant.index.indexer import build_document
from assistant.ingest.metadata import extract_metadata, filename_title
from assistant.ingest.places import canonical, find_places

RED_HEAD = """东莞市人民政府文件
东府〔2012〕12号
关于印发《东莞市廉租住房保障办法》的通知
各镇人民政府（街道办事处），市府直属各单位：
现将《东莞市廉租住房保障办法》给你们，请认真贯彻执行。
东莞市人民政府
二○一二年一月十六日
东莞市廉租住房保障办法
第一章
总则
第一条
为完善我市廉租住房保障制度，根据《廉租住房保障办法》（建设部令第162号），制定本办法。"""


def test_red_head_notice_gives_the_body_title_number_issuer_and_date():
    m = extract_metadata(RED_HEAD, "00001.txt")
    assert (m.title, m.doc_number, m.issuer, m.date, m.year) == (
        "东莞市廉租住房保障办法", "东府〔2012〕12号", "东莞市人民政府", "2012-01-16", 2012)
    assert (m.region, m.place_level, m.topic) == ("东莞市", "市", "住房-廉租住房")


WEB_PAGE = """深圳市人力资源和社会保障局
首页
信息公开
您的位置：首页>信息公开>政策法规
索引号:|009275780/2013-00695|信息分类
发布机构:广东省人民政府发文日期:2013年09月16日
名称:广东省人民政府关于印发《广东省城乡居民社会养老保险实施办法》的通知
文号:粤府〔2013〕92号公报期号:
广东省人民政府关于印发《广东省城乡居民社会养老保险实施办法》的通知
各地级以上市人民政府，各县（市、区）人民政府：
现将《广东省城乡居民社会养老保险实施办法》印发给你们，请认真组织实施。
广东省城乡居民社会养老保险实施办法
第一章总则"""


def test_web_page_chrome_and_fields():
    m = extract_metadata(WEB_PAGE, "广东省城乡居民社会养老保险实施办法2013.txt")
    assert (m.title, m.region, m.place_level) == ("广东省城乡居民社会养老保险实施办法", "广东省", "省")
    assert (m.doc_number, m.issuer, m.date, m.year) == ("粤府〔2013〕92号", "广东省人民政府", "2013-09-16", 2013)


def test_flattened_page_title_after_its_number():
    text = ("首都之窗_北京市政府门户网站_政务_政府文件\n"
            "京政办发[2016]39号北京市人民政府办公厅关于印发《北京市积分落户管理办法(试行)》的通知各区人民政府，"
            "市政府各委、办、局：经市政府同意，现将《北京市积分落户管理办法(试行)》印发给你们。"
            "北京市人民政府办公厅2016年8月11日－－\n北京市积分落户管理办法(试行)第一条为深入贯彻落实户籍制度改革精神，制定本办法。")
    m = extract_metadata(text, "北京市积分落户管理办法2016.txt")
    assert (m.title, m.doc_number, m.region, m.year) == (
        "北京市积分落户管理办法(试行)", "京政办发〔2016〕39号", "北京市", 2016)


def test_title_wrapped_over_lines_and_junk_lines_before_it():
    text = "窗体顶端\n【法宝引证码】CLI.12.4792728\n河南省人民政府\n关于深化户籍制度改革的\n实施意见\n豫政〔2014〕83号\n各市、县人民政府："
    m = extract_metadata(text, "河南省人民政府户籍改革意见.docx")
    assert (m.title, m.doc_number, m.issuer, m.region) == (
        "河南省人民政府关于深化户籍制度改革的实施意见", "豫政〔2014〕83号", "河南省人民政府", "河南省")


def test_a_quoted_national_title_is_not_the_document_title():
    text = "福建省实施《居住证暂行条例》办法\n（2016年9月30日福建省人民政府令第180号公布）\n第一条为了促进新型城镇化，制定本办法。"
    m = extract_metadata(text, "00001.docx")
    assert (m.title, m.region, m.year) == ("福建省实施《居住证暂行条例》办法", "福建省", 2016)


def test_district_place_with_level_and_parent():
    m = extract_metadata("一、报名时间\n（一）2015年8月18日报名。", "二七区2015年小学招生详细说明.docx")
    assert (m.title, m.region, m.place_level, m.year) == ("二七区2015年小学招生详细说明", "郑州市二七区", "区", 2015)
    assert m.confidence == 0.6  # title from the file name only
    [district] = [p for p in find_places("郑州市二七区") if p.level == "区"]
    assert district.parent == "郑州市"
    assert canonical("二七区") == "郑州市二七区"


def test_district_name_shared_by_two_cities_needs_its_city():
    text = "白云区2016年义务教育阶段学校招生工作意见\n为规范广州市义务教育招生工作，制定本意见。"
    assert extract_metadata(text, "x.txt").region == "广州市白云区"
    alone = "白云区2016年义务教育阶段学校招生工作意见\n为规范义务教育招生工作，制定本意见。"
    assert extract_metadata(alone, "x.txt").region is None


def test_city_issuer_abbreviation_is_qualified_and_effective_year_used_without_a_date():
    text = "市教委关于2016年天津市初中招生工作的指导意见\n各区、县教育局：\n一、指导思想"
    m = extract_metadata(text, "a.docx")
    assert (m.issuer, m.region, m.year, m.topic) == ("天津市教委", "天津市", 2016, "教育-初中招生")
    law = "上海市常住户口管理规定\n第一章总则\n第五十四条本规定自2010年12月1日起施行。"
    assert (extract_metadata(law, "b.docx").year, extract_metadata(law, "b.docx").date) == (2010, None)


def test_filename_title_drops_year_number_and_extension():
    assert filename_title("东莞市廉租住房保障办法（东府[2012]12号）.txt") == "东莞市廉租住房保障办法"
    assert filename_title("北京市积分落户管理办法2016.txt") == "北京市积分落户管理办法"
    assert filename_title("关于印发《_南京市城乡居民基本养老保险办法_实施细则》的通知.pdf") == \
        "关于印发《南京市城乡居民基本养老保险办法实施细则》的通知"


REAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "real" / "corpus"
REAL = REAL if REAL.exists() else Path("/work/shared/eval/real/corpus")


@pytest.mark.skipif(not REAL.exists(), reason="shared/eval/real not present")
@pytest.mark.parametrize("name,title,region,level,year", [
    ("中山市火炬开发区2015年公办学校小学一年级秋季招生通告.txt", "火炬开发区2015年公办学校小学一年级秋季招生通告",
     "中山市火炬开发区", "开发区", 2015),
    ("深圳市实施《广东省城镇居民社会养老保险试点实施办法》细则的通知2012.txt",
     "深圳市实施《广东省城镇居民社会养老保险试点实施办法》细则", "深圳市", "市", 2012),
    ("广州市积分制入户管理办法2016.md", "广州市积分制入户管理办法", "广州市", "市", 2016),
    ("二七区2015年小学招生详细说明.docx", "二七区2015年小学招生详细说明", "郑州市二七区", "区", 2015),
])
def test_real_files(name, title, region, level, year):
    p = REAL / name
    m = build_document(p, p.read_bytes()).meta
    assert (m.title, m.region, m.place_level, m.year) == (title, region, level, year)


def test_national_document_gets_no_place_from_its_body():
    text = ("国务院关于进一步推进户籍制度改革的意见\n国发〔2014〕25号\n各省、自治区、直辖市人民政府：\n"
            "北京市、上海市等特大城市要严格控制人口规模。北京市、上海市……")
    m = extract_metadata(text, "a.txt")
    assert (m.title, m.region, m.issuer, m.doc_number, m.year) == (
        "国务院关于进一步推进户籍制度改革的意见", None, "国务院", "国发〔2014〕25号", 2014)
