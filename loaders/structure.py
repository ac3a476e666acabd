"""Structure stage: the outline of a text, from the numbering of its headings.

General rules of Chinese administrative writing, not of any one document:
- numbering styles 第X章/第X节/第X部分/第X条, 一、, (一)/（一）, 1./1、/1．, (1)/（1）/1), ①, and
  the bare 01 … 09 lines that articles use as headings;
- levels come from the order in which styles first appear (as in a word processor's
  list), so 一、 may sit under 第一章 in one text and be the top level in another;
- a numbered line counts as a heading only if it continues its list (the next number,
  or one number skipped, as OCR drops some) or opens a new list at 1;
- a table of contents (目录, or lines ending in page numbers) and a web page's trailer
  (原标题, 阅读原文, licence lines) yield no sections;
- OCR text whose lines are page fragments is read through `cleanup.clean_view`, and
  when a text has no line breaks to speak of, headings are found inside the lines.
Spans are [start, end) in the original text, heading plus body, trailing blanks trimmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.cleanup import CleanView, clean_view
from loaders.model import Section
from loaders.numerals import chinese_to_int

_CN = "一二三四五六七八九十百零〇"
_SP = r"[ \t\u3000\xa0]"

# (style, before the numeral, the numeral, after it) of a number opening a line.
# Order matters: the first that matches wins.
_LINE_STYLES: list[tuple[str, str, str, str]] = [
    ("chapter", "第", rf"[{_CN}\d]{{1,4}}", "章"),
    ("subsection", "第", rf"[{_CN}\d]{{1,4}}", "节"),
    ("part", "第", rf"[{_CN}\d]{{1,4}}", "(?:部分|篇)"),
    ("article", "第", rf"[{_CN}\d]{{1,4}}", rf"条(?={_SP})"),
    ("cn", "", "[一二三四五六七八九十百]{1,3}", r"(?:、|[.．](?!\d))"),
    ("cn_paren", "[（(]", "[一二三四五六七八九十百]{1,3}", "[)）]"),
    ("num_paren", "[（(]", r"\d{1,2}", "[)）]"),
    ("num_paren", "", r"\d{1,2}", "[)）]"),
    ("num", "", r"\d{1,2}", _SP + r"?(?:[.．](?![\d.．])|、)"),
    ("circled", "", "[①-⑳]", ""),
    ("two_digit", "", r"0[1-9]|[1-9]\d", rf"(?={_SP}*$)"),
]
# Lines that can open with a number; other lines are not tried at all.
_OPENER_LINE = re.compile(rf"^{_SP}*[第一二三四五六七八九十百（(①-⑳\d]", re.M)
# One pattern for all of them, so that a text is scanned once: group sN is style N, sN_n its numeral.
_LINE_RX = re.compile(
    rf"^{_SP}*(?:"
    + "|".join(f"(?P<s{i}>{before}(?P<s{i}_n>{numeral}){after})"
               for i, (_style, before, numeral, after) in enumerate(_LINE_STYLES))
    + ")",
    re.M,
)

# Inside a line (texts without line breaks): numbers that delimit themselves may stand
# anywhere; a bare “1.” only after the end of a sentence.
_INLINE = re.compile(
    rf"(?P<chapter>第(?P<chapter_n>[{_CN}\d]{{1,4}})章)"
    rf"|(?P<cn_paren>[（(](?P<cn_paren_n>[一二三四五六七八九十]{{1,3}})[)）])"
    rf"|(?P<num_paren>[（(](?P<num_paren_n>\d{{1,2}})[)）])"
    rf"|(?<=[。；;！？!?])(?P<num_half>(?P<num_half_n>\d{{1,2}})[)）])"
    rf"|(?:(?<=[。；;！？!?：:”」）)\s])|(?<=报告|规划|方案|要点|计划|纲要|情况|意见|通知|说明))"
    rf"(?P<cn>(?P<cn_n>[一二三四五六七八九十]{{1,3}})、)(?![一二三四五六七八九十])"
    rf"|(?<=[。；;！？!?：:])[”’」』]?(?P<num>(?P<num_n>\d{{1,2}}){_SP}?[.．](?![\d.．]))"
)

_TITLE_END = re.compile(r"[。；;！!？?]|(?<!\d)[：:](?=.)")  # not the colon of 14:30
_PAGE_REF = re.compile(rf"(?:\.{{2,}}|…+|·{{2,}}|—{{2,}}|-{{3,}}|_{{3,}}|{_SP}{{2,}}|\t){_SP}*\d{{1,3}}{_SP}*$|\.{{4,}}{_SP}*$")
_LINE_ENDS_IN_NUMBER = re.compile(rf"[\d.]{_SP}*$", re.M)
_TOC_HEAD_LINE = re.compile(rf"^{_SP}*目{_SP}*录{_SP}*$", re.M)
_FILLED_LINE = re.compile(r"^[^\n]*\S[^\n]*$", re.M)
_TRAILER = re.compile(
    rf"^{_SP}*(?:原标题|阅读原文|责任编辑|本文为|扫码|分享到|版权所有|Copyright|©|打印本页|关闭窗口|【打印】|【关闭】)"
    rf"|ICP备|公网安备|信息服务许可证"
)
_ATTACHMENT = re.compile(rf"^{_SP}*附件{_SP}*\d*{_SP}*[:：]?{_SP}*$")
_MAX_TITLE = 60


@dataclass
class _Heading:
    start: int  # view offset of the number
    body: int  # view offset just after the number
    style: str
    value: int
    number: str
    line_end: int  # view offset of the end of the heading's line
    inline: bool = False
    depth: int = 0
    title: str = ""
    children: list[_Heading] = field(default_factory=list)


def _normalised(line: str) -> str:
    line = _PAGE_REF.sub("", line)
    return re.sub(rf"[{_SP[1:-1]}\s.…·]+", "", line)


def excluded_spans(text: str) -> list[tuple[int, int]]:
    """View spans that hold no headings: tables of contents, a web page's trailer, the signature."""
    spans: list[tuple[int, int]] = []
    # runs of (at least three) lines ending in page numbers, blank lines allowed between
    run: list[tuple[int, int]] = []
    for ending in _LINE_ENDS_IN_NUMBER.finditer(text):
        line_start = text.rfind("\n", 0, ending.start()) + 1
        ref = _PAGE_REF.search(text, line_start, ending.end())
        if ref is None or not text[line_start : ref.start()].strip():
            continue
        m = _FILLED_LINE.match(text, line_start)
        if m is None:
            continue
        if run and text[run[-1][1] : m.start()].strip():
            if len(run) >= 3:
                spans.append((run[0][0], run[-1][1]))
            run = []
        run.append((m.start(), m.end()))
    if len(run) >= 3:
        spans.append((run[0][0], run[-1][1]))
    # a 目录 heading: the contents end where their first entry comes round again
    toc = _TOC_HEAD_LINE.search(text)
    if toc:
        entries = [(m.start(), m.end()) for m in _FILLED_LINE.finditer(text, toc.end())]
        if entries:
            first = _normalised(text[entries[0][0] : entries[0][1]])
            stop = None
            for s, e in entries[1:]:
                if first and _normalised(text[s:e]) == first:
                    stop = s
                    break
            if stop is None:  # no repeat: the contents are the short lines that follow
                stop = entries[0][0]
                for s, e in entries:
                    line = text[s:e].strip()
                    if len(line) > 40 or _TITLE_END.search(_PAGE_REF.sub("", line)):
                        break
                    stop = e
            spans.append((toc.start(), stop))
    # the trailer of a web page: from its first chrome line in the last third on; a bare
    # 附件: line with (nearly) nothing after it is a left-over link list, not a section's body
    for m in _FILLED_LINE.finditer(text, len(text) * 2 // 3):
        line = m.group()
        if _TRAILER.search(line) or (_ATTACHMENT.match(line) and len(text[m.end():].strip()) < 200):
            spans.append((m.start(), len(text)))
            break
    signature = _signature_start(text)
    if signature is not None:
        spans.append((signature, len(text)))
    return spans


_DATE_ONLY = re.compile(
    rf"^{_SP}*(?:(?:19|20)\d{{2}}年\d{{1,2}}月\d{{1,2}}日|[〇○零一二三四五六七八九]{{4}}年[一二三四五六七八九十]{{1,3}}月[一二三四五六七八九十]{{1,3}}日){_SP}*$"
)


def _signature_start(text: str) -> int | None:
    """A closing signature (issuer, then date) ends the last section's body."""
    tail_from = max(0, len(text) - 400)
    filled = [(m.start(), m.end()) for m in _FILLED_LINE.finditer(text, tail_from)][1:]
    for k in range(len(filled) - 1, max(len(filled) - 4, 0) - 1, -1):
        s, e = filled[k]
        if _DATE_ONLY.match(text[s:e]):
            start = s
            for ps, pe in reversed(filled[max(k - 2, 0) : k]):
                line = text[ps:pe].strip()
                if len(line) > 30 or re.search(r"[。；;，,！？]", line) or _line_opens_heading(line):
                    break
                start = ps
            return start
    return None


def _line_opens_heading(line: str) -> bool:
    return bool(_LINE_RX.match(line))


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _line_candidates(text: str) -> list[_Heading]:
    found = []
    for opener in _OPENER_LINE.finditer(text):
        pos = opener.start()
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        m = _LINE_RX.match(text, pos, end)
        if m is None:
            continue
        group = m.lastgroup or ""
        value = chinese_to_int(m.group(group + "_n"))
        if value:
            number = m.group(group)
            found.append(_Heading(m.start(group), m.end(), _LINE_STYLES[int(group[1:])][0], value,
                                  "".join(number.split()), end))
    return found


def _inline_candidates(text: str) -> list[_Heading]:
    found = []
    for m in _INLINE.finditer(text):
        style = m.lastgroup
        for name in ("chapter", "cn_paren", "num_paren", "num_half", "cn", "num"):
            if m.group(name):
                style = name
                break
        value = chinese_to_int(m.group(style + "_n"))
        if not value:
            continue
        line_end = text.find("\n", m.end())
        found.append(
            _Heading(m.start(style), m.end(style), "num_paren" if style == "num_half" else style, value,
                     re.sub(r"\s+", "", m.group(style)), len(text) if line_end < 0 else line_end, inline=True)
        )
    return found


def _needs_inline(text: str, line_heads: int) -> bool:
    """A text whose lines are whole pages (OCR, flattened web pages) hides its headings inside them."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return False
    return len(text) / len(lines) > 200 and line_heads < 3


def _build_tree(candidates: list[_Heading], loose: bool) -> list[_Heading]:
    """Keep the candidates that continue a list or open one; nest them by style order."""
    roots: list[_Heading] = []
    stack: list[_Heading] = []
    last_value: dict[str, int] = {}  # work plans number their tasks 1.–23. straight through the parts
    for head in candidates:
        depth = None
        for i in range(len(stack) - 1, -1, -1):
            if stack[i].style == head.style:
                if stack[i].value < head.value <= stack[i].value + 2:
                    depth = i
                break
        else:
            opens = head.value == 1 or (loose and head.value == 2 and stack)
            continues = stack and head.value == last_value.get(head.style, -1) + 1
            if opens or continues:
                depth = len(stack)
        if depth is None:
            continue
        del stack[depth:]
        head.depth = depth
        (stack[-1].children if stack else roots).append(head)
        stack.append(head)
        last_value[head.style] = head.value
    return roots


def _title(text: str, head: _Heading, limit: int) -> tuple[str, int]:
    """The heading's title (run-in headings end at their first full stop) and the view offset after it."""
    pos = head.body
    end = min(head.line_end, limit)
    rest = text[pos:end]
    if not rest.strip() and not head.inline:
        # number alone on its line (“01”, “一、”): the title is the next non-empty line
        nxt = re.compile(r"\S[^\n]*").search(text, end, limit)
        if nxt and len(nxt.group().strip()) <= _MAX_TITLE:
            return nxt.group().strip(), nxt.end()
        return "", end
    stop = _TITLE_END.search(rest)
    cut = stop.start() if stop and stop.start() <= _MAX_TITLE else None
    if cut is None:
        if len(rest.strip()) <= _MAX_TITLE:
            cut = len(rest)
        else:
            comma = re.search(r"[，,]", rest[:_MAX_TITLE])
            cut = comma.start() if comma else _MAX_TITLE
    comma = re.search(r"[，,]", rest[:cut])
    if stop and comma and re.search(r"\d", rest[comma.start():cut]) and comma.start() >= 4:
        cut = comma.start()  # a run-in task (1.深化召回管理，到2025年…增长20%。): its title is the first clause
    title = rest[:cut].strip(" \t\u3000\xa0\r，,、：:")
    return title, pos + cut


def _flatten(nodes: list[_Heading]) -> list[_Heading]:
    out = []
    for node in nodes:
        out.append(node)
        out.extend(_flatten(node.children))
    return out


def _to_sections(view: CleanView, original: str, roots: list[_Heading], content_end: int) -> list[Section]:
    flat = _flatten(roots)
    for i, head in enumerate(flat):
        next_start = flat[i + 1].start if i + 1 < len(flat) else content_end
        head.title, _ = _title(view.text, head, next_start)

    def end_of(index: int) -> int:
        head = flat[index]
        for later in flat[index + 1 :]:
            if later.depth <= head.depth:
                return later.start
        return content_end

    ends = {id(h): end_of(i) for i, h in enumerate(flat)}

    def convert(head: _Heading) -> Section:
        start = view.to_original(head.start)
        end = view.end_to_original(ends[id(head)])
        while end > start and original[end - 1].isspace():
            end -= 1
        return Section(
            number=head.number,
            title=head.title,
            level=head.depth + 1,
            start=start,
            end=end,
            children=[convert(child) for child in head.children],
        )

    return [convert(root) for root in roots]


def outline_view(view: CleanView, original: str) -> list[Section]:
    """The outline of a text already read through `clean_view`."""
    text = view.text
    skip = excluded_spans(text)
    content_end = min([s for s, e in skip if e == len(text) and s > 0] or [len(text)])
    line_heads = [h for h in _line_candidates(text) if not _inside(h.start, skip)]
    candidates = line_heads
    if _needs_inline(text, len(line_heads)):
        seen = {h.start for h in line_heads}
        candidates = sorted(
            line_heads + [h for h in _inline_candidates(text) if h.start not in seen and not _inside(h.start, skip)],
            key=lambda h: h.start,
        )
    roots = _build_tree(candidates, loose=view.ocr)
    return _to_sections(view, original, roots, content_end)


def read_outline(text: str) -> list[Section]:
    """The section tree of `text`; offsets are code points of `text` itself."""
    return outline_view(clean_view(text), text)
