"""Metadata stage (first version: title = first non-empty line)."""

from __future__ import annotations

from loaders.model import Metadata, Section


def read_metadata(text: str, sections: list[Section], source: str) -> Metadata:
    title = next((line.strip() for line in text.splitlines() if line.strip()), None)
    return Metadata(title=title)
