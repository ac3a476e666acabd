"""Answers that only change when the store does, kept until the next upload.

The JSON API is meant to serve hundreds of requests a second; the plan list and a plan's
spans are the same for every caller until `api.app.store_changed` bumps the generation.

Pools, each least-recently-used first out:
- "data": what many routes build on (the plan list, the agency list, a plan's network);
  costly to rebuild on a large store (seconds at 10,000 plans) and few in number;
- "answers": the bytes of one request's answer (a page of JSON, a SPARQL result); many;
- "drawings": drawn graph pages, up to megabytes each; a few.
Before, one pool was emptied whole when full, so a run of distinct SPARQL queries threw
away the plan list too and the next user paid for rebuilding it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from fastapi import Request

_lock = threading.Lock()
_building: dict[tuple, threading.Lock] = {}
POOL_SIZES = {"data": 32, "answers": 512, "drawings": 16}  # a plan's network or a page can take megabytes: few of those
_MISSING = object()


def _pool(request: Request, pool: str) -> OrderedDict:
    """The pool of the current store generation (a new generation starts empty)."""
    state = request.app.state
    generation = getattr(state, "generation", 0)
    pools: dict | None = getattr(state, "answer_cache", None)
    if pools is None or getattr(state, "answer_cache_generation", None) != generation:
        pools = {name: OrderedDict() for name in POOL_SIZES}
        state.answer_cache, state.answer_cache_generation = pools, generation
    return pools[pool]


def peek(request: Request, key: tuple, pool: str = "answers") -> Any:
    """The cached value, or None; never computes."""
    with _lock:
        entries = _pool(request, pool)
        value = entries.get(key, _MISSING)
        if value is _MISSING:
            return None
        entries.move_to_end(key)
        return value


def cached(request: Request, key: tuple, compute: Callable[[], Any], *, pool: str = "data") -> Any:
    """compute() once per store generation and key, kept while it is among the pool's most recently used."""
    with _lock:
        entries = _pool(request, pool)
        if key in entries:
            entries.move_to_end(key)
            return entries[key]
        key_lock = _building.setdefault((pool, *key), threading.Lock())
    with key_lock:  # many callers missing at once wait for one build instead of all building
        with _lock:
            if key in entries:
                return entries[key]
        value = compute()
        with _lock:
            entries[key] = value
            while len(entries) > POOL_SIZES[pool]:
                entries.popitem(last=False)
            _building.pop((pool, *key), None)
    return value


async def cached_json(request: Request, key: tuple, build: Callable[[], Any]):
    """A JSON response whose bytes are built once per store generation and key.

    Serving the cached bytes skips both the store and pydantic, which is what lets the JSON
    API answer hundreds of requests a second; a miss is built in a worker thread, so a slow
    build never holds up the event loop. The response shape is still declared by the route's
    response_model for the OpenAPI schema (and tested against it with schemathesis).
    """
    import json

    from fastapi.responses import Response
    from starlette.concurrency import run_in_threadpool

    def encode() -> bytes:
        return json.dumps(build(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    body = peek(request, ("json", *key))
    if body is None:
        body = await run_in_threadpool(cached, request, ("json", *key), encode, pool="answers")
    return Response(body, media_type="application/json")
