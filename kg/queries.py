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

PLANS = """
SELECT ?doc ?source ?title ?type ?issuerName ?regionName ?adcode ?date WHERE {
  ?doc ms:sourceFile ?source ; a ?type .
  ?type rdfs:subClassOf ms:Document .
  OPTIONAL { ?doc eli:title ?title }
  OPTIONAL { ?doc eli:passed_by/skos:prefLabel ?issuerName }
  OPTIONAL { ?doc ms:region ?region . ?region skos:prefLabel ?regionName . OPTIONAL { ?region skos:notation ?adcode } }
  OPTIONAL { ?doc eli:date_document ?date }
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
