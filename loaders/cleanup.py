"""A cleaned reading view of a text that still knows where every character came from.

Headings and titles are read from the view, spans are reported in the original: OCR
page counters (“12、” at every line start, cutting words in two) are dropped, OCR
look-alikes (“IO0%” → “100%”, “o” → “。”) are fixed, and SEO spam injected into web
pages (“365彩票官方下载手机_bt365体育投注官网”) is cut out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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

_OCR_HUNDRED = re.compile(r"(?<![A-Za-z])[Il1][Oo0]{2}(?=\s*%)")
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
    return bool(counters) or sum(not m.isdigit() for m in _OCR_HUNDRED.findall(text)) >= 2


# --- SEO spam ------------------------------------------------------------------------

# Words of gambling-site spam. A run of them counts as spam when it holds at least two
# strong words, so a plan that mentions 体育彩票 once is left alone.
_STRONG = ["彩票", "投注", "博彩", "赌场", "赌博", "娱乐城", "棋牌", "百家乐", "真人", "下注", "网投", "老虎机",
           "bt365", "bet365", "365", "威尼斯人", "葡京", "金沙", "皇冠", "开云", "亚博", "澳门"]
_WEAK = ["官方", "下载", "手机", "体育", "官网", "世界杯", "app", "APP", "平台", "娱乐", "网址", "登录", "注册",
         "开户", "入口", "网站", "足球", "篮球", "电竞", "首页", "网页版", "客户端", "唯一", "最新", "版", "在线",
         "中国", "有限公司", "集团"]
_SEP = r"[_\-|｜·\s]"
_SPAM_RUN = re.compile(
    "(?=[^\\s_|｜·-])(?:" + "|".join(re.escape(w) for w in sorted(_STRONG + _WEAK, key=len, reverse=True)) + "|" + _SEP + ")+"
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
