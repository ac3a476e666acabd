"""JSON endpoints for topic search, topic counts and obligations (the lead mounts `router` in the app)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Query, Request

from api.cache import cached, cached_json
from kg import search as topic_search

router = APIRouter(tags=["concepts"])


def _store(request: Request):
    store = getattr(request.app.state, "store", None)
    if store is None:
        raise HTTPException(status_code=503, detail="no store is open")
    return store


def _run(function, *args, **kwargs):
    """Call a query; a failure becomes a one-line 503, never a 500 with a traceback."""
    try:
        return function(*args, **kwargs)
    except HTTPException:
        raise
    except ValueError as exc:  # a parameter the query cannot use (e.g. a malformed plan IRI)
        raise HTTPException(status_code=422, detail=str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - the API must answer with JSON whatever the store does
        message = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise HTTPException(status_code=503, detail=f"query failed: {message}") from None


@router.get("/api/search", response_model=dict)
async def search(
    request: Request,
    # pattern: at least one non-space character, stated in the schema so that clients (and schemathesis)
    # know a blank query is refused; the check is the schema's own, not a second one in Python
    q: str = Query(..., min_length=1, max_length=200, pattern=r"\S", description="a Chinese or English term, synonym or concept id"),
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=100_000),
):
    """Plans about a topic, ranked, each with evidence sentences."""
    store = _store(request)
    # JSON bytes built once per store generation: FastAPI's jsonable_encoder pass over the nested
    # results cost more than a millisecond a request, cached or not.
    return await cached_json(request, ("search", q, limit, offset),
                             lambda: _run(topic_search.search, store, q, limit=limit, offset=offset))


def topic_tree(request: Request) -> dict:
    """The concept schemes with their counts, built once per store generation."""
    store = _store(request)
    return cached(request, ("topics",), lambda: _run(topic_search.topics, store))


@router.get("/api/topics")
def topics(request: Request) -> dict:
    """The concept schemes with, for each concept, how many plans mention it."""
    return topic_tree(request)


@router.get("/api/obligations")
def obligations(
    request: Request,
    bearer: str | None = Query(None, max_length=200, description="regulated-party id or label, or agency name"),
    area: str | None = Query(None, max_length=200, description="policy-area code or term"),
    plan: str | None = Query(None, max_length=500, description="One plan: source file name, document IRI or graph IRI"),
    modality: Literal["obligation", "goal", "encouragement", "prohibition"] | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> dict:
    """Duties found in the plans, filtered by bearer, area, plan and modality."""
    store = _store(request)
    return cached(
        request, ("obligations", bearer, area, plan, modality, limit, offset),
        lambda: _run(
            topic_search.obligations, store,
            bearer=bearer or None, area=area or None, plan=plan or None, modality=modality,
            limit=limit, offset=offset,
        ),
        pool="answers",  # one page of one filter: many of them, none shared
    )
