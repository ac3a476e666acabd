"""Find quantified statements: a number with a unit, the clause that names its indicator.

Steps: clean OCR noise (page numbers inside sentences) keeping a map to the original offsets;
find number + unit candidates with one pre-compiled pattern (plus a few Chinese-numeral forms:
ranks, fractions, 半天, 开展一次); drop names, dates, document and section numbers; then read
each candidate's fields from cue words around it (see `cues`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal

from loaders.model import Document, Statement
from loaders.quantities import cues
from loaders.quantities.areas import classify_area, title_area
from loaders.quantities.context import ANNUAL, PLAN, PRESS, REPORT, DocContext, clean_view, read_context, short_region
from loaders.regions import region_prefix
from loaders.scan import Scanner
from loaders.quantities.indicators import (
    BARE_HEAD, clean_phrase, growth_name, name_after, rank_name, split_shared, subject_of, time_limit_name, with_head,
)
from loaders.quantities.numbers import fraction_percent, parse_chinese_integer, parse_number, tidy
from loaders.quantities.units import (
    TIME_UNITS, COUNT_UNITS, PER_POPULATION_AFTER, PER_POPULATION_BEFORE, UNIT_PATTERN, normalise_unit, per_population,
)

_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|[IlLOo]{0,2}\d+)(?:\.\d+)?"
_MULT = r"(?:[余多]?(?:万亿|千亿|百亿|亿|万|千(?![人克米瓦])|百(?![分万人]))(?:\d+[千百](?![人]))?)?[余多]?"
_NUMBER = _ARABIC + _MULT
# (Scanner: these patterns open with a look-behind or a repeat; the second argument lists the
# characters a match can start with, so the text is searched for those first. See loaders.scan.)
_CANDIDATE = Scanner(
    rf"(?<![A-Za-z0-9._/\-#＃])(?P<num>{_NUMBER})(?:\s*(?:[%％]|(?<=[万亿])元)?\s*(?P<dash>[-－—–~～至到])\s*(?P<num2>{_NUMBER}))?"
    rf"[ \u3000\xa0]*(?P<unit>{UNIT_PATTERN})?(?P<per>{PER_POPULATION_AFTER})?(?P<suffix>以上|以下|以内|之内|左右|余|多)?",
    r"[\dIlLOo]",
)
# Chinese-numeral forms worth reading (bare 一个/三大 are counts of plan items, not data).
_CN_COUNT = re.compile(
    r"(?:开展|组织|举办|召开|进行|至少|不少于|每年|每季度|每月|每半年)(?:开展|组织|举办|召开|进行)?"
    r"(?P<num>[一二两三四五六七八九十]+)(?P<unit>次|场|轮)(?!性)"
)
_CN_BIG = Scanner(r"(?<![每第])(?P<num>[一二两三四五六七八九十][一二两三四五六七八九十百千万]*[十百千万][一二两三四五六七八九十百千万]*)(?P<unit>"
                  + "|".join(["家", "户", "个", "件", "人", "名", "项", "批次", "次", "份", "台", "条", "元"]) + ")",
                  "[一二两三四五六七八九十]")
_RANK_NTH = re.compile(r"(?:全国|全省|全市|全区|位列|位居|排名|名列|居)(?:全国|全省|全市|全区)?第(?P<num>[一二三四五六七八九十\d]+)(?:名|位)?(?![类批届次季个条章阶期轮])")
# 居各类投诉第二位, 位列全省十六个地市第3名: a rank whose ranking words stand a few characters apart.
_RANK_NTH_FAR = Scanner(r"(?:位列|位居|排名|名列|(?<![民住家邻定安])居(?![民住家委所室间中]))[^，,。；;第\d\n]{1,10}?"
                        r"第(?P<num>[一二三四五六七八九十\d]+)(?:名|位)(?![类批届次季个条章阶期轮])", "[位排名居]")
# 翻一番 doubles, 翻两番 quadruples: a growth multiple, read as 倍.
_DOUBLING = re.compile(r"翻(?P<num>[一两二三])番")
_DOUBLINGS = {"一": 2, "两": 4, "二": 4, "三": 8}
# 较上年增长两倍, 提高到三倍: a multiple written in words after a verb of change or of reaching
_TIMES = re.compile(r"(?:增长|增加|提高|提升|扩大|达到|达|为|是|超过)(?P<num>[一两二三四五六七八九十])倍(?![数率])")
_RANK_TOP = re.compile(r"(?:全国|全省|全市|全区)前(?P<num>[一二三四五六七八九十\d]+)(?:名|位)")
_FRACTION = re.compile(r"(?P<num>[一二三四五六七八九十百千万\d]+分之[一二三四五六七八九十\d]+|一半)")
# 七成: tenths, read as percent when a cue word puts a value there (保持在七成, 超过八成).
_TENTHS = Scanner(r"(?<=[达到在过超近约为占逾的于降长少加高短低足至免])(?P<num>[一二两三四五六七八九])成(?![为员本果立效绩交功就长])",
                  "[一二两三四五六七八九]")
# A bare number after an indicator per 10 000 units (万台死亡人数0.3): the rate's unit.
_PER_UNITS_LEFT = re.compile(r"(万|千|百万|亿)(台|辆|人|户|家)[\u4e00-\u9fff]{0,6}?(?:死亡人数|死亡率|伤亡率|事故起数|事故率)"
                             r"(?:控制在|达到|为|不高于|不超过|低于|降至|降到|下降到)?[\t ]*(?:≤|≥|<=|>=|<|>)?$")
_HALVED = Scanner(r"(?<=[费金款税额])减半(?=收取|征收|计收|缴纳|收费|执行)", "减")
_ALL_OF = Scanner(r"(?<=[达到为至在])百分之百", "百")  # 备案率达到百分之百 = 100%
_HALF_DAY = Scanner(r"(?<![一二三四五六七八九十\d])(?P<num>半)(?P<unit>个工作日|天|日|小时)", "半")
_OVER_BIG = re.compile(r"(?:过|超|突破|超过)(?P<num>万亿|千亿|百亿|千万|百万)(?P<unit>元|户|家|人|件)?")
# (\d\d* rather than \d+: the same matches, but a pattern that opens with a class is scanned fast by re)
_RATIO = re.compile(r"(?P<a>\d\d*)\s*[:：比]\s*(?P<num>\d+)")

CN_TENTHS = "零一二三四五六七八九"
_CLAUSE_END = "，,。；;！？!?\n：:\t"
_SENTENCE_END = "。；;！？!?\n"
_CLAUSE_END_RE = re.compile(f"[{re.escape(_CLAUSE_END)}]")
_PLAN_ITEMS = re.compile(r"^[\u4e00-\u9fff]{0,4}?(?:指标|举措|措施|任务|目标|原则|方面|部分|条款|意见|大类|工程|行动|战略|机制)"
                         r"(?![\u4e00-\u9fff]{0,2}[数量率])")
_DONE_ITEMS = re.compile(r"(?:完成|达标|进度|滞后|未完成|符合预期|达到预期)的?$")
_SCOPE_LIST = re.compile(r"^(?:重点)?(?:产业|行业|领域|方面|环节)")
_ITEM_COUNTERS = {"项", "条", "个", "类", "大"}
_NOT_A_UNIT_BEFORE = {
    "分": r"之|局|院|所|公司|中心|会|队|站|类|行|店|级|部",
    "周": r"年|岁",
    "处": r"室|长|理|置|罚|分",
    "场": r"所|地|馆|景|合|监管",
    "起": r"草|诉|步|点|来|始|止|码",
    "期": r"间|限|刊|货|末|初",
    "台": r"账|阶|湾|风",
    "名": r"单|称|录|牌|誉|义|额",
    "种": r"植|子|养|类",
}
_MEETING = re.compile(r"^(?:常务|全体|党组|主任|局务)?(?:会议|全会|常委会)")
_RATE_LEFT = re.compile(r"率(?:均|都)?(?:达到|达|为|保持|保持在|稳定在|控制在|不高于|不超过|不低于|低于|高于|降至|降低到|下降到|下降至)?$")


@dataclass
class Candidate:
    start: int  # clean-text offsets of the whole number expression (with unit and suffix)
    end: int
    num_start: int
    num_end: int
    value: float | int
    value_max: float | int | None
    unit: str | None
    comparator_hint: str | None = None
    per_hint: str | None = None  # population denominator written after the unit
    unit_end: int | None = None  # where the unit ends and cue words like 以上 begin
    row_label: str | None = None  # in an indicator table: the row's indicator name
    table_kind: str | None = None  # …and what its column holds (基期值 → baseline, 目标值 → target)
    table_year: int | None = None


def _inside(text: str, pos: int, opener: str, closer: str, reach: int = 120) -> bool:
    """Is `pos` inside an opener…closer pair (a title, a document number) that began nearby?"""
    floor = max(0, pos - reach)
    return text.rfind(opener, floor, pos) > text.rfind(closer, floor, pos)


class Boundaries:
    """Clause and sentence ends of a text, found once, looked up by bisection."""

    def __init__(self, text: str):
        self.length = len(text)
        self.clause_ends = [m.start() for m in _CLAUSE_END_RE.finditer(text)]
        self.sentence_ends = [i for i in self.clause_ends if text[i] in _SENTENCE_END]

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) of the clause holding text[start:end]."""
        before = bisect_right(self.clause_ends, start - 1) - 1
        left = self.clause_ends[before] + 1 if before >= 0 else 0
        after = bisect_left(self.clause_ends, end)
        right = self.clause_ends[after] if after < len(self.clause_ends) else self.length
        return left, right

    def sentence_start(self, pos: int) -> int:
        before = bisect_right(self.sentence_ends, pos - 1) - 1
        return self.sentence_ends[before] + 1 if before >= 0 else 0


_MONEY_HEADER = re.compile(r"[（(](?:单位[:：])?\s*(万元|亿元|元)\s*[)）]|单位[:：]\s*(万元|亿元|元)")
_MONEY_FACTOR = {"元": 1, "万元": 10_000, "亿元": 100_000_000}


def _money_cell(text: str, start: int, end: int) -> int | None:
    """A bare number filling a table cell whose row or header says （万元）: the factor to 元."""
    if start == 0 or text[start - 1] != "\t" or (end < len(text) and text[end] not in "\t\n"):
        return None
    line_start = text.rfind("\n", 0, start) + 1
    header_from = line_start
    for _ in range(3):  # the row itself, then the header lines just above it
        header_from = text.rfind("\n", 0, max(0, header_from - 1)) + 1
    m = None
    for m in _MONEY_HEADER.finditer(text, header_from, start):
        pass
    return _MONEY_FACTOR[m.group(1) or m.group(2)] if m else None


_UNIT_IN_LABEL = re.compile(r"[（(]\s*([^（）()\d]{1,6}?)\s*[)）]\s*$")
_COLUMN_HEAD = re.compile(r"基期|基数|现状|目标|预期|规划值|完成值|实际值|(?<!\d)20\d\d\s*年")


_CELL_GAP = re.compile(r"\t|[ \u3000]{2,}")
_CELL_END = re.compile(r"[ \u3000]*(?:\t|\r|\n|$)|[ \u3000]{2,}")


def _cells(line: str) -> list[str]:
    """The cells of a table line, tab-separated or aligned with runs of spaces."""
    return _CELL_GAP.split(line.strip(" \u3000"))


_LABEL_SCALE = re.compile(r"(亿|千万|百万|万|千)(?=[\u4e00-\u9fff])")
_SCALES = {"亿": 100_000_000, "千万": 10_000_000, "百万": 1_000_000, "万": 10_000, "千": 1_000}


_BARE_YEAR = re.compile(r"(20\d\d)\s*年(?:底|末)?")


_SPACE_PAIRS = ("  ", "\u3000\u3000", " \u3000", "\u3000 ")  # [ \u3000]{2}, found by `in` (a long line is slow to scan with re)


def _loose_row(line: str) -> bool:
    """A table line whose cells are parted by single spaces: no tab, no run of spaces, 3+ cells, a bare number."""
    body = line.strip(" \u3000\r")
    if "\t" in body or any(pair in body for pair in _SPACE_PAIRS):
        return False
    cells = body.split(" ")
    return len(cells) >= 3 and any(re.fullmatch(r"[≥≤<>]?\d[\d.]*%?", c) for c in cells)


def _year_column_role(head_cells: list[str], column: int) -> str:
    """A column headed by a bare year (2020年 | 2025年): the earlier year is the base, the latest the goal."""
    cell = head_cells[column].strip()
    own = _BARE_YEAR.fullmatch(cell)
    if not own:
        return cell
    years = [int(m.group(1)) for c in head_cells if (m := _BARE_YEAR.fullmatch(c.strip()))]
    if len(years) < 2:
        return cell
    return f"{cell}（基期）" if int(own.group(1)) < max(years) else f"{cell}（目标）"


def _table_row(text: str, start: int, end: int,
               loose_rows: dict[int, bool] | None = None) -> tuple[str, str, str, int] | None:
    """A bare number filling a cell of an indicator table (指标名称（单位）\t2020年基期值\t2025年目标值).

    Cells are tab-separated or aligned with spaces. Returns (indicator, unit, column header) when
    the row's label cell names a unit in brackets and a header line above names the column; else None.
    The fourth item scales the cells when the unit counts in 万 or 亿 (（万户）, （亿元）).
    `loose_rows` caches `_loose_row` by line start: a long paragraph holds many numbers.
    """
    cell_start = start - 1 if start >= 1 and text[start - 1] in "≥≤<>" else start
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    loose_rows = {} if loose_rows is None else loose_rows
    if line_start not in loose_rows:
        loose_rows[line_start] = _loose_row(text[line_start:line_end if line_end >= 0 else len(text)])
    loose = loose_rows[line_start]
    if loose:  # 1 市场主体总量（万户） 4.87 6.5 预期性: cells parted by single spaces
        if cell_start == 0 or text[cell_start - 1] != " " or (end < len(text) and text[end] not in " \r\n"):
            return None
    elif cell_start == 0 or not (text[cell_start - 1] == "\t" or text[max(0, cell_start - 2):cell_start] in ("  ", "\u3000\u3000")):
        return None
    if not loose and not _CELL_END.match(text, end):
        return None
    split = str.split if loose else _cells
    cells = split(text[line_start:cell_start].strip() + " 0") if loose else _cells(text[line_start:start] + "0")
    row_width = len(split(text[line_start:line_end if line_end >= 0 else len(text)]))
    label = next((c.strip() for c in cells[:-1] if re.search(r"[\u4e00-\u9fff]{2}", c)), None)
    unit_m = _UNIT_IN_LABEL.search(label or "")
    if not unit_m:
        return None
    column = len(cells) - 1
    pos = line_start - 1
    for _ in range(12):  # the header: the nearest line above whose cell in this column names it
        if pos <= 0:
            return None
        above_start = text.rfind("\n", 0, pos) + 1
        head_cells = split(text[above_start:pos])
        if loose and len(head_cells) != row_width:
            pos = above_start - 1
            continue
        if len(head_cells) > column and _COLUMN_HEAD.search(head_cells[column]) and not re.search(
                r"\d[\d.]*\s*$", head_cells[column]):
            name = label[:unit_m.start()].strip()
            written = unit_m.group(1)
            scale = _LABEL_SCALE.match(written)  # 市场主体总量（万户）: cells count in 万
            if scale and len(written) > len(scale.group(1)):
                written = written[len(scale.group(1)):]
            unit = "%" if written in ("%", "％") else normalise_unit(written)
            per = re.search(r"每?(百万|十万|万|千)人口?", name)
            per_units = re.search(r"(万|千|百万|亿)(台|辆|户|家)", name)
            if per and unit != "%":
                unit = per_population(unit, per.group(1))
            elif per_units and unit != "%":
                unit = f"{unit}/{per_units.group(1)}{per_units.group(2)}"
            header = _year_column_role(head_cells, column)
            return name, unit, header, _SCALES[scale.group(1)] if scale and written != unit_m.group(1) else 1
        pos = above_start - 1
    return None


# A column of counts (本年制发件数, 收到申请数量): its bare cells count in the unit the header names.
_COUNT_HEAD = re.compile(r"(件|个|家|人|条|次|项|户|批次|场|份|台)数(?:量)?$")
_RESULT_HEAD = re.compile(r"完成值|完成情况|实际值|实际完成|实际数|实现值")
_GOAL_HEAD = re.compile(r"目标值|目标|预期值|计划值|指标值")


def _column_header(text: str, start: int) -> tuple[str, str] | None:
    """(row label, header) of the tab-separated cell that begins at `start`, the header found above it."""
    cell_start = start - 1 if start >= 1 and text[start - 1] in "≥≤<>" else start
    if cell_start == 0 or text[cell_start - 1] != "\t":
        return None
    line_start = text.rfind("\n", 0, start) + 1
    cells = text[line_start:cell_start].split("\t")
    column = len(cells) - 1
    label = cells[0].strip()
    pos = line_start - 1
    for _ in range(8):
        if pos <= 0:
            return None
        above_start = text.rfind("\n", 0, pos) + 1
        head_cells = text[above_start:pos].split("\t")
        if len(head_cells) > column and not re.search(r"\d", head_cells[column]) and len(head_cells) >= column + 1 \
                and re.search(r"[\u4e00-\u9fff]{2}", head_cells[column]) and not re.search(r"\d", head_cells[0]):
            return label, head_cells[column].strip()
        pos = above_start - 1
    return None


def _count_cell(text: str, start: int, end: int) -> tuple[str, str] | None:
    """A bare number in a column of counts: (indicator, unit). 规章 | 本年制发件数 → 本年制发规章件数, 件."""
    if end < len(text) and text[end] not in "\t\r\n":
        return None
    found = _column_header(text, start)
    if not found or not re.search(r"[\u4e00-\u9fff]{2}", found[0]):
        return None
    label, header = found
    m = _COUNT_HEAD.search(header)
    if not m:
        return None
    return header[:m.start()] + label + header[m.start():], normalise_unit(m.group(1))


_YEAR_AFTER = re.compile(r"\d*年")  # a number just before 年: a year, not a quantity


def _arabic_candidates(text: str) -> list[Candidate]:
    found = []
    loose_rows: dict[int, bool] = {}
    for m in _CANDIDATE.finditer(text):
        num = m.group("num")
        unit_written = m.group("unit")
        if not any(ch.isdigit() for ch in num):
            continue
        letters = sum(ch.isalpha() and ch.isascii() for ch in num)
        if letters and not (unit_written or (m.group("suffix") or "").startswith("以")):
            continue
        start, end = m.start(), m.end()
        before = text[max(0, start - 12):start]
        after = text[end:end + 12]
        if before.endswith("第"):
            continue
        money = _money_cell(text, start, end) if unit_written is None else None
        row = _table_row(text, start, m.end("num"), loose_rows) if unit_written is None and not money else None
        counted = _count_cell(text, start, m.end("num")) if unit_written is None and not money and not row else None
        if row:
            end = m.end("num")  # an aligned cell: the spaces after it separate it from the next
        if money:
            unit = "元"
        elif row:
            unit = row[1]
        elif counted:
            unit = counted[1]
        elif unit_written is None:
            # A bare number counts only as a rate after 率 (…处置率均达到100) or as a ratio.
            per_units = _PER_UNITS_LEFT.search(before)
            if per_units and (end >= len(text) or text[end] in _CLAUSE_END + "以"):
                unit = f"人/{per_units.group(1)}{per_units.group(2)}"
            elif _RATE_LEFT.search(before) and (end >= len(text) or text[end] in _CLAUSE_END + "已"):
                unit = "%"
            else:
                continue
        else:
            unit = normalise_unit(unit_written)
            if unit_written == "部" and after.startswith("门"):
                unit, unit_written = "个", "部门"  # 联合12部门: a count of departments
        if unit in ("日", "天") and re.search(r"月\s*$", before):
            continue  # a date: 3月18日
        if unit_written in ("位", "名") and before.endswith("前"):
            continue  # ranks are read by _RANK_TOP
        if unit == "次" and (_MEETING.match(after) or before.endswith("届")):
            continue
        if unit_written in _ITEM_COUNTERS and _PLAN_ITEMS.match(after):
            continue  # counts of plan items: 29项定量指标, 16项措施
        if unit_written in _ITEM_COUNTERS and _DONE_ITEMS.search(before) and not re.match(r"[\u4e00-\u9fff]", after):
            continue  # an evaluation's tally of plan indicators: 已完成的11项, 进度滞后的2项
        if unit_written in _ITEM_COUNTERS and before.endswith("等") and _SCOPE_LIST.match(after):
            continue  # the size of a list just given: 木业、食品…等6个产业
        if unit not in ("%", None) and (m.group("suffix") or "").startswith("以") and re.match(r"[的且并]", after):
            continue  # a threshold defining a set: 200万元以上且进行绩效评审的项目
        if unit in COUNT_UNITS and after.startswith("的") and not re.match(r"的(?:要求|目标|标准|水平)", after) and re.search(r"(?:超过|以上|不低于|不少于|达到)$", before):
            continue  # a threshold inside a noun phrase: 维保数量超过500台的单位
        if unit_written in _NOT_A_UNIT_BEFORE and re.match(_NOT_A_UNIT_BEFORE[unit_written], after):
            continue  # the "unit" starts a word: 3分局, 100周年, 10场所, 自2021起
        if unit_written == "起" and before.endswith(("自", "从")):
            continue
        if _inside(text, start, "《", "》") or _inside(text, start, "〔", "〕") or _inside(text, start, "[", "]"):
            continue
        if _YEAR_AFTER.match(text, m.end("num"), m.end("num") + 2) and not unit_written:
            continue
        value = parse_number(num)
        if value is None:
            continue
        if money:
            value = tidy(Decimal(str(value)) * money)
        elif row and row[3] != 1:
            value = tidy(Decimal(str(value)) * row[3])
        value_max = parse_number(m.group("num2")) if m.group("num2") else None
        if value_max is not None and value_max <= value:
            value_max = None
        suffix = m.group("suffix") or ""
        hint = None
        if "余" in num or "多" in num or suffix in ("余", "多"):
            hint = ">"
        per = m.group("per")
        per_hint = re.search(r"(百万|十万|万|千|百)", per).group(1) if per else None
        num_end = m.end("num2") if m.group("num2") else m.end("num")
        unit_end = m.end("per") if per else (m.end("unit") if unit_written else num_end)
        if unit_written == "部门":
            unit_end = end = m.end("unit") + 1
        cand = Candidate(start, end, m.start("num"), num_end, value, value_max, unit, hint, per_hint, unit_end)
        if row:
            header = row[2]
            year = re.search(r"(20\d\d)\s*年", header)
            cand.row_label = row[0]
            cand.table_year = int(year.group(1)) if year else None
            cand.table_kind = "target" if re.search(r"目标|预期|规划值", header) else (
                "baseline" if re.search(r"基期|基数|现状", header) else "progress")
        elif counted:
            cand.row_label = counted[0]
        elif "\t" in text[max(0, start - 2):start]:
            column = _column_header(text, start)  # 指标名称 | 年度目标值 | 实际完成值: the column says which
            if column and _GOAL_HEAD.search(column[1]) and not _RESULT_HEAD.search(column[1]):
                cand.table_kind = "target"
            elif column and _RESULT_HEAD.search(column[1]):
                cand.table_kind = "progress"
        found.append(cand)
    return found


def _chinese_candidates(text: str) -> list[Candidate]:
    found = []
    for m in _CN_COUNT.finditer(text):
        value = parse_chinese_integer(m.group("num"))
        if value and not re.match(r"[办妥好]", text[m.end():m.end() + 1]):
            found.append(Candidate(m.start("num"), m.end(), m.start("num"), m.end("num"), value, None,
                                   normalise_unit(m.group("unit"))))
    for m in _CN_BIG.finditer(text):
        value = parse_chinese_integer(m.group("num"))
        if value and value >= 20 and not _PLAN_ITEMS.match(text[m.end():m.end() + 8]):
            found.append(Candidate(m.start("num"), m.end(), m.start("num"), m.end("num"), value, None,
                                   normalise_unit(m.group("unit"))))
    for m in _TIMES.finditer(text):
        times = CN_DIGITS_TIMES[m.group("num")]
        found.append(Candidate(m.start("num"), m.end(), m.start("num"), m.end(), times, None, "倍"))
    for m in _DOUBLING.finditer(text):
        found.append(Candidate(m.start(), m.end(), m.start(), m.end(), _DOUBLINGS[m.group("num")], None, "倍"))
    for pattern, sign in ((_RANK_NTH, "="), (_RANK_NTH_FAR, "="), (_RANK_TOP, "<=")):
        for m in pattern.finditer(text):
            value = parse_number(m.group("num"))
            if value:
                found.append(Candidate(m.start("num") - (1 if sign == "=" else 0), m.end(), m.start("num"),
                                       m.end("num"), value, None, "名次", sign))
    # a fraction holds 分之 or is 一半: test that first, the pattern's scan is slow
    fractions = _FRACTION.finditer(text) if "分之" in text or "一半" in text else ()
    for m in fractions:
        value = fraction_percent(m.group("num"))
        if value is not None:
            found.append(Candidate(m.start(), m.end(), m.start(), m.end(), value, None, "%"))
    for m in _TENTHS.finditer(text):
        digit = m.group("num").replace("两", "二")
        found.append(Candidate(m.start(), m.end(), m.start(), m.end(), 10 * CN_TENTHS.index(digit), None, "%"))
    for m in _HALVED.finditer(text):  # 检定费减半收取: a fee cut by half, 50 %
        found.append(Candidate(m.start(), m.end(), m.start(), m.end(), 50, None, "%"))
    for m in _ALL_OF.finditer(text):
        found.append(Candidate(m.start(), m.end(), m.start(), m.end(), 100, None, "%"))
    for m in _HALF_DAY.finditer(text):
        found.append(Candidate(m.start(), m.end(), m.start(), m.end("num"), 0.5, None, normalise_unit(m.group("unit"))))
    for m in _OVER_BIG.finditer(text):
        value = parse_number(m.group("num"))
        if m.group("num") in ("千万", "百万") and not m.group("unit"):
            continue  # 百万 alone is rhetoric (超百万级); a count needs its unit (突破百万户)
        found.append(Candidate(m.start("num"), m.end(), m.start("num"), m.end("num"), value, None,
                               normalise_unit(m.group("unit") or "元"), ">"))
    for m in _RATIO.finditer(text):
        if re.search(r"比例?(?:为|是|达到|达)?\s*$", text[max(0, m.start() - 6):m.start()]) and m.group("a") == "1":
            found.append(Candidate(m.start(), m.end(), m.start(), m.end(), int(m.group("num")), None, None))
    return found


def find_candidates(text: str) -> list[Candidate]:
    """Every number worth a statement, in text order, overlapping forms resolved (longest wins)."""
    candidates = sorted(_arabic_candidates(text) + _chinese_candidates(text), key=lambda c: (c.num_start, -c.end))
    kept: list[Candidate] = []
    for cand in candidates:
        if kept and cand.num_start < kept[-1].num_end:
            continue
        kept.append(cand)
    return kept


_RATIO_UNITS = {"企业": "家", "单位": "家", "主体": "户", "人员": "人", "人": "人"}


def _ratio_unit(left: str) -> str | None:
    m = re.search(r"([\u4e00-\u9fff]{1,6})与([\u4e00-\u9fff]{1,6})(?:的)?比例?", left)
    if not m:
        return None
    def unit_of(noun):
        for key, unit in _RATIO_UNITS.items():
            if noun.endswith(key):
                return unit
        return None
    a, b = unit_of(m.group(1)), unit_of(m.group(2))
    return f"{a}/{b}" if a and b else None


_PROVINCE_GOAL = re.compile(r"省(?:定|下达的?)?目标|全省平均|省(?:级)?要求|省确定")
_NATIONAL_GOAL = re.compile(r"国家(?:下达的?)?目标|全国平均|国家要求")
_WHOLE_SCOPE = re.compile(r"^[\s（()）\d、.．一二三四五六七八九十是]*(全国|全省)(?![第前排首领平])")
_WORD_START = re.compile(r"[\u4e00-\u9fff“]")


def _other_region(ctx: DocContext, clause_before: str) -> str | None:
    if _PROVINCE_GOAL.search(clause_before):
        return ctx.province or "全省"
    if _NATIONAL_GOAL.search(clause_before):
        return "全国"
    subject = _WHOLE_SCOPE.match(clause_before)
    if subject:  # 全国登记在册市场主体…: the figure is about the whole country (province)
        return "全国" if subject.group(1) == "全国" else (ctx.province or "全省")
    place, rest = region_prefix(clause_before.lstrip(" \t\u3000（(）)、"))
    if place is not None and place.level in ("province", "city", "district") and _WORD_START.match(rest):
        named = short_region(place.name)  # 江苏省经营主体超过1400万户: a figure about another place
        if named != ctx.region and place.name != ctx.province:  # 广东专利奖, 河南省质量标杆: the home province's awards
            return named
    return None


_ITEM_START = re.compile(r"\s*(?:\d+[.．、]\D{0,6})?(?:[(（](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]|[一二三四五六七八九十]+是|\d{1,2}[.．、](?!\d))")
# A clause that compares a reported value with the plan's goal names no indicator of its own.
_PLAN_GOAL_REF = re.compile(
    r"(?:距|超过|低于|高于|未达到|完成)[^，,。；;]{0,3}《[^》]{1,24}》(?:提出|确定|设定|明确|要求)[^，,。；;]{0,16}$"
    r"|(?:距|超过|低于|高于|未达到|完成)[^，,。；;]{0,3}《[^》]{1,24}》[^，,。；;\d]{0,3}目标[^，,。；;\d]{0,2}$"
    r"|^[^，,。；;\d]{0,4}距[^，,。；;\d]{0,8}目标[^，,。；;\d]{0,2}$")
_ELLIPTIC = re.compile(
    r"^[\s,，]*(?:(?:20\d\d\s*年?(?:第?[一二三四]季度|上半年|下半年|底|末)?|同期|上年|去年|其中)?(?:为|是|达到|达)?"
    r"|(?:高于|低于|超过|优于|好于)(?:国家|全国|省|全省|市|全市)?(?:目标|要求|平均水平|平均值|平均)?(?:确定|规定|设定|下达)?的?)\s*$")
# A report quoting its plan's goal beside the result: 规划目标（10万户）, 目标值为5%, 提前完成3件的目标.
_GOAL_NAMED = re.compile(r"(?:规划|预期|计划)?目标值?(?:为|是)?[（(]\0|\0[^，,。；;\d]{0,3}的(?:规划|预期)?目标")
# 比上年减少 / 同比增加 with no name of its own: the change of the indicator just reported
_COMPARED_CHANGE = re.compile(r"^(?:比|同比|环比)?[^，,。；;比]{0,4}?(?:增长|提高|提升|上升|下降|减少|增加|降低|缩短|压缩)$")
CN_DIGITS_TIMES = {d: i for i, d in enumerate("零一二三四五六七八九十")} | {"两": 2}
_SAMPLING = re.compile(r"抽检|抽样|检验量|抽查量|监测量")


_DEATH_RATE = re.compile(r"死亡率|伤亡率")
_PER_UNITS_OF = re.compile(r"每?(万|千|百万|亿)(台|辆|人|户|家)")
_PER_UNITS_ACCIDENTS = re.compile(r"(万|千|百万|亿)(台|辆|户|家)[\u4e00-\u9fff]{0,6}?(?:事故起数|死亡人数|伤亡人数|事故数)")
_PER_ENTITIES = re.compile(r"每(百万|十万|万|千)(户|家|台|辆)")
_PEOPLE_WORDS = re.compile(r"专家|人才|人员|讲师|志愿者")
_PER_ITEM_AFTER = re.compile(r"(?:每(?:一)?|/)(批次|家|户|人|件|台|个|次|项|平方米|吨)")
_PER_ITEM_BEFORE = re.compile(r"每(批次|家|户|人|件|台|个|次|项)(?:[^，,。；;\d每]{0,6})$")


def _unit_of(cand: Candidate, clean: str, clause_before: str, after: str) -> str | None:
    unit = cand.unit
    if unit is None:
        unit = _ratio_unit(clause_before)
    if unit == "%" and cand.unit_end == cand.num_end and _DEATH_RATE.search(clause_before):
        m = _PER_UNITS_OF.search(clause_before)
        if m:
            return f"人/{m.group(1)}{m.group(2)}"
    row_before = clean[clean.rfind("\n", 0, cand.num_start) + 1:cand.num_start]
    per_units = _PER_UNITS_ACCIDENTS.search(row_before if "\t" in row_before else clause_before)
    if per_units and unit in COUNT_UNITS:
        return f"{unit}/{per_units.group(1)}{per_units.group(2)}"
    per_entities = _PER_ENTITIES.search(clause_before)
    if per_entities and unit in COUNT_UNITS and cand.per_hint is None:
        return f"{unit}/{per_entities.group(1)}{per_entities.group(2)}"  # 每万户市场主体商标拥有量1286件
    denominator = cand.per_hint
    if denominator is None and unit in COUNT_UNITS:
        pop = None
        for pop in PER_POPULATION_BEFORE.finditer(clause_before):
            pass
        if pop is not None:
            denominator = pop.group(1)
    if unit == "份" and denominator and _SAMPLING.search(clause_before):
        unit = "批次"
    if denominator and unit:
        unit = per_population(unit, denominator)
    if unit == "个" and _PEOPLE_WORDS.search(clause_before + after[:4]):
        unit = "人"
    if unit == "个" and after.startswith("大项"):
        unit = "项"
    per_item = _PER_ITEM_AFTER.match(after) or _PER_ITEM_BEFORE.search(clause_before)
    if unit in ("元", "小时", "天", "工作日", "课时", "学时", "吨") and per_item:
        unit = f"{unit}/{per_item.group(1)}"  # 4000元每批次 → 元/批次
    if unit and unit in COUNT_UNITS and "人均" in clause_before:
        unit = f"{unit}/人"
    return unit


_CHANGE_OR_GOAL = re.compile(r"^[^\u4e00-\u9fff]*(?:同比|比上年|较上年|较|距|比)?[^，,。；;]{0,8}?(?:增加|减少|提高|下降|增长|目标)[^，,。；;]{0,2}$")
_CHANGE_AFTER = re.compile(r"[^，,。；;]{0,6}?(?:下降|降|提高|压缩|增加|增长|减少|提升|缩短|扩大|上升)")
_LISTED_VALUES = re.compile(r"^(?:[、和及与]\s*[\d.]+[万亿千百]*[^\d、，,。；;]{0,2}?(?=[、和及与]|下降|降|提高|压缩|增加|增长|减少|提升|缩短|扩大|上升))+")
_CHANGE_TO = re.compile(r"^[\s，,]*(?:分别)?(?:下降|降低|降|压缩|缩短|提高|提升|增加|增长|减少|减|上升|扩大)(?:至|到)$")
# After a count, a noun (not a cue word or a pause) means the count is of that noun.
_NOUN_FOLLOWS = re.compile(
    r"(?!以上|以下|以内|之内|左右|余|多|的|和|及|或|与|等|次|（|\(|增|减|下降|降|提高|提升|上升|压缩|缩短|扩大|达|到|至|为|是|占|"
    r"同比|环比|比|较|均|实现|完成|办结|分别|共|累计|其中|以|，|开展|实施|进行|参加|参与|通过|纳入|列入|建立|建成|组织)[\u4e00-\u9fff“]")
# A counted noun and what was done to (or by) it: 19家农贸市场、便民点完成硬件设施改造.
_NOUN_THEN_VERB = re.compile(
    r"(?P<noun>[^，,。；;：:\d]{1,12}?)(?P<vp>(?:完成|参与|通过|实现|建成|纳入|列入|移出|获得|取得|标记为)[^，,。；;\d]{2,18})"
    r"(?=$|[，,。；;])")
_NAMES_INDICATOR = re.compile(r"(?:率|量|数|额|度|费|费用|比例|指数|人数|收入|支出|预算|资金|经费)$")


def unit_written_of(cand: Candidate, text: str) -> str:
    return text[cand.unit_end - 2:cand.unit_end] if cand.unit_end else ""


def _previous_cell(text: str, clause_start: int) -> str | None:
    """In a tab-separated row, the cell before the one holding the value, if it names an indicator."""
    if clause_start == 0 or text[clause_start - 1] != "\t":
        return None
    start = clause_start - 1
    while start > 0 and text[start - 1] not in "\t\n":
        start -= 1
    cell = clean_phrase(text[start:clause_start - 1])
    if _NAMES_INDICATOR.search(cell) or cell.endswith("（单位）数"):
        return cell
    # a performance table's row label (覆盖食品大类, 抽检批次); not a level label (数量指标) or a year
    if 2 <= len(cell) <= 24 and not re.search(r"[\d%％]|指标$|^项目", cell):
        return cell
    return None


_PROJECT_LINE = re.compile(r"(?m)^[ \t\u3000]*项目名称[ \t\u3000]*[\t:：][ \t\u3000]*([^\t\n]+)")
# Fields a budget project is about; its table's generic rows (检验准确率, 结案率, 费用) belong to it.
_DOMAIN_AREAS = {"food_safety", "cosmetics", "medical_device", "drug", "special_equipment"}


def _project_area(text: str, pos: int) -> str | None:
    """In a budget performance table, the field of the project whose rows hold `pos`."""
    start = text.rfind("项目名称", 0, pos)
    if start < 0:
        return None
    m = _PROJECT_LINE.match(text, text.rfind("\n", 0, start) + 1)
    if not m:
        return None
    area = classify_area(m.group(1))
    return area if area in _DOMAIN_AREAS else None


_SPEAKER = re.compile(r"问|答|记者|发言人|新闻发言人|主持人|嘉宾|[\u4e00-\u9fff]{0,8}(?:负责人|局长|主任|司长|处长|厅长|书记)")


def _label_before(text: str, clause_start: int) -> str | None:
    """A value after a label and a colon (6）年度预算安排：3125.70万元): the label names the indicator."""
    if clause_start == 0 or text[clause_start - 1] not in "：:":
        return None
    start = max(text.rfind("\n", 0, clause_start - 1), text.rfind("\t", 0, clause_start - 1)) + 1
    label = clean_phrase(text[start:clause_start - 1])
    if _SPEAKER.fullmatch(label):
        return None  # 答：…, 发言人：… open a turn of speech, not a field
    return label if 2 <= len(label) <= 20 and not re.search(r"[\d%％，,。；;]", label) else None


def _earlier_sentences(text: str, bounds: Boundaries, sentence_start: int, reach: int = 300) -> list[str]:
    """Sentences of the same paragraph before this one, nearest first."""
    found = []
    end = sentence_start
    paragraph_start = text.rfind("\n", max(0, sentence_start - reach), sentence_start) + 1
    floor = max(sentence_start - reach, paragraph_start, 0)
    if _ITEM_START.match(text[sentence_start:sentence_start + 8]):
        return found  # a numbered item starts here: what came before is about something else
    while end > floor:
        start = bounds.sentence_start(end - 1)
        found.append(text[max(start, floor):end])
        if _ITEM_START.match(text[start:start + 8]):
            break
        end = start
    return found


@dataclass
class Around:
    """The words around one number that its fields are read from."""

    clause_start: int
    clause_end: int
    sentence_start: int
    clause_before: str  # the clause up to the number
    local_before: str  # …since the previous number of the same clause
    sentence_before: str
    after: str  # the rest of the clause after the unit
    earlier: Statement | None  # the previous statement of the sentence
    first: Statement | None  # the sentence's first statement: often the subject of what follows
    elliptic: bool  # 2022年为1585份: the clause only adds a value to `earlier`'s indicator


_YEAR_AT_END = re.compile(r"20\d\d\s*年(?:底|末)?的?$")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _around(clean: str, bounds: Boundaries, cand: Candidate, clause_prior: dict[int, int],
            last_in_sentence: dict[int, Statement], first_in_sentence: dict[int, Statement]) -> Around:
    c_start, c_end = bounds.clause(cand.num_start, cand.end)
    s_start = bounds.sentence_start(cand.num_start)
    prior = clause_prior.get(c_start, c_start)
    clause_prior[c_start] = cand.end
    clause_before = clean[c_start:cand.num_start]
    local_before = clean[prior:cand.num_start]
    after = clean[cand.unit_end or cand.end:c_end]
    earlier = last_in_sentence.get(s_start)
    elliptic = earlier is not None and (
        bool(_ELLIPTIC.match(clause_before))
        or bool(_CHANGE_TO.search(_YEAR_AT_END.sub("", local_before)))  # 增加到2020年底的
        or (local_before.strip() in ("、", "和", "及", "或", "与")
            and (not _HAN.search(after[:2]) or bool(_CHANGE_AFTER.match(after)))))
    if elliptic and not clause_before.strip(" ，,") and _NOUN_THEN_VERB.match(after):
        elliptic = False  # ，6家企业参与…活动: a new count of its own, not another value of the last one
    return Around(c_start, c_end, s_start, clause_before, local_before, clean[s_start:cand.num_start], after,
                  earlier, first_in_sentence.get(s_start), elliptic)


_DIGIT = re.compile(r"\d")
_YEARLY_LEAD = re.compile(r"^(?:年均|年平均)")


def _names(cand: Candidate, around: Around, unit: str | None, clean: str, regions: tuple[str, ...],
           recent: Statement | None) -> list[str]:
    """Indicator name(s) of one number: one per indicator when a list shares it."""
    local_before, earlier = around.local_before, around.earlier
    local_phrase = local_before.split("、")[-1] if _DIGIT.search(local_before[:-1]) else local_before
    if cand.row_label:
        return [cand.row_label]
    if around.elliptic or (earlier is not None and _PLAN_GOAL_REF.search(local_before)):
        return [earlier.indicator]  # …2.9件，距《规划》目标4件: the goal of the indicator just reported
    growth = growth_name(local_phrase, earlier.indicator, unit) if earlier is not None else None
    own_subject = clean_phrase(local_phrase.split("较")[0], regions) if "较" in local_phrase else ""
    if growth and (len(_YEARLY_LEAD.sub("", clean_phrase(local_phrase, regions))) < 2
                   or "较" in local_phrase and not (len(own_subject) >= 4 and _NAMES_INDICATOR.search(own_subject))
                   or len(_COMPARED_CHANGE.sub("", clean_phrase(local_phrase, regions))) < 2):
        return [growth]  # 年均增长12.8% after 市场主体…
    shared = split_shared(clean_phrase(local_before, regions))
    if shared:
        return [clean_phrase(item, regions) for item in shared]
    name = clean_phrase(local_phrase, regions)
    own_growth = growth_name(local_phrase, name, unit) if len(name) >= 2 else None
    if own_growth and (unit == "百分点" or not _NAMES_INDICATOR.search(name)
                       or (unit == "%" and not name.endswith("率"))):
        name = own_growth  # 市场主体同比增长12% → 市场主体增长率
    cell = _previous_cell(clean, around.clause_start) or (
        _label_before(clean, around.clause_start) if len(clean_phrase(local_before)) < 2 else None)
    if cell and (len(name) < 2 or not _NAMES_INDICATOR.search(name)):
        name = cell  # a table row: the indicator is the cell before the value
    following = around.after
    if unit in COUNT_UNITS and unit != "名次" and _NOUN_FOLLOWS.match(following) and not cell:
        # 只保留32项前置审批: the count is of the noun after it, done by the verb before it
        acted = _NOUN_THEN_VERB.match(following)
        if acted:  # 6家农贸市场完成“搬迁式”改造 → 完成“搬迁式”改造的农贸市场
            name = acted.group("vp").rstrip("的") + "的" + acted.group("noun")
        else:
            name = (name if len(name) <= 6 else "") + name_after(following)
    if len(name) < 2 and unit_written_of(cand, clean) == "部门":
        name = "部门"
    if len(name) < 2 and unit not in TIME_UNITS and unit != "名次":
        name = name_after(following.lstrip("以上下内余多"))
    if unit in TIME_UNITS and not (cell and name == cell):
        name = time_limit_name(name, following)
    if unit == "名次":
        name = rank_name(name, clean[around.clause_start:cand.end], earlier.indicator if earlier else None)
    if len(name) < 2 and recent is not None:
        name = recent.indicator  # 预计2025年将保持4批次/千人: the indicator just discussed
    share_of = around.earlier or around.first
    if unit == "%" and name.startswith("占") and share_of is not None and not cell:
        # 个体工商户620.5万户，占经营主体总量的七成: the share the counted thing has of a whole
        counted = re.sub(r"(?:件数|次数|批次|户次|家次|数量|数|金额)$", "", share_of.indicator)
        name = counted + name + ("" if re.search(r"(?:比例|比重|份额)$", name) else "比例")
    if BARE_HEAD.match(name) and not cell:
        # …纳入电梯应急处置平台，覆盖率达到100%: the rate of what the clause before names
        before = clean[around.sentence_start:around.clause_start].rstrip(_CLAUSE_END)
        previous = re.split(f"[{_CLAUSE_END}]", before)[-1] if before else ""
        subject = subject_of(previous, regions)
        # the sum of what was just counted (查处案件12件，罚没款…; 项目200个、金额30亿元), or the
        # pass rate of what the sentence first sampled (抽查538批次，不合格25批次，合格率95.3%)
        counted, sampled = around.earlier, around.first
        first = None
        if not name.endswith("率") and counted is not None and counted.unit in COUNT_UNITS and (
                "案" in counted.indicator or name == "金额"):
            first = counted
        elif sampled is not None and sampled.unit == "批次" and "合格" in name:
            first = sampled
        if not subject and first is not None:
            # 查处不正当竞争案件12件，罚没款233万元: the sum of what the sentence first counted
            subject = re.sub(r"(?:件数|次数|批次|户次|家次|数量|数|金额)$", "", first.indicator)
            # 查处网络传销案件12件，罚没款… → 网络传销案件罚没款: the cases, not the act of handling them
            subject = re.sub(r"^(?:查处|查办|办理|办结|立案|共)+", "", re.sub(r"案$", "案件", subject))
            subject = subject if len(subject) >= 2 and not BARE_HEAD.match(subject) else ""
        name = subject + name
    return [with_head(name, unit)]


_FROM_VALUE = re.compile(r"(?:由|从)(?:原来的|原先的|原)?$")
_SET_BY_PLAN = re.compile(r"(?:提出|确定|设定|明确|下达)的[^，,。；;]{0,4}$")


def statements_from_text(doc: Document) -> list[Statement]:
    """Every quantified statement of the document, spans mapped back to the original text."""
    clean, origin = clean_view(doc.text)
    ctx = read_context(doc, clean)
    doc_area = title_area(doc.title)
    region_names = tuple(n for n in (ctx.region, ctx.province, doc.region.name if doc.region else None) if n)
    # Longest first, so that a full name is removed before its shorter tail (and the order,
    # hence the indicator name, does not depend on the set's hash order).
    short_regions = tuple(sorted({n[-3:] if len(n) > 3 else n for n in region_names} | set(region_names), key=lambda n: (-len(n), n)))
    bounds = Boundaries(clean)
    statements: list[Statement] = []
    clause_prior: dict[int, int] = {}
    last_in_sentence: dict[int, Statement] = {}
    first_in_sentence: dict[int, Statement] = {}
    last_start = -10**9
    for cand in find_candidates(clean):
        around = _around(clean, bounds, cand, clause_prior, last_in_sentence, first_in_sentence)
        s_start, earlier = around.sentence_start, around.earlier

        unit = _unit_of(cand, clean, around.clause_before, around.after)
        if around.elliptic and earlier.unit and unit and earlier.unit.startswith(unit + "/"):
            unit = earlier.unit  # 百万人口为1483份,2022年为1585份: the rate carries over
        elif (earlier is not None and earlier.unit and unit and earlier.unit.startswith(unit + "/")
              and _CHANGE_OR_GOAL.search(around.local_before)):
            unit = earlier.unit  # 拥有量21.7件/万人，同比增加3.2件; …2.9件，距目标4件: the same rate

        phase = ctx.phase_at(cand.num_start)
        if ctx.ahead_at(cand.num_start):
            phase = "ahead"
        hint = cues.year_mentions(around.sentence_before)
        is_per_year = cues.per_year(around.clause_before, around.after)
        is_forecast = cues.forecast(around.sentence_before)
        # 由2.44万元下降至1.708万元, 分别由0.54万元、2.59万元下降至…: the old values are baselines
        from_value = (bool(_FROM_VALUE.search(around.local_before))
                      or (around.elliptic and earlier is not None and earlier.kind == "baseline"
                          and around.local_before.strip() in ("、", "和", "及", "与"))) and bool(
            _CHANGE_AFTER.match(_LISTED_VALUES.sub("", around.after)))
        paragraph_before = clean[max(clean.rfind("\n", max(0, s_start - 300), s_start) + 1, s_start - 300, 0):s_start]
        kind = "baseline" if from_value else cues.kind(
            ctx, phase, around.sentence_before, around.local_before, hint, is_forecast, paragraph_before)
        section_year = ctx.year_at(cand.num_start)
        goal_of = None
        year = cues.resolve_year(ctx, kind, phase, hint, is_per_year, section_year)
        if cand.table_kind:  # a cell of an indicator table: its column says what it is
            kind, year = cand.table_kind, cand.table_year or (ctx.plan_end if cand.table_kind == "target" else year)
            if kind == "progress" and year and ctx.plan_start and cand.row_label:  # a column headed by its year alone
                kind = "baseline" if year < ctx.plan_start else "target"
        if (ctx.genre == REPORT and ctx.plan_end and _GOAL_NAMED.search(around.local_before + "\0" + around.after)
                and (hint is None or hint[0] == "as_of" or "截至" in around.sentence_before or "截止" in around.sentence_before)):
            kind, year = "target", ctx.plan_end  # 完成规划目标（10万户）的87.6%, 提前完成3件的目标: the plan's goal
            goal_of = last_in_sentence.get(s_start)
        if (kind == "target" and ctx.genre == REPORT and ctx.plan_end
                and _SET_BY_PLAN.search(around.local_before)):
            year = ctx.plan_end  # 超额完成规划确定的93.5%的目标: the plan's goal, due at its end
        if kind == "target" and not is_per_year and (hint is None or hint[0] == "this_year"):
            deadline = cues.deadline_after(clean, cand.end)
            if deadline is None and hint is None and ctx.plan_end is None and cues.standing_task(clean, cand.end):
                year = None  # （…；长期坚持） in a plan of no set period: the task holds with no deadline
            year = deadline or year
        if kind == "baseline" and year is None and not is_per_year and hint is None:
            year = cues.paragraph_year(paragraph_before)
        if (kind == "baseline" and not from_value and year and ctx.plan_start and year >= ctx.plan_start
                and ctx.genre not in (PLAN, ANNUAL)):
            kind = "progress"  # measured inside the plan's period (截至2023年底…): progress, not a start
            if hint is None:
                year = None  # a reported figure is dated by its own sentence only
        if kind == "progress" and year is None and not is_per_year and hint is None and ctx.genre == REPORT:
            year = cues.paragraph_as_of(paragraph_before)  # 截至2023年6月底，…。每万人…为3.2件

        if (ctx.genre == PRESS and ctx.plan_end is None and not ctx.reads_policy and not is_forecast
                and not cand.table_kind and cues.elapsed_tally(around.sentence_before, paragraph_before)):
            kind, year = "progress", year or ctx.doc_year  # 今年上半年…同比增长: the article's year so far
        recent = statements[-1] if statements and cand.num_start - last_start < 300 else None
        names = _names(cand, around, unit, clean, short_regions, recent)
        if goal_of is not None and unit and goal_of.unit and goal_of.unit.split("/")[0] == unit:
            names, unit = [goal_of.indicator], goal_of.unit  # the goal of the figure just reported
        comparator = cand.comparator_hint or cues.comparator(
            clean[max(around.clause_start, cand.num_start - 12):cand.num_start], around.after, unit, names[0],
            cand.value_max is not None, kind == "target")
        if cand.comparator_hint == ">" and around.after.startswith("以上"):
            comparator = ">="
        region = _other_region(ctx, around.local_before) or ctx.region
        if region and region != ctx.region:  # 江苏省经营主体 → 经营主体, about 江苏省
            names = [n[len(region):] if n.startswith(region) and len(n) > len(region) + 1 else n for n in names]
        heading = ctx.heading_at(cand.num_start)
        area_context = (around.clause_before + clean[cand.end:around.clause_end], clean[s_start:around.clause_end],
                        *_earlier_sentences(clean, bounds, s_start), heading.title if heading else "")
        start, end = origin[around.clause_start], origin[cand.end - 1] + 1
        text_end = cand.unit_end if cand.unit == "%" and cand.unit_end else cand.num_end
        number_text = doc.text[origin[cand.num_start]:origin[text_end - 1] + 1]
        project_area = _project_area(clean, cand.num_start) if "\t" in clean[s_start:around.clause_end + 1] else None
        for name in names:
            area = classify_area(name, *area_context)
            if area == "other" and doc_area:
                area = doc_area  # a figure naming no field belongs to the one field the title names
            if project_area and area not in _DOMAIN_AREAS and area != "organisation":
                area = project_area
            statement = Statement(
                doc=doc.source, start=start, end=end, text=doc.text[start:end], number_text=number_text,
                indicator=name, value=cand.value, value_max=cand.value_max, unit=unit, comparator=comparator,
                year=year, per_year=is_per_year, kind=kind, forecast=is_forecast,
                area=area, region=region,
            )
            statements.append(statement)
            last_in_sentence[s_start] = statement
            first_in_sentence.setdefault(s_start, statement)
        last_start = cand.num_start
    return _without_headline_echoes(statements, doc.text, doc.title)


def _without_headline_echoes(statements: list[Statement], text: str, title: str | None) -> list[Statement]:
    """Drop a figure of the headline that the body reports again (上半年新设经营主体同比增长12.6%)."""
    at = text.find(title, 0, 400) if title and len(title) >= 6 else -1
    if at < 0:
        return statements
    end = at + len(title)
    body = {(s.value, s.unit) for s in statements if s.start >= end}
    return [s for s in statements if not (at <= s.start and s.end <= end and (s.value, s.unit) in body)]
