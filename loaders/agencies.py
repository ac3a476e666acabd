"""Agencies stage: one `Agency` per real organisation, whatever form the text names it by.

Chinese plans name the same bureau many ways: 天津市河东区市场监督管理局, 河东区市场监管局,
区市场监管局, 我局. Each surface form is read as (region prefix, organisation type):
the prefix is either spelled out (validated against the GB/T 2260 names shipped with
cpca), relative (区/市/省, resolved against the document's region chain), or absent
(collective forms such as 公安机关, resolved to the document's own level). A match
is only kept when both parts are recognised, so spam and fragments never become agencies.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from loaders.model import Agency, Document, Region, Span
from loaders.scan import Scanner
from loaders.to_rdf.vocab import slug

# surface form of an organisation type → (canonical type name, scope)
# scope: "local" = needs or defaults to a region; "prefixed" = only with a region prefix;
# "national" = the national body whatever the prefix.
AGENCY_TYPES: dict[str, tuple[str, str]] = {
    "市场监督管理局": ("市场监督管理局", "local"),
    "市场监管局": ("市场监督管理局", "local"),
    "市场和质量监督管理局": ("市场和质量监督管理局", "prefixed"),
    "市场和质量监管局": ("市场和质量监督管理局", "prefixed"),
    "市场监督管理委员会": ("市场监督管理委员会", "prefixed"),
    "市场监管委": ("市场监督管理委员会", "prefixed"),
    "市场监督管理总局": ("国家市场监督管理总局", "national"),
    "市场监管总局": ("国家市场监督管理总局", "national"),
    "市场监管综合行政执法支队": ("市场监管综合行政执法支队", "local"),
    "市场监管综合执法支队": ("市场监管综合行政执法支队", "local"),
    "市场监督管理综合行政执法支队": ("市场监管综合行政执法支队", "local"),
    "市场监管综合行政执法大队": ("市场监管综合行政执法大队", "local"),
    "市场监管综合执法大队": ("市场监管综合行政执法大队", "local"),
    "知识产权局": ("知识产权局", "prefixed"),
    "药品监督管理局": ("药品监督管理局", "prefixed"),
    "药监局": ("药品监督管理局", "prefixed"),
    "公安局": ("公安局", "prefixed"),
    "公安机关": ("公安局", "local"),
    "公安部门": ("公安局", "local"),
    "卫生健康委员会": ("卫生健康委员会", "prefixed"),
    "卫生健康委": ("卫生健康委员会", "prefixed"),
    "卫健委": ("卫生健康委员会", "prefixed"),
    "卫生健康局": ("卫生健康局", "prefixed"),
    "卫健部门": ("卫生健康委员会", "local"),
    "卫生健康部门": ("卫生健康委员会", "local"),
    "发展和改革委员会": ("发展和改革委员会", "prefixed"),
    "发展改革委": ("发展和改革委员会", "prefixed"),
    "发改委": ("发展和改革委员会", "prefixed"),
    "发展改革部门": ("发展和改革委员会", "local"),
    "商务局": ("商务局", "prefixed"),
    "商务部门": ("商务局", "local"),
    "教育局": ("教育局", "prefixed"),
    "教育部门": ("教育局", "local"),
    "农业农村局": ("农业农村局", "prefixed"),
    "农业农村部门": ("农业农村局", "local"),
    "住房和城乡建设局": ("住房和城乡建设局", "prefixed"),
    "住建局": ("住房和城乡建设局", "prefixed"),
    "住建部门": ("住房和城乡建设局", "local"),
    "财政局": ("财政局", "prefixed"),
    "财政部门": ("财政局", "local"),
    "税务局": ("税务局", "prefixed"),
    "税务部门": ("税务局", "local"),
    "司法局": ("司法局", "prefixed"),
    "生态环境局": ("生态环境局", "prefixed"),
    "应急管理局": ("应急管理局", "prefixed"),
    "应急管理部门": ("应急管理局", "local"),
    "人民政府": ("人民政府", "prefixed"),
    "政府": ("人民政府", "prefixed"),
    "人民检察院": ("人民检察院", "prefixed"),
    "检察院": ("人民检察院", "prefixed"),
    "检察机关": ("人民检察院", "local"),
    "人民法院": ("人民法院", "prefixed"),
    "法院": ("人民法院", "prefixed"),
    "审判机关": ("人民法院", "local"),
    "食品安全委员会": ("食品安全委员会", "prefixed"),
    "食安委": ("食品安全委员会", "prefixed"),
    "食品安全委员会办公室": ("食品安全委员会办公室", "prefixed"),
    "食安办": ("食品安全委员会办公室", "prefixed"),
    "食品药品安全委员会": ("食品药品安全委员会", "prefixed"),
    "食药安委": ("食品药品安全委员会", "prefixed"),
    "消费者协会": ("消费者协会", "prefixed"),
    "消协": ("消费者协会", "prefixed"),
    "消费者委员会": ("消费者委员会", "prefixed"),
    "消委会": ("消费者委员会", "prefixed"),
    "消保委": ("消费者权益保护委员会", "prefixed"),
    "委": ("中共委员会", "prefixed"),  # 区委, 市委, 省委: the Party committee
}

# Bodies that exist once, nationally.
NATIONAL: dict[str, str] = {
    "国家市场监督管理总局": "国家市场监督管理总局",
    "国家市场监管总局": "国家市场监督管理总局",
    "市场监管总局": "国家市场监督管理总局",
    "国家知识产权局": "国家知识产权局",
    "国家药品监督管理局": "国家药品监督管理局",
    "国家药监局": "国家药品监督管理局",
    "国家卫生健康委员会": "国家卫生健康委员会",
    "国家卫健委": "国家卫生健康委员会",
    "国家发展和改革委员会": "国家发展和改革委员会",
    "国家发改委": "国家发展和改革委员会",
    "国务院": "国务院",
    "公安部": "公安部",
    "商务部": "商务部",
    "海关总署": "海关总署",
    "中国消费者协会": "中国消费者协会",
    "中消协": "中国消费者协会",
}

# Short forms that mean "the market regulator at level X": 省局, 市局, 区局, 县局, 总局.
SHORT_BUREAU = Scanner(  # tried only at 省市区县总 (see loaders.scan)
    r"(?<![城超都股格布大开全结当赌邮书药各])(省|市|区|县)局(?![面部势限长])"
    r"|(?:(?<![\u4e00-\u9fff])|(?<=[照据和与及向经由对在将]))总局",  # bare 总局, not 税务总局
    "[省市区县总]",
)
SELF_FORMS = re.compile(r"(?:我局|本局)")

# A sub-unit belongs to the agency of the same region with this type.
PARENT_TYPE = {
    "市场监管综合行政执法支队": "市场监督管理局",
    "市场监管综合行政执法大队": "市场监督管理局",
    "食品安全委员会办公室": "食品安全委员会",
}

_TYPE_RE = re.compile("|".join(sorted((re.escape(t) for t in AGENCY_TYPES), key=len, reverse=True)))
_NATIONAL_RE = re.compile("|".join(sorted((re.escape(t) for t in NATIONAL), key=len, reverse=True)))
_ANON = re.compile(r"[A-ZＡ-Ｚ×＊*xX]{1,3}(省|市|区|县)$")
_ANON_LONGEST = 5  # what _ANON can match: three letters, the unit, and the line break $ allows before the end
_PLURAL_BEFORE = set("各诸等县市区省乡镇全")

RELATIVE = "省市区县州盟旗"

# Verbs that join two bodies (县市场监管局会同县教育局): a place name spelled like one of them
# followed by 县/区/市 (会同县, 联合乡) is read as the verb plus a relative form unless the
# document is about that place.
CONNECTIVES = ("会同", "联合", "协同", "配合", "牵头", "督促", "指导")


def _verb_glued(name: str, chain: list[Region]) -> bool:
    if not any(name == c + name[-1] for c in CONNECTIVES) or name[-1] not in RELATIVE:
        return False
    return not any(own_name(node) == name or node.name.endswith(name) for node in chain)


# ---------------------------------------------------------------- regions (GB/T 2260 via cpca)


@lru_cache(maxsize=1)
def region_table() -> dict[str, list[str]]:
    """Region name → 6-digit adcodes, from the table cpca ships (no network, no pandas)."""
    import cpca

    path = Path(cpca.__file__).resolve().parent / "resources" / "adcodes.csv"
    names: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["name"].strip()
            if name and name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                names.setdefault(name, []).append(row["adcode"][:6])
    return names


@lru_cache(maxsize=1)
def _code_names() -> dict[str, str]:
    return {code: name for name, codes in region_table().items() for code in codes}


MUNICIPALITIES = {"11", "12", "31", "50"}


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district"


def region_from_code(code: str) -> Region:
    """A Region chain (district → city → province) for a 6-digit adcode."""
    names = _code_names()
    level = _level(code)
    province = Region(name=names.get(code[:2] + "0000", ""), adcode=code[:2] + "0000", level="province")
    if level == "province":
        return province
    if level == "city":
        return Region(name=names.get(code, ""), adcode=code, level="city", parent=province)
    city_code = code[:4] + "00"
    if city_code in names:
        city = Region(name=names[city_code], adcode=city_code, level="city", parent=province)
        return Region(name=city.name + names.get(code, ""), adcode=code, level="district", parent=city)
    # districts of municipalities and county-level cities directly under a province
    if code[:2] in MUNICIPALITIES:
        return Region(name=province.name + names.get(code, ""), adcode=code, level="district", parent=province)
    return Region(name=names.get(code, ""), adcode=code, level="district", parent=province)


def region_chain(region: Region | None) -> list[Region]:
    chain = []
    while region is not None and len(chain) < 5:
        chain.append(region)
        region = region.parent
    return chain


def own_name(region: Region) -> str:
    """The region's own name without its parents' names: 天津市河东区 → 河东区."""
    name = region.name
    parent = region.parent
    while parent is not None:
        if parent.name and name.startswith(parent.name) and len(name) > len(parent.name):
            name = name[len(parent.name):]
        parent = parent.parent
    return name


def agency_prefix(region: Region) -> str:
    """How official agency names spell the region: 天津市河东区, 揭阳市榕城区, 临沂市, 山东省."""
    own = own_name(region)
    if own.endswith("市") or region.parent is None:  # provinces, cities, county-level cities: own name only
        return own
    if region.level in ("district", "county") or own[-1:] in "区县旗":
        parent = region.parent
        return (own_name(parent) if parent is not None else "") + own_name(region)
    return own_name(region)


def _leading_regions(text: str) -> list[str]:
    """Region names (GB/T 2260 or anonymised 'XX市') that start `text`, longest first."""
    table = region_table()
    found = []
    pos = 0
    while pos < len(text) and len(found) < 3:
        for length in range(min(12, len(text) - pos), 1, -1):
            piece = text[pos:pos + length]
            if piece in table or _ANON.match(piece):
                found.append(piece)
                pos += length
                break
        else:
            break
    return found


def _trailing_regions(text: str) -> list[str]:
    """Region names that end `text` (the prefix of an agency name), outermost first."""
    table = region_table()
    found: list[str] = []
    end = len(text)
    while end > 0 and len(found) < 3:
        for length in range(min(12, end), 1, -1):
            piece = text[end - length:end]
            if piece in table or (length <= _ANON_LONGEST and _ANON.match(piece)):
                found.insert(0, piece)
                end -= length
                break
        else:
            break
    return found


def _resolve_names(names: list[str], context: Region | None) -> Region | None:
    """The Region that a sequence of names (outermost first) denotes, preferring the document's chain."""
    if not names:
        return None
    innermost = names[-1]
    for node in region_chain(context):
        if own_name(node) == innermost or node.name == innermost or node.name == "".join(names):
            return node
    if _ANON.match(innermost):
        return Region(name="".join(names), level=_level_from_suffix(innermost))
    codes = region_table().get(innermost, [])
    if not codes:
        return None
    context_codes = [n.adcode for n in region_chain(context) if n.adcode]
    if len(names) == 1 and context_codes and len(codes) > 1:
        codes = [c for c in codes if any(c[:2] == k[:2] for k in context_codes)]
        if not codes:
            return None  # an ambiguous name (城区, 新区…) from elsewhere: not trusted
    outer = names[:-1]
    context_codes = [n.adcode for n in region_chain(context) if n.adcode]

    def fits(code: str) -> int:
        score = 0
        for name in outer:
            score += any(code.startswith(c.rstrip("0")[: len(c.rstrip("0"))]) for c in region_table().get(name, []))
        score += any(code[:2] == c[:2] for c in context_codes)
        return score

    best = max(codes, key=fits)
    return region_from_code(best)


def _level_from_suffix(name: str) -> str:
    return {"省": "province", "市": "city"}.get(name[-1], "district")


def _unambiguous(names: list[str]) -> bool:
    return len(names) >= 2 or len(region_table().get(names[-1], [])) == 1 or bool(_ANON.match(names[-1]))


def infer_region(doc: Document) -> Region | None:
    """The document's region, or a guess from its issuer, its first full agency names or its title."""
    if doc.region is not None:
        return doc.region
    prefixes = []
    for candidate in [doc.issuer or "", doc.text[:3000]]:
        for match in _TYPE_RE.finditer(candidate):
            prefixes.append(_trailing_regions(candidate[max(0, match.start() - 14):match.start()]))
    prefixes.append(_leading_regions((doc.title or "").strip()))
    for names in prefixes:
        if names and _unambiguous(names):
            region = _resolve_names(names, None)
            if region is not None:
                return region
    for names in prefixes:  # an ambiguous short name is still better than nothing
        if names:
            region = _resolve_names(names, None)
            if region is not None:
                return region
    return None


# ---------------------------------------------------------------- agencies


@dataclass
class _Found:
    name: str
    surface: str
    start: int
    end: int
    parent: str | None = None


def _node_for_relative(char: str, chain: list[Region]) -> Region | None:
    for node in chain:
        own = own_name(node)
        if own.endswith(char) or (char == "省" and own.endswith("自治区")):
            return node
    if char == "市":  # a municipality's districts call it 市
        for node in chain:
            if node.level == "province" and own_name(node).endswith("市"):
                return node
    return None


def _local_node(chain: list[Region]) -> Region | None:
    return chain[0] if chain else None


def _full_name(node: Region, canonical_type: str) -> str:
    if canonical_type == "中共委员会":
        return "中共" + agency_prefix(node) + "委员会"
    return agency_prefix(node) + canonical_type


def _issuer_name(doc: Document) -> str | None:
    issuer = (doc.issuer or "").strip()
    if issuer and re.fullmatch(r"[\u4e00-\u9fff（）()]{3,40}", issuer) and _TYPE_RE.search(issuer):
        return issuer
    return None


# The last document's agency mentions, with what they were read from: the agencies and the
# obligations stages both ask for them. One tuple, replaced whole, so threads never see half of it.
_last_found: tuple[tuple, list[_Found]] | None = None


def find_agencies(doc: Document) -> list[_Found]:
    """Every agency mention of the document, in text order (read once per document)."""
    global _last_found
    key = (doc.text, doc.issuer, doc.title, repr(doc.region))  # all that _find_agencies reads
    cached = _last_found
    if cached is None or cached[0] != key:
        cached = _last_found = (key, _find_agencies(doc))
    return list(cached[1])


def _find_agencies(doc: Document) -> list[_Found]:
    text = doc.text
    region = infer_region(doc)
    # the country is no prefix: 全国公安局 is not an organisation
    chain = [n for n in region_chain(region) if n.level != "country" and n.name not in ("全国", "中国", "中华人民共和国")]
    region = chain[0] if chain else None
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(s < e2 and s2 < e for s2, e2 in taken)

    for match in _NATIONAL_RE.finditer(text):
        found.append(_Found(NATIONAL[match.group()], match.group(), match.start(), match.end()))
        taken.append(match.span())

    for match in _TYPE_RE.finditer(text):
        if not free(*match.span()):
            continue
        surface_type = match.group()
        canonical_type, scope = AGENCY_TYPES[surface_type]
        start = match.start()
        before = text[max(0, start - 14):start]
        names = _trailing_regions(before)
        if names and _verb_glued(names[0], chain):
            names = names[1:]  # 会同县教育局 in a 宕昌县 plan: the verb 会同 + the relative 县
        node = None
        if names:
            node = _resolve_names(names, region)
            start -= len("".join(names))
        elif before[-1:] and before[-1] in RELATIVE:
            if len(before) >= 2 and before[-2] in _PLURAL_BEFORE:
                continue  # 各区, 县区, 全市 …: not one organisation
            node = _node_for_relative(before[-1], chain)
            start -= 1
        elif scope in ("local", "national"):
            if before[-1:] and before[-1] in "镇乡村街道":
                continue  # a township body, too fine to name
            node = _local_node(chain)
        if scope == "national":
            found.append(_Found(canonical_type, text[start:match.end()], start, match.end()))
            taken.append((start, match.end()))
            continue
        if node is None or not node.name:
            continue
        if surface_type == "委" and not (names or before[-1:] in RELATIVE):
            continue
        if surface_type == "委" and text[match.end():match.end() + 1] in "员会托":
            continue
        name = canonical_type if scope == "national" else _full_name(node, canonical_type)
        parent = None
        if canonical_type in PARENT_TYPE:
            parent = _full_name(node, PARENT_TYPE[canonical_type])
        found.append(_Found(name, text[start:match.end()], start, match.end(), parent))
        taken.append((start, match.end()))

    bureau = _local_node(chain)
    for match in SHORT_BUREAU.finditer(text):
        if not free(*match.span()):
            continue
        if match.group(1):
            node = _node_for_relative(match.group(1), chain)
            if node is None:
                continue
            name = agency_prefix(node) + "市场监督管理局"
        else:
            name = "国家市场监督管理总局"
        found.append(_Found(name, match.group(), match.start(), match.end()))
    issuer = _issuer_name(doc) or (agency_prefix(bureau) + "市场监督管理局" if bureau is not None else None)
    if issuer:
        for match in SELF_FORMS.finditer(text):
            found.append(_Found(issuer, match.group(), match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


def extract_agencies(doc: Document) -> list[Agency]:
    """Pipeline component: the organisations the document names, one per real body."""
    agencies: dict[str, Agency] = {}
    for hit in find_agencies(doc):
        agency = agencies.get(hit.name)
        if agency is None:
            agency = agencies[hit.name] = Agency(id=slug(hit.name), name=hit.name)
        if hit.surface != hit.name and hit.surface not in agency.aliases:
            agency.aliases.append(hit.surface)
        if hit.parent and agency.parent is None:
            agency.parent = slug(hit.parent)
            if hit.parent not in agencies:
                agencies[hit.parent] = Agency(id=slug(hit.parent), name=hit.parent)
        agency.spans.append(Span(hit.start, hit.end))
    return list(agencies.values())
