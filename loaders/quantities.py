"""quantities stage (first version: finds nothing yet)."""

from __future__ import annotations

from loaders.model import Document


def extract_statements(doc: Document) -> list:
    return []
