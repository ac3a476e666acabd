"""Named SPARQL queries the CLI and the API share, and helpers to turn results into JSON."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from kg.store import GraphStore
from loaders.to_rdf.vocab import doc_iri, graph_named

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

# The subclasses of ms:Document the ontology declares: a document is listed under one of these.
DOCUMENT_CLASSES = "SELECT DISTINCT ?type WHERE { ?type rdfs:subClassOf ms:Document FILTER(?type != ms:Document) }"

# Each field of the plan list is read by its own query inside the document's own named graph (labels of
# shared nodes, a province or an issuer, stand in many graphs, and joining them over the union would
# multiply rows), and the parts are joined in Python on (graph, document). One query with the fields as
# OPTIONALs took 3 s at 10,000 plans, and the API needed all of it to show a page of 20.
PLAN_PART = "SELECT * WHERE {{ GRAPH ?g {{ {restrict} {pattern} }} }}"
# What identifies a document, read for every one to sort, filter by type, count and page (0.3 s at 10,000).
PLAN_KEYS = ("?doc ms:sourceFile ?source", "VALUES ?type { CLASSES } ?doc a ?type")
# What describes it: a join per document, read only for the documents shown where that is a page.
PLAN_REGION = "?doc ms:region ?region . ?region skos:prefLabel ?regionName OPTIONAL { ?region skos:notation ?adcode }"
PLAN_DETAILS = (
    "?doc ms:sourceFile ?sourceFile ; eli:title ?title",
    "?doc eli:passed_by ?issuer . ?issuer skos:prefLabel ?issuerName",
    PLAN_REGION,
    "?doc eli:date_document ?date",
)


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


def _plan_parts(store: GraphStore, patterns: Sequence[str], restrict: str = "") -> dict[tuple[str, str], dict[str, Any]]:
    """(graph, document) → the fields the patterns found for it; the first value of a field wins.

    `restrict` (a VALUES block) goes inside the GRAPH pattern: outside it, the store evaluates an
    OPTIONAL over the whole store before joining (0.2 s for a page of 20 at 10,000 plans, against 1 ms)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for pattern in patterns:
        for row in rows(store.query(PLAN_PART.format(restrict=restrict, pattern=pattern))):
            fields = found.setdefault((row.pop("g"), row.pop("doc")), {})
            for name, value in row.items():
                fields.setdefault(name, value)
    return found


def plan_index(store: GraphStore, plan_id: str | None = None) -> list[dict[str, Any]]:
    """Every document (or the one with IRI `plan_id`) as {graph, id, source, doc_type}, by source file."""
    classes = " ".join(iri_ref(row["type"]) for row in rows(store.query(DOCUMENT_CLASSES)))
    if not classes:
        return []
    restrict = f"VALUES ?doc {{ {iri_ref(plan_id)} }}" if plan_id is not None else ""
    patterns = [pattern.replace("CLASSES", classes) for pattern in PLAN_KEYS]
    entries: dict[str, dict[str, Any]] = {}
    for (graph, doc), row in _plan_parts(store, patterns, restrict).items():
        if "source" in row and "type" in row:
            doc_type = DOC_TYPE_OF_CLASS.get(row["type"].rsplit("#", 1)[-1], "other")
            entries.setdefault(doc, {"graph": graph, "id": doc, "source": row["source"], "doc_type": doc_type})
    return sorted(entries.values(), key=lambda entry: entry["source"])


def plan_records(store: GraphStore, entries: list[dict[str, Any]], *, every: bool = False) -> list[dict[str, Any]]:
    """Index entries as listed plans: id, source, title, doc_type, issuer, region, adcode, date (None where unknown).

    The details are read for these entries only, unless `every` says they are the whole index: then
    one pass over the store is cheaper than a VALUES block naming thousands of documents."""
    if not entries:
        return []
    restrict = "" if every else "VALUES (?g ?doc) { " + " ".join(f"({iri_ref(e['graph'])} {iri_ref(e['id'])})" for e in entries) + " }"
    details = _plan_parts(store, PLAN_DETAILS, restrict)
    records = []
    for entry in entries:
        found = details.get((entry["graph"], entry["id"]), {})
        records.append({
            "id": entry["id"], "source": entry["source"], "title": found.get("title"), "doc_type": entry["doc_type"],
            "issuer": found.get("issuerName"), "region": found.get("regionName"), "adcode": found.get("adcode"),
            "date": found.get("date"),
        })
    return records


def plan_regions(store: GraphStore) -> dict[tuple[str, str], str]:
    """(graph, document) → the name of its region, for every document that has one (to filter by region)."""
    found = _plan_parts(store, (PLAN_REGION,))
    return {key: fields["regionName"] for key, fields in found.items()}


def list_plans(store: GraphStore, plan_id: str | None = None) -> list[dict[str, Any]]:
    """One entry per document, by source file: id, source, title, doc_type, issuer, region, adcode, date."""
    return plan_records(store, plan_index(store, plan_id), every=plan_id is None)


def plan_id_for(source: str) -> str:
    return doc_iri(source).value


# --- One plan: outline, counts, text and the spans of everything located in it -------------


_NOT_IN_IRI = re.compile(r'[\s\x00-\x20<>"{}|^`\\]')  # what SPARQL's IRIREF cannot hold, and any space


def iri_ref(value: str) -> str:
    """An IRI to paste into a query. A value that cannot be one is the caller's error (ValueError),
    never an injection; our own IRIs never hold these characters."""
    if _NOT_IN_IRI.search(value):
        raise ValueError(f"not an IRI: {value[:80]!r}")
    return f"<{value}>"


def string_literal(text: str) -> str:
    """A SPARQL string literal: user input never reaches a query unescaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def iris_named(store: GraphStore, text: str, labels: str, bases: Sequence[str]) -> list[str]:
    """IRIs starting with one of `bases` a label of which (`labels`, a property path) contains
    `text`, in the store's order. One scan of the labels, so that a query filtering by a name can
    bind IRIs instead of joining labels per row: a shared entity's labels sit in the graph of every
    plan that names it, so that join repeats once per plan."""
    starts = " || ".join(f"STRSTARTS(STR(?r), {string_literal(base)})" for base in bases)
    query = f"SELECT DISTINCT ?r WHERE {{ ?r {labels} ?l . FILTER(({starts}) && CONTAINS(STR(?l), {string_literal(text)})) }}"
    return [solution["r"].value for solution in store.query(query)]


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
    for row in rows(store.query(SECTIONS.format(graph=iri_ref(graph)))):
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


# Grouped by the class's local name, each thing counted once: a statement is both a qb:Observation and
# an ms:Observation, and adding the counts of the two classes counted every statement twice.
COUNTS = """
SELECT ?kind (COUNT(DISTINCT ?n) AS ?count) WHERE {{
  GRAPH {graph} {{ ?n a ?type }}
  BIND(REPLACE(STR(?type), "^.*[#/]", "") AS ?kind)
}} GROUP BY ?kind
"""


def plan_counts(store: GraphStore, graph: str) -> dict[str, int]:
    """How many things of each kind (local class name) the plan's graph holds, plus its triples."""
    counts: dict[str, int] = {}
    for row in rows(store.query(COUNTS.format(graph=iri_ref(graph)))):
        kind = row["kind"]
        if kind.endswith("Selector"):  # positions of the things counted, not things themselves
            continue
        counts[kind] = int(row["count"])
    triples = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {iri_ref(graph)} {{ ?s ?p ?o }} }}")
    counts["triples"] = int(next(iter(rows(triples)))["n"])
    return counts


def plan_text(store: GraphStore, document: str) -> str | None:
    """The decoded text (ms:text) that every offset indexes; None for documents ingested before it existed."""
    found = rows(store.query(f"SELECT ?text WHERE {{ {iri_ref(document)} ms:text ?text }} LIMIT 1"))
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
    for row in rows(store.query(SPANS.format(graph=iri_ref(graph)))):
        spans.append({
            "id": row["n"], "kind": main_kind((row["types"] or "").split()),
            "label": row["label"], "start": row["start"], "end": row["end"],
        })
    refers = {}
    for row in rows(store.query(REFERS.format(graph=iri_ref(graph)))):
        refers[row["n"]] = main_kind((row["types"] or "").split())
    for span in spans:
        span["refers_to"] = refers.get(span["id"])
    if details:
        found = store.query(DETAILS.format(graph=iri_ref(graph)))
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


AGENCY_CLASSES = "VALUES ?class { ms:Agency org:Organization org:FormalOrganization }"

# An agency is typed in the graph of every plan that names it (dct:references, eli:passed_by, odrl:assignee)
# and each plan has its own graph, so counting an agency's graphs counts its plans: one pass over the type
# index, grouped in the store (0.5 s at 10,000 plans, where joining each graph to its plan took minutes).
AGENCIES = f"""
SELECT ?a (SAMPLE(?l) AS ?label) (SAMPLE(?n) AS ?plans) WHERE {{
  {{ SELECT ?a (COUNT(DISTINCT ?g) AS ?n) WHERE {{ {AGENCY_CLASSES} GRAPH ?g {{ ?a a ?class }} }} GROUP BY ?a }}
  OPTIONAL {{ ?a skos:prefLabel|rdfs:label ?l }}
}} GROUP BY ?a
"""


def list_agencies(store: GraphStore) -> list[dict[str, Any]]:
    """Every agency any plan's graph declares, most widely named first: id, label, plans_total."""
    records = [
        {"id": row["a"], "label": row["label"] or local_name(row["a"]), "plans_total": row["plans"]}
        for row in rows(store.query(AGENCIES))
    ]
    return sorted(records, key=lambda r: (-r["plans_total"], r["label"], r["id"]))


def agencies_in_plan(store: GraphStore, plan: str) -> set[str]:
    """The agencies named in a plan (its source, IRI or graph IRI; none for an unknown one)."""
    query = f"""SELECT DISTINCT ?a WHERE {{ {AGENCY_CLASSES} GRAPH {iri_ref(graph_named(plan))} {{ ?a a ?class }} }}"""
    return {row["a"] for row in rows(store.query(query))}


def plan_sources(store: GraphStore, graphs: set[str]) -> dict[str, str]:
    """Graph IRI → the source file of the plan read into it, for these graphs."""
    if not graphs:
        return {}
    restrict = "VALUES ?g { " + " ".join(iri_ref(g) for g in sorted(graphs)) + " }"
    return {graph: fields["source"] for (graph, _), fields in _plan_parts(store, (PLAN_KEYS[0],), restrict).items()}


def agency_plans(store: GraphStore, agencies: list[str], limit: int) -> dict[str, list[str]]:
    """Agency → the source files (in file-name order) of up to `limit` of the plans that name it.

    All of them when it is named by no more than `limit`; otherwise the first in the store's index
    order, stable for a given store: sorting an agency's thousands of graphs by name means reading
    every name (1.5 s for a page of 20 at 10,000 plans), taking the first few is free."""
    if limit <= 0:
        return {}
    graphs = {}
    for agency in agencies:
        query = f"SELECT DISTINCT ?g WHERE {{ {AGENCY_CLASSES} GRAPH ?g {{ {iri_ref(agency)} a ?class }} }} LIMIT {int(limit)}"
        graphs[agency] = [row["g"] for row in rows(store.query(query))]
    sources = plan_sources(store, {g for found in graphs.values() for g in found})
    return {agency: sorted(sources[g] for g in found if g in sources) for agency, found in graphs.items()}


def local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def main_kind(types: list[str]) -> str:
    """The class that says most: our own (ms:) before the vocabularies it specialises (odrl:Duty…)."""
    from loaders.to_rdf.vocab import PREFIXES

    own = sorted(t for t in types if t.startswith(PREFIXES["ms"]))
    chosen = own or sorted(types)
    return local_name(chosen[0]) if chosen else "Thing"
