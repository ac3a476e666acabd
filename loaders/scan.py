"""`finditer` that skips ahead, for patterns `re` can only try at every character.

`re` jumps quickly between possible starts only when a pattern opens with a literal or a
character class. One that opens with a look-behind ((?<![每第])…), a repeat (\\d+…) or an
alternation of such is tried at every position of the text, several times slower on a long
document. `Scanner` pairs such a pattern with the class of characters a match can start with,
searches for those, and tries the pattern only there: the matches are exactly those of
`pattern.finditer` (look-behinds still see the text before each try).
"""

from __future__ import annotations

import re
from collections.abc import Iterator


class Scanner:
    """A compiled pattern whose every match starts with a character of `first` (and is never empty)."""

    def __init__(self, pattern: str, first: str, flags: int = 0):
        self.pattern = re.compile(pattern, flags)
        self.first = re.compile(first)

    def match(self, text: str, pos: int = 0) -> re.Match | None:
        """`self.pattern.match`: a match at one position needs no scanning."""
        return self.pattern.match(text, pos)

    def search(self, text: str) -> re.Match | None:
        """Same match as `self.pattern.search(text)`: the leftmost."""
        return next(self.finditer(text), None)

    def finditer(self, text: str) -> Iterator[re.Match]:
        """Same matches as `self.pattern.finditer(text)`."""
        match, search = self.pattern.match, self.first.search
        pos = 0
        while (hit := search(text, pos)) is not None:
            start = hit.start()
            found = match(text, start)
            if found is None:
                pos = start + 1
                continue
            if found.end() == start:  # an empty match would need finditer's own stepping rules
                raise ValueError(f"Scanner pattern matched the empty string: {self.pattern.pattern!r}")
            yield found
            pos = found.end()
