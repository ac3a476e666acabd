"""quantities stage: quantified statements (targets, progress, baselines) with their spans.

`extract_statements(doc)` is the pipeline component; the modules below each do one job:
`numbers` (Chinese numerals, 万/亿, OCR noise), `units`, `context` (genre, period, sections),
`cues` (comparator, year, kind), `indicators` (names, lists, keys), `areas`, `extract`.
"""

from __future__ import annotations

from loaders.model import Document, Statement
from loaders.quantities.extract import statements_from_text


def extract_statements(doc: Document) -> list[Statement]:
    """Every quantified statement of the document, in text order (GUIDELINES.md in ../shared/gold)."""
    if not doc.text:
        return []
    return statements_from_text(doc)


__all__ = ["extract_statements"]
