"""JSON API about documents."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request

from kg.queries import list_plans

router = APIRouter(prefix="/api", tags=["plans"])


@router.get("/plans")
def plans(request: Request, limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)) -> dict:
    """Every document in the store: id, source, title, doc_type, issuer, region, date."""
    records = list_plans(request.app.state.store)
    return {"total": len(records), "limit": limit, "offset": offset, "items": records[offset : offset + limit]}


@router.get("/plans/{plan_id:path}")
def plan(request: Request, plan_id: str) -> dict:
    """One document's metadata, by IRI or by source file name."""
    from kg.queries import plan_id_for

    candidates = {plan_id, plan_id_for(plan_id)}
    for record in list_plans(request.app.state.store):
        if record["id"] in candidates:
            return record
    raise HTTPException(404, f"no plan {plan_id!r}")
