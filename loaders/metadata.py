"""Metadata stage: title, genre, issuer, date, document number, region, period, cites, about.

Read from the places Chinese administrative texts put them: the head (文号, title,
来源/发布日期 lines of a web page), the signature (issuer above the date), the preamble
(根据《…》…编制本规划), and the words of the title (规划, 工作要点, 评估报告, 预算 …).
Everything is read through `cleanup.clean_view`, so spam and OCR noise stay out of labels.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from loaders.cleanup import CleanView, clean_view
from loaders.model import Metadata, Period, Region, Section
from loaders.numerals import chinese_to_int
from loaders.orgnames import ORG_SUFFIX, canonical, org_at_start, organ_from_doc_number
from loaders.regions import find_region, region_prefix

_HEAD_LINES = 14
_TAIL_LINES = 8

_DOC_NUMBER = re.compile(r"(?:[XＸ×]{1,3})?[\u4e00-\u9fff]{1,12}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\d{1,4}\s*号")
_DATE_NUM = re.compile(r"((?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?")
_DATE_CN = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_DATE_LINE = re.compile(
    rf"^[\s\u3000]*(?:{_DATE_NUM.pattern}|{_DATE_CN.pattern})(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?[\s\u3000]*$"
)
# a news byline: the date first, then the source or the author on the same line
_DATED_BYLINE = re.compile(
    rf"^\s*(?:{_DATE_NUM.pattern})(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?[\s\u3000]*(?:来源|作者|编辑|浏览|点击|字号|【|星期|周[一二三四五六日])"
)
_DATE_FIELD = re.compile(r"(?:发布日期|发布时间|成文日期|印发日期|发文日期|公开日期|日期|时间)\s*[:：]\s*")
_SOURCE_FIELD = re.compile(r"(?:来源|信息来源|发布机构|发文机关|发文单位|发布单位)\s*[:：]\s*([^\s\u3000|｜]+)")
_PRESS_SOURCE = re.compile(r"新闻|日报|晚报|早报|报社|时报|商报|电视台|广播|客户端|网$|号")
# A signed article names the paper that carried it: （原载《中国市场监管报》2021年6月15日第3版）.
_PUBLISHED_IN = re.compile(r"(?:原载|原刊|刊载于|刊发于|刊于|载于|发表于|转载自)\s*《[^》]{1,20}(?:报|杂志|期刊|周刊|月刊|半月刊)》")
_PRESS_MARKS = re.compile(r"原标题|责任编辑|记者\s|阅读原文|新闻发布会|澎湃|新华社|人民网")
_CHROME = re.compile(r"logo|客户端|登录|注册|字号|分享|打印|收藏|关闭|扫码|首页|当前位置|[•|>]", re.I)
_KIND_WORDS = re.compile(
    r"规划|纲要|方案|要点|计划|报告|意见|通知|办法|措施|举措|预算|决算|解读|决定|细则|公告|通告|出炉|发布|印发|总结|评估"
)
_FIVE_YEAR = re.compile(r"[“\"]?十([一二三四五六七八九])五[”\"]?")
_FIVE_YEAR_LONG = re.compile(r"第十([一二三四五六七八九])个五年")
_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*[-—–~至到]\s*((?:19|20)\d{2})\s*年")
_BOOK_TITLE = re.compile(r"《([^《》\n]{4,80})》")
_PLAN_WORDS = re.compile(r"规划|纲要|方案|计划|要点|意见|措施|举措|通知|办法|决定")
_BASED_ON = re.compile(r"(?:根据|依据|按照|遵照|贯彻|落实|对照)")
_DRAFTED = re.compile(r"(?:编制|制定|制订|修订|提出|印发)(?:了)?(?:本|此|如下|以下|《)")
# A reading of a policy: 解读, or a regulator answering a journalist's questions (答记者问, 问：…答：…).
_INTERPRETATION = re.compile(r"解读|答记者问|答问|问答|回答记者提问")
# A byline of a signed article: the author's body, then the posts, then the name.
_BYLINE = re.compile(r"^(?:(?:作者|文)\s*[:：/]\s*)?(?P<org>[^\s，,。]{4,30}?(?:局|厅|委员会|委|部|院|办公室|政府))(?:党组|党委)?(?:书记|副书记|成员|主任|局长|厅长|部长|院长|署长|主席|委员)")
_LONG_LINE = re.compile(r"[^\n]{41,}")
_FILLED = re.compile(r"[^\n]*\S[^\n]*")
# Only sentences quoting a title. The look-behind starts a try only where a sentence starts
# (the same matches): tried inside sentences too, the pattern rescanned each one quadratically.
_SENTENCE = re.compile(r"(?<![^。！？!?\n])[^。！？!?\n]*《[^。！？!?\n]*[。！？!?]?")


# --- lines of the view ------------------------------------------------------------------

def _view_lines(view: CleanView, cuts: list[int], start: int = 0, stop: int | None = None,
                limit: int | None = None) -> list[tuple[int, str]]:
    """(view offset, line) of the non-empty lines of view[start:stop], also cut where a section begins."""
    text = view.text
    stop = len(text) if stop is None else stop
    starts = sorted({bisect_left(view.origin, c) for c in cuts if start <= c})
    pieces: list[tuple[int, str]] = []
    for m in _FILLED.finditer(text, start, stop):
        pos, line = m.start(), m.group()
        lo = bisect_left(starts, pos + 1)
        hi = bisect_left(starts, m.end())
        bounds = [0, *(c - pos for c in starts[lo:hi]), len(line)]
        for a, b in zip(bounds, bounds[1:]):
            piece = line[a:b].strip(" \t\r\u3000\xa0\u2002\u2003")
            if piece:
                pieces.append((pos + a, piece))
        if limit is not None and len(pieces) >= limit:
            break
    return pieces


def _is_date_line(line: str) -> bool:
    return bool(_DATE_LINE.match(line))


def _iso(match: re.Match[str]) -> str | None:
    if match.re is _DATE_CN:
        year, month, day = (chinese_to_int(match.group(i)) for i in (1, 2, 3))
    else:
        year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    if not (year and month and day) or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _date_in(line: str) -> str | None:
    for rx in (_DATE_NUM, _DATE_CN):
        m = rx.search(line)
        if m:
            return _iso(m)
    return None


# --- the single fields ----------------------------------------------------------------

def read_doc_number(head: list[str]) -> str | None:
    """The 文号 stands on a line of its own (or after 文号：) near the top."""
    for line in head:
        m = _DOC_NUMBER.search(line)
        if m and (len(line) <= len(m.group()) + 4 or re.search(r"文号|字号|发文字号", line)):
            return re.sub(r"\s+", "", m.group())
    return None


def read_date(head: list[str], tail: list[str]) -> str | None:
    for line in head:
        field = _DATE_FIELD.search(line)
        if field:
            found = _date_in(line[field.end():])
            if found:
                return found
    for line in head + tail[::-1]:
        if _is_date_line(line) or _DATED_BYLINE.match(line) or _PUBLISHED_IN.search(line):
            found = _date_in(line)
            if found:
                return found
    for line in tail[::-1] + head:
        month = month_only_date(line)
        if month:
            return month
    return None


def month_only_date(line: str) -> str | None:
    """A signature or head line dated by month alone (2023年12月): ISO 8601 reduced precision, "2023-12"."""
    m = _MONTH_LINE.match(line)
    if not m:
        return None
    year, month = (int(g) for g in re.findall(r"\d+", line)[:2])
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None


_BREADCRUMB = re.compile(r"^\s*(?:首页|主页|网站首页|当前位置|您的位置|您现在的位置)|(?:[>›»＞].*){2}")


def _is_chrome(line: str) -> bool:
    letters = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", line)
    return len(letters) <= 3 or (len(line) <= 12 and bool(_CHROME.search(line))) or bool(_BREADCRUMB.search(line))


def _join_broken_titles(lines: list[str]) -> list[str]:
    """A long title set on two lines leaves a 《 or “ open at the end of the first."""
    joined: list[str] = []
    for line in lines:
        if joined and (joined[-1].count("《") > joined[-1].count("》") or joined[-1].count("“") > joined[-1].count("”")):
            joined[-1] += line
        else:
            joined.append(line)
    return joined


def read_title(head: list[str]) -> str | None:
    """The first head line that reads like a title, preferring one that names a kind of document."""
    candidates = []
    for line in _join_broken_titles(head):
        if (_is_chrome(line) or _is_date_line(line) or _DATED_BYLINE.match(line) or _SOURCE_FIELD.search(line)
                or _DATE_FIELD.search(line)):
            continue
        if _DOC_NUMBER.fullmatch(line.strip()) or line.endswith(("：", ":")) or line.startswith(("原标题", "——", "--")):
            continue
        if len(line) > 80 or re.search(r"[。；;]", line):
            continue
        candidates.append(line)
    for line in candidates:
        if _KIND_WORDS.search(line) and len(line) >= 6:
            return line
    if candidates and len(candidates[0]) <= 40:
        return candidates[0]
    return None


def is_press(head: list[str], tail: list[str], text: str) -> bool:
    for line in head:
        m = _SOURCE_FIELD.search(line)
        if m and _PRESS_SOURCE.search(m.group(1).split("·")[0]) and not re.search(ORG_SUFFIX + "$", m.group(1)):
            return True
    if any(_PUBLISHED_IN.search(line) for line in head + tail):
        return True
    return bool(_PRESS_MARKS.search("\n".join(head + tail))) or bool(re.search(r"原标题\s*[:：]", text))


def classify(title: str | None, opening: str, press: bool) -> str:
    """The genre, from the words of the title (or of the opening sentence when there is none)."""
    t = title or ""
    if re.search(r"预算|决算|(?:支出|项目|部门整体)绩效(?:自评|评价|报告)|绩效自评", t):
        return "budget"  # a budget, or the self-assessment of how it was spent
    if _INTERPRETATION.search(t):
        return "policy_interpretation"
    if press:
        return "press_article"
    if re.search(r"评估|实施情况|进展情况|总结报告|工作总结", t):
        return "evaluation_report"
    if re.search(r"(?:工作|年度|统计|监测|分析)报告$|情况(?:分析|通报|报告)$|(?:数据|统计)分析$", t):
        return "evaluation_report"  # a report of what was done or measured in a year (年度报告, 投诉举报情况分析)
    if re.search(r"分工|任务清单|责任清单", t):
        if re.search(r"(?:19|20)\d{2}\s*年[^》]{0,16}(?:工作要点|工作计划|重点工作)", t):
            return "annual_work_plan"  # the tasks of one year's work points, shared out: that year's plan
        return "policy_measures"  # who does which task of a plan: measures, not the plan itself  # who does which task of a plan: measures, not the plan itself
    if _FIVE_YEAR.search(t) or _FIVE_YEAR_LONG.search(t) or re.search(r"五年|(?:19|20)\d{2}\s*[-—–至]\s*(?:19|20)\d{2}年?.*规划", t):
        return "five_year_plan"
    if re.search(r"工作要点|工作计划|工作安排|重点工作|年度.{0,6}计划|工作任务", t):
        return "annual_work_plan"
    if re.search(r"(?<![-—–~至到\d])(?:19|20)\d{2}\s*年(?![-—–~至到])[^》]{0,24}(?:计划|安排)$", t):
        return "annual_work_plan"  # one year's 推进计划 / 行动计划: that year's plan
    if re.search(r"措施|举措|若干|实施意见|指导意见|意见|实施方案|工作方案|办法", t):
        return "policy_measures"
    if not t:
        if re.search(r"(?:19|20)\d{2}年是", opening[:120]) and re.search(r"工作", opening):
            return "annual_work_plan"
        if re.search(r"评估报告", opening[:200]):
            return "evaluation_report"
    if "规划" in t:
        return "five_year_plan"
    return "other"


def _five_year_period(text: str) -> Period | None:
    m = _FIVE_YEAR.search(text) or _FIVE_YEAR_LONG.search(text)
    if m:
        n = 10 + (chinese_to_int(m.group(1)) or 0)  # 十四五 → the 14th plan
        if n >= 11:
            start = 1966 + 5 * (n - 3)
            return Period(start, start + 4)
    m = _YEAR_RANGE.search(text)
    if m:
        return Period(int(m.group(1)), int(m.group(2)))
    return None


# A campaign's run (自2024年5月至2025年4月开展专项整治): the years it spans.
_MONTH_SPAN = re.compile(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*(?:至|到|—|－|-|~|～)\s*((?:19|20)\d{2})\s*年")


def read_period(doc_type: str, title: str | None, about: str | None, opening: str) -> Period | None:
    if doc_type in ("five_year_plan", "evaluation_report", "press_article", "policy_interpretation"):
        for source in (title, about):
            if source:
                found = _five_year_period(source)
                if found:
                    return found
        # a summary of one year (and the plans for the next) covers those years
        summary = re.search(r"((?:19|20)\d{2})\s*年[^，。]{0,8}总结(?:和|及|与)?(?:((?:19|20)\d{2})\s*年[^，。]{0,8}(?:思路|打算|计划|安排))?", title or "")
        if summary:
            return Period(int(summary.group(1)), int(summary.group(2) or summary.group(1)))
        # a report on (or a reading of) one year's plan covers that year
        plan = about or title or ""
        year = re.search(r"((?:19|20)\d{2})\s*年.{0,20}(?:工作要点|工作计划|计划|要点)", plan)
        if year:
            return Period(int(year.group(1)), int(year.group(1)))
        # a report on one year (2022年…年度报告, 2023年上半年…情况分析) covers that year
        years = set(re.findall(r"(?<!\d)((?:19|20)\d{2})\s*年", title or ""))
        if doc_type == "evaluation_report" and len(years) == 1 and not _YEAR_RANGE.search(title or ""):
            return Period(int(next(iter(years))), int(next(iter(years))))
        return None
    if doc_type in ("annual_work_plan", "budget", "policy_measures"):
        for source in (title or "", opening[:120]):
            ranged = _YEAR_RANGE.search(source) or _MONTH_SPAN.search(source)
            if ranged:
                return Period(int(ranged.group(1)), int(ranged.group(2)))
            m = re.search(r"((?:19|20)\d{2})\s*年", source)
            if m and doc_type != "policy_measures":
                return Period(int(m.group(1)), int(m.group(1)))
    return None


def read_cites(text: str) -> list[str]:
    """Titles in 《》 of a sentence saying the document was drawn up on their basis."""
    found: list[str] = []
    for sentence in _SENTENCE.finditer(text):
        s = sentence.group()
        based = _BASED_ON.search(s)
        drafted = _DRAFTED.search(s, based.end()) if based else None
        if not drafted:
            continue
        # the titles between “根据” and “编制”; a title after 编制 is the document's own
        for m in _BOOK_TITLE.finditer(s, based.start(), drafted.start() + 1):
            if m.group(1) not in found:
                found.append(m.group(1))
    return found


def read_about(title: str | None, text: str) -> str | None:
    """The plan a report or an article is about: the plan title it quotes most, else its own title's stem."""
    quoted = Counter(
        m.group(1) for m in _BOOK_TITLE.finditer(text)
        if _PLAN_WORDS.search(m.group(1)) and m.group(1) != title and not (title and m.group(1) in title)
    )
    if quoted:
        return quoted.most_common(1)[0][0]
    if title:
        m = re.match(r"^(.*?(?:规划|纲要|方案|计划|要点|意见|措施))(?:的)?(?:中期|终期|年度|实施)?(?:评估|实施情况|总结|解读)", title)
        if m:
            return m.group(1)
        quoted_in_title = _BOOK_TITLE.search(title)
        if quoted_in_title:
            return quoted_in_title.group(1)
    return None


_MONTH_LINE = re.compile(r"^[\s\u3000]*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月[\s\u3000]*$")


def _signature(lines: list[str]) -> str | None:
    """The line above a date line (a report may date itself by month only): who signed the document."""
    for before, line in zip(lines, lines[1:]):
        if (_is_date_line(line) or _MONTH_LINE.match(line)) and 2 <= len(before) <= 30 and not _is_date_line(before):
            if not re.search(r"[。，,；;：:]", before):
                return before
    return None


def byline_org(head: list[str]) -> str | None:
    """The body a signed article's author heads (湖南省市场监督管理局党组书记、局长 李明 → the bureau)."""
    for line in head:
        m = _BYLINE.match(line)
        if m:
            return m.group("org")
    return None


def read_issuer(head: list[str], tail: list[str], title: str | None, doc_number: str | None,
                region: Region | None, press: bool) -> str | None:
    byline = byline_org(head) if press else None
    if byline:  # a signed article: its author speaks for the body named in the byline
        return canonical(byline, region)
    for line in head:
        m = _SOURCE_FIELD.search(line)
        if m:
            source = m.group(1).split("·")[0].strip()
            if press:
                return source
            if org_at_start(source) == source:  # not “本站” or a website's name
                return canonical(source, region)
    signature = _signature(head) or _signature(tail)
    if signature:
        if org_at_start(signature):
            return canonical(signature, region)
        place, rest = region_prefix(signature)
        organ = organ_from_doc_number(doc_number, region)
        if place is not None and not rest.strip() and organ:
            # the signature lost its organ (spam took its place): the 文号 says which
            return place.name + organ
    if title:
        org = org_at_start(title)
        if org and not org.endswith(("处", "中心")):
            return canonical(org, region)
    if region is not None:
        organ = organ_from_doc_number(doc_number, region)
        if organ:
            return region.name + organ
    return None


def infer_issuer(text: str, region: Region | None, doc_type: str) -> str | None:
    """A plan or report on a region's 市场监管 work with no named issuer comes from its market regulator."""
    if region is None or doc_type == "press_article" or text.count("市场监管") < 3:
        return None
    return region.name + "市场监督管理局"


# --- the stage -------------------------------------------------------------------------

def read_metadata(text: str, sections: list[Section], source: str) -> Metadata:
    view = clean_view(text)
    # the head ends where the outline begins (an OCR text may run its title into 一、)
    outline_at = bisect_left(view.origin, sections[0].start) if sections else len(view.text)
    head = [line for _pos, line in _view_lines(view, [s.start for s in sections[:1]], 0, outline_at, _HEAD_LINES)]
    if not head:
        head = [line for _pos, line in _view_lines(view, [], limit=1)]
    tail_from = max(0, view.text.rfind("\n", 0, max(0, len(view.text) - 1500)))
    tail = [line for _pos, line in _view_lines(view, [], tail_from)][-_TAIL_LINES:]
    long_line = _LONG_LINE.search(view.text)
    opening = long_line.group().strip() if long_line else ""
    press = is_press(head, tail, view.text)
    title = read_title(head)
    doc_type = classify(title, opening, press)
    doc_number = read_doc_number(head)
    date = read_date(head, tail)
    about = read_about(title, view.text) if doc_type in ("evaluation_report", "press_article",
                                                          "policy_interpretation") else None
    signature = _signature(head) or _signature(tail)
    source_line = next((m.group(1) for line in head if (m := _SOURCE_FIELD.search(line))), None)
    priority = [] if press else [source_line or "", signature or "", title or ""]
    if press:
        priority = [byline_org(head) or "", title or "", about or ""]
    region = find_region(view.text, priority)
    issuer = read_issuer(head, tail, title, doc_number, region, press) or infer_issuer(view.text, region, doc_type)
    cites = [c for c in read_cites(view.text) if c != about]
    return Metadata(
        title=title,
        doc_type=doc_type,
        issuer=issuer,
        date=date,
        doc_number=doc_number,
        region=region,
        period=read_period(doc_type, title, about, opening),
        cites=cites,
        about=about,
    )
