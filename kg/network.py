"""Project the RDF graph onto networkx: the nodes people explore and the links between them.

The projection keeps the things people explore (plans, sections, agencies, regions, concepts,
indicators, obligations, statements) and the IRI-to-IRI links between them; selectors, types
and literals stay out. networkx then does the analytics (degree, neighbourhoods), and
kg/visual.py draws the result.

Two views. One plan: everything in its named graph (a few thousand links, read whole). All
plans: the backbone (plans, issuers, regions, concepts and their hierarchy, indicators), whose
plan-to-concept and plan-to-indicator links grow with the store (1.4M at 10,000 plans): those
are counted in the store and read one by one only for the plans finally drawn (`Backbone`).
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import networkx as nx
import pyoxigraph as ox

from kg.queries import local_name
from kg.store import GraphStore
from loaders.to_rdf.vocab import ONTOLOGY_GRAPH, document_of, graph_of

TYPES = "SELECT DISTINCT ?n ?t WHERE {{ VALUES ?n {{ {nodes} }} ?n a ?t }}"
LABELS = "SELECT ?n ?l WHERE {{ VALUES ?n {{ {nodes} }} ?n skos:prefLabel|eli:title|rdfs:label ?l }}"

# Plumbing that explains a fact but is not a thing to explore: left out of the projection.
HIDDEN_KINDS = {
    "Mention", "SpecificResource", "ConceptUsage", "DataSet", "ComponentSpecification",
    "DataStructureDefinition", "Instant", "Interval", "Action", "SoftwareAgent", "Checksum",
}
# When a node has several types, the first kind in this order names it.
KIND_PRIORITY = (
    "Document", "Section", "Agency", "Region", "PolicyArea", "Mandate", "RegulatedParty", "Indicator",
    "Observation", "Obligation", "Mention", "SpecificResource", "ConceptUsage", "DataSet",
    "ComponentSpecification", "DataStructureDefinition", "Instant", "Interval", "Action", "SoftwareAgent", "Checksum",
)

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
    """One plan's graph in full, or (no plan) the backbone of all plans, with `label` and `kind` on nodes.

    The whole backbone holds every plan's links to its concepts and indicators: fine for a
    notebook on a few plans; the web page draws large stores through `Backbone.select`."""
    if plan and any(c in plan for c in '<>"{}|^`\\ '):
        raise ValueError(f"not a graph IRI: {plan!r}")
    if plan:
        return plan_network(store, plan)
    return Backbone.read(store).to_networkx(store)


def _network(edges: Iterable[tuple[str, str, str]], info: dict[str, tuple[str, str | None]]) -> nx.MultiDiGraph:
    """Edges (s, predicate, o) as a graph, without those that touch a hidden kind."""
    graph = nx.MultiDiGraph()
    for s, p, o in edges:
        kinds = [info.get(node, ("Thing", None))[0] for node in (s, o)]
        if any(kind in HIDDEN_KINDS for kind in kinds):
            continue
        for node, kind in zip((s, o), kinds):
            if node not in graph:
                graph.add_node(node, label=info.get(node, (None, None))[1] or local_name(node), kind=kind)
        graph.add_edge(s, o, predicate=local_name(p))
    return graph


# Links drawn at most. The overview links every plan to its concepts and indicators, so links
# grow with nodes × plans: 2,000 nodes at 10,000 plans had 389,485 links, a 25.7 MB page no
# browser draws. 20,000 links is about 2 MB and still draws in a few seconds in chromium.
LINK_LIMIT = 20_000


def strongest(edges: list[tuple[str, str, str]], ranked: list[str], limit: int = LINK_LIMIT) -> list[tuple[str, str, str]]:
    """At most `limit` of the links (s, predicate, o), each node keeping its links to its
    best-ranked neighbours first (`ranked`: every node, best first).

    A link's place is the better of its places in its two ends' neighbour lists, so every linked
    node keeps its strongest link before any node keeps a second one: nothing linked is left
    floating while the hubs keep thousands of links. Ties go to links between better nodes."""
    if len(edges) <= limit:
        return edges
    rank = {node: i for i, node in enumerate(ranked)}

    def ends(s: str, o: str) -> tuple[str, str]:
        return (s, o) if rank[s] <= rank[o] else (o, s)

    neighbours: dict[str, set[str]] = {}
    for s, _, o in edges:
        neighbours.setdefault(s, set()).add(o)
        neighbours.setdefault(o, set()).add(s)
    place: dict[tuple[str, str], int] = {}  # a pair of nodes → its better place in their neighbour lists
    for node, near in neighbours.items():
        for i, other in enumerate(sorted(near, key=rank.__getitem__)):
            pair = ends(node, other)
            place[pair] = min(place.get(pair, i), i)

    def weakness(edge: tuple[str, str, str]) -> tuple[int, int, int, int]:
        a, b = ends(edge[0], edge[2])
        return place[a, b], rank[a] + rank[b], rank[a], rank[b]

    return sorted(edges, key=weakness)[:limit]


def _node_info(store: GraphStore, nodes: Iterable[str], batch: int = 2000) -> dict[str, tuple[str, str | None]]:
    """IRI → (kind, label), the label in Chinese where there is one; flat queries in batches (joins are slow)."""
    types: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    ordered = sorted(nodes)
    for i in range(0, len(ordered), batch):
        values = " ".join(f"<{node}>" for node in ordered[i : i + batch])
        type_rows, label_rows = _together(store, TYPES.format(nodes=values), LABELS.format(nodes=values))
        _read_types(type_rows, types)
        _read_labels(label_rows, labels)
    return {node: (node_kind(" ".join(types.get(node, ()))), labels.get(node)) for node in ordered}


def _read_types(rows, types: dict[str, list[str]], keep: Callable[[str], bool] = lambda node: True) -> None:
    for row in rows:
        if keep(row["n"].value):
            types.setdefault(row["n"].value, []).append(row["t"].value)


def _read_labels(rows, labels: dict[str, str], keep: Callable[[str], bool] = lambda node: True) -> None:
    for row in rows:
        node, label = row["n"].value, row["l"]
        if keep(node) and (node not in labels or label.language == "zh"):
            labels[node] = label.value


# --- One plan ---------------------------------------------------------------------------------

PLAN_EDGES = """
SELECT ?s ?p ?o WHERE {{
  GRAPH <{graph}> {{ ?s ?p ?o }}
  FILTER(isIRI(?s) && isIRI(?o) && ?p NOT IN (rdf:type, eli:type_document, ms:textSelector, ms:inDocument))
}}
"""
PLAN_DOCUMENT = "SELECT ?doc WHERE {{ GRAPH <{graph}> {{ ?doc ms:sourceFile ?source }} }}"
PLAN_TYPES = "SELECT ?n ?t WHERE {{ GRAPH <{graph}> {{ ?n a ?t }} }}"
PLAN_LABELS = "SELECT ?n ?l WHERE {{ GRAPH <{graph}> {{ ?n skos:prefLabel|eli:title|rdfs:label ?l }} }}"


def plan_network(store: GraphStore, graph: str) -> nx.MultiDiGraph:
    """Everything in one plan's named graph."""
    edges = [(r["s"].value, r["p"].value, r["o"].value) for r in store.query(PLAN_EDGES.format(graph=graph))]
    return _network(edges, _plan_node_info(store, graph, {node for s, _, o in edges for node in (s, o)}))


def _plan_node_info(store: GraphStore, graph: str, nodes: set[str]) -> dict[str, tuple[str, str | None]]:
    """Kinds and labels: the plan's own nodes (IRIs minted under its document's, described in its graph
    only) read in its graph, the shared ones (concepts, regions, indicators…) over all graphs.

    Reading every node over the union took 0.7 s at 10,000 plans, the plan's graph 0.02 s."""
    document_rows, type_rows, label_rows = _together(store, *(q.format(graph=graph) for q in (PLAN_DOCUMENT, PLAN_TYPES, PLAN_LABELS)))
    documents = [row["doc"].value + "/" for row in document_rows]
    own = {node for node in nodes if any(node.startswith(prefix) for prefix in documents)}
    types: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    _read_types(type_rows, types, own.__contains__)
    _read_labels(label_rows, labels, own.__contains__)
    info = {node: (node_kind(" ".join(types.get(node, ()))), labels.get(node)) for node in own}
    return info | _node_info(store, nodes - own)


# --- All plans: the backbone ------------------------------------------------------------------

# Links that stay few however many plans there are (one issuer and one region a plan, and the
# concept and agency hierarchies): read whole.
FEW_LINKS = """
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?p { eli:passed_by ms:region skos:broader org:subOrganizationOf }
  ?s ?p ?o . FILTER(isIRI(?o))
}
"""
DOCUMENTS = "SELECT ?doc WHERE { ?doc ms:sourceFile ?source }"
# Links from plans to concepts (dct:subject) and to the indicators they observe, which grow with
# the store: counted per plan and per concept or indicator, never read whole. A plan observes an
# indicator where its graph types it ms:Indicator: the mapping writes that type beside each
# observation's ms:indicator (loaders/to_rdf/quantities.py), and counting the types needs no join
# (a join of observations with their indicators took 4 s at 10,000 plans, these counts 0.3 s).
# A FILTER on the concepts made these 4x slower (2.5 s at 10,000 plans), so there is one only when
# the counts per concept show that one is needed (a literal or a hidden node as dct:subject).
SUBJECTS_PER_PLAN = "SELECT ?n (COUNT(DISTINCT ?hub) AS ?k) WHERE {{ ?n ms:sourceFile ?source ; dct:subject ?hub {only} }} GROUP BY ?n"
SUBJECTS_PER_HUB = "SELECT ?n (COUNT(DISTINCT ?doc) AS ?k) WHERE { ?doc ms:sourceFile ?source ; dct:subject ?n } GROUP BY ?n"
# A type is one quad per graph, so plain counts are distinct; the ontology graph is taken out after.
INDICATORS_PER_GRAPH = "SELECT ?n (COUNT(*) AS ?k) WHERE { GRAPH ?n { ?hub a ms:Indicator } } GROUP BY ?n"
INDICATORS_PER_HUB = "SELECT ?n (COUNT(*) AS ?k) WHERE { GRAPH ?g { ?n a ms:Indicator } } GROUP BY ?n"
INDICATORS_NOT_OF_PLANS = f"SELECT ?n (1 AS ?k) WHERE {{ GRAPH {ONTOLOGY_GRAPH} {{ ?n a ms:Indicator }} }}"
# The same links, read for a few plans (the ones drawn) ...
PLAN_SUBJECTS = "SELECT ?doc ?hub WHERE {{ VALUES ?doc {{ {docs} }} ?doc dct:subject ?hub {only} }}"
PLAN_INDICATORS = "SELECT DISTINCT ?g ?hub WHERE { GRAPH ?g { ?hub a ms:Indicator } }"  # named graphs: the plans'
# ... or for all plans at once, one row a plan, when a filter needs the whole network.
ALL_SUBJECTS = "SELECT ?doc (GROUP_CONCAT(STR(?hub)) AS ?hubs) WHERE {{ ?doc ms:sourceFile ?source ; dct:subject ?hub {only} }} GROUP BY ?doc"
ALL_INDICATORS = "SELECT ?g (GROUP_CONCAT(STR(?hub)) AS ?hubs) WHERE { GRAPH ?g { ?hub a ms:Indicator } } GROUP BY ?g"

SUBJECT, INDICATOR = "subject", "indicator"
# Plans whose links are looked up by VALUES; for more, every plan's links are read once and kept
# (at 10,000 plans, 1,442 plans' links took 4.5 s by lookup, all plans' 3 s, and later filters reuse them).
LINKS_LOOKED_UP = 500


@dataclass
class Selection:
    """The nodes to draw, best connected first, and how many the filtered network has in all."""
    graph: nx.MultiDiGraph
    total: int
    links: int  # links among the chosen nodes before strongest() kept at most LINK_LIMIT of them


@dataclass
class Backbone:
    """All plans at once, in aggregate: every node's degree, and the links that stay few.

    Kinds: a plan (a node with ms:sourceFile) is a Document, and an indicator (typed ms:Indicator)
    ranks before every hidden kind, so neither is ever hidden; the other nodes' kinds are read.
    """

    documents: set[str]
    few: list[tuple[str, str, str]]  # (s, predicate, o): issuers, regions, hierarchies
    hub_links: Counter  # concept or indicator → the plans that link to it
    kinds: dict[str, str]  # kinds read so far (plans are Documents)
    only: str = ""  # the FILTER that keeps a plan's dct:subject links to drawable concepts, if one is needed
    _plan_links: Counter | None = field(default=None, repr=False)  # plan → its concepts and indicators
    _links: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def read(cls, store: GraphStore) -> Backbone:
        """The counts per concept and indicator, and the few links (1.2 s at 10,000 plans, where reading
        every link took 118 s); the counts per plan are read when a plan may be drawn."""
        rows = _together(store, DOCUMENTS, FEW_LINKS, SUBJECTS_PER_HUB, INDICATORS_PER_HUB, INDICATORS_NOT_OF_PLANS)
        documents = {row["doc"].value for row in rows[0]}
        few = [(r["s"].value, local_name(r["p"].value), r["o"].value) for r in rows[1]]
        concepts, literals = _counts(rows[2])
        kinds = dict.fromkeys(documents, "Document")
        kinds |= _kinds(store, ({n for s, _, o in few for n in (s, o)} | set(concepts)) - documents)
        hidden = {node for node, kind in kinds.items() if kind in HIDDEN_KINDS}
        hub_links = Counter({node: count for node, count in concepts.items() if node not in hidden})
        hub_links.update(_counts(rows[3])[0])
        hub_links.subtract(_counts(rows[4])[0])
        few = [(s, p, o) for s, p, o in few if kinds.get(s) not in HIDDEN_KINDS and kinds.get(o) not in HIDDEN_KINDS]
        only = _only_drawable(hidden & set(concepts), literals)
        return cls(documents=documents, few=few, hub_links=+hub_links, kinds=kinds, only=only)

    def select(self, store: GraphStore, *, area: str | None = None, kinds: set[str] | None = None, limit: int = 300,
               links: int = LINK_LIMIT) -> Selection:
        """The `limit` best-connected nodes of the backbone restricted like `restrict` would, with
        the strongest `links` of the links among them."""
        if area is None and not kinds:
            ranked, total = self.best(store, limit)
        else:
            nodes, degree = self.restricted(store, area=area, kinds=kinds)
            ranked, total = sorted(nodes, key=lambda n: (-degree[n], n))[:limit], len(nodes)
        edges = self.links_among(store, ranked)
        return Selection(graph=self.drawn(store, ranked, strongest(edges, ranked, links)), total=total, links=len(edges))

    def best(self, store: GraphStore, limit: int) -> tuple[list[str], int]:
        """The `limit` best-connected nodes of the whole backbone, and how many nodes it has.

        A plan links at most to every concept and indicator, besides its few links: when the
        `limit`-th best other node has more links than that, no plan can be drawn, and the counts
        per plan (1.1 s at 10,000 plans, where 300 nodes are all concepts and indicators) are not read."""
        degree = self.others()
        others = [node for node in degree if node not in self.documents]
        ranked = sorted(others, key=lambda n: (-degree[n], n))[:limit]
        ceiling = len(self.hub_links) + max((degree[d] for d in self.documents), default=0)
        if len(ranked) == limit and degree[ranked[-1]] > ceiling:
            return ranked, len(others) + self._plans_in_network(store, degree)
        degree = self.degrees(store)
        return sorted(degree, key=lambda n: (-degree[n], n))[:limit], len(degree)

    def others(self) -> Counter:
        """Degrees without the plans' links to concepts and indicators: exact for every node but the plans."""
        degree = Counter(self.hub_links)
        for s, _, o in self.few:
            degree[s] += 1
            degree[o] += 1
        return degree

    def degrees(self, store: GraphStore) -> Counter:
        """Every node's degree in the whole backbone (nodes with no link are not in it)."""
        return self.others() + self.plan_links(store)

    def plan_links(self, store: GraphStore) -> Counter:
        """Plan → how many concepts and indicators it links to: from the links if read, else counted."""
        with self._lock:
            if self._plan_links is None and self._links is not None:
                self._plan_links = +Counter({d: len(subjects) + len(indicators) for d, (subjects, indicators) in self._links.items()})
            elif self._plan_links is None:
                subjects, indicators = _together(store, SUBJECTS_PER_PLAN.format(only=self.only), INDICATORS_PER_GRAPH)
                counts, _ = _counts(subjects)
                for graph, count in _counts(indicators)[0].items():
                    if (document := document_of(graph)) is not None:
                        counts[document] += count
                self._plan_links = counts
            return self._plan_links

    def _plans_in_network(self, store: GraphStore, degree: Counter) -> int:
        """How many plans have a link: those with an issuer or a region, and those of the rest
        (usually none) that link to a concept or an indicator."""
        alone = sorted(d for d in self.documents if not degree[d])
        if len(alone) > 1000 or self._plan_links is not None:
            counted = self.plan_links(store)
            return sum(1 for d in self.documents if degree[d] or counted[d])
        return len(self.documents) - len(alone) + len({d for d, _, _ in self._plan_links_of(store, alone)})

    def restricted(self, store: GraphStore, *, area: str | None, kinds: set[str] | None) -> tuple[set[str], Counter]:
        """The nodes within two links of `area` and of the given kinds, and their degrees among themselves.

        Needs every plan's links (read once, kept as tuples of shared strings: 3 s and 14 MB at 10,000 plans)."""
        if area is not None and area not in self.documents and area not in self.others():
            return set(), Counter()  # not a node: no need to read the links
        links = self.links(store)
        nodes = set(self.degrees(store))  # the plans' counts now come from the links
        if area is not None:
            nodes = self._near(area, links) if area in nodes else set()
        if kinds:
            kind_of = self.all_kinds(store)
            nodes = {node for node in nodes if kind_of.get(node, "Thing") in kinds}
        degree: Counter = Counter(dict.fromkeys(nodes, 0))
        for s, _, o in self.few:
            if s in nodes and o in nodes:
                degree[s] += 1
                degree[o] += 1
        for document, (subjects, indicators) in links.items():
            if document in nodes:
                linked = [*nodes.intersection(subjects), *nodes.intersection(indicators)]
                degree[document] += len(linked)
                degree.update(linked)
        return nodes, degree

    def _near(self, area: str, links: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> set[str]:
        """Breadth-first, two links out from `area`, ignoring direction (as `restrict` does)."""
        few_neighbours: dict[str, set[str]] = {}
        for s, _, o in self.few:
            few_neighbours.setdefault(s, set()).add(o)
            few_neighbours.setdefault(o, set()).add(s)
        seen, frontier = {area}, {area}
        for _ in range(2):
            step: set[str] = set()
            hubs = {node for node in frontier if node in self.hub_links}
            for node in frontier:
                step |= few_neighbours.get(node, set())
                if node in links:
                    step.update(*links[node])
            if hubs:
                step |= {document for document, (subjects, indicators) in links.items() if not hubs.isdisjoint(subjects) or not hubs.isdisjoint(indicators)}
            frontier = step - seen
            seen |= frontier
        return seen

    def links(self, store: GraphStore) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """Plan → (its concepts, its indicators), read once: one row a plan, the IRIs joined by spaces."""
        with self._lock:
            if self._links is None:
                hidden = {node for node, kind in self.kinds.items() if kind in HIDDEN_KINDS}
                subject_rows, indicator_rows = _together(store, ALL_SUBJECTS.format(only=self.only), ALL_INDICATORS)
                subjects = {row["doc"].value: _split(row["hubs"].value, hidden) for row in subject_rows}
                indicators: dict[str, tuple[str, ...]] = {}
                for row in indicator_rows:
                    if (document := document_of(row["g"].value)) is not None:
                        indicators[document] = _split(row["hubs"].value, hidden)
                self._links = {d: (subjects.get(d, ()), indicators.get(d, ())) for d in subjects.keys() | indicators.keys()}
            return self._links

    def all_kinds(self, store: GraphStore) -> dict[str, str]:
        """Kinds of every node, the indicators' read now (a kind filter needs them)."""
        with self._lock:
            missing = set(self.hub_links) - self.kinds.keys()
            if missing:
                self.kinds |= _kinds(store, missing)
            return self.kinds

    def links_among(self, store: GraphStore, nodes: list[str]) -> list[tuple[str, str, str]]:
        """Every backbone link (s, predicate, o) whose both ends are among `nodes`."""
        chosen = set(nodes)
        edges = [(s, p, o) for s, p, o in self.few if s in chosen and o in chosen]
        edges += [(d, p, hub) for d, p, hub in self._plan_links_of(store, sorted(chosen & self.documents)) if hub in chosen]
        return edges

    def drawn(self, store: GraphStore, ranked: list[str], edges: list[tuple[str, str, str]]) -> nx.MultiDiGraph:
        """The chosen nodes (in rank order) with their kinds and labels, and the given links among them."""
        info = _node_info(store, ranked)
        graph = nx.MultiDiGraph()
        for node in ranked:
            graph.add_node(node, label=info[node][1] or local_name(node), kind=info[node][0])
        for s, p, o in edges:
            graph.add_edge(s, o, predicate=p)
        return graph

    def _plan_links_of(self, store: GraphStore, documents: list[str]) -> list[tuple[str, str, str]]:
        """The concept and indicator links of a few plans: from memory if read, else by bound lookups."""
        if not documents:
            return []
        if len(documents) > LINKS_LOOKED_UP:
            self.links(store)
        if self._links is not None:
            return [(d, predicate, hub) for d in documents for predicate, hubs in zip((SUBJECT, INDICATOR), self._links.get(d, ((), ()))) for hub in hubs]
        values = " ".join(f"<{d}>" for d in documents)
        found = {(r["doc"].value, SUBJECT, r["hub"].value) for r in store.query(PLAN_SUBJECTS.format(docs=values, only=self.only))}
        graphs = [ox.NamedNode(graph_of(d)) for d in documents]
        for row in store.query(PLAN_INDICATORS, named_graphs=graphs):
            found.add((document_of(row["g"].value) or row["g"].value, INDICATOR, row["hub"].value))
        return sorted(found)

    def to_networkx(self, store: GraphStore) -> nx.MultiDiGraph:
        """The whole backbone as one graph (every plan's links read: for small stores)."""
        degree = self.degrees(store)
        ranked = sorted(degree, key=lambda n: (-degree[n], n))
        return self.drawn(store, ranked, self.links_among(store, ranked))


def _together(store: GraphStore, *queries: str) -> list[list]:
    """The rows of independent queries, two at a time: pyoxigraph lets go of the GIL while it
    evaluates, so two cores answer both in about the time of the longer (2.5 s, not 3.8 s)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda query: list(store.query(query)), queries))


def _counts(rows) -> tuple[Counter, bool]:
    """IRI → count, and whether a row counted something other than an IRI (a literal)."""
    counts: Counter = Counter()
    other = False
    for row in rows:
        if isinstance(row["n"], ox.NamedNode):
            counts[row["n"].value] = int(row["k"].value)
        else:
            other = True
    return counts, other


def _only_drawable(hidden: set[str], literals: bool) -> str:
    """The FILTER that keeps a plan's dct:subject links to drawable concepts ("" when all are)."""
    conditions = ["isIRI(?hub)"] if literals else []
    if hidden:
        conditions.append(f"?hub NOT IN ({', '.join(f'<{node}>' for node in sorted(hidden))})")
    return f"FILTER({' && '.join(conditions)})" if conditions else ""


def _kinds(store: GraphStore, nodes: set[str], batch: int = 2000) -> dict[str, str]:
    types: dict[str, list[str]] = {}
    ordered = sorted(nodes)
    batches = [" ".join(f"<{n}>" for n in ordered[i : i + batch]) for i in range(0, len(ordered), batch)]
    for rows in _together(store, *(TYPES.format(nodes=values) for values in batches)):
        _read_types(rows, types)
    return {node: node_kind(" ".join(types.get(node, ()))) for node in ordered}


def _split(joined: str, hidden: set[str]) -> tuple[str, ...]:
    """IRIs joined by spaces (an IRI has none), once each, as one shared string per IRI however many plans name it."""
    iris = dict.fromkeys(map(sys.intern, joined.split()))
    return tuple(iri for iri in iris if iri not in hidden) if hidden else tuple(iris)


# --- Choices for the filters ------------------------------------------------------------------

AREAS = f"""
SELECT DISTINCT ?area ?label WHERE {{
  {{ SELECT DISTINCT ?area WHERE {{ ?area a ms:PolicyArea }} }}
  FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?area }} FILTER(?g != {ONTOLOGY_GRAPH}) }}
  OPTIONAL {{ ?area skos:prefLabel ?label FILTER(lang(?label) = "zh") }}
}} ORDER BY ?label
"""


PLAN_SAMPLE = "SELECT ?doc ?source WHERE {{ ?doc ms:sourceFile ?source }} LIMIT {limit}"
PLAN_TITLES = "SELECT ?doc ?title WHERE {{ VALUES ?doc {{ {docs} }} ?doc eli:title ?title }}"


def plan_choices(store: GraphStore, limit: int = 200) -> list[tuple[str, str]]:
    """(source file, title) of up to `limit` plans, by file name: suggestions for the plan box.

    All plans where there are no more than `limit`; else the first the store's index yields
    (sorting 10,000 file names in the store took 0.5 s, these two lookups a few ms)."""
    sources = {row["doc"].value: row["source"].value for row in store.query(PLAN_SAMPLE.format(limit=limit))}
    titles: dict[str, str] = {}
    if sources:
        for row in store.query(PLAN_TITLES.format(docs=" ".join(f"<{doc}>" for doc in sources))):
            titles.setdefault(row["doc"].value, row["title"].value)
    return sorted((source, titles.get(doc) or source) for doc, source in sources.items())


def policy_areas(store: GraphStore) -> list[tuple[str, str]]:
    """(IRI, label) of the policy areas some plan's graph points at: the choices of the area filter.

    FILTER EXISTS stops at the first plan that names an area (1 ms at 10,000 plans, where joining
    every triple that names one took 58 s)."""
    return [(row["area"].value, row["label"].value if row["label"] is not None else local_name(row["area"].value)) for row in store.query(AREAS)]


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
