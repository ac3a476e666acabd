"""The README stays true: its first lines are the two commands, and its SPARQL examples (and the
query page's) answer."""

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


def test_query_page_examples_answer_on_the_seeds(corpus_store):
    """The query page's examples, rewritten to answer at 10,000 plans (labels matched inside each
    plan's graph, or after grouping), still say what their names say on the seeds."""
    from api.routers.pages import EXAMPLE_QUERIES
    from kg.queries import rows

    store = open_store(corpus_store, read_only=True)
    answered = {name: rows(store.query(query)) for name, query in EXAMPLE_QUERIES}
    answers = {word: next(found for name, found in answered.items() if word in name)
               for word in ("Plans", "Topics", "region", "bearer", "Sections", "Agencies")}
    sources = {r["source"] for r in rows(store.query("SELECT ?source WHERE { ?d ms:sourceFile ?source }"))}
    assert {r["source"] for r in answers["Plans"]} == sources and any(r["title"] for r in answers["Plans"])
    assert any(r["region"] for r in answers["Plans"])
    assert answers["Topics"] and all(r["plans"] >= 1 for r in answers["Topics"])
    assert max(r["plans"] for r in answers["Topics"]) <= len(sources)
    assert answers["region"] and all(r["title"] for r in answers["region"])
    assert answers["bearer"] and all(r["bearer"] for r in answers["bearer"])
    counts = [r["obligations"] for r in answers["bearer"]]
    assert counts == sorted(counts, reverse=True)
    assert {r["source"] for r in answers["Sections"]} <= sources and all(r["sections"] > 0 for r in answers["Sections"])
    assert answers["Agencies"] and all(r["name"] for r in answers["Agencies"])
    assert len({r["agency"] for r in answers["Agencies"]}) == len(answers["Agencies"])  # one row per agency
