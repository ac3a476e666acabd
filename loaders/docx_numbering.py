"""Word's automatic list numbers (“一、”, “（一）”, “1.”) written out, as a reader sees them.

python-docx gives a paragraph's typed text only; a heading numbered by a list style
would lose its number, and with it its place in the outline.
"""

from __future__ import annotations

from docx.oxml.ns import qn

_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "taiwaneseCounting", "chineseLegalSimplified"):
        return _chinese(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


def _val(element, tag: str) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


class ListNumbers:
    """Counts list items through a document in order and renders each item's label."""

    def __init__(self, document) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) → (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        self.style_numbering: dict[str, tuple[str, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        if numbering is not None:
            abstract = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}
            for num in numbering.findall(qn("w:num")):
                definition = abstract.get(_val(num, "w:abstractNumId"))
                if definition is None:
                    continue
                for lvl in definition.findall(qn("w:lvl")):
                    ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                    self.levels[(num.get(qn("w:numId")), ilvl)] = (
                        _val(lvl, "w:numFmt") or "decimal", _val(lvl, "w:lvlText") or "", int(_val(lvl, "w:start") or 1),
                    )
        for style in document.styles.element.findall(qn("w:style")):
            num_pr = style.find(qn("w:pPr") + "/" + qn("w:numPr"))
            if num_pr is not None and _val(num_pr, "w:numId"):
                self.style_numbering[style.get(qn("w:styleId"))] = (_val(num_pr, "w:numId"), int(_val(num_pr, "w:ilvl") or 0))

    def label(self, paragraph_element) -> str:
        """The number Word shows before this paragraph ("" if none), advancing the counters."""
        ppr = paragraph_element.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is not None:
            num_id, ilvl = _val(num_pr, "w:numId"), int(_val(num_pr, "w:ilvl") or 0)
        else:
            style_id = _val(ppr, "w:pStyle") if ppr is not None else None
            num_id, ilvl = self.style_numbering.get(style_id, (None, 0))
        if not num_id or num_id == "0" or (num_id, ilvl) not in self.levels:
            return ""
        fmt, text, start = self.levels[(num_id, ilvl)]
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt in ("bullet", "none"):
            return ""
        for level in range(1, 10):
            placeholder = f"%{level}"
            if placeholder in text:
                value = counters.get(level - 1, self.levels.get((num_id, level - 1), ("", "", 1))[2])
                level_fmt = self.levels.get((num_id, level - 1), (fmt, "", 1))[0]
                text = text.replace(placeholder, format_number(value, level_fmt))
        return text
