"""A cleaned reading view of a text that still knows where every character came from.

Headings and titles are read from the view, spans are reported in the original: OCR
page counters (“12、” at every line start, cutting words in two) are dropped, OCR
look-alikes (“IO0%” → “100%”, “o” → “。”) are fixed, and SEO spam injected into web
pages (“365彩票官方下载手机_bt365体育投注官网”) is cut out.

The one module that cleans texts for every stage: `clean_view` for the reader (outline,
metadata), `numbers_view` for the quantities stage (page numbers and PDF line wraps joined,
so a number's clause is never cut), both built by `apply_edits` with the same map back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from loaders.scan import Scanner

# An edit replaces original[start:end] with `new` in the view.
Edit = tuple[int, int, str]


@dataclass
class CleanView:
    """`text` is the cleaned view; `origin[i]` is the original offset of `text[i]`."""

    text: str
    origin: list[int]
    original_length: int
    ocr: bool = False

    def to_original(self, index: int) -> int:
        """Original offset of the view position `index` (a start)."""
        if index >= len(self.origin):
            return self.original_length
        return self.origin[index]

    def end_to_original(self, index: int) -> int:
        """Original offset just after the view character `index - 1` (an exclusive end)."""
        if index <= 0:
            return 0
        return self.origin[index - 1] + 1


# --- OCR page counters -------------------------------------------------------------

_COUNTER = re.compile(r"^[ \t\u3000]*(\d{1,4})、", re.M)
_SENTENCE_END = "。！？!?；;：:”」』）)"


def ocr_counter_edits(text: str) -> list[Edit]:
    """Drop “N、” line counters when (nearly) every line carries the next one.

    A list whose items are numbered 1、2、3、 also starts lines that way, so the rule
    also asks that most lines end mid-sentence, as page fragments of a scan do.
    """
    first = [m for _, m in zip(range(5), re.finditer(r"[^\n]*\S[^\n]*", text))]
    if len(first) < 5 or not all(
        (c := _COUNTER.match(text, m.start())) and int(c.group(1)) == i for i, m in enumerate(first, 1)
    ):
        return []  # the first lines already say there are no counters
    lines = [m for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    numbered = 0
    cut_mid_sentence = 0
    edits: list[Edit] = []
    for ordinal, line in enumerate(lines, 1):
        m = _COUNTER.match(text, line.start())
        if m and int(m.group(1)) == ordinal:
            numbered += 1
            # the counter and the line break before it go, joining the fragments
            start = line.start()
            if start > 0 and text[start - 1] == "\n":
                start -= 1
                if start > 0 and text[start - 1] == "\r":
                    start -= 1
            edits.append((start, m.end(), ""))
        if line.group().rstrip()[-1:] not in _SENTENCE_END:
            cut_mid_sentence += 1
    if numbered < 0.9 * len(lines) or cut_mid_sentence < 0.5 * len(lines):
        return []
    return edits


# --- OCR look-alike characters ----------------------------------------------------

_OCR_HUNDRED = Scanner(r"(?<![A-Za-z])[Il1][Oo0]{2}(?=\s*%)", "[Il1]")  # tried only at I, l and 1
_OCR_FULL_STOP = re.compile(r"(?<=[\d%\u4e00-\u9fff])[oO](?=[\u4e00-\u9fff]|\d{4}年|\(|（|$)", re.M)


def ocr_character_edits(text: str) -> list[Edit]:
    """Letters read for digits inside percentages, and “o” read for “。”."""
    edits: list[Edit] = []
    for m in _OCR_HUNDRED.finditer(text):
        if not m.group().isdigit():
            edits.append((m.start(), m.end(), "100"))
    for m in _OCR_FULL_STOP.finditer(text):
        edits.append((m.start(), m.end(), "。"))
    return edits


def looks_ocr(text: str, counters: list[Edit]) -> bool:
    return bool(counters) or sum(not m.group().isdigit() for m in _OCR_HUNDRED.finditer(text)) >= 2


# --- SEO spam ------------------------------------------------------------------------

# Words of gambling-site spam. A run of them counts as spam when it holds at least two
# strong words, so a plan that mentions 体育彩票 once is left alone.
_STRONG = ["彩票", "投注", "博彩", "赌场", "赌博", "娱乐城", "棋牌", "百家乐", "真人", "下注", "网投", "老虎机",
           "bt365", "bet365", "365", "威尼斯人", "葡京", "金沙", "皇冠", "开云", "亚博", "澳门"]
_WEAK = ["官方", "下载", "手机", "体育", "官网", "世界杯", "app", "APP", "平台", "娱乐", "网址", "登录", "注册",
         "开户", "入口", "网站", "足球", "篮球", "电竞", "首页", "网页版", "客户端", "唯一", "最新", "版", "在线",
         "中国", "有限公司", "集团"]
_SEP = r"[_\-|｜·\s]"
_SPAM_RUN = Scanner(
    "(?=[^\\s_|｜·-])(?:" + "|".join(re.escape(w) for w in sorted(_STRONG + _WEAK, key=len, reverse=True)) + "|" + _SEP + ")+",
    # a run opens with a word (the look-ahead rules out a separator): tried only at a word's first character
    "[" + re.escape("".join(sorted({w[0] for w in _STRONG + _WEAK}))) + "]",
)
_STRONG_RX = re.compile("|".join(re.escape(w) for w in sorted(_STRONG, key=len, reverse=True)))


def spam_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    if len(_STRONG_RX.findall(text)) < 2:
        return edits
    for m in _SPAM_RUN.finditer(text):
        run = m.group()
        if len(_STRONG_RX.findall(run)) >= 2 and len(run.strip()) >= 6:
            start, end = m.start(), m.end()
            # keep the whitespace around the run, it belongs to the layout
            start += len(run) - len(run.lstrip())
            end -= len(run) - len(run.rstrip())
            edits.append((start, end, ""))
    return edits


def spam_spans(text: str) -> list[tuple[int, int]]:
    """Original spans of injected spam, for callers that only need to skip them."""
    return [(s, e) for s, e, _ in spam_edits(text)]


# --- page numbers and line wraps, as the quantities stage reads numbers -----------------

# Page numbers an OCR run left inside sentences: "\n7、" at the start of every page.
_PAGE_MARK = re.compile(r"\n[ \t]*(\d{1,3})[、.][ \t]*")
# OCR reads a full stop after a percent sign as the letter o.
_OCR_STOP_AFTER_PERCENT = re.compile(r"(?<=%)[oO](?=[\d\u4e00-\u9fff(（])")
_LINE_END_OPEN = re.compile(r"(?:[\u4e00-\u9fff\d%％、“（(]|\d\.)$")
_LINE_START_ITEM = re.compile(
    r"^[ \t\u3000]*(?:第[一二三四五六七八九十]+[章节条]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))"
)


def page_mark_edits(text: str) -> list[Edit]:
    """Drop "\nN、" page numbers when they run consecutively through long pages of prose."""
    marks = list(_PAGE_MARK.finditer(text))
    if len(marks) < 3:
        return []
    numbers = [int(m.group(1)) for m in marks]
    consecutive = sum(1 for a, b in zip(numbers, numbers[1:]) if b == a + 1)
    mean_line = len(text) / (len(marks) + 1)
    if consecutive < 0.8 * (len(marks) - 1) or mean_line < 200:
        return []
    edits: list[Edit] = [(m.start(), m.end(), "") for m in marks]
    first = re.match(r"[ \t]*1[、.]", text)
    if first and numbers[0] == 2:
        edits.insert(0, (first.start(), first.end(), ""))
    return edits


_ALIGNED = re.compile(r"\S[ \u3000]{2,}\S")


_NUMBER_CELL = re.compile(r"[≥≤<>]?\d[\d.]*(?:%|％|年)?")


def _is_table_line(line: str) -> bool:
    """A row of a table: cells split by tabs or aligned with runs of spaces (never a wrapped sentence).

    A row parted by single spaces counts too when two or more of its 3+ cells are bare numbers or
    years (1 市场主体总量（万户） 4.87 6.5 预期性; 序号 指标名称 2020年 2025年 属性).
    """
    body = line.strip(" \u3000\r")
    if "\t" in line or _ALIGNED.search(body):
        return True
    cells = body.split(" ")
    return len(cells) >= 3 and sum(1 for c in cells if _NUMBER_CELL.fullmatch(c)) >= 2


def wrapped_line_edits(text: str) -> list[Edit]:
    """Line breaks a PDF extraction put inside sentences, when most long lines end mid-sentence.

    A text whose long lines mostly stop on a character, not on punctuation, was wrapped at a
    fixed width; its breaks are removed unless the next line opens a numbered item.
    """
    lines = text.split("\n")
    long_lines = [line.rstrip() for line in lines if len(line.strip()) >= 15 and not _is_table_line(line)]
    if len(long_lines) < 5:
        return []
    open_ends = sum(1 for line in long_lines if _LINE_END_OPEN.search(line))
    if open_ends < 0.5 * len(long_lines):
        return []
    edits: list[Edit] = []
    offset = 0
    for line, following in zip(lines, lines[1:]):
        offset += len(line)
        stripped = line.rstrip()
        if (len(stripped.strip()) >= 15 and not _is_table_line(line) and _LINE_END_OPEN.search(stripped)
                and following.strip() and not _LINE_START_ITEM.match(following) and not _is_table_line(following)
                and not following.startswith("\u3000\u3000")):
            start = offset - (len(line) - len(stripped))
            lead = len(following) - len(following.lstrip(" \t\u3000"))
            edits.append((start, offset + 1 + lead, ""))
        offset += 1
    return edits


@lru_cache(maxsize=8)
def numbers_view(text: str) -> CleanView:
    """The view numbers are read from: page numbers (else PDF line wraps) removed, “%o” read as “%。”.

    Stricter about joining lines than `clean_view` (which keeps the outline's line starts),
    because a number's clause must not be cut by a page break.
    """
    edits = page_mark_edits(text) or wrapped_line_edits(text)
    view = apply_edits(text, edits)
    # a same-length substitution: the map back stays as it is
    view.text = _OCR_STOP_AFTER_PERCENT.sub("。", view.text)
    return view


# --- building the view --------------------------------------------------------------

def apply_edits(text: str, edits: list[Edit], ocr: bool = False) -> CleanView:
    pieces: list[str] = []
    origin: list[int] = []
    cursor = 0
    for start, end, new in sorted(edits):
        if start < cursor:  # overlapping edit: the earlier one wins
            continue
        pieces.append(text[cursor:start])
        origin.extend(range(cursor, start))
        pieces.append(new)
        if len(new) == end - start:
            origin.extend(range(start, end))
        else:
            origin.extend([start] * len(new))
        cursor = end
    pieces.append(text[cursor:])
    origin.extend(range(cursor, len(text)))
    return CleanView(text="".join(pieces), origin=origin, original_length=len(text), ocr=ocr)


@lru_cache(maxsize=8)
def clean_view(text: str) -> CleanView:
    """The reading view of `text`: OCR counters and look-alikes fixed, spam removed."""
    counters = ocr_counter_edits(text)
    ocr = looks_ocr(text, counters)
    edits = counters + spam_edits(text)
    if ocr:
        edits += ocr_character_edits(text)
    return apply_edits(text, edits, ocr=ocr)
