"""JSON API about agencies: every organisation any plan names (issuers, bearers of obligations)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.cache import cached, cached_json
from api.models import PROBLEMS, AgencyPage
from kg.queries import list_agencies

router = APIRouter(prefix="/api", tags=["agencies"])


@router.get("/agencies", response_model=AgencyPage, responses=PROBLEMS)
async def agencies(
    request: Request,
    q: Annotated[str | None, Query(max_length=200, description="Only agencies whose name contains this, e.g. 市场监督")] = None,
    plan: Annotated[str | None, Query(max_length=500, description="Only agencies named in this plan (source file name)")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict:
    """Agencies with the plans that name them, most widely named first."""

    def build() -> dict:
        records = cached(request, ("agencies",), lambda: list_agencies(request.app.state.store))
        chosen = [r for r in records if (q is None or q in r["label"]) and (plan is None or plan in r["plans"])]
        return {"total": len(chosen), "limit": limit, "offset": offset, "items": chosen[offset : offset + limit]}

    return await cached_json(request, ("agencies", q, plan, limit, offset), build)
