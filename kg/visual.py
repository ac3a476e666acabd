"""Project the RDF graph onto networkx, and draw it with pyvis.

The projection keeps the things people explore (plans, sections, agencies, regions, concepts,
indicators, obligations, statements) and the IRI-to-IRI links between them; selectors, types
and literals stay out. networkx then does the analytics (degree, layout), and pyvis draws a
page whose JavaScript is inlined, so it works with no internet.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import networkx as nx

from kg.store import GraphStore
from loaders.to_rdf.vocab import ONTOLOGY_GRAPH

# All plans at once: the backbone only (plans, issuers, regions, concepts and their hierarchy, indicators),
# so the view stays small and quick however many plans there are.
BACKBONE_EDGES = """
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?p { dct:subject eli:passed_by ms:region skos:broader org:subOrganizationOf }
  ?s ?p ?o . FILTER(isIRI(?o))
}
"""
PLAN_INDICATORS = """
SELECT DISTINCT ?s ?o WHERE { ?obs ms:indicator ?o ; ms:inDocument ?s }
"""
# One plan: everything in its named graph.
PLAN_EDGES = """
SELECT ?s ?p ?o WHERE {{
  GRAPH <{graph}> {{ ?s ?p ?o }}
  FILTER(isIRI(?s) && isIRI(?o) && ?p NOT IN (rdf:type, eli:type_document, ms:textSelector, ms:inDocument))
}}
"""

TYPES = "SELECT DISTINCT ?n ?t WHERE {{ VALUES ?n {{ {nodes} }} ?n a ?t }}"
LABELS = "SELECT ?n ?l WHERE {{ VALUES ?n {{ {nodes} }} ?n skos:prefLabel|eli:title|rdfs:label ?l }}"

# Plumbing that explains a fact but is not a thing to explore: left out of the projection.
HIDDEN_KINDS = {
    "Mention", "SpecificResource", "ConceptUsage", "DataSet", "ComponentSpecification",
    "DataStructureDefinition", "Instant", "Interval", "Action",
}
# When a node has several types, the first kind in this order names it.
KIND_PRIORITY = (
    "Document", "Section", "Agency", "Region", "PolicyArea", "Mandate", "RegulatedParty", "Indicator",
    "Observation", "Obligation", "Mention", "SpecificResource", "ConceptUsage", "DataSet",
    "ComponentSpecification", "DataStructureDefinition", "Instant", "Interval", "Action",
)

TYPE_COLOURS = {
    "Document": "#1f77b4",
    "Section": "#aec7e8",
    "Agency": "#ff7f0e",
    "Region": "#2ca02c",
    "PolicyArea": "#d62728",
    "Mandate": "#9467bd",
    "RegulatedParty": "#8c564b",
    "Indicator": "#e377c2",
    "Observation": "#bcbd22",
    "Obligation": "#17becf",
    "Mention": "#c7c7c7",
}

DOCUMENT_CLASSES = {
    "FiveYearPlan", "AnnualWorkPlan", "EvaluationReport", "PressArticle",
    "PolicyInterpretation", "PolicyMeasures", "Budget", "OtherDocument",
}
OBSERVATION_CLASSES = {"Target", "Progress", "Baseline"}


def node_kind(type_iris: str | None) -> str:
    """The kind a person would call a node, from its space-separated rdf:types."""
    kinds = set()
    for type_iri in (type_iris or "").split():
        local = type_iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if local in DOCUMENT_CLASSES:
            local = "Document"
        elif local in OBSERVATION_CLASSES or local == "Observation":
            local = "Observation"
        elif local in ("FormalOrganization", "Organization"):
            local = "Agency"
        elif local == "Duty":
            local = "Obligation"
        kinds.add(local)
    for kind in KIND_PRIORITY:
        if kind in kinds:
            return kind
    return "Concept" if "Concept" in kinds else "Thing"


def to_networkx(store: GraphStore, plan: str | None = None) -> nx.MultiDiGraph:
    """One plan's graph in full, or (no plan) the backbone of all plans, with `label` and `kind` on nodes."""
    if plan and any(c in plan for c in '<>"{}|^`\\ '):
        raise ValueError(f"not a graph IRI: {plan!r}")
    if plan:
        edges = [(r["s"].value, r["p"].value, r["o"].value) for r in store.query(PLAN_EDGES.format(graph=plan))]
    else:
        edges = [(r["s"].value, r["p"].value, r["o"].value) for r in store.query(BACKBONE_EDGES)]
        edges += [(r["s"].value, "indicator", r["o"].value) for r in store.query(PLAN_INDICATORS)]
    graph = nx.MultiDiGraph()
    info = _node_info(store, {node for s, _, o in edges for node in (s, o)})
    for s, p, o in edges:
        kinds = [info.get(node, ("Thing", None))[0] for node in (s, o)]
        if any(kind in HIDDEN_KINDS for kind in kinds):
            continue
        for node, kind in zip((s, o), kinds):
            if node not in graph:
                graph.add_node(node, label=info.get(node, (None, None))[1] or _local(node), kind=kind)
        graph.add_edge(s, o, predicate=_local(p))
    return graph


def _node_info(store: GraphStore, nodes: set[str], batch: int = 2000) -> dict[str, tuple[str, str | None]]:
    """IRI → (kind, label), the label in Chinese where there is one; flat queries in batches (joins are slow)."""
    types: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    ordered = sorted(nodes)
    for i in range(0, len(ordered), batch):
        values = " ".join(f"<{node}>" for node in ordered[i : i + batch])
        for row in store.query(TYPES.format(nodes=values)):
            types.setdefault(row["n"].value, []).append(row["t"].value)
        for row in store.query(LABELS.format(nodes=values)):
            node, label = row["n"].value, row["l"]
            if node not in labels or label.language == "zh":
                labels[node] = label.value
    return {node: (node_kind(" ".join(types.get(node, ()))), labels.get(node)) for node in nodes}


AREAS = f"""
SELECT DISTINCT ?area ?label WHERE {{
  ?area a ms:PolicyArea . OPTIONAL {{ ?area skos:prefLabel ?label FILTER(lang(?label) = "zh") }}
  GRAPH ?g {{ ?s ?p ?area }} FILTER(?g != <{ONTOLOGY_GRAPH.value}>)
}} ORDER BY ?label
"""


def policy_areas(store: GraphStore) -> list[tuple[str, str]]:
    """(IRI, label) of the policy areas some plan's graph points at: the choices of the area filter."""
    return [(row["area"].value, row["label"].value if row["label"] is not None else _local(row["area"].value)) for row in store.query(AREAS)]


def restrict(graph: nx.MultiDiGraph, *, area: str | None = None, kinds: set[str] | None = None, radius: int = 2) -> nx.MultiDiGraph:
    """Only what lies within `radius` links of the area node, and only nodes of the given kinds."""
    if area is not None:
        if area not in graph:
            return nx.MultiDiGraph()
        near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), area, cutoff=radius)
        graph = graph.subgraph(near).copy()
    if kinds:
        graph = graph.subgraph([n for n, kind in graph.nodes(data="kind") if kind in kinds]).copy()
    return graph


@dataclass
class Drawing:
    html: str
    shown: int
    hidden: int


def most_connected(graph: nx.MultiDiGraph, limit: int) -> nx.MultiDiGraph:
    """The `limit` nodes of highest degree (ties broken by name, so the choice is stable)."""
    ranked = sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))
    return graph.subgraph(ranked[:limit]).copy()


def safe_text(text: str, limit: int = 80) -> str:
    """Labels go into a <script> block as JSON and into tooltips: no markup may survive."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return html.escape(text, quote=True)


DENSE_LAYOUT_MAX = 499  # networkx lays out 500+ nodes with scipy, which we do not depend on


def layout(graph: nx.MultiDiGraph) -> dict:
    """Spring layout of the best-connected 499 nodes; any others sit beside a placed neighbour."""
    import random

    simple = nx.Graph(graph)
    if simple.number_of_nodes() <= DENSE_LAYOUT_MAX:
        return nx.spring_layout(simple, seed=7, scale=1000) if simple.number_of_nodes() else {}
    ranked = sorted(simple.nodes, key=lambda n: (-simple.degree(n), n))
    positions = dict(nx.spring_layout(simple.subgraph(ranked[:DENSE_LAYOUT_MAX]), seed=7, scale=1000))
    jitter = random.Random(7)
    for node in ranked[DENSE_LAYOUT_MAX:]:
        placed = [positions[m] for m in simple[node] if m in positions]
        x, y = placed[0] if placed else (jitter.uniform(-1000, 1000), jitter.uniform(-1000, 1000))
        positions[node] = (x + jitter.uniform(-80, 80), y + jitter.uniform(-80, 80))
    return positions


def draw(graph: nx.MultiDiGraph, *, limit: int = 300, height: str = "800px") -> Drawing:
    """A self-contained HTML page: positions precomputed, physics off (settles in ~2 s, not ~40 s)."""
    from pyvis.network import Network

    shown = most_connected(graph, limit) if graph.number_of_nodes() > limit else graph
    hidden = graph.number_of_nodes() - shown.number_of_nodes()
    positions = layout(shown)
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False)
    for node, data in shown.nodes(data=True):
        x, y = positions.get(node, (0.0, 0.0))
        kind = data.get("kind", "Thing")
        net.add_node(
            node,
            label=safe_text(data.get("label") or node, 24),
            title=safe_text(f"{data.get('label') or node} [{kind}]", 200),
            x=float(x),
            y=float(y),
            physics=False,
            group=kind,
        )
        net.nodes[-1]["color"] = TYPE_COLOURS.get(kind, "#7f7f7f")  # pyvis drops `color` when a group is given
    for s, o, data in shown.edges(data=True):
        net.add_edge(s, o, title=safe_text(data.get("predicate", "")), physics=False)
    net.toggle_physics(False)
    page = _drop_remote_assets(net.generate_html(notebook=False))
    if hidden:
        note = f'<p id="mskg-hidden">显示 {shown.number_of_nodes()} 个节点，另有 {hidden} 个连接较少的节点未显示 (shown {shown.number_of_nodes()}, hidden {hidden}).</p>'
        page = page.replace("<body>", "<body>\n" + note, 1)
    return Drawing(html=page, shown=shown.number_of_nodes(), hidden=hidden)


_REMOTE_ASSET = re.compile(r"<(link|script)\b[^>]*(href|src)=\"https?://[^\"]*\"[^>]*>(\s*</script>)?", re.S)


def _drop_remote_assets(page: str) -> str:
    """pyvis's template still links Bootstrap from a CDN; the page needs none of it offline."""
    return _REMOTE_ASSET.sub("", page)


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
