"""GB/T 2260 gazetteer (the adcode table that `cpca` ships) and the region a text is about.

The table is read lazily, once, straight from cpca's CSV (no pandas). Names that several
places share (河东区 in Tianjin and in Linyi) are settled by the other places the text
names: a district whose city or province is also mentioned wins.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from loaders.model import Region
from loaders.scan import Scanner

_NOT_PLACES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "直辖县级行政区划"}
_PROVINCE_SUFFIX = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_CITY_SUFFIX = re.compile(r"(?:市|地区|盟)$")
_ANONYMISED = Scanner(r"(?<![A-Za-z])[XＸ×]{1,3}(省|市|县|区)", "[XＸ×]")  # tried only at X (loaders.scan)
_LEVEL_WORDS = {"province": ("全省", "我省", "本省"), "city": ("全市", "我市", "本市"),
                "district": ("全区", "我区", "本区", "全县", "我县", "本县")}


@dataclass(frozen=True)
class Place:
    adcode: str  # six digits
    name: str  # as in the table: 河东区
    level: str  # province | city | district


def _table_path() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or spec.origin is None:
        raise RuntimeError("the cpca package (its adcode table) is not installed")
    return Path(spec.origin).parent / "resources" / "adcodes.csv"


@lru_cache(maxsize=1)
def places() -> dict[str, Place]:
    """adcode → Place, for every province, city and county of the table."""
    found: dict[str, Place] = {}
    with _table_path().open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, name = row["adcode"][:6], row["name"].strip()
            if name in _NOT_PLACES or not code.isdigit():
                continue
            level = "province" if code.endswith("0000") else "city" if code.endswith("00") else "district"
            found[code] = Place(code, name, level)
    return found


def parent_of(place: Place) -> Place | None:
    table = places()
    if place.level == "district":
        return table.get(place.adcode[:4] + "00") or table.get(place.adcode[:2] + "0000")
    if place.level == "city":
        return table.get(place.adcode[:2] + "0000")
    return None


def ancestors(place: Place) -> list[Place]:
    chain = []
    parent = parent_of(place)
    while parent is not None:
        chain.append(parent)
        parent = parent_of(parent)
    return chain


def full_name(place: Place) -> str:
    """天津市河东区, 揭阳市榕城区, 临沂市, 江西省: a district keeps the city (or municipality) above it."""
    if place.level == "district":
        parent = parent_of(place)
        if parent is not None:
            return parent.name + place.name
    return place.name


def to_region(place: Place) -> Region:
    parent = parent_of(place)
    return Region(
        name=full_name(place), adcode=place.adcode, level=place.level,
        parent=to_region(parent) if parent is not None else None,
    )


def _variants(place: Place) -> list[str]:
    if place.level == "district" and len(place.name) <= 2:
        return []  # 城区, 郊区, 矿区: ordinary words far more often than places
    names = [place.name]
    suffix = _PROVINCE_SUFFIX if place.level == "province" else _CITY_SUFFIX if place.level == "city" else None
    if suffix is not None:
        short = suffix.sub("", place.name)
        if len(short) >= 2 and short != place.name:
            names.append(short)
    return names


def _trie_pattern(words: list[str]) -> str:
    """One regex for many words, shaped as a trie so that it scans fast and prefers the longest."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


_SUFFIX_CHARS = "省市区县州盟旗"


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern[str], dict[str, list[Place]], re.Pattern[str], dict[str, list[Place]],
                        dict[str, list[int]]]:
    """Full names (ending in 省市区县州盟旗) are looked up backwards from their last two characters
    (most 市 and 区 of a text, as in 市场 or 全区, end no name); short names (天津, 临沂) go through
    one trie-shaped regex, which is small."""
    full: dict[str, list[Place]] = {}
    short: dict[str, list[Place]] = {}
    for place in places().values():
        for name in _variants(place):
            (full if name[-1] in _SUFFIX_CHARS else short).setdefault(name, []).append(place)
    first_chars = "".join(sorted({name[0] for name in short}))
    short_rx = re.compile(f"(?=[{re.escape(first_chars)}])" + _trie_pattern(list(short)))
    if any(len(n) < 2 for n in full):
        raise ValueError("full place names are looked up by their last two characters")
    tails: dict[str, set[int]] = {}
    for name in full:
        tails.setdefault(name[-2:], set()).add(len(name))
    lengths = {tail: sorted(found, reverse=True) for tail, found in tails.items()}  # longest first
    return re.compile(f"[{_SUFFIX_CHARS}]"), full, short_rx, short, lengths


def mentions(text: str) -> list[tuple[int, int, list[Place]]]:
    """Every place name in `text`, longest first, no overlaps: (start, end, the places it may denote)."""
    suffix_rx, full, short_rx, short, lengths = _matcher()
    found: list[tuple[int, int, list[Place]]] = []
    for m in suffix_rx.finditer(text):
        end = m.end()
        for length in lengths.get(text[end - 2:end] if end >= 2 else "", ()):
            if length > end:
                continue
            places_named = full.get(text[end - length : end])
            if places_named:
                found.append((end - length, end, places_named))
                break
    for m in short_rx.finditer(text):
        if m.group() in short:
            found.append((m.start(), m.end(), short[m.group()]))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, list[Place]]] = []
    for item in found:
        if kept and item[0] < kept[-1][1]:
            continue
        kept.append(item)
    if any(text[s:e - 1] in _WORD_STEMS for s, e, _c in kept):
        kept = _drop_word_readings(text, kept)
    return kept


# Places whose name without its 县/区/市 is also a common word of administrative Chinese:
# 会同 (together with: 市场监管局会同县教育局), 东方 (东方市场), 和平, 城中, 新城 (新城区域), 新建 (新建区级…).
_WORD_STEMS = frozenset({
    "会同", "东方", "和平", "城中", "新城", "新华", "合作", "前进", "友好", "向阳", "共和", "大通",
    "平安", "新兴", "新建", "海城", "安定", "延长", "开发", "长安", "城关", "高新", "团结", "光明",
})
_ORGAN_END = "局委厅办部府院会室所站队处科组庭"  # 市场监管局会同县…: an organ acting, not a place
_WORD_AFTER = re.compile(r"(?:市场|市民|市级|区域|区级|区内|县域|县级|县城|县乡|区县|县区)")


def _drop_word_readings(text: str, kept: list[tuple[int, int, list[Place]]]) -> list[tuple[int, int, list[Place]]]:
    """A place whose name is also a word counts only with context: its city or province named just
    before it or elsewhere in the text, or the name opening a line; never where the word reading fits."""
    named = {p.adcode for _s, _e, cands in kept if text[_s:_e - 1] not in _WORD_STEMS for p in cands}
    result = []
    for index, (start, end, candidates) in enumerate(kept):
        if text[start:end - 1] not in _WORD_STEMS:
            result.append((start, end, candidates))
            continue
        previous = kept[index - 1] if index else None
        after_parent = previous is not None and previous[1] == start and any(
            a.adcode in {p.adcode for p in previous[2]} for c in candidates for a in ancestors(c))
        at_line_start = start == 0 or text[start - 1] in "\n\r \t\u3000《“\"(（"
        organ_before = start > 0 and text[start - 1] in _ORGAN_END
        parent_named = any(a.adcode in named for c in candidates for a in ancestors(c))
        if _WORD_AFTER.match(text, end - 1):
            continue
        if after_parent or (not organ_before and (at_line_start or parent_named)):
            result.append((start, end, candidates))
    return result


def _counts(text: str) -> Counter[str]:
    """How often the text names each place; a shared name goes to the place its context supports."""
    counts: Counter[str] = Counter()
    shared: list[list[Place]] = []
    for _s, _e, candidates in mentions(text):
        if len(candidates) == 1:
            counts[candidates[0].adcode] += 1
        else:
            shared.append(candidates)
    for candidates in shared:
        counts[_choose(candidates, counts).adcode] += 1
    return counts


def _choose(candidates: list[Place], context: Counter[str]) -> Place:
    """Of places sharing a name, the one whose city or province the text also names most."""
    def support(place: Place) -> float:
        return sum(context.get(a.adcode, 0) for a in ancestors(place)) + 0.01 * context.get(place.adcode, 0)

    return max(candidates, key=support)


def _most_specific(text: str, context: Counter[str]) -> Place | None:
    """The deepest place named in a short text (an issuer, a title), settled by context."""
    chosen: list[Place] = []
    for _s, _e, candidates in mentions(text):
        local = Counter(context)
        for place in chosen:  # a name read earlier in the same string weighs most
            local[place.adcode] += 1000
        chosen.append(_choose(candidates, local))
    if not chosen:
        return None
    rank = {"province": 0, "city": 1, "district": 2}
    return max(chosen, key=lambda p: rank[p.level])


# The whole country, for documents of the central government (GB/T 2260 has no code for it;
# 100000 is the code national statistics use for 全国).
COUNTRY = Region(name="中华人民共和国", adcode="100000", level="country")
_NATIONAL_AT_START = re.compile(
    r"^(?:国务院|国家(?!级)[\u4e00-\u9fff]{1,12}(?:总局|局|委员会|委|部)|中华人民共和国|中共中央|"
    r"(?:市场监管|海关|税务|广电)总局|(?:商务|财政|公安|司法|农业农村|工业和信息化|生态环境|交通运输|教育|科技|"
    r"民政|自然资源|住房和城乡建设|水利|文化和旅游|人力资源和社会保障|应急管理)部)"
)


def find_region(text: str, priority: list[str]) -> Region | None:
    """The region a document is about: from its issuer or title first (`priority`), else its text.

    An anonymised place (XX市) wins when the text names it often; its parent is the
    province the text names most.
    """
    context = _counts(text)
    for line in priority:
        if line:
            place = _most_specific(line, context)
            if place is not None:
                return to_region(place)
    if any(line and _NATIONAL_AT_START.match(line.strip()) for line in priority):
        return Region(COUNTRY.name, COUNTRY.adcode, COUNTRY.level)  # issued or signed by a central body and naming no place: national
    for line in priority:  # the issuer or the title names an anonymised place: XX省市场监督管理局
        signed = _ANONYMISED.match(line.strip()) if line else None
        if signed:
            return _anonymised(signed.group(), context)
    anonymised = Counter(m.group() for m in _ANONYMISED.finditer(text))
    if anonymised and anonymised.most_common(1)[0][1] >= 3:
        return _anonymised(anonymised.most_common(1)[0][0], context)
    return _by_frequency(text, context)


def _anonymised(name: str, context: Counter[str]) -> Region:
    """An anonymised place (XX市); its parent is the province the text names most."""
    level = {"省": "province", "市": "city"}.get(name[-1], "district")
    provinces = [(n, code) for code, n in context.items() if places()[code].level == "province"]
    parent = to_region(places()[max(provinces)[1]]) if provinces and level != "province" else None
    return Region(name=name, adcode=None, level=level, parent=parent)


def _by_frequency(text: str, context: Counter[str]) -> Region | None:
    """The most named place at the level the text speaks of itself (全市 → a city)."""
    if not context:
        return None
    level_votes = {level: sum(text.count(w) for w in words) for level, words in _LEVEL_WORDS.items()}
    specific = {"province": 0, "city": 1, "district": 2}  # a tie goes to the nearer level
    level = max(level_votes, key=lambda lv: (level_votes[lv], specific[lv])) if any(level_votes.values()) else None
    pool = [(count, code) for code, count in context.items() if level is None or places()[code].level == level]
    if not pool:
        pool = [(count, code) for code, count in context.items()]
    count, code = max(pool)
    return to_region(places()[code])


@lru_cache(maxsize=1)
def _name_index() -> tuple[frozenset[str], frozenset[str], tuple[int, ...]]:
    """Every name `mentions` looks for, their first two characters, and their lengths."""
    _suffix_rx, full, _short_rx, short, _lengths = _matcher()
    names = frozenset(full) | frozenset(short)
    return names, frozenset(n[:2] for n in names), tuple(sorted({len(n) for n in names}))


def _starts_with_name(text: str) -> bool:
    """Could a place name start at text[0]? If not, `mentions(text)` has none there."""
    names, heads, lengths = _name_index()
    return text[:2] in heads and any(text[:n] in names for n in lengths if n <= len(text))


def region_prefix(name: str) -> tuple[Region | None, str]:
    """Split leading place names off an organisation's name: 江西省市场监管局 → (江西省, 市场监管局)."""
    if not _starts_with_name(name):
        return None, name  # quick exit: most clauses the quantities stage asks about open with no place
    pos, chosen = 0, None
    for start, end, candidates in mentions(name):
        if start != pos:
            break
        local: Counter[str] = Counter({chosen.adcode: 1000} if chosen else {})
        chosen = _choose(candidates, local)
        pos = end
    return (to_region(chosen) if chosen else None), name[pos:]
