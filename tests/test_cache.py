"""The API's answer cache: per store generation, least recently used out, pools kept apart."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from api.cache import POOL_SIZES, cached, peek


def _request():
    """What the cache reads of a request: request.app.state (a real app's state is a plain namespace too)."""
    return SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(generation=0)))


def test_a_value_is_computed_once_per_generation():
    request, calls = _request(), []
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert cached(request, ("plans",), compute) == 1
    assert cached(request, ("plans",), compute) == 1
    request.app.state.generation += 1  # an upload changed the store
    assert cached(request, ("plans",), compute) == 2


def test_many_answers_never_push_out_the_shared_data():
    """A run of distinct SPARQL queries used to empty the whole cache, plan list included."""
    request = _request()
    cached(request, ("plans",), lambda: ["a plan"])
    for i in range(POOL_SIZES["answers"] * 3):
        cached(request, ("sparql", i), lambda: b"rows", pool="answers")
    assert peek(request, ("plans",), "data") == ["a plan"]
    assert peek(request, ("sparql", 0)) is None  # the oldest answers went first
    assert peek(request, ("sparql", POOL_SIZES["answers"] * 3 - 1)) == b"rows"


def test_the_least_recently_used_goes_first():
    request = _request()
    size = POOL_SIZES["data"]
    for i in range(size):
        cached(request, ("plan", i), lambda i=i: i)
    cached(request, ("plan", 0), lambda: "recomputed")  # a hit: 0 becomes the most recent
    cached(request, ("plan", size), lambda: size)  # one over: the least recent (1) goes
    assert peek(request, ("plan", 0), "data") == 0
    assert peek(request, ("plan", 1), "data") is None
    assert peek(request, ("plan", size), "data") == size


def test_callers_missing_at_once_wait_for_one_build():
    request, calls, gate = _request(), [], threading.Event()

    def slow():
        calls.append(1)
        gate.wait(5)
        return "built"

    threads = [threading.Thread(target=lambda: cached(request, ("agencies",), slow)) for _ in range(8)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join(10)
    assert calls == [1]
    assert peek(request, ("agencies",), "data") == "built"


def test_the_shared_lists_are_built_at_start_before_any_request(tmp_path):
    """The plan index and list, the agencies and the topics: ready without a user paying for them."""
    from api.app import create_app, store_changed, warm_caches
    from api.cache import peek
    from kg.ingest import ensure_ontology, ingest_file
    from kg.store import memory_store

    plan = tmp_path / "某某县2024年工作要点.txt"
    plan.write_text("某某县市场监督管理局2024年工作要点\n\n一、食品安全\n县市场监管局要开展校园食品安全检查，食品抽检合格率达到98%以上。\n",
                    encoding="utf-8")
    store = memory_store()
    ensure_ontology(store)
    ingest_file(store, plan)
    app = create_app(store)
    holder = SimpleNamespace(app=app)

    warm_caches(app).join(30)
    assert app.state.caches.caches == "ready", "GET /health says so"
    plans = peek(holder, ("plans",), "data")
    assert [p["source"] for p in plans] == [plan.name]
    assert peek(holder, ("plan index",), "data")[0]["source"] == plan.name
    assert any("市场监督管理局" in a["label"] for a in peek(holder, ("agencies",), "data"))
    assert peek(holder, ("topics",), "data")["schemes"]
    backbone = peek(holder, ("backbone",), "data")
    assert backbone is not None and backbone._links is not None, "the graph page's backbone, with every plan's links"
    store_changed(app).join(30)  # an upload: the lists are dropped, then built again for the new generation
    assert app.state.caches.caches == "ready"
    assert app.state.answer_cache_generation == 1
    assert [p["source"] for p in peek(holder, ("plans",), "data")] == [plan.name]
