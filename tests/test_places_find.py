"""find_places looks names up by their first two characters (fast on long texts and at every
library refresh); these pin what it finds and in which order."""
from assistant.ingest.places import find_places


def names(text: str) -> list[str]:
    return [p.name for p in find_places(text)]


def test_places_in_order_of_first_mention_by_name_or_alias():
    assert names("郑州市二七区招生") == ["郑州市", "郑州市二七区"]
    assert names("来沪务工人员和北京的") == ["北京市"]          # 北京 is an alias; 沪 is one character
    assert names("大连金普新区") == ["大连市", "大连市金普新区"]
    assert names("吉林省吉林市") == ["吉林省", "吉林市"]


def test_a_place_named_late_in_a_long_text_is_found_at_its_first_mention():
    text = "无关的文字。" * 2000 + "上海市和杭州市，再说上海。"
    assert names(text) == ["上海市", "杭州市"]


def test_no_place_in_short_or_plain_text():
    assert names("") == []
    assert names("北") == []
    assert names("无地名的句子") == []


def test_canonical_names_by_lookup_with_the_gazetteers_first_place_winning():
    from assistant.ingest.places import canonical
    assert canonical("北京") == "北京市"
    assert canonical("北京市") == "北京市"
    assert canonical("吉林") == "吉林省"              # also 吉林市's alias: the first place in the gazetteer
    assert canonical("龙华区") == "海口市龙华区"        # 海口's and 深圳's: the first again
    assert canonical("青禾县") == "青禾县"              # not in the gazetteer: unchanged
    assert canonical("") is None and canonical(None) is None
