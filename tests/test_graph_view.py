"""The graph page's networks, read the fast way (counts, bound lookups), against the plain definition.

The plain definition is how the page used to read them: every backbone link over the union of
all graphs, every node's types and labels over the union (118 s for the overview at 10,000 plans).
The fast reading must give the same nodes, kinds, labels and links for every filter.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from kg import network, visual
from kg.store import OxigraphStore

BACKBONE = """
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?p { dct:subject eli:passed_by ms:region skos:broader org:subOrganizationOf }
  ?s ?p ?o . FILTER(isIRI(?o))
}
"""
INDICATORS = "SELECT DISTINCT ?s ?o WHERE { ?obs ms:indicator ?o ; ms:inDocument ?s }"
EVERYTHING_IN = """
SELECT ?s ?p ?o WHERE {{
  GRAPH <{graph}> {{ ?s ?p ?o }}
  FILTER(isIRI(?s) && isIRI(?o) && ?p NOT IN (rdf:type, eli:type_document, ms:textSelector, ms:inDocument))
}}
"""


def plain_network(store, plan: str | None = None) -> nx.MultiDiGraph:
    """The network by its definition: all links read, every node described over all graphs."""
    if plan:
        edges = [(r["s"].value, r["p"].value, r["o"].value) for r in store.query(EVERYTHING_IN.format(graph=plan))]
    else:
        edges = [(r["s"].value, r["p"].value, r["o"].value) for r in store.query(BACKBONE)]
        edges += [(r["s"].value, "indicator", r["o"].value) for r in store.query(INDICATORS)]
    return network._network(edges, network._node_info(store, {n for s, _, o in edges for n in (s, o)}))


def plain_selection(full: nx.MultiDiGraph, area=None, kinds=None, limit=300) -> tuple[nx.MultiDiGraph, int]:
    chosen = network.restrict(full, area=area, kinds=kinds)
    return visual.most_connected(chosen, limit), chosen.number_of_nodes()


def content(graph: nx.MultiDiGraph) -> tuple[dict, Counter]:
    nodes = {n: (data["kind"], data["label"]) for n, data in graph.nodes(data=True)}
    return nodes, Counter((s, o, data["predicate"]) for s, o, data in graph.edges(data=True))


@pytest.fixture(scope="module")
def store(corpus_store):
    handle = OxigraphStore(corpus_store, read_only=True)
    yield handle
    handle.close()


@pytest.fixture(scope="module")
def full(store) -> nx.MultiDiGraph:
    return plain_network(store)


def filter_cases(store, full) -> list[dict]:
    """No filter, small and large limits, kinds that split the concepts, areas of each sort, an unknown area."""
    kinds_of: dict[str, list[str]] = {}
    for node, kind in full.nodes(data="kind"):
        kinds_of.setdefault(kind, []).append(node)
    areas = [iri for iri, _ in network.policy_areas(store)]
    cases = [
        {}, {"limit": 5}, {"limit": 80}, {"limit": 2000},
        {"kinds": {"Document", "PolicyArea"}}, {"kinds": {"Document"}}, {"kinds": {"Indicator", "Region", "Agency"}},
        {"area": "https://w3id.org/mskg/id/nothing-here"},
        {"area": areas[0]}, {"area": areas[-1], "kinds": {"Document", "Region", "Agency"}, "limit": 40},
    ]
    for kind in ("Document", "Region", "Indicator", "Mandate"):
        if kinds_of.get(kind):
            cases.append({"area": sorted(kinds_of[kind])[0], "limit": 500})
    return cases


def test_overview_reads_the_same_network_as_the_definition(store, full):
    backbone = network.Backbone.read(store)
    assert backbone.documents and backbone.hub_links
    for case in filter_cases(store, full):
        expected, total = plain_selection(full, **case)
        got = backbone.select(store, **case)
        assert content(got.graph) == content(expected), case
        assert got.total == total, case
        # Unfiltered views are drawn from the counts; the first filter reads every plan's links.
        assert (backbone._links is None) == (case.keys() <= {"limit"}), case
    # With every link in memory, the unfiltered view is still the same.
    assert content(backbone.select(store).graph) == content(plain_selection(full)[0])
    assert content(network.to_networkx(store)) == content(full)


def test_plan_network_reads_the_same_as_the_definition(store):
    graphs = [g.value for g in store.graphs() if "/graph/doc/" in g.value]
    assert graphs
    for graph in graphs:
        assert content(network.to_networkx(store, plan=graph)) == content(plain_network(store, graph)), graph


def test_document_and_graph_name_each_other(store):
    """A plan's graph IRI and document IRI are found from each other (naming a plan three ways: tests/test_server.py)."""
    graph = next(g.value for g in store.graphs() if "/graph/doc/" in g.value)
    document = network.document_of(graph)
    assert len(list(store.query(f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ <{document}> ms:sourceFile ?s }} }}"))) == 1
    assert network.graph_of(document) == graph and network.document_of(document) is None


def test_filter_choices(store):
    choices = network.plan_choices(store, limit=3)
    assert len(choices) == 3 and choices == sorted(choices)
    every = network.plan_choices(store)
    assert {source for source, _ in every} == {r["s"].value for r in store.query("SELECT ?s WHERE { ?d ms:sourceFile ?s }")}
    assert all(title for _, title in every)
    areas = network.policy_areas(store)
    assert areas and all(label for _, label in areas)


MS, DCT, RDF = "https://w3id.org/mskg/ontology#", "http://purl.org/dc/terms/", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def small_store(plans: dict[str, list[tuple[str, str]]]):
    """An in-memory store of plans, each a list of (predicate, object IRI) links from its document;
    predicate "indicator" makes an observation of that indicator, as the mapping writes it."""
    import pyoxigraph as ox

    from loaders.to_rdf.vocab import doc_iri, graph_iri

    handle = OxigraphStore()
    for name, links in plans.items():
        doc = doc_iri(name)
        triples = [(doc, ox.NamedNode(RDF + "type"), ox.NamedNode(MS + "FiveYearPlan")), (doc, ox.NamedNode(MS + "sourceFile"), ox.Literal(name))]
        for i, (predicate, target) in enumerate(links):
            if predicate == "indicator":
                obs = ox.NamedNode(f"{doc.value}/statement/{i}")
                triples += [(obs, ox.NamedNode(MS + "indicator"), ox.NamedNode(target)), (obs, ox.NamedNode(MS + "inDocument"), doc),
                            (ox.NamedNode(target), ox.NamedNode(RDF + "type"), ox.NamedNode(MS + "Indicator"))]
            else:
                triples.append((doc, ox.NamedNode(predicate), ox.NamedNode(target) if target.startswith("http") else ox.Literal(target)))
        handle.replace_graph(graph_iri(name), triples)
    return handle


def test_plans_are_counted_only_when_one_may_be_drawn():
    """Where the best other nodes have more links than any plan can, the plans' counts are not read."""
    concept = "https://w3id.org/mskg/id/concept/"
    plans = {f"p{i}.txt": [(DCT + "subject", concept + "x"), (DCT + "subject", concept + "y")] for i in range(6)}
    plans["r.txt"] = [(MS + "region", "https://w3id.org/mskg/id/region/1"), ("indicator", "https://w3id.org/mskg/id/indicator/i")]
    plans["i.txt"] = [("indicator", "https://w3id.org/mskg/id/indicator/i")]
    plans["none.txt"] = []
    handle = small_store(plans)
    full = plain_network(handle)
    for limit in (1, 2, 3, 5, 50):
        backbone = network.Backbone.read(handle)
        expected, total = plain_selection(full, limit=limit)
        got = backbone.select(handle, limit=limit)
        assert content(got.graph) == content(expected) and got.total == total, limit
        assert (backbone._plan_links is None) == (limit <= 2), limit


def test_overview_keeps_the_strongest_links():
    """Past `links`, every node still keeps its link to its best-connected neighbour; the count of all is kept."""
    concept = "https://w3id.org/mskg/id/concept/"
    handle = small_store({f"p{i}.txt": [(DCT + "subject", concept + c) for c in "xyz"] for i in range(8)})
    backbone = network.Backbone.read(handle)
    every, capped = backbone.select(handle), backbone.select(handle, links=10)
    assert every.links == capped.links == every.graph.number_of_edges() == 24
    assert capped.graph.number_of_edges() == 10 and set(capped.graph.nodes) == set(every.graph.nodes) and len(every.graph) == 11
    assert all(capped.graph.degree(node) for node in capped.graph), "11 nodes, 10 links: none left alone"
    drawing = visual.draw(capped.graph, total=capped.total, links_total=capped.links)
    assert drawing.links_hidden == 14 and "hidden 14" in drawing.html


def test_hidden_nodes_stay_out_of_the_overview():
    """A concept typed as plumbing (a hidden kind) is left out with its links, and so is a literal subject."""
    import pyoxigraph as ox

    from loaders.to_rdf.vocab import doc_iri

    concept = "https://w3id.org/mskg/id/concept/"
    handle = small_store({
        "a.txt": [(DCT + "subject", concept + c) for c in ("x", "y", "hid")] + [(DCT + "subject", "a subject in words")],
        "b.txt": [(DCT + "subject", concept + c) for c in ("x", "hid")],
    })
    hid = ox.NamedNode(concept + "hid")
    handle.replace_graph(ox.NamedNode("https://w3id.org/mskg/graph/ontology"), [(hid, ox.NamedNode(RDF + "type"), ox.NamedNode("http://www.w3.org/ns/oa#SpecificResource"))])
    full = plain_network(handle)
    assert hid.value not in full and full.number_of_nodes() == 4
    for case in ({}, {"limit": 1}, {"kinds": {"Document", "Thing"}}, {"area": doc_iri("a.txt").value}):
        expected, total = plain_selection(full, **case)
        got = network.Backbone.read(handle).select(handle, **case)
        assert content(got.graph) == content(expected) and got.total == total, case


def dense_network(plans: int, hubs: int) -> nx.MultiDiGraph:
    """Every plan linked to every hub (the overview's shape at scale), and one plan linked to nothing else."""
    graph = nx.MultiDiGraph()
    for h in range(hubs):
        graph.add_node(f"hub{h}", kind="PolicyArea", label=f"领域{h}")
    for p in range(plans):
        graph.add_node(f"plan{p:03d}", kind="Document", label=f"规划{p}")
        for h in range(hubs):
            graph.add_edge(f"plan{p:03d}", f"hub{h}", predicate="subject")
    graph.add_node("lonely", kind="Region", label="某县")
    graph.add_edge("plan000", "lonely", predicate="region")
    return graph


def test_links_are_capped_keeping_every_node_linked():
    graph = dense_network(plans=40, hubs=10)  # 401 links
    kept = visual.strongest_links(graph, 60)
    assert kept.number_of_edges() == 60 and set(kept.nodes) == set(graph.nodes)
    assert all(kept.degree(node) >= 1 for node in graph.nodes), "every linked node keeps a link"
    assert kept.has_edge("plan000", "lonely"), "a node's only link is among the strongest"
    assert set(kept.edges(keys=True)) <= set(graph.edges(keys=True))
    assert visual.strongest_links(graph, 60).edges(keys=True) == kept.edges(keys=True), "stable"
    assert visual.strongest_links(graph, 401) is graph


def test_drawing_says_how_many_links_it_left_out():
    graph = dense_network(plans=40, hubs=10)
    drawing = visual.draw(graph, limit=1000, links=100)
    assert drawing.hidden == 0 and drawing.links_hidden == 301
    assert 'id="mskg-links-hidden"' in drawing.html and "hidden 301" in drawing.html
    assert drawing.html.count('"arrows": "to"') == 100
    assert 'id="mskg-links-hidden"' not in visual.draw(graph, limit=1000).html
