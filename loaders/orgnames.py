"""Canonical full names of issuing bodies: 区市场监管局 → 天津市河东区市场监督管理局.

Chinese officialdom abbreviates by rule (市场监管局 for 市场监督管理局, 省局 for the province's
bureau), and a document number's prefix names the organ that issued it (揭榕府 → 人民政府).
"""

from __future__ import annotations

import re

from loaders.model import Region
from loaders.regions import region_prefix

# Longest first: the suffix that ends an organisation's name.
ORG_SUFFIX = (
    r"(?:人民政府办公厅|人民政府办公室|人民政府|市场监督管理委员会|市场监督管理局|市场监管委员会|市场监管委|市场监管局|"
    r"市监局|知识产权局|药品监督管理局|药监局|管理委员会|委员会|办公厅|办公室|人民代表大会常务委员会|总局|局|厅|委|处|中心)"
)
_ORG_AT_START = re.compile(rf"^(?:国务院办公厅|国务院|[^\s《》“”，,。：:]{{2,24}}?{ORG_SUFFIX})")
_ABBREVIATIONS = [
    ("市场监管委员会", "市场监督管理委员会"),
    ("市场监管委", "市场监督管理委员会"),
    ("市场监管局", "市场监督管理局"),
    ("市监局", "市场监督管理局"),
    ("药监局", "药品监督管理局"),
]
# Bodies of the central government: their names start with 国家/国务院/中华人民共和国 or an
# abbreviation ending in 总局 (市场监管总局), or are ministries and commissions without a place.
NATIONAL_ORGAN = re.compile(
    r"^(?:国务院|国家(?!级)|中华人民共和国|中共中央|全国人大|最高人民|(?:市场监管|海关|税务|广电)总局|"
    r"(?:商务|财政|公安|司法|农业农村|工业和信息化|生态环境|交通运输|教育|科技|民政|自然资源|"
    r"住房和城乡建设|水利|文化和旅游|人力资源和社会保障|应急管理)部)"
)
# The organ a document number's prefix stands for, by its last characters (发/函/字 dropped).
_DOC_NUMBER_ORGANS = [
    ("府办", "人民政府办公室"),
    ("政办", "人民政府办公室"),
    ("府", "人民政府"),
    ("政", "人民政府"),
    ("市监", "市场监督管理局"),
    ("市场监管", "市场监督管理局"),
    ("监管", "市场监督管理局"),
]


def org_at_start(line: str) -> str | None:
    """The organisation a line (a title, a signature) begins with, if it begins with one."""
    m = _ORG_AT_START.match(line.strip())
    return m.group() if m else None


def expand(name: str) -> str:
    for short, full in _ABBREVIATIONS:
        if name.endswith(short) and not name.endswith(full):
            return name[: -len(short)] + full
    return name


def organ_from_doc_number(doc_number: str | None, region: Region | None) -> str | None:
    """揭榕府〔2022〕41号 → 人民政府 (办公厅 for a province's general office)."""
    if not doc_number:
        return None
    prefix = re.split(r"[〔\[［(（【]", doc_number, maxsplit=1)[0]
    prefix = re.sub(r"[发函字规电通]$", "", prefix) if len(prefix) > 2 else prefix
    for ending, organ in _DOC_NUMBER_ORGANS:
        if prefix.endswith(ending):
            if organ == "人民政府办公室" and region is not None and region.level == "province":
                return "人民政府办公厅"
            return organ
    return None


def canonical(name: str, region: Region | None) -> str:
    """Full name of an organisation: abbreviations expanded, the region's full name in front."""
    name = expand(name.strip())
    if re.fullmatch(r"(?:国家)?市场监管总局", name):
        return "国家市场监督管理总局"
    if NATIONAL_ORGAN.match(name):
        return name  # a national body carries no region in its name
    found, rest = region_prefix(name)
    if found is not None:
        return found.name + rest
    if region is None or region.level == "country":
        return name
    # 区市场监管局, 市政府办公室, 省局: a level word stands for the region itself
    rest = re.sub(r"^(?:本|我)?[省市区县州旗]", "", name)
    if rest == "局":
        rest = "市场监督管理局"
    return region.name + rest
