"""Map the quantities stage's facts to triples (first version: nothing to map yet)."""

from __future__ import annotations

from loaders.model import Document


def quantities_triples(doc: Document) -> list:
    return []
