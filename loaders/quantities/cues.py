"""Cue words of Chinese administrative language: comparators, deadlines, kinds of statement.

Each function reads the words around one number (the clause before it, the few characters
after it, the sentence it sits in) and returns one field of the statement.
"""

from __future__ import annotations

import re

from loaders.quantities.context import ANNUAL, PLAN, PRESS, REPORT, DocContext
from loaders.quantities.units import TIME_UNITS
from loaders.scan import Scanner

# --- comparator ----------------------------------------------------------------------------
_AFTER_GE = re.compile(r"^(?:以上|及以上|之上)")
_AFTER_LE = re.compile(r"^(?:以下|以内|之内|及以下|内)")
_AFTER_MORE = re.compile(r"^(?:余|多)")
_BEFORE = [  # (cue at the end of the words before the number, comparator); longest cues first
    (re.compile(r"(?:达到并超过|不低于|不少于|不小于|至少|最少|最低|≥|>=|大于等于|不得低于|不得少于)[^，,。；;]{0,3}$"), ">="),
    (re.compile(r"(?:不高于|不超过|不多于|不大于|≤|<=|小于等于|控制在|压减至|压缩至|压缩到|缩短至|缩短到|最慢|最长|最多|最高)[^，,。；;]{0,3}$"), "<="),
    (re.compile(r"(?:超过|高于|大于|多于|突破|逾|过)[^，,。；;的]{0,4}$"), ">"),
    (re.compile(r"(?:低于|少于|小于|不足)[^，,。；;的]{0,4}$"), "<"),
]
_NEARLY = re.compile(r"(?:将近|接近|(?<![最附临靠就将接])近)$")
_BOUND_OF_WHOLE = re.compile(r"(?:(不低于|不少于|不得低于|至少)|(?:不高于|不超过|不得超过|控制在))[^，,。；;\d]{1,12}的$")
_TIME_LIMIT_AFTER = re.compile(r"^(?:内|之内|以内)?(?:办结|完成|完结|办理|回应|答复|响应|处置|到场|办妥|出证|处理|受理|反馈|核查)")
_LOWER_IS_BETTER = re.compile(r"死亡率|事故率|发生率|不合格率|投诉率|差错率|伤亡")


def comparator(before: str, after: str, unit: str | None, indicator: str, is_range: bool,
               is_target: bool) -> str:
    """One of >=, =, <=, >, <, range (GUIDELINES)."""
    if is_range:
        return "range"
    if _AFTER_GE.match(after):
        return ">="
    if _AFTER_LE.match(after):
        return "<="
    for pattern, sign in _BEFORE:
        if pattern.search(before):
            return sign
    if _NEARLY.search(before) and unit != "%":
        return "<"  # 近10亿元, 接近7000件: just under a count; 近四成, 近一半 stay shares "="
    of_whole = _BOUND_OF_WHOLE.search(before)
    if of_whole:  # 不低于地方标准总数的5%: the bound word, then the whole the share is of
        return ">=" if of_whole.group(1) else "<="
    if _AFTER_MORE.match(after):
        return ">"
    if unit in TIME_UNITS and _TIME_LIMIT_AFTER.match(after):
        return "<="
    if is_target and _LOWER_IS_BETTER.search(indicator):
        return "<="
    return "="


# --- year -----------------------------------------------------------------------------------
# (A Scanner: tried only where a year, 十三五 or a time word can start. See loaders.scan.)
_YEAR_EXPR = Scanner(
    r"(?P<span>(?P<a>20\d\d)\s*年?\s*[-—–一至到~～]\s*(?P<b>20\d\d)\s*年)"
    r"|(?P<glued>(?<!\d)20[0-4]\d(?P<g2>20[0-4]\d)年)"
    r"|(?P<single>(?<!\d)(?P<y>20\d\d)\s*(?:年|(?=为|达到)))"
    r"|(?P<past_plan>“?十三五”?(?:期间|时期|以来|末|时))"
    r"|(?P<this_year>年内|年底前|年底|今年|本年度|年末|全年)"
    r"|(?P<as_of>截至目前|截止目前|目前|以来|至今|现已)"
    r"|(?P<last_year>去年|上一年|上年度)",
    "[2“十年今本全截目以至现去上]",
)
_PER_YEAR = re.compile(r"每年|年均|年平均|年人均|每一年|逐年|年度人均|每个年度")
_PER_YEAR_AFTER = re.compile(r"\s*/\s*年|每年")
_POINT_IN_TIME = re.compile(r"(?:底|末)的")  # 2015年底的263万户
_ATTRIBUTE = re.compile(r"[^，,。；;\d]{0,4}的")  # 2018年至2021年出台的政策
_ONLY_OF = re.compile(r"\s*(?:底|末|年底|年末)?的\s*")


def per_year(before: str, after: str = "") -> bool:
    return bool(_PER_YEAR.search(before)) or bool(_PER_YEAR_AFTER.match(after))


def year_mentions(sentence_before: str) -> tuple[str, int | None] | None:
    """The nearest time expression before the number in its sentence: (kind, year)."""
    found = None
    for m in _YEAR_EXPR.finditer(sentence_before):
        if _inside_title(sentence_before, m.start()):
            continue
        rest = sentence_before[m.end():]
        if sentence_before[max(0, m.start() - 1):m.start()] in ("较", "比", "与", "同"):
            continue  # the base of a comparison (较2020年增长20%), not the time of the figure
        if m.group("single") and _POINT_IN_TIME.match(rest):
            found = ("year", int(m.group("y")))  # 从2015年底的263万户: a point in time
            continue
        if _ATTRIBUTE.match(rest) and not _ONLY_OF.fullmatch(rest):
            continue  # an attribute, not the time of the figure: 2018年至2021年出台的政策
        if m.group("span") is None and (sentence_before[max(0, m.start() - 1):m.start()] in ("自", "从")
                                        or sentence_before[m.end():m.end() + 2] in ("以来", "至今")):
            found = ("as_of", None)
            continue
        if m.group("span"):
            found = ("year", int(m.group("b")))
        elif m.group("glued"):
            found = ("year", int(m.group("g2")))
        elif m.group("single"):
            found = ("year", int(m.group("y")))
        elif m.group("past_plan"):
            found = ("past_plan", 2020)
        elif m.group("this_year"):
            found = ("this_year", None)
        elif m.group("last_year"):
            found = ("last_year", None)
        else:
            found = ("as_of", None)
    return found


# A task-division plan gives each numbered task its deadline after the text: on a line of its
# own (完成时限：2025年底前) or in brackets closing the task (（质量司牵头，2025年底前完成）).
_DEADLINE_LINE = re.compile(r"(?m)^[ \t\u3000]*(?:完成时限|完成时间|时限要求|时间要求|时间节点|进度安排|完成期限)\s*[:：]\s*(20\d\d)\s*年")
_DEADLINE_BRACKET = re.compile(r"[（(][^（）()\n]{0,30}?(20\d\d)\s*年(?:\d{1,2}\s*月)?(?:底|末)?(?:前|之前)[^（）()\n]{0,8}[)）]")
# …（牵头单位：…；参与单位：…；完成时限：2025年6月底前）: the field inside a long bracket.
_DEADLINE_FIELD = re.compile(r"[（(][^（）()\n]*?(?:完成时限|完成时间|时限要求|时间节点|完成期限)\s*[:：]\s*(20\d\d)\s*年")
# 减半收取，执行期至2024年12月31日: a relief that lasts until a date is due then.
_VALID_UNTIL = re.compile(r"(?:执行期|有效期|实施期|执行期限|有效期限|实施期限|政策期限)(?:延长)?(?:至|到)\s*(20\d\d)\s*年")
_NEXT_ITEM = re.compile(r"\n[ \t\u3000]*(?:\n|\d{1,2}[.．、](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|第[一二三四五六七八九十]+[章节条])")


def deadline_after(text: str, pos: int, reach: int = 400) -> int | None:
    """The deadline a task item states after its text (the item ends where the next begins)."""
    window = text[pos:pos + reach]
    end = _NEXT_ITEM.search(window)
    item = window[:end.start()] if end else window
    m = (_DEADLINE_LINE.search(item) or _DEADLINE_BRACKET.search(item) or _DEADLINE_FIELD.search(item)
         or _VALID_UNTIL.search(item[:_sentence_end(item)]))
    return int(m.group(1)) if m else None


def _sentence_end(item: str) -> int:
    m = re.search(r"[。；;\n]", item)
    return m.end() if m else len(item)


# （…牵头；持续推进） / （长期坚持）: a standing task of a task-division plan, due at no date.
_STANDING_BRACKET = re.compile(r"[（(][^（）()\n]*?(?:持续推进|长期坚持|长期推进|持续实施|持续开展|常态化推进|长期执行)[)）]")


def _item_after(text: str, pos: int, reach: int) -> str:
    window = text[pos:pos + reach]
    end = _NEXT_ITEM.search(window)
    return window[:end.start()] if end else window


def standing_task(text: str, pos: int, reach: int = 400) -> bool:
    """The task item the number belongs to closes with 持续推进/长期坚持 instead of a deadline."""
    item = _item_after(text, pos, reach)
    return bool(_STANDING_BRACKET.search(item)) and not (
        _DEADLINE_LINE.search(item) or _DEADLINE_BRACKET.search(item) or _DEADLINE_FIELD.search(item))


def _inside_title(text: str, pos: int) -> bool:
    return text.rfind("《", 0, pos) > text.rfind("》", 0, pos)


# --- kind -----------------------------------------------------------------------------------
_FORECAST = re.compile(r"预计|预测|有望|预期将")
# 到2025年 sets a deadline; 增加到2020年底的… only tells when a past figure was reached.
_BY_YEAR = r"(?<!增加)(?<!增长)(?<!提高)(?<!上升)(?<!下降)(?<!减少)到20\d\d年(?![底末]的)"
_TARGET_WORDS = re.compile(r"力争|确保|争取|目标|要求|必须|应当|计划|拟|将要|" + _BY_YEAR + r"|至少|不低于|不少于|控制在|稳定在|年内|年底前")
_PAST_WORDS = re.compile(r"截至|截止|前[一二三两\d]季度|累计|已经|已|共计|共有|(?<![社公])共(?![治享建同])|现有|只有|目前|以来|先后|去年|上年|同比|"
                         r"完成了|达到了|实现了|连续|较[^，,。；;]{0,6}(?:增长|提高|下降|减少)|过去[一二三四五六七八九十\d]+年|"
                         r"[一二三四五六七八九十\d]+年来|近年来|这些年")
_FUTURE_WORDS = re.compile(r"将|力争|争取|确保|目标|计划|要|" + _BY_YEAR + r"|预计|今后|未来|下一步|年内|年底前")
# Past cues that hold even under a heading of goals (累计/连续 there describe the goal itself).
_SURELY_PAST = re.compile(r"截至|截止|已经|已|目前|以来|去年|上年|完成了|达到了|实现了|过去|近年来|这些年")
# 比上年下降8%: last year is the base of a comparison, not the time the paragraph speaks of
_COMPARED = re.compile(r"(?:比|较|同比)(?:上年|去年)(?:同期)?")
_PLANNED_CHANGE = re.compile(r"(?:同比|(?:较|比)(?:上年|去年)(?:同期)?)[^，,。；;\d]{0,4}?(?:增长|提高|提升|下降|减少|增加|降低)$")
_BASELINE_WORDS = re.compile(r"原来|原先|由原|原有|从原")
_GOAL_QUOTED = re.compile(r"每年至少|力争|确保|目标|(?:提出|确定|设定|明确|下达)的")
_NUMBERED_ITEM = re.compile(r"\s*(?:\d+[.．、])?[^，,]{0,8}?[(（]\d{1,2}[)）]")


def forecast(sentence_before: str) -> bool:
    return bool(_FORECAST.search(sentence_before))


def kind(ctx: DocContext, phase: str | None, sentence_before: str, clause_before: str,
         year_hint: tuple[str, int | None] | None, is_forecast: bool, paragraph_before: str = "") -> str:
    """target / progress / baseline, from the document's genre, the section and cue words."""
    if is_forecast:
        return "progress"
    explicit = year_hint[1] if year_hint and year_hint[0] == "year" else None
    reference = ctx.as_of_year or ctx.doc_year
    if ctx.genre == REPORT:
        if _BASELINE_WORDS.search(clause_before):
            return "baseline"
        # a report on one year (2022年…年度报告) measures that year; a mid-term one sets goals for its plan's end
        single_year = ctx.plan_start is not None and ctx.plan_start == ctx.plan_end
        future = explicit and ((ctx.plan_end and (explicit > ctx.plan_end if single_year else explicit >= ctx.plan_end))
                               or (reference and explicit > reference))
        if future and not _PAST_WORDS.search(sentence_before):
            return "target"
        if _GOAL_QUOTED.search(clause_before):
            return "target"  # 低于《规划》确定的不低于98%的目标: the plan's goal, quoted by the report
        if phase == "ahead" and not _PAST_WORDS.search(sentence_before):
            return "target"  # 四、下一步工作 / 二、2024年工作思路: the report's plans
        numbered = _NUMBERED_ITEM.match(sentence_before)
        if numbered and not explicit and not _PAST_WORDS.search(sentence_before):
            return "target"
        return "progress"
    # plans, work points, articles about plans, measures: numbers are goals unless said past.
    # A past figure is context (baseline) in a plan or an article about one, else a reported result.
    past = "baseline" if ctx.genre in (PLAN, ANNUAL) or ctx.plan_end or ctx.reads_policy else "progress"
    if phase in ("past", "situation"):
        # an article written inside a plan's period reports the plan's results so far
        mid_plan = ctx.genre == PRESS and ctx.doc_year and ctx.plan_start and ctx.plan_end and (
            ctx.plan_start < ctx.doc_year <= ctx.plan_end)
        return "progress" if mid_plan and not (explicit and explicit < ctx.plan_start) else "baseline"
    start = ctx.plan_start or ctx.doc_year
    if explicit and start and explicit < start:
        return past
    if year_hint and year_hint[0] == "past_plan":
        return "baseline"
    # a year's plan asks for change on the year before (同比增长12%左右, 较上年增长两倍): not a look back
    looked = _PLANNED_CHANGE.sub("", sentence_before) if ctx.genre == ANNUAL and not explicit else sentence_before
    if (_PAST_WORDS.search(looked) and not _TARGET_WORDS.search(sentence_before)
            and not (explicit and ctx.plan_end and explicit >= ctx.plan_end)
            and not (phase in ("future", "ahead") and not _SURELY_PAST.search(_COMPARED.sub("", sentence_before)))):
        return past
    if year_hint and year_hint[0] == "as_of" and ctx.genre in (PLAN, ANNUAL):
        return "baseline"
    if (not explicit and not _FUTURE_WORDS.search(sentence_before)
            and _PAST_WORDS.search(_COMPARED.sub("", paragraph_before))
            and not _FUTURE_WORDS.search(paragraph_before[-80:])):
        return past  # a paragraph that looks back (过去五年…): its figures are achievements
    return "target"


_AS_OF_OPENING = re.compile(r"截[至止]到?\s*(20\d\d)\s*年")


def paragraph_as_of(paragraph_before: str) -> int | None:
    """截至2023年6月底，…。…。: a paragraph opened by an as-of date dates its later undated figures."""
    m = None
    for m in _AS_OF_OPENING.finditer(paragraph_before):
        pass
    if m is None or re.search(r"(?<!\d)20\d\d\s*年|十[一二三四五]五", paragraph_before[m.end():]):
        return None
    return int(m.group(1))


def paragraph_year(paragraph_before: str) -> int | None:
    """The last year a look-back paragraph named (十三五 → 2020): the time of its undated figures."""
    found = None
    for m in _YEAR_EXPR.finditer(paragraph_before):
        if paragraph_before[max(0, m.start() - 1):m.start()] in ("较", "比", "与", "同"):
            continue  # the base of a comparison (较“十三五”末增长), not the time of the figures
        if m.group("single"):
            found = int(m.group("y"))
        elif m.group("span"):
            found = int(m.group("b"))
        elif m.group("past_plan"):
            found = 2020
    return found


def resolve_year(ctx: DocContext, kind_: str, phase: str | None, hint: tuple[str, int | None] | None,
                 is_per_year: bool, section_year: int | None = None) -> int | None:
    """Deadline of a target, or the year a progress/baseline figure was measured.

    `section_year` is the year the enclosing heading names (二、2024年工作思路): it dates the
    section's undated figures, before any year of the document as a whole.
    """
    if is_per_year:
        return None
    if hint is not None:
        label, year = hint
        if label in ("year", "past_plan"):
            return year
        if label == "last_year":
            return ctx.doc_year - 1 if ctx.doc_year else None
        if label == "this_year":
            if section_year:
                return section_year
            return ctx.doc_year if ctx.genre != REPORT else ctx.as_of_year or ctx.doc_year
        if label == "as_of":
            if ctx.genre == REPORT:
                return ctx.as_of_year or _report_year(ctx)
            return None
    if section_year and kind_ != "baseline":
        return section_year
    if kind_ == "target" and ctx.reads_policy and ctx.plan_end is None:
        return None  # a reading of a standing rule (办法, 规定): its limits hold with no deadline
    if kind_ == "target":
        multi_year = ctx.plan_start is not None and ctx.plan_end is not None and ctx.plan_end > ctx.plan_start
        if ctx.genre == ANNUAL and not multi_year:
            return ctx.doc_year or ctx.plan_end
        return ctx.plan_end or ctx.doc_year
    if kind_ == "baseline":
        if phase == "past" and ctx.plan_start and ctx.genre != REPORT:
            return ctx.plan_start - 1  # a plan's look back ends the year before it starts
        return None
    if ctx.genre == REPORT:
        return _report_year(ctx)  # a report on one year dates all its figures; a mid-term one does not
    return None


def _report_year(ctx: DocContext) -> int | None:
    """The one year a report covers (2022年…年度报告, 2023年上半年…分析): when its undated figures were measured."""
    if ctx.plan_start is not None and ctx.plan_start == ctx.plan_end:
        return ctx.plan_end
    return None


# The part of the year already gone (今年上半年, 前三季度, 1—6月, 今年以来, 截至6月底): what a news report tallies.
_ELAPSED = re.compile(
    r"上半年|前三季度|第?[一二三]季度|前[一二三四五六七八九十]{1,2}个月|(?<!\d)1\s*[-—–至~～]\s*\d{1,2}\s*月"
    r"|今年以来|年初以来|截[至止]\s*\d{1,2}\s*月(?:底|末)?")


def elapsed_tally(sentence_before: str, paragraph_before: str) -> bool:
    """A figure of a news report counting the elapsed part of its year (今年上半年，全市新设…5.62万户).

    Such figures are results (progress) of the article's year, unless their own sentence looks
    ahead (下半年将力争…, 确保, 目标).
    """
    if _FUTURE_WORDS.search(sentence_before) or re.search(r"下半年|全年", sentence_before):
        return False
    return bool(_ELAPSED.search(sentence_before) or _ELAPSED.search(paragraph_before))
