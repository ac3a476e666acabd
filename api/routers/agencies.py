"""JSON API about agencies: every organisation any plan names (issuers, bearers of obligations)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from api.cache import cached, cached_json
from api.models import PROBLEMS, AgencyPage
from kg.queries import agencies_in_plan, agency_plans, list_agencies

router = APIRouter(prefix="/api", tags=["agencies"])


def agency_records(request: Request) -> list[dict]:
    """Every agency with its plan count, most widely named first (shared by every page and filter)."""
    return cached(request, ("agencies",), lambda: list_agencies(request.app.state.store))


@router.get("/agencies", response_model=AgencyPage, responses=PROBLEMS)
async def agencies(
    request: Request,
    q: Annotated[str | None, Query(max_length=200, description="Only agencies whose name contains this, e.g. 市场监督")] = None,
    plan: Annotated[str | None, Query(max_length=500, description="Only agencies named in this plan: source file name, document IRI or graph IRI")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    plans_limit: Annotated[int, Query(ge=0, le=100, description="Most plans listed per agency (plans_total counts them all)")] = 10,
) -> dict:
    """Agencies, most widely named first: how many plans name each, and a few of those plans."""
    store = request.app.state.store

    def build() -> dict:
        records = agency_records(request)
        named = None if plan is None else agencies_in_plan(store, plan)
        chosen = [r for r in records if (q is None or q in r["label"]) and (named is None or r["id"] in named)]
        page = chosen[offset : offset + limit]
        shown = agency_plans(store, [r["id"] for r in page], plans_limit)
        items = [{"id": r["id"], "label": r["label"], "plans": shown.get(r["id"], []), "plans_total": r["plans_total"]} for r in page]
        return {"total": len(chosen), "limit": limit, "offset": offset, "items": items}

    try:
        return await cached_json(request, ("agencies", q, plan, limit, offset, plans_limit), build)
    except ValueError as exc:  # a plan IRI the query cannot hold
        raise HTTPException(422, str(exc)) from None
