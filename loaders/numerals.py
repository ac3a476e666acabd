"""Chinese and circled numerals as integers, for heading numbers (一 … 九十九, 百) and dates (二〇二二)."""

from __future__ import annotations

from functools import lru_cache

_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@lru_cache(maxsize=4096)
def chinese_to_int(numeral: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105, 二〇二二 → 2022 (digit by digit); None if not a numeral."""
    numeral = numeral.strip()
    if not numeral:
        return None
    if numeral in _CIRCLED:
        return _CIRCLED.index(numeral) + 1
    if numeral.isdecimal():  # ASCII and full-width digits alike
        return int(numeral)
    if all(ch in _DIGITS for ch in numeral) and len(numeral) > 1:
        return int("".join(str(_DIGITS[ch]) for ch in numeral))
    total, current = 0, 0
    for ch in numeral:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "千":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
    return total + current
