"""Shared harness of the annotated fixture sets (unseen, holdout, blind, blind2, blind3).

Each set is a folder of documents written in our own words, with `gold/<doc>.jsonl` (quantified
statements by ../shared/gold/GUIDELINES.md) and `expected/<doc>.json` (metadata a reader should find).
The checks every set is held to run over the table of sets in test_annotated_sets.py.
"""

from __future__ import annotations

import json
import runpy
from pathlib import Path

from loaders.pipeline import read_bytes
from loaders.quantities import extract_statements

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SCRIPT = ROOT / "scripts" / "score_targets.py"


def documents(folder: Path) -> list[str]:
    """The set's documents: those with expected metadata."""
    return sorted(p.name[: -len(".json")] for p in (folder / "expected").glob("*.json"))


def score(folder: Path) -> dict:
    """The scorer's result for the set (scripts/score_targets.py, the same code users run)."""
    return runpy.run_path(str(SCRIPT))["score"](folder / "gold", folder)


def expected(folder: Path, name: str) -> dict:
    return json.loads((folder / "expected" / f"{name}.json").read_text(encoding="utf-8"))


def statements(text: str, source: str = "fixture.txt"):
    """Read a small text of a test's own and extract its statements."""
    doc = read_bytes(text.encode("utf-8"), source, extract=False)
    return doc, extract_statements(doc)
