"""Structure stage: the outline of a text (first version: 一、 and (一) headings)."""

from __future__ import annotations

import re

from loaders.model import Section

_HEADINGS = [
    (1, re.compile(r"^[ \t\u3000]*(第[一二三四五六七八九十百]+章|[一二三四五六七八九十]+、)[ \t\u3000]*(.{1,60})$", re.M)),
    (2, re.compile(r"^[ \t\u3000]*([（(][一二三四五六七八九十]+[)）])[ \t\u3000]*(.{1,60})$", re.M)),
]


def read_outline(text: str) -> list[Section]:
    heads = sorted(
        (m.start(), level, m.group(1), m.group(2).strip()) for level, rx in _HEADINGS for m in rx.finditer(text)
    )
    roots: list[Section] = []
    stack: list[Section] = []
    for i, (start, level, number, title) in enumerate(heads):
        end = len(text)
        for later_start, later_level, *_ in heads[i + 1 :]:
            if later_level <= level:
                end = later_start
                break
        node = Section(number=number, title=title, level=level, start=start, end=end)
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots
