"""What a number needs to know about its document: genre, period, year, region, section phase.

Earlier stages fill `Document.doc_type`, `period`, `region`… when they can; whatever they
leave empty is read off the text here with general cues of Chinese administrative writing,
so the quantities stage works on rough metadata too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from loaders.cleanup import numbers_view
from loaders.model import Document, Region
from loaders.regions import find_region

# Genres as this stage needs them: what a bare number in the text most likely is.
PLAN, ANNUAL, REPORT, PRESS, OTHER = "plan", "annual", "report", "press", "other"

_DOC_TYPE_GENRE = {
    "five_year_plan": PLAN,
    "annual_work_plan": ANNUAL,
    "evaluation_report": REPORT,
    "press_article": PRESS,
    "policy_interpretation": PRESS,
    "policy_measures": ANNUAL,
    "budget": ANNUAL,
}

_FIVE_YEAR = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020),
              "十四五": (2021, 2025), "十五五": (2026, 2030)}

_REPORT_CUES = re.compile(r"中期评估|评估报告|工作总结|总结报告|年度报告|自查报告|进展情况报告|执行情况")
_PRESS_CUES = re.compile(r"新闻发布会|记者|澎湃|新闻网|答记者问|通讯员|日报|晚报|客户端|新华社|央视|作者[:：]|本报讯|署名文章")
_ANNUAL_CUES = re.compile(r"工作要点|工作计划|工作安排|工作思路|任务分工|实施方案|若干措施|若干举措|(20\d\d)年是")
_PLAN_CUES = re.compile(r"规划|五年规划|“?十[一二三四五]五”?")


_HEADING = re.compile(
    r"^[ \t\u3000]*(第[一二三四五六七八九十]+[章节部分篇]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])"
    r"[ \t\u3000]*([^\n。]{1,40})"
)
# What a heading says its section is about: looking back, the situation, or the plan ahead.
_PHASE_WORDS = (
    ("past", re.compile(r"回顾|成效|成就|成绩|发展基础|工作基础|现状|取得|进展|总结|基础|完成情况|实施情况|执行情况|落实情况")),
    ("situation", re.compile(r"形势|挑战|机遇|问题|困难|不足|面临")),
    ("future", re.compile(r"目标|任务|举措|措施|展望|要求|指标|保障|安排|思路|下一步|打算|计划")),
)
# 十四五发展目标的基础 looks ahead; so does a heading that orders work on a base (夯实标准化工作基础).
# Headings of a report's closing part, its plans for what comes next.
_AHEAD = re.compile(r"下一步|工作思路|工作打算|工作计划|工作安排|展望|今后")
_NOT_PAST = re.compile(r"十四五|十五五|目标|^(?:夯实|筑牢|打牢|巩固|加强|强化|完善|健全|提升|优化)")

_PROVINCE = re.compile(r"(?<![全我本该各外])([\u4e00-\u9fff]{2,3}?省)")


@dataclass
class Heading:
    start: int
    level: int
    title: str
    phase: str | None  # "past", "situation", "future" or None


@dataclass
class DocContext:
    genre: str
    plan_start: int | None
    plan_end: int | None
    doc_year: int | None  # the year an annual plan is for, or the year the text was written
    as_of_year: int | None  # the latest year a report measures ("截至2023年…")
    region: str | None
    province: str | None
    headings: list[Heading] = field(default_factory=list)
    reads_policy: bool = False  # a reading of one policy (解读, 答记者问): past figures are its context

    def __post_init__(self):
        self._starts = [h.start for h in self.headings]
        self._phases = []
        self._years = []
        self._ahead = []
        chain: list[Heading] = []
        for heading in self.headings:
            while chain and chain[-1].level >= heading.level:
                chain.pop()
            chain.append(heading)
            self._phases.append(next((h.phase for h in reversed(chain) if h.phase), None))
            self._ahead.append(any(_AHEAD.search(h.title) for h in chain))
            self._years.append(next((y for y in (_heading_year(h.title) for h in reversed(chain)) if y), None))

    def ahead_at(self, offset: int) -> bool:
        """Is `offset` under a heading that announces next steps (下一步工作, 2024年工作思路)?"""
        index = bisect_right(self._starts, offset) - 1
        return self._ahead[index] if index >= 0 else False

    def year_at(self, offset: int) -> int | None:
        """The year the innermost enclosing heading names (二、2024年工作思路): the time of its figures."""
        index = bisect_right(self._starts, offset) - 1
        return self._years[index] if index >= 0 else None

    def heading_at(self, offset: int) -> Heading | None:
        index = bisect_right(self._starts, offset) - 1
        return self.headings[index] if index >= 0 else None

    def phase_at(self, offset: int) -> str | None:
        """past / situation / future, from the innermost enclosing heading that says so."""
        index = bisect_right(self._starts, offset) - 1
        return self._phases[index] if index >= 0 else None


def clean_view(text: str) -> tuple[str, list[int]]:
    """Text with OCR page numbers (or PDF line wraps) removed and OCR'd full stops restored, plus a map back.

    The view is built by `loaders.cleanup.numbers_view`, the one module that cleans texts;
    `origin[i]` is the offset in `text` of character `i` of the clean text, with one extra
    entry (len(text)) so an end at the close of the text maps back too.
    """
    view = numbers_view(text)
    return view.text, view.origin + [len(text)]


# A budget's account of a year already spent (决算, 绩效自评, 执行情况) reports results, like a report.
_SPENT_BUDGET = re.compile(r"决算|自评|绩效评价|执行情况|评价报告")


def _genre(doc: Document, head: str) -> str:
    if doc.doc_type == "budget" and _SPENT_BUDGET.search(doc.title or head[:80]):
        return REPORT
    if doc.doc_type in _DOC_TYPE_GENRE:
        return _DOC_TYPE_GENRE[doc.doc_type]
    if _REPORT_CUES.search(head[:300]):
        return REPORT
    if _PRESS_CUES.search(head[:1500]):
        return PRESS
    if _ANNUAL_CUES.search(head[:400]) and not re.search(r"十[一二三四五]五", head[:200]):
        return ANNUAL
    if _PLAN_CUES.search(head[:600]):
        return PLAN
    return OTHER


def _goal_year(head: str) -> int | None:
    """The year a reading of a policy sets its goals for: the 到20XX年 it names most."""
    years = Counter(int(y) for y in re.findall(r"到\s*(20\d\d)\s*年", head))
    return years.most_common(1)[0][0] if years else None


def _period(doc: Document, head: str) -> tuple[int | None, int | None]:
    if doc.period is not None:
        return doc.period.start, doc.period.end
    m = re.search(r"(20\d\d)\s*[-—–至到~～]\s*(20\d\d)\s*年", head[:300])
    if m and 3 <= int(m.group(2)) - int(m.group(1)) <= 5:
        return int(m.group(1)), int(m.group(2))
    counts = Counter(re.findall(r"十[一二三四五]五", head))
    dated = int(doc.date[:4]) if doc.date and re.match(r"20\d\d", doc.date) else None
    for name, _ in counts.most_common():
        if name in _FIVE_YEAR and _looks_back(name, doc.title or "", dated):
            continue
        if name in _FIVE_YEAR and name != "十三五" or len(counts) == 1:
            return _FIVE_YEAR[name]
    return None, None


def _looks_back(plan: str, title: str, dated: int | None) -> bool:
    """A plan named in the body of a text dated after that plan ended (“十三五”以来 in a 2024 Q&A) is a look back."""
    return dated is not None and dated > _FIVE_YEAR[plan][1] and plan not in title


def _doc_year(doc: Document, head: str) -> int | None:
    title = doc.title or head.lstrip().split("\n", 1)[0]
    m = re.search(r"(20\d\d)年(?:度)?(?!\d)", title[:80])
    if m and not re.search(r"十[一二三四五]五|20\d\d\s*[-—–至到]\s*20\d\d", title):
        return int(m.group(1))
    m = re.search(r"(20\d\d)年(?:是|度|工作要点|工作计划|市场监管工作|全[市区县省])", head[:400])
    if m:
        return int(m.group(1))
    if doc.date and re.match(r"20\d\d", doc.date):
        return int(doc.date[:4])
    m = re.search(r"(20\d\d)[-年/.]\d{1,2}[-月/.]\d{1,2}", head[:600])
    return int(m.group(1)) if m else None


def _as_of_year(text: str) -> int | None:
    years = [int(y) for y in re.findall(r"截[至止](?:到)?(20\d\d)年", text)]
    return max(years) if years else None


# 州 alone does not end a unit (湖州市, 苏州市); 自治州 does.
_ADMIN_UNIT = re.compile(r"[\u4e00-\u9fffX]+?(?:特别行政区|自治区|自治州|自治县|省|市|区|县|旗|盟)")


def short_region(name: str) -> str:
    """The last administrative unit of a full name, as readers cite it: 天津市河东区 → 河东区."""
    units = _ADMIN_UNIT.findall(name)
    return units[-1] if units and "".join(units) == name else name


def _doc_region(doc: Document, text: str) -> Region | None:
    """The region earlier stages found; else the reader's own rules run on the text (loaders.regions)."""
    if doc.region is not None and doc.region.name:
        return doc.region
    first_line = text.lstrip().split("\n", 1)[0]
    return find_region(text[:20000], [doc.title or "", first_line])


def _region(region: Region | None) -> str | None:
    if region is None:
        return None
    return "全国" if region.level == "country" else short_region(region.name)


def _province(region: Region | None, text: str) -> str | None:
    if region is not None and region.level == "country":
        return None  # a national text names provinces as examples, none is its own
    while region is not None:
        if region.level == "province" or region.name.endswith("省"):
            return region.name
        region = region.parent
    counts = Counter(m.group(1) for m in _PROVINCE.finditer(text) if not m.group(1).startswith(("全", "本", "我")))
    return counts.most_common(1)[0][0] if counts else None


_YEAR_NAMED = re.compile(r"(?<!\d)(20\d\d)\s*年")
_YEARS_SPAN = re.compile(r"十[一二三四五]五|20\d\d\s*[-—–至到]")


def _heading_year(title: str) -> int | None:
    """A single year a heading is about (2023年工作总结); not a span (2021—2025年) nor a 十四五 name."""
    years = _YEAR_NAMED.findall(title)
    if len(years) != 1 or _YEARS_SPAN.search(title):
        return None
    return int(years[0])


def _phase(title: str) -> str | None:
    for phase, words in _PHASE_WORDS:
        if words.search(title) and not (phase == "past" and _NOT_PAST.search(title)):
            return phase
    return None


_PAGE_NUMBER_END = re.compile(r"\d+\s*$")  # a table of contents line
_TITLE_STOP = re.compile(r"[。，,；;：:]")


def _headings(text: str) -> list[Heading]:
    found = []
    has_chapters = bool(re.search(r"(?m)^[ \t\u3000]*第[一二三四五六七八九十]+章", text))
    offset = 0
    for line in text.split("\n"):
        m = _HEADING.match(line)
        if m and "……" not in line and "...." not in line and not _PAGE_NUMBER_END.search(line[:60]):
            marker, title = m.group(1), _TITLE_STOP.split(m.group(2))[0]
            if marker.startswith("第"):
                level = 1
            elif marker[0] in "（(":
                level = 3
            else:
                level = 2 if has_chapters else 1
            found.append(Heading(offset + m.start(1), level, title, _phase(title)))
        offset += len(line) + 1
    return found


def read_context(doc: Document, clean: str) -> DocContext:
    head = (doc.title or "") + "\n" + clean[:3000]
    genre = _genre(doc, head)
    region = _doc_region(doc, clean)
    plan_start, plan_end = _period(doc, head)
    if plan_end is None and genre == PRESS:  # an article or a Q&A about goals set 到2025年
        plan_end = _goal_year(head)
    return DocContext(
        genre=genre,
        plan_start=plan_start,
        plan_end=plan_end,
        doc_year=_doc_year(doc, head),
        as_of_year=_as_of_year(clean) if genre == REPORT else None,
        region=_region(region),
        province=_province(region, clean),
        headings=_headings(clean),
        reads_policy=doc.doc_type == "policy_interpretation",
    )
