"""JSON API about documents: the list, one plan (metadata, outline, counts), its text with spans."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from api.cache import cached, cached_json
from api.models import PROBLEMS, PlanDetail, PlanPage, PlanText
from kg import queries
from loaders.to_rdf.vocab import graph_of

router = APIRouter(prefix="/api", tags=["plans"])

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")]


def all_plans(request: Request) -> list[dict[str, Any]]:
    return cached(request, ("plans",), lambda: queries.list_plans(request.app.state.store))


def plan_index(request: Request) -> list[dict[str, Any]]:
    """Every plan's graph, id, source and type: enough to filter by type, count and page without the details."""
    return cached(request, ("plan index",), lambda: queries.plan_index(request.app.state.store))


def find_plan(request: Request, plan_id: str) -> dict[str, Any] | None:
    """The plan index entry a source file name or IRI (the document's or its graph's) names; the
    one lookup of a plan for every route and page (a scan of the cached index: ~1 ms at 10,000 plans)."""
    return next((entry for entry in plan_index(request) if plan_id in (entry["id"], entry["source"], entry["graph"])), None)


def plan_or_404(request: Request, plan_id: str) -> dict[str, Any]:
    """A plan by source file name or IRI, described alone: the full plan list takes seconds to
    build at 10,000 plans, one plan's details a few milliseconds."""
    entry = find_plan(request, plan_id)
    if entry is None:
        raise HTTPException(404, f"no plan {plan_id!r}")
    store = request.app.state.store
    return cached(request, ("plan", entry["id"]), lambda: queries.plan_records(store, [entry])[0], pool="answers")


def plan_annotations(request: Request, record: dict[str, Any]) -> list[dict[str, Any]]:
    graph = graph_of(record["id"])
    return cached(request, ("annotations", graph), lambda: queries.annotations(request.app.state.store, graph))


@router.get("/plans", response_model=PlanPage, responses=PROBLEMS)
async def plans(
    request: Request,
    limit: Limit = 100,
    offset: Offset = 0,
    doc_type: Annotated[str | None, Query(max_length=100, description="Only this type, e.g. five_year_plan, annual_work_plan")] = None,
    region: Annotated[str | None, Query(max_length=200, description="Only plans whose region name contains this, e.g. 天津")] = None,
):
    """Every document in the store: id, source, title, doc_type, issuer, region, date."""

    def build() -> dict:
        entries = [e for e in plan_index(request) if doc_type is None or e["doc_type"] == doc_type]
        if region is not None:
            regions = cached(request, ("plan regions",), lambda: queries.plan_regions(request.app.state.store))
            entries = [e for e in entries if region in regions.get((e["graph"], e["id"]), "")]
        items = queries.plan_records(request.app.state.store, entries[offset : offset + limit])
        return {"total": len(entries), "limit": limit, "offset": offset, "items": items}

    return await cached_json(request, ("plans", limit, offset, doc_type, region), build)


@router.get("/plans/{plan_id:path}/text", response_model=PlanText, responses=PROBLEMS)
async def plan_text(
    request: Request,
    plan_id: str,
    kind: Annotated[list[str], Query(description="Only annotations of these kinds (class local names, e.g. Section, Target)")] = [],
    details: Annotated[bool, Query(description="Include each annotation's properties")] = True,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
    offset: Offset = 0,
):
    """The decoded text with every node that has a position in it (sections, statements, mentions, agencies, obligations)."""
    record = plan_or_404(request, plan_id)

    def build() -> dict:
        spans = plan_annotations(request, record)
        kinds: dict[str, int] = {}
        for span in spans:
            kinds[span["kind"]] = kinds.get(span["kind"], 0) + 1
        chosen = [s for s in spans if not kind or s["kind"] in kind]
        page = chosen[offset : offset + limit]
        if not details:
            page = [{**s, "properties": None} for s in page]
        text = queries.plan_text(request.app.state.store, record["id"])
        return {
            "id": record["id"], "source": record["source"], "text": text, "length": None if text is None else len(text),
            "kinds": kinds, "total": len(chosen), "limit": limit, "offset": offset, "annotations": page,
        }

    return await cached_json(request, ("text", record["id"], tuple(sorted(set(kind))), details, limit, offset), build)


@router.get("/plans/{plan_id:path}", response_model=PlanDetail, responses=PROBLEMS)
async def plan(request: Request, plan_id: str):
    """One document: its metadata, outline (section tree with offsets) and counts of what was extracted."""
    record = plan_or_404(request, plan_id)
    store = request.app.state.store
    graph = graph_of(record["id"])

    def build() -> dict:
        text = queries.plan_text(store, record["id"])
        return {
            **record, "graph": graph, "text_length": None if text is None else len(text),
            "counts": queries.plan_counts(store, graph), "outline": queries.plan_outline(store, graph),
        }

    return await cached_json(request, ("plan", graph), build)
