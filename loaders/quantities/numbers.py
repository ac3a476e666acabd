"""Numbers as Chinese administrative texts write them: digits, numerals, 万/亿, OCR noise.

`parse_number("3万6千") == 36000`; `parse_number("IO0") == 100`; `parse_number("L2亿") == 1.2e8`
(an OCR'd "1.2亿" whose point was lost); fractions (三分之一) and 一半 become percents elsewhere.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

# One parser of Chinese numerals for every stage (the reader's headings and dates use it too).
from loaders.numerals import CN_BIG_UNITS, CN_DIGITS, CN_SMALL_UNITS, parse_chinese_integer

__all__ = ["parse_number", "parse_chinese_integer", "fraction_percent", "tidy", "unit_multiplier"]

# OCR confuses digits with look-alike letters; read them back only inside a number.
OCR_DIGITS = str.maketrans({"I": "1", "l": "1", "L": "1", "|": "1", "O": "0", "o": "0"})
FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

def tidy(value) -> float | int:
    """Whole numbers as int, others as float rounded to hide binary noise (82.6亿 → 8260000000)."""
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    rounded = round(number, 6)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_PART = re.compile(r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九]+)?([十百千万亿]*)")


@lru_cache(maxsize=8192)  # the same numbers (years, 100, 2025) come back in every document
def parse_number(text: str) -> float | int | None:
    """Value of one number as written (no unit): '1,234', '1.2万', '3万6千', '4770余万', '万亿', 'IO0'."""
    raw = text.translate(FULLWIDTH).replace(",", "").replace("余", "").replace("多", "").strip()
    if not raw:
        return None
    if re.fullmatch(r"[0-9IlL|Oo.]+", raw):
        raw = raw.translate(OCR_DIGITS)
        if raw.count(".") > 1:
            return None
        return tidy(Decimal(raw))
    raw = re.sub(r"^[IlL|](?=\d)", "1.", raw) if re.match(r"^[IlL|]\d[万亿]", raw) else raw
    raw = raw.translate(OCR_DIGITS) if re.match(r"^[0-9IlL|Oo.]+[万亿千百]", raw) else raw
    if re.fullmatch(r"[零〇一二两三四五六七八九十百千万亿]+", raw):
        value = parse_chinese_integer(raw)
        return value
    # Mixed forms: digits followed by multipliers, possibly repeated (3万6千, 1.2万, 0.19亿, 10亿).
    total = Decimal(0)
    pos = 0
    pending = None  # value of the current section before big units
    section = Decimal(0)
    while pos < len(raw):
        m = _ARABIC.match(raw, pos)
        if m:
            pending = Decimal(m.group())
            pos = m.end()
            continue
        ch = raw[pos]
        if ch in CN_DIGITS:
            pending = Decimal(CN_DIGITS[ch])
        elif ch in CN_SMALL_UNITS:
            section += (Decimal(1) if pending is None else pending) * CN_SMALL_UNITS[ch]
            pending = None
        elif ch in CN_BIG_UNITS:
            base = section + (pending or Decimal(0))
            if base == 0 and total:  # 万亿: a big unit scaling what came before
                total *= CN_BIG_UNITS[ch]
            else:
                total += (base or Decimal(1)) * CN_BIG_UNITS[ch]
            section, pending = Decimal(0), None
        else:
            return None
        pos += 1
    return tidy(total + section + (pending or Decimal(0)))


def unit_multiplier(number_text: str) -> int:
    """Power of ten of the multiplier the number was written with (万 → 4, 亿 → 8, 万亿 → 12), else 0."""
    if not any(ch.isdigit() for ch in number_text.translate(FULLWIDTH)) and "万亿" not in number_text:
        return 0
    exponent = 0
    for ch in re.sub(r"\d+[千百]$", "", number_text):
        if ch == "万":
            exponent += 4
        elif ch == "亿":
            exponent += 8
    return exponent


def fraction_percent(text: str) -> float | None:
    """三分之一 → 33.333333, 一半 → 50 (percent)."""
    if text in ("一半", "半数"):
        return 50
    m = re.fullmatch(r"(.+?)分之(.+)", text)
    if not m:
        return None
    den, num = parse_number(m.group(1)), parse_number(m.group(2))
    if not den or num is None:
        return None
    return tidy(round(Decimal(num) / Decimal(den) * 100, 6))
