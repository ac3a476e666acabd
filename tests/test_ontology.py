"""The ontology declares every term of our namespace that the loaders emit, with zh and en labels."""

from __future__ import annotations

import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from kg.store import load_ontology, memory_store, ontology_files
from loaders.pipeline import read_document
from loaders.to_rdf import graph_iri, to_triples
from loaders.to_rdf.vocab import PREFIXES

from conftest import EXAMPLES

MS = PREFIXES["ms"]


def ontology() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


def declared_terms(graph: rdflib.Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property, OWL.AnnotationProperty)
    return {str(s) for kind in kinds for s in graph.subjects(RDF.type, kind) if str(s).startswith(MS)}


def emitted_terms(paths) -> set[str]:
    store = memory_store()
    for path in paths:
        doc = read_document(path)
        store.replace_graph(graph_iri(doc.source), to_triples(doc))
    used = set()
    for row in store.query("SELECT DISTINCT ?p ?c WHERE { GRAPH ?g { ?s ?p ?o OPTIONAL { ?s a ?c } } }"):
        for term in (row["p"], row["c"]):
            if term is not None and term.value.startswith(MS):
                used.add(term.value)
    return used


def test_every_ms_term_has_chinese_and_english_labels():
    graph = ontology()
    for term in declared_terms(graph):
        languages = {label.language for label in graph.objects(rdflib.URIRef(term), RDFS.label)}
        assert {"zh", "en"} <= languages, f"{term} lacks a zh or en label"


def test_loaders_emit_only_declared_terms(seeds_dir, samples_dir):
    paths = [*sorted(seeds_dir.iterdir()), *sorted(samples_dir.iterdir()), *sorted(EXAMPLES.iterdir())]
    undeclared = emitted_terms(paths) - declared_terms(ontology())
    assert not undeclared, f"undeclared ms: terms emitted: {sorted(undeclared)}"


def test_undeclared_term_would_be_caught():
    """The check itself works: a made-up term is not among the declared ones."""
    assert MS + "madeUpTerm" not in declared_terms(ontology())
    assert MS + "Section" in declared_terms(ontology())


def test_ontology_loads_into_its_own_graph():
    store = memory_store()
    assert load_ontology(store) > 100
    labels = list(store.query('SELECT ?l WHERE { ms:Section rdfs:label ?l FILTER(lang(?l) = "zh") }'))
    assert [row["l"].value for row in labels] == ["章节"]
