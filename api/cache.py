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
MAX_ENTRIES = 256


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
    value = compute()
    with _lock:
        if len(cache) >= MAX_ENTRIES:
            cache.clear()
        cache[key] = value
    return value
