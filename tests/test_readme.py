"""The README stays true: its first lines are the two commands, and its SPARQL examples answer."""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from kg.store import open_store

README = (REPO / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```sparql\n(.*?)```", README, re.S)


def test_first_lines_are_the_two_commands_and_make_knows_them():
    commands = [line.strip().split("#")[0].strip() for line in README.splitlines()[1:5] if line.startswith("    ")]
    assert commands[:2] == ["make run", "make test"]
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_readme_has_three_sparql_examples():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_sparql_example_answers_on_the_seeds(corpus_store, index):
    store = open_store(corpus_store, read_only=True)
    assert list(store.query(EXAMPLES[index])), f"README example {index + 1} returned nothing"
