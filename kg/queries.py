"""Named SPARQL queries the CLI and the API share, and helpers to turn results into JSON."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kg.store import GraphStore
from loaders.to_rdf.vocab import doc_iri

PLAN_FIELDS = ("id", "source", "title", "doc_type", "issuer", "region", "date")

DOC_TYPE_OF_CLASS = {
    "FiveYearPlan": "five_year_plan",
    "AnnualWorkPlan": "annual_work_plan",
    "EvaluationReport": "evaluation_report",
    "PressArticle": "press_article",
    "PolicyInterpretation": "policy_interpretation",
    "PolicyMeasures": "policy_measures",
    "Budget": "budget",
    "OtherDocument": "other",
}

# Each document's own metadata is read inside its own named graph: labels of shared nodes (a province,
# an issuer) stand in many graphs, and joining them over the union would multiply rows per document.
PLANS = """
SELECT ?doc ?source ?title ?type ?issuerName ?regionName ?adcode ?date WHERE {
  GRAPH ?g {
    ?doc ms:sourceFile ?source ; a ?type .
    OPTIONAL { ?doc eli:title ?title }
    OPTIONAL { ?doc eli:passed_by ?issuer . ?issuer skos:prefLabel ?issuerName }
    OPTIONAL { ?doc ms:region ?region . ?region skos:prefLabel ?regionName . OPTIONAL { ?region skos:notation ?adcode } }
    OPTIONAL { ?doc eli:date_document ?date }
  }
  ?type rdfs:subClassOf ms:Document .
  FILTER(?type != ms:Document)
}
ORDER BY ?source
"""


def term_value(term: Any) -> Any:
    """A pyoxigraph term as plain JSON: IRIs and strings as text, numbers and booleans as such."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value.rsplit("#", 1)[-1]
        if datatype in {"integer", "int", "long", "gYear"}:
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if datatype in {"decimal", "double", "float"}:
            number = float(term.value)
            return int(number) if number.is_integer() else number
        if datatype == "boolean":
            return term.value == "true"
        return term.value
    return term.value


def rows(solutions) -> list[dict[str, Any]]:
    """SELECT results as a list of {variable: plain value}."""
    names = [v.value for v in solutions.variables]
    return [{name: term_value(solution[name]) for name in names} for solution in solutions]


def list_plans(store: GraphStore, plan_id: str | None = None) -> list[dict[str, Any]]:
    """One entry per document: id, source, title, doc_type, issuer, region, date (None where unknown)."""
    plans: dict[str, dict[str, Any]] = {}
    for row in rows(store.query(PLANS)):
        if plan_id is not None and row["doc"] != plan_id:
            continue
        plans.setdefault(
            row["doc"],
            {
                "id": row["doc"],
                "source": row["source"],
                "title": row["title"],
                "doc_type": DOC_TYPE_OF_CLASS.get(row["type"].rsplit("#", 1)[-1], "other"),
                "issuer": row["issuerName"],
                "region": row["regionName"],
                "adcode": row["adcode"],
                "date": row["date"],
            },
        )
    return list(plans.values())


def plan_id_for(source: str) -> str:
    return doc_iri(source).value


# --- One plan: outline, counts, text and the spans of everything located in it -------------


def find_plan(store: GraphStore, key: str) -> dict[str, Any] | None:
    """A plan by source file name, document IRI or graph IRI; None when unknown."""
    from loaders.to_rdf.vocab import graph_iri

    for record in list_plans(store):
        if key in (record["id"], record["source"], graph_iri(record["source"]).value):
            return record
    return None


def graph_of(record: dict[str, Any]) -> str:
    from loaders.to_rdf.vocab import graph_iri

    return graph_iri(record["source"]).value


def _iri(value: str) -> str:
    """An IRI fit to paste into a query (our own IRIs never hold these characters)."""
    if any(c in value for c in '<>"{}|^`\\ \n'):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


SECTIONS = """
SELECT ?n ?parent ?number ?title ?level ?start ?end WHERE {{
  GRAPH {graph} {{
    ?n a ms:Section ; ms:textSelector ?sel .
    ?sel oa:start ?start ; oa:end ?end .
    OPTIONAL {{ ?n eli:is_part_of ?parent }}
    OPTIONAL {{ ?n ms:sectionNumber ?number }}
    OPTIONAL {{ ?n eli:title ?title }}
    OPTIONAL {{ ?n ms:level ?level }}
  }}
}} ORDER BY ?start DESC(?end)
"""


def plan_outline(store: GraphStore, graph: str) -> list[dict[str, Any]]:
    """The section tree: number, title, level, start, end, children (in text order)."""
    nodes: dict[str, dict[str, Any]] = {}
    parents: dict[str, str | None] = {}
    for row in rows(store.query(SECTIONS.format(graph=_iri(graph)))):
        if row["n"] in nodes:
            continue
        nodes[row["n"]] = {
            "id": row["n"], "number": row["number"], "title": row["title"], "level": row["level"],
            "start": row["start"], "end": row["end"], "children": [],
        }
        parents[row["n"]] = row["parent"]
    roots = []
    for iri, node in nodes.items():
        parent = nodes.get(parents[iri] or "")
        (parent["children"] if parent is not None else roots).append(node)
    return roots


COUNTS = """
SELECT ?type (COUNT(DISTINCT ?n) AS ?count) WHERE {{
  GRAPH {graph} {{ ?n a ?type }}
}} GROUP BY ?type
"""


def plan_counts(store: GraphStore, graph: str) -> dict[str, int]:
    """How many things of each kind (local class name) the plan's graph holds, plus its triples."""
    counts: dict[str, int] = {}
    for row in rows(store.query(COUNTS.format(graph=_iri(graph)))):
        kind = local_name(row["type"])
        if kind.endswith("Selector"):  # positions of the things counted, not things themselves
            continue
        counts[kind] = counts.get(kind, 0) + int(row["count"])
    triples = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}")
    counts["triples"] = int(next(iter(rows(triples)))["n"])
    return counts


def plan_text(store: GraphStore, document: str) -> str | None:
    """The decoded text (ms:text) that every offset indexes; None for documents ingested before it existed."""
    found = rows(store.query(f"SELECT ?text WHERE {{ {_iri(document)} ms:text ?text }} LIMIT 1"))
    return found[0]["text"] if found else None


SPANS = """
SELECT ?n (GROUP_CONCAT(DISTINCT STR(?t); separator=" ") AS ?types) (SAMPLE(?l) AS ?label) (MIN(?s) AS ?start) (MAX(?e) AS ?end) WHERE {{
  GRAPH {graph} {{
    ?n ms:textSelector ?sel . ?sel oa:start ?s ; oa:end ?e .
    OPTIONAL {{ ?n a ?t }}
    OPTIONAL {{ ?n skos:prefLabel|eli:title|rdfs:label ?l }}
  }}
}} GROUP BY ?n ORDER BY ?start ?n
"""

# What a mention (oa:hasBody) or a statement (ms:indicator) is about, by its class, wherever it is declared.
REFERS = """
SELECT ?n (GROUP_CONCAT(DISTINCT STR(?t); separator=" ") AS ?types) WHERE {{
  GRAPH {graph} {{ ?n ms:textSelector ?sel ; oa:hasBody ?body }}
  ?body a ?t .
}} GROUP BY ?n
"""

DETAILS = """
SELECT ?n ?p ?o WHERE {{
  GRAPH {graph} {{
    ?n ms:textSelector ?sel . ?n ?p ?o .
    FILTER(?p NOT IN (ms:textSelector, ms:inDocument, rdf:type))
  }}
}}
"""

# Labels of the IRIs the details point at, fetched once per distinct IRI (a join per row is slow).
OBJECT_LABELS = "SELECT ?o ?l WHERE {{ VALUES ?o {{ {nodes} }} ?o skos:prefLabel|rdfs:label|eli:title ?l }}"


def annotations(store: GraphStore, graph: str, *, details: bool = True) -> list[dict[str, Any]]:
    """Every node of the plan's graph that has a text position: id, kind, label, start, end (and its properties)."""
    spans = []
    for row in rows(store.query(SPANS.format(graph=_iri(graph)))):
        spans.append({
            "id": row["n"], "kind": main_kind((row["types"] or "").split()),
            "label": row["label"], "start": row["start"], "end": row["end"],
        })
    refers = {}
    for row in rows(store.query(REFERS.format(graph=_iri(graph)))):
        refers[row["n"]] = main_kind((row["types"] or "").split())
    for span in spans:
        span["refers_to"] = refers.get(span["id"])
    if details:
        found = store.query(DETAILS.format(graph=_iri(graph)))
        triples = [(row["n"].value, row["p"].value, row["o"]) for row in found]
        labels = _labels(store, {o.value for _, _, o in triples if isinstance(o, ox.NamedNode)})
        props: dict[str, dict[str, list]] = {}
        for node, predicate, obj in triples:
            values = props.setdefault(node, {}).setdefault(local_name(predicate), [])
            value = term_value(obj)
            if isinstance(obj, ox.NamedNode) and obj.value in labels:
                value = {"id": obj.value, "label": labels[obj.value]}
            if value not in values:
                values.append(value)
        for span in spans:
            span["properties"] = props.get(span["id"], {})
    return spans


def _labels(store: GraphStore, iris: set[str], batch: int = 2000) -> dict[str, str]:
    """IRI → one label, the Chinese one where there is a choice."""
    labels: dict[str, str] = {}
    ordered = sorted(iris)
    for i in range(0, len(ordered), batch):
        values = " ".join(f"<{iri}>" for iri in ordered[i : i + batch])
        for row in store.query(OBJECT_LABELS.format(nodes=values)):
            iri, label = row["o"].value, row["l"]
            if iri not in labels or label.language == "zh":
                labels[iri] = label.value
    return labels


AGENCIES = """
SELECT ?a (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?g) AS ?documents) WHERE {
  GRAPH ?g { ?a a ?class }
  FILTER(?class IN (ms:Agency, org:Organization, org:FormalOrganization))
  OPTIONAL { ?a skos:prefLabel|rdfs:label ?l }
} GROUP BY ?a
"""

AGENCY_PLANS = """
SELECT DISTINCT ?a ?source WHERE {
  GRAPH ?g { ?a a ?class }
  FILTER(?class IN (ms:Agency, org:Organization, org:FormalOrganization))
  GRAPH ?g2 { ?doc ms:sourceFile ?source }
  FILTER(?g2 = ?g)
}
"""


def list_agencies(store: GraphStore) -> list[dict[str, Any]]:
    """Every agency in any plan's graph: id, label, the plans (source files) that name it."""
    plans_of: dict[str, list[str]] = {}
    for row in rows(store.query(AGENCY_PLANS)):
        plans_of.setdefault(row["a"], []).append(row["source"])
    records = [
        {"id": row["a"], "label": row["label"] or local_name(row["a"]), "plans": sorted(plans_of.get(row["a"], []))}
        for row in rows(store.query(AGENCIES))
    ]
    return sorted(records, key=lambda r: (-len(r["plans"]), r["label"]))


def local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def main_kind(types: list[str]) -> str:
    """The class that says most: our own (ms:) before the vocabularies it specialises (odrl:Duty…)."""
    from loaders.to_rdf.vocab import PREFIXES

    own = sorted(t for t in types if t.startswith(PREFIXES["ms"]))
    chosen = own or sorted(types)
    return local_name(chosen[0]) if chosen else "Thing"
