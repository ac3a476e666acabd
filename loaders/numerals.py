"""Chinese numerals as integers: one parser for every stage.

Heading numbers (一 … 九十九, 百), dates written digit by digit (二〇二二) and circled
numbers (①) for the reader; counts with 万/亿 (三万六千) for the quantities stage.
"""

from __future__ import annotations

from functools import lru_cache

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"

# Zeros OCR and typesetting write with look-alike characters (○ circle, Ｏ full-width letter).
_ZERO_LOOKALIKES = str.maketrans({"○": "〇", "Ｏ": "〇"})
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def parse_chinese_integer(text: str) -> int | None:
    """一千二百三十 → 1230, 十五 → 15, 三万六千 → 36000; None when not a numeral."""
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * CN_SMALL_UNITS[ch]
            digit = None
        else:  # 万 / 亿
            base = section + (digit or 0)
            if base == 0 and total:
                total *= CN_BIG_UNITS[ch]
            else:
                total += (base or 1) * CN_BIG_UNITS[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


@lru_cache(maxsize=4096)
def chinese_to_int(numeral: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105, 二〇二二 → 2022 (digit by digit); None if not a numeral.

    Labels (headings, dates) never use 万/亿, so a numeral holding them is not a label's number.
    """
    numeral = numeral.strip()
    if not numeral:
        return None
    if numeral in _CIRCLED:
        return _CIRCLED.index(numeral) + 1
    if numeral.isdecimal():  # ASCII and full-width digits alike
        return int(numeral)
    numeral = numeral.translate(_ZERO_LOOKALIKES)
    if any(ch in CN_BIG_UNITS for ch in numeral):
        return None
    if len(numeral) > 1 and all(ch in CN_DIGITS for ch in numeral):
        return int("".join(str(CN_DIGITS[ch]) for ch in numeral))
    return parse_chinese_integer(numeral)
