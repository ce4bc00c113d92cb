"""The proper place names a document mentions: the gazetteer's names, jieba's place tags ending in
省/市/区/县 (and …经济区/开发区/高新区), and the multi-province regions (长三角 …).

Drafting replaces every one of them in a template's sentences. Tagging is the costly part of a
draft on templates not drafted from before (jieba's part-of-speech tagger runs at about 170 000
characters a second, so four long templates take a few hundred milliseconds), so ingest tags each
document once and the manifest keeps the names with it (`Document.places`)."""
from __future__ import annotations

import logging
import re
from functools import lru_cache

from .places import find_places

MACRO_REGIONS = ("长江三角洲", "长三角", "珠三角", "京津冀", "粤港澳大湾区", "成渝地区")
GENERIC_PLACES = {"城市", "城区", "社区", "地区", "偏远地区", "涉农地区", "新区", "全区", "市区", "县区"}
JIEBA_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._]+")   # jieba.posseg's re_han_internal
PLACE_END = re.compile(r"[省市区县]")


@lru_cache(maxsize=32)
def place_names(text: str) -> frozenset[str]:
    """The place names of one text. Cached: a text not tagged at ingest (a template's title, a
    document ingested before the tags were kept) serves draft after draft."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.WARNING)
    found: set[str] = set()
    for p in find_places(text):
        found |= {n for n in (p.name, *p.aliases) if len(n) >= 2 and n in text and n not in GENERIC_PLACES}
    # jieba tags each run of these characters on its own, so only the runs that could hold a
    # place tag ending in 省/市/区/县 (or 经济区/开发区/高新区) need tagging: the same names, half the time.
    for block in JIEBA_BLOCK.findall(text):
        if not PLACE_END.search(block):
            continue
        words = list(pseg.cut(block))
        for i, w in enumerate(words):
            if w.flag == "ns" and len(w.word) >= 3 and w.word[-1] in "省市区县" and w.word not in GENERIC_PLACES:
                found.add(w.word)
                if w.word[-1] in "省市" and len(w.word) >= 3:
                    found.add(w.word[:-1])  # 大连 in 大连金普新区人才广场
            if w.flag == "ns" and i + 1 < len(words) and words[i + 1].word in ("经济区", "开发区", "高新区"):
                found.add(w.word + words[i + 1].word)
    for r in MACRO_REGIONS:
        if r in text:
            found.add(r)
    return frozenset(found)


def document_places(text: str) -> tuple[str, ...]:
    """What ingest stores with a document: its place names in a fixed order."""
    return tuple(sorted(place_names(text)))
