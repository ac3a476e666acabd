"""Map the concepts stage's facts to triples (first version: nothing to map yet)."""

from __future__ import annotations

from loaders.model import Document


def concepts_triples(doc: Document) -> list:
    return []
