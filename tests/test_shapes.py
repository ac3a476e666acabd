"""The vocabularies and the concepts stage's triples conform to ontology/shapes.ttl (pyshacl)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate

from loaders.agencies import extract_agencies
from loaders.concepts import find_mentions
from loaders.model import Document, Region
from loaders.obligations import extract_obligations
from loaders.pipeline import read_document
from loaders.to_rdf.concepts import concepts_triples

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
SHAPES = ONTOLOGY / "shapes.ttl"


@lru_cache(maxsize=1)
def _ontology_ntriples() -> str:
    graph = rdflib.Graph()
    graph.parse(ONTOLOGY / "market_supervision.ttl")
    for path in sorted((ONTOLOGY / "concepts").glob("*.ttl")):
        graph.parse(path)
    return graph.serialize(format="nt")


def ontology_graph() -> rdflib.Graph:
    """The ontology and vocabularies, a fresh graph each time (parsed once)."""
    return rdflib.Graph().parse(data=_ontology_ntriples(), format="nt")


VOCABULARY_SHAPES = ("ConceptShape", "MandateShape", "SchemeShape", "ActionShape")


def conforms(data: rdflib.Graph, vocabulary: bool = True) -> tuple[bool, str]:
    """Validate the data together with the ontology and vocabularies it points into.

    With vocabulary=False only the shapes of extracted facts run, and only the class
    memberships of the vocabularies are added (validating all concepts again is slow)."""
    shapes = rdflib.Graph().parse(SHAPES)
    if not vocabulary:
        mssh = "https://w3id.org/mskg/shapes#"
        for name in VOCABULARY_SHAPES:
            shapes.remove((rdflib.URIRef(mssh + name), None, None))
    merged = ontology_graph() if vocabulary else rdflib.Graph()
    if not vocabulary:
        for triple in ontology_graph().triples((None, rdflib.RDF.type, None)):
            merged.add(triple)
    for triple in data:
        merged.add(triple)
    ok, _report, text = validate(merged, shacl_graph=shapes, inference="none", allow_warnings=False)
    return ok, text


def to_rdflib(triples: list) -> rdflib.Graph:
    data = ox.serialize([ox.Triple(s, p, o) for s, p, o in triples], format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")


def test_vocabularies_conform():
    ok, text = conforms(ontology_graph())
    assert ok, text


def test_shapes_catch_a_concept_without_english_label_or_scheme():
    broken = ontology_graph()
    broken.parse(data="""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ms: <https://w3id.org/mskg/ontology#> .
        <https://w3id.org/mskg/id/concept/broken> a skos:Concept , ms:Mandate ; skos:prefLabel "坏概念"@zh .
    """, format="turtle")
    ok, text = conforms(broken)
    assert not ok
    assert "English prefLabel" in text and "concept scheme" in text and "definition" in text


def test_concept_triples_of_a_fixture_conform():
    text = (
        "督促特种设备使用单位落实安全主体责任。区市场监管局会同区公安机关开展电梯专项检查。\n"
        "到2025年,食品安全抽检合格率达到98%以上。严禁生产经营假冒伪劣产品。\n"
    )
    region = Region(name="苏州市姑苏区", adcode="320508", level="district",
                    parent=Region(name="苏州市", adcode="320500", level="city"))
    doc = Document(source="shapes_fixture.txt", text=text, region=region, issuer="苏州市姑苏区市场监督管理局")
    doc.mentions = find_mentions(text)
    doc.agencies = extract_agencies(doc)
    doc.obligations = extract_obligations(doc)
    assert doc.mentions and doc.agencies and doc.obligations
    ok, report = conforms(to_rdflib(concepts_triples(doc)), vocabulary=False)
    assert ok, report


def test_spam_agency_would_be_caught():
    data = rdflib.Graph().parse(data="""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ms: <https://w3id.org/mskg/ontology#> .
        <https://w3id.org/mskg/id/agency/x> a ms:Agency ; skos:prefLabel "揭阳市榕城区365彩票官方下载手机"@zh .
    """, format="turtle")
    ok, _ = conforms(data, vocabulary=False)
    assert not ok


def test_seed_concept_triples_conform(seeds_dir):
    path = next(seeds_dir.glob("001_*.txt"))
    try:
        doc = read_document(path)
    except Exception as exc:  # another stage may be mid-edit; this test is about ours
        pytest.skip(f"{path.name} does not read right now: {exc}")
    # a slice keeps pyshacl fast; every kind of node is in it
    doc.mentions, doc.obligations = doc.mentions[:300], doc.obligations[:80]
    ok, report = conforms(to_rdflib(concepts_triples(doc)), vocabulary=False)
    assert ok, report[:3000]
