"""JSON API over quantified statements: targets, progress and baselines, and indicators."""

from __future__ import annotations

from dataclasses import astuple
from typing import Literal

from fastapi import APIRouter, HTTPException, Query, Request

from api.cache import cached, cached_json
from kg.targets import TargetFilter, count_targets, indicator_detail, list_targets, resolve_names

router = APIRouter(prefix="/api", tags=["targets"])

AREA_PATTERN = r"^[a-z_]{2,40}$"


@router.get("/targets")
async def targets(
    request: Request,
    area: str | None = Query(None, pattern=AREA_PATTERN, description="Policy-area code, e.g. food_safety"),
    region: str | None = Query(None, min_length=1, max_length=60, description="Region name (or part) or GB/T 2260 code"),
    year: int | None = Query(None, ge=1949, le=2100, description="Deadline or measurement year"),
    kind: Literal["target", "progress", "baseline"] | None = Query(None),
    indicator: str | None = Query(None, min_length=1, max_length=200, description="Indicator id or part of its name"),
    plan: str | None = Query(None, min_length=1, max_length=500, description="One plan: source file name, document IRI or graph IRI"),
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> dict:
    """Quantified statements with value, unit, comparator, deadline, area, region and span, filtered and paged."""
    selected = TargetFilter(area=area, region=region, year=year, kind=kind, indicator=indicator, plan=plan)
    store = request.app.state.store

    def build() -> dict:
        # names and the total are the same for every page of a filter: kept apart from the page
        names = cached(request, ("target names", region, indicator), lambda: resolve_names(store, selected), pool="answers")
        total = cached(request, ("target total", *astuple(selected)), lambda: count_targets(store, selected, names),
                       pool="answers")
        return list_targets(store, selected, limit=limit, offset=offset, resolved=names, total=total)

    try:
        return await cached_json(request, ("targets", *astuple(selected), limit, offset), build)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/indicators/{indicator_id:path}")
async def indicator(
    request: Request,
    indicator_id: str,
    limit: int = Query(100, ge=1, le=10_000, description="Most values in one answer (`total` counts them all)"),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> dict:
    """One indicator across plans and regions, targets beside progress: every plan and region, a page of values."""
    def build() -> dict:
        found = indicator_detail(request.app.state.store, indicator_id, limit=limit, offset=offset)
        if found is None:
            raise LookupError(f"no indicator {indicator_id!r}")
        return found

    try:
        return await cached_json(request, ("indicator", indicator_id, limit, offset), build)
    except (ValueError, LookupError) as exc:
        raise HTTPException(404, str(exc)) from None
