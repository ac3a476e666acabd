"""Blind check of topic search: plans and queries written before the search was run on them.

tests/fixtures/search_blind/ holds eight short plans of other regions and genres and
queries.json, each query with the complete set of plans that should come back. The test
measures plan precision/recall, the share of queries fully right, and evidence validity
(the evidence text is the document's text at its span and names the concept or a
narrower one), and holds them at floors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.search import search
from kg.store import load_ontology, memory_store
from loaders.concepts import find_mentions, narrower_closure
from loaders.pipeline import read_document
from loaders.to_rdf import graph_iri, to_triples

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "search_blind"
QUERIES = json.loads((FIXTURES / "queries.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus():
    store = memory_store()
    load_ontology(store)
    texts = {}
    for path in sorted(FIXTURES.glob("*.txt")):
        doc = read_document(path)
        store.replace_graph(graph_iri(doc.source), to_triples(doc))
        texts[path.stem] = doc.text
    return store, texts


def _stem(source: str | None) -> str:
    return Path(source or "").stem


def evaluate(store, texts: dict[str, str], queries: list[dict] = QUERIES) -> dict:
    """Micro precision/recall of returned plans, share of queries fully right, evidence validity."""
    true_pos = returned = expected = right = 0
    evidence_total = evidence_valid = 0
    failures = []
    for item in queries:
        answer = search(store, item["query"], limit=50)
        got = {_stem(r["source"]) for r in answer["results"]}
        want = set(item["expected"])
        true_pos += len(got & want)
        returned += len(got)
        expected += len(want)
        if got == want:
            right += 1
        else:
            failures.append((item["query"], sorted(got - want), sorted(want - got)))
        asked = narrower_closure([c["id"] for c in answer["concepts"]])
        for result in answer["results"]:
            text = texts[_stem(result["source"])]
            for ev in result["evidence"]:
                evidence_total += 1
                exact = text[ev["start"]:ev["end"]] == ev["text"]
                named = any(m.concept in asked for m in find_mentions(ev["text"]))
                evidence_valid += int(exact and named)
    return {
        "precision": true_pos / returned if returned else 1.0,
        "recall": true_pos / expected if expected else 1.0,
        "fully_right": right / len(queries),
        "evidence_valid": evidence_valid / evidence_total if evidence_total else 1.0,
        "failures": failures,
    }


def test_blind_queries_are_many_and_varied():
    assert len(QUERIES) >= 100
    assert sum(1 for q in QUERIES if q["query"].isascii()) >= 15
    names = {p.stem for p in FIXTURES.glob("*.txt")}
    assert all(set(q["expected"]) <= names for q in QUERIES)


def test_blind_search_quality(corpus):
    store, texts = corpus
    figures = evaluate(store, texts)
    print({k: v for k, v in figures.items() if k != "failures"})
    for failure in figures["failures"]:
        print("FAIL", failure)
    # First-run figures of each round, each written before search was run on it:
    # round 1 (67 queries, before any tuning): P 0.909, R 0.946, fully right 0.851, evidence 1.0;
    # round 2 (32 queries, after round-1 fixes): P 0.943, R 0.971, fully right 0.906, evidence 1.0;
    # round 3 (22 queries, after round-2 fixes): P 0.955, R 0.913, fully right 0.864, evidence 1.0.
    # All 121 are right after the general fixes; the floors leave room for vocabulary growth.
    assert figures["precision"] >= 0.97
    assert figures["recall"] >= 0.97
    assert figures["fully_right"] >= 0.95
    assert figures["evidence_valid"] == 1.0
