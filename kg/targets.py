"""Queries over quantified statements: filter targets, and line up one indicator across plans.

Filters become SPARQL patterns (not Python post-filtering) so that paging stays cheap on a
large store; the total comes from a COUNT over the same patterns. Every pattern is matched
inside one document's named graph, which holds the statement with the labels of its
indicator and region: joining those labels over the union of thousands of graphs would
multiply the rows by the number of plans sharing a region or an indicator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from kg.queries import iri_ref, iris_named, rows, string_literal
from kg.store import GraphStore
from loaders.to_rdf.vocab import BASE, document_named, graph_of

KINDS = ("target", "progress", "baseline")
INDICATOR_BASE = BASE + "id/indicator/"
CONCEPT_BASE = BASE + "id/concept/"

FIELDS = """
  ?obs a ms:Observation ; ms:statementKind ?kind ; ms:indicator ?indicator ; ms:inDocument ?doc .
"""

DETAILS = """
  ?obs ms:comparator ?comparator . ?doc ms:sourceFile ?source .
  OPTIONAL { ?indicator skos:prefLabel ?indicatorLabel }
  OPTIONAL { ?doc eli:title ?title }
  OPTIONAL { ?obs ms:value ?value }
  OPTIONAL { ?obs ms:valueMax ?valueMax }
  OPTIONAL { ?obs ms:unit ?unit }
  OPTIONAL { ?obs ms:refYear ?year }
  OPTIONAL { ?obs ms:perYear ?perYear }
  OPTIONAL { ?obs ms:forecast ?forecast }
  OPTIONAL { ?obs ms:policyArea ?area }
  OPTIONAL { ?obs ms:refArea ?region . ?region skos:prefLabel ?regionName . OPTIONAL { ?region skos:notation ?adcode } }
  OPTIONAL { ?obs rdfs:label ?text }
  OPTIONAL { ?obs ms:textSelector ?sel . ?sel a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }
  OPTIONAL { ?obs ms:progressOf ?target }
  OPTIONAL { ?obs ms:status ?status }
"""

# Two steps: the page of statement IRIs (cheap: no labels), then the details of each statement on it,
# with the statement and its graph written into the query (a VALUES join is not pushed down by the engine).
# No ORDER BY: sorting every matching statement costs seconds on a large store, and the engine's
# index order is stable for a given store, so pages neither overlap nor skip.
PAGE = """
SELECT ?obs WHERE {{
{filters}
{typed}
}}
LIMIT {limit} OFFSET {offset}
"""

SELECT = """
SELECT ?obs ?kind ?indicator (SAMPLE(?indicatorLabel) AS ?indicatorName) ?comparator ?doc ?source
       (SAMPLE(?title) AS ?plan_title) (SAMPLE(?value) AS ?v) (SAMPLE(?valueMax) AS ?vmax) (SAMPLE(?unit) AS ?u)
       (SAMPLE(?year) AS ?y) (SAMPLE(?perYear) AS ?py) (SAMPLE(?forecast) AS ?fc) (SAMPLE(?area) AS ?a)
       (SAMPLE(?regionName) AS ?rn) (SAMPLE(?adcode) AS ?rc) (SAMPLE(?text) AS ?t) (SAMPLE(?start) AS ?s)
       (SAMPLE(?end) AS ?e) (SAMPLE(?target) AS ?tg) (SAMPLE(?status) AS ?st)
WHERE {{
GRAPH <{graph}> {{
{pattern}
}}
BIND(<{obs}> AS ?obs)
}}
GROUP BY ?obs ?kind ?indicator ?comparator ?doc ?source
"""

@dataclass
class TargetFilter:
    area: str | None = None  # policy-area code, e.g. food_safety
    region: str | None = None  # region name (part of it) or GB/T 2260 code
    year: int | None = None
    kind: str | None = None  # target | progress | baseline
    indicator: str | None = None  # indicator id (IRI or key) or part of its name
    plan: str | None = None  # plan IRI or source file name


def indicator_iri(indicator_id: str) -> str:
    """Accept a full IRI, a percent-encoded key, or the plain key (the indicator's name)."""
    from loaders.to_rdf.vocab import entity_iri

    key = indicator_id[len(INDICATOR_BASE):] if indicator_id.startswith(INDICATOR_BASE) else indicator_id
    return entity_iri("indicator", unquote(key)).value


def filter_blocks(f: TargetFilter, *, regions: list[str] | None = None, indicators: list[str] | None = None) -> tuple[list[str], list[str]]:
    """The filter as SPARQL patterns on ?obs, with constants where possible: (narrow, broad).

    Narrow patterns (plan, region, indicator) match few statements at any store size, so a
    join starts from them and looks the rest up per row. Broad ones (area, year, kind) match a
    share of every statement: at 10,000 plans 80,000 to 350,000 rows each, and joining two of
    them row by row took 2–9 s (see count_query).

    `regions` / `indicators`: the IRIs a region or indicator name was resolved to beforehand
    (`resolve_names`); without them the name is matched inside the query, which scans every
    statement's region and indicator labels (about 12 s at 1,000 plans), in a FILTER EXISTS: joined,
    they repeated a statement once per matching label in every plan's graph (an indicator's names
    sit in the graph of each plan that names it), and the page listed it as many times. A plan's
    statements are reached through its datasets (qb:dataSet, dct:source), which only statements
    belong to: ms:inDocument also holds every section, duty and mention of the plan."""
    narrow, broad = [], []
    if f.plan:
        narrow.append(f"?fds dct:source {iri_ref(document_named(f.plan))} . ?obs qb:dataSet ?fds .")
    if f.indicator:
        if f.indicator.startswith(INDICATOR_BASE):
            narrow.append(f"?obs ms:indicator {iri_ref(indicator_iri(f.indicator))} .")
        elif indicators is not None:
            narrow.append(f"VALUES ?find {{ {' '.join(map(iri_ref, indicators))} }} ?obs ms:indicator ?find .")
        else:
            narrow.append(
                "?obs ms:indicator ?find . FILTER EXISTS { ?find skos:prefLabel|skos:altLabel ?fil . "
                f"FILTER(CONTAINS(str(?fil), {string_literal(f.indicator)})) }}"
            )
    if f.region:
        # a statement's own region, else (when it names none) the region of its plan
        plan_region = (
            "{ ?obs ms:refArea ?fr } UNION { ?fdoc ms:region ?fr . ?fds dct:source ?fdoc . ?obs qb:dataSet ?fds "
            "FILTER NOT EXISTS { ?obs ms:refArea ?any } }"
        )
        if regions is not None:
            narrow.append(f"VALUES ?fr {{ {' '.join(map(iri_ref, regions))} }} {plan_region}")
        else:
            narrow.append(
                f"{plan_region} FILTER EXISTS {{ ?fr skos:prefLabel|skos:notation ?frl . "
                f"FILTER(CONTAINS(str(?frl), {string_literal(f.region)})) }}"
            )
    if f.area:
        broad.append(f"?obs ms:policyArea {iri_ref(CONCEPT_BASE + f.area)} .")
    if f.year is not None:
        broad.append(f'?obs ms:refYear "{int(f.year)}"^^xsd:gYear .')
    if f.kind:  # one of three values: the broadest
        broad.append(f"?obs ms:statementKind {string_literal(f.kind)} .")
    return narrow, broad


def filter_patterns(f: TargetFilter, *, regions: list[str] | None = None, indicators: list[str] | None = None) -> str:
    """The filter's patterns, narrow ones first: the engine joins in the order written."""
    narrow, broad = filter_blocks(f, regions=regions, indicators=indicators)
    return "\n".join(narrow + broad)


def count_query(f: TargetFilter, resolved: dict[str, list[str]]) -> str:
    """COUNT of the statements matching the filter.

    Without a narrow pattern, each broad one (and the type, when needed) is its own sub-select,
    which Oxigraph joins by hashing both sides instead of one index lookup per row. At 10,000
    plans: area + year 5.8 → 0.4 s, one area 5.6 → 0.8 s, year + kind 1.7 → 0.2 s. With a narrow
    pattern the lookups per row are few and cheaper than reading a broad pattern whole."""
    narrow, broad = filter_blocks(f, **resolved)
    typed = observation_type(f)
    broad += [typed] if typed else []
    if narrow or len(broad) < 2:
        body = "\n".join(narrow + broad)
    else:
        body = "\n".join(f"{{ SELECT ?obs WHERE {{ {pattern} }} }}" for pattern in broad)
    return f"SELECT (COUNT(DISTINCT ?obs) AS ?n) WHERE {{ {body} }}"


# Names → IRIs. The kind is told by the IRI's base, not by `?r a ms:Indicator`: every plan
# declares its indicators again, and joining the type over the union of graphs multiplies
# the rows (16 s at 1,000 plans, against 0.4 s this way).
def resolve_names(store: GraphStore, f: TargetFilter) -> dict[str, list[str]]:
    """The region and indicator IRIs whose names contain the filter's text: a few thousand
    labels to scan, instead of one label join per statement in the main query."""
    resolved = {}
    if f.region:
        resolved["regions"] = iris_named(store, f.region, "skos:prefLabel|skos:notation", [BASE + "id/region/"])
    if f.indicator and not f.indicator.startswith(INDICATOR_BASE):
        resolved["indicators"] = iris_named(store, f.indicator, "skos:prefLabel|skos:altLabel", [INDICATOR_BASE])
    return resolved


def _record(row: dict[str, Any]) -> dict[str, Any]:
    area = row["a"]
    return {
        "id": row["obs"],
        "kind": row["kind"],
        "indicator": row["indicatorName"],
        "indicator_id": row["indicator"],
        "value": row["v"],
        "value_max": row["vmax"],
        "unit": row["u"],
        "comparator": row["comparator"],
        "year": row["y"],
        "per_year": bool(row["py"]),
        "forecast": bool(row["fc"]),
        "area": area[len(CONCEPT_BASE):] if isinstance(area, str) and area.startswith(CONCEPT_BASE) else area,
        "region": row["rn"],
        "adcode": row["rc"],
        "plan": row["doc"],
        "source": row["source"],
        "title": row["plan_title"],
        "text": row["t"],
        "start": row["s"],
        "end": row["e"],
        "progress_of": row["tg"],
        "status": row["st"],
    }


def _graph_of(statement: str) -> str:
    """A statement IRI is <document IRI>/statement/<n>; its named graph is the document's."""
    return graph_of(statement.rsplit("/statement/", 1)[0])


def count_targets(store: GraphStore, f: TargetFilter, resolved: dict[str, list[str]] | None = None) -> int:
    """How many statements match the filter: the dearest part of a page on a large store (1–2 s
    at 10,000 plans), and the same for every page, so the API keeps it per filter."""
    resolved = resolve_names(store, f) if resolved is None else resolved
    if any(not found for found in resolved.values()):  # a name that matches nothing matches no statement
        return 0
    return rows(store.query(count_query(f, resolved)))[0]["n"]


def observation_type(f: TargetFilter) -> str:
    """`?obs a ms:Observation`, unless a filter already holds ?obs to something only statements
    have (a kind, indicator, year or region, or a plan's datasets; duties have a policy area too).
    Then the type adds nothing but a lookup per match: counting one year's statements at 10,000
    plans took 0.85 s with it and 0.03 s without."""
    only_statements = f.kind or f.indicator or f.year is not None or f.region or f.plan
    return "" if only_statements else "?obs a ms:Observation ."


def list_targets(store: GraphStore, f: TargetFilter, *, limit: int = 50, offset: int = 0,
                 resolved: dict[str, list[str]] | None = None, total: int | None = None) -> dict[str, Any]:
    """One page of statements matching the filter, sorted by plan and position within the page.
    `resolved` (from resolve_names) and `total` (from count_targets) may come from a cache."""
    resolved = resolve_names(store, f) if resolved is None else resolved
    if any(not found for found in resolved.values()):
        return {"total": 0, "limit": limit, "offset": offset, "items": []}
    filters = filter_patterns(f, **resolved)
    total = count_targets(store, f, resolved) if total is None else total
    if offset >= total:  # past the last match: reading on would scan every candidate for nothing
        return {"total": total, "limit": limit, "offset": offset, "items": []}
    page = [(r["obs"].value, _graph_of(r["obs"].value)) for r in store.query(PAGE.format(filters=filters, typed=observation_type(f), limit=int(limit), offset=int(offset)))]
    if not page:
        return {"total": total, "limit": limit, "offset": offset, "items": []}
    found = []
    for obs, graph in page:
        pattern = (FIELDS + DETAILS).replace("?obs", f"<{obs}>")
        found += rows(store.query(SELECT.format(graph=graph, obs=obs, pattern=pattern)))
    found.sort(key=lambda r: (r["source"], r["s"] if r["s"] is not None else -1, r["obs"]))
    return {"total": total, "limit": limit, "offset": offset, "items": [_record(r) for r in found]}


# Plans and regions of an indicator, over all its values: matched inside each plan's graph, which
# labels its own region (a join over the union would repeat the label once per plan naming the region).
INDICATOR_SPREAD = """SELECT DISTINCT ?doc ?regionName WHERE {{ GRAPH ?g {{
  ?obs ms:indicator {iri} ; ms:inDocument ?doc .
  OPTIONAL {{ ?obs ms:refArea ?region . ?region skos:prefLabel ?regionName }} }} }}"""


def indicator_detail(store: GraphStore, indicator_id: str, *, limit: int | None = None, offset: int = 0) -> dict[str, Any] | None:
    """One indicator across plans and regions: targets beside progress and baselines.

    `plans` and `regions` cover every value; the values themselves are all of them, or one page
    (`limit`, `offset`; `total` counts them all): at 10,000 plans a common indicator has thousands."""
    iri = indicator_iri(indicator_id)
    labels = rows(
        store.query(
            # the type as FILTER EXISTS: as a join it paired each plan's type triple with each plan's
            # labels, plans² rows (0.5 s for an indicator of 1,444 plans out of 10,000; now 0.02 s)
            f"SELECT DISTINCT ?label ?preferred WHERE {{ "
            f"{{ {iri_ref(iri)} skos:prefLabel ?label BIND(true AS ?preferred) }} UNION "
            f"{{ {iri_ref(iri)} skos:altLabel ?label BIND(false AS ?preferred) }} "
            f"FILTER EXISTS {{ {iri_ref(iri)} a ms:Indicator }} }}"
        )
    )
    if not labels:
        return None
    selected = TargetFilter(indicator=iri)
    total = count_targets(store, selected, {})
    page = list_targets(store, selected, limit=max(1, total) if limit is None else limit, offset=offset, resolved={}, total=total)
    spread = rows(store.query(INDICATOR_SPREAD.format(iri=iri_ref(iri))))
    values = page["items"]
    by_kind = {kind: [v for v in values if v["kind"] == kind] for kind in KINDS}
    return {
        "id": iri,
        "label": next((l["label"] for l in labels if l["preferred"]), labels[0]["label"]),
        "names": sorted({l["label"] for l in labels}),
        "plans": sorted({row["doc"] for row in spread}),
        "regions": sorted({row["regionName"] for row in spread if row["regionName"]}),
        "total": total,
        "limit": page["limit"],
        "offset": offset,
        "targets": by_kind["target"],
        "progress": by_kind["progress"],
        "baselines": by_kind["baseline"],
    }
