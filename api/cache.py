"""Answers that only change when the store does, kept until the next upload.

The JSON API is meant to serve hundreds of requests a second; the plan list and a plan's
spans are the same for every caller until `api.app.store_changed` bumps the generation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from fastapi import Request

_lock = threading.Lock()
_building: dict[tuple, threading.Lock] = {}
MAX_ENTRIES = 128


def cached(request: Request, key: tuple, compute: Callable[[], Any]) -> Any:
    """compute() once per store generation and key."""
    state = request.app.state
    generation = getattr(state, "generation", 0)
    cache: dict | None = getattr(state, "answer_cache", None)
    if cache is None or getattr(state, "answer_cache_generation", None) != generation:
        cache = {}
        state.answer_cache, state.answer_cache_generation = cache, generation
    if key in cache:
        return cache[key]
    with _lock:
        key_lock = _building.setdefault(key, threading.Lock())
    with key_lock:  # many callers missing at once wait for one build instead of all building
        if key in cache:
            return cache[key]
        value = compute()
        with _lock:
            if len(cache) >= MAX_ENTRIES:
                cache.clear()
            cache[key] = value
            _building.pop(key, None)
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

    state = request.app.state
    cache = getattr(state, "answer_cache", None)
    if cache is not None and getattr(state, "answer_cache_generation", None) == getattr(state, "generation", 0) and ("json", *key) in cache:
        body = cache[("json", *key)]
    else:
        body = await run_in_threadpool(cached, request, ("json", *key), encode)
    return Response(body, media_type="application/json")
