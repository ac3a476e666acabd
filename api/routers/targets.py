"""JSON API over quantified statements: targets, progress and baselines, and indicators."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Query, Request

from kg.targets import TargetFilter, indicator_detail, list_targets

router = APIRouter(prefix="/api", tags=["targets"])

AREA_PATTERN = r"^[a-z_]{2,40}$"


@router.get("/targets")
def targets(
    request: Request,
    area: str | None = Query(None, pattern=AREA_PATTERN, description="Policy-area code, e.g. food_safety"),
    region: str | None = Query(None, min_length=1, max_length=60, description="Region name (or part) or GB/T 2260 code"),
    year: int | None = Query(None, ge=1949, le=2100, description="Deadline or measurement year"),
    kind: Literal["target", "progress", "baseline"] | None = Query(None),
    indicator: str | None = Query(None, min_length=1, max_length=200, description="Indicator id or part of its name"),
    plan: str | None = Query(None, min_length=1, max_length=500, description="Plan IRI or source file name"),
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> dict:
    """Quantified statements with value, unit, comparator, deadline, area, region and span, filtered and paged."""
    selected = TargetFilter(area=area, region=region, year=year, kind=kind, indicator=indicator, plan=plan)
    try:
        return list_targets(request.app.state.store, selected, limit=limit, offset=offset)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/indicators/{indicator_id:path}")
def indicator(request: Request, indicator_id: str) -> dict:
    """Every value of one indicator across plans and regions, targets beside progress."""
    try:
        found = indicator_detail(request.app.state.store, indicator_id)
    except ValueError as exc:
        raise HTTPException(404, str(exc)) from None
    if found is None:
        raise HTTPException(404, f"no indicator {indicator_id!r}")
    return found
