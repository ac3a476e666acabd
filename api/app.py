"""The HTTP service: SPARQL endpoint, JSON API and browser pages over one open store."""

from __future__ import annotations

import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from types import SimpleNamespace

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.errors import install_error_handlers
from api.models import Health
from api.openapi import install_docs, install_openapi
from api.routers import agencies, concepts, documents, graph, pages, plans, sparql, targets
from kg.store import GraphStore

STATIC_DIR = Path(__file__).resolve().parent / "static"
_CACHES_STATE = threading.Lock()  # an older build must not report "ready" over a newer one's "warming"


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Start the SPARQL workers with the server (not on the first query) and stop them with it."""
    sparql.sparql_pool(app)
    warm_caches(app)
    yield
    pool = getattr(app.state, "sparql_pool", None)
    if pool:
        pool.close()


def create_app(store: GraphStore) -> FastAPI:
    app = FastAPI(
        title="mskg",
        summary="Knowledge graph of Chinese market-supervision plans: SPARQL, JSON API, graph pages.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by install_docs from bundled files (the default loads from a CDN)
        redoc_url=None,
    )
    app.state.store = store
    app.state.generation = 0  # bumped when the store changes, so caches and SPARQL workers renew
    app.state.caches = Health(caches="warming")

    @app.get("/health", tags=["service"], response_model=Health)
    async def health() -> Health:
        """Liveness, and whether the shared lists are built (a script can wait for "ready")."""
        return app.state.caches

    for module in (sparql, plans, agencies, documents, concepts, targets, graph, pages):
        app.include_router(module.router)
    install_docs(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_handlers(app)
    install_openapi(app)
    return app


def warm_caches(app: FastAPI) -> threading.Thread:
    """Build the lists most routes start from (plan index and list, agencies, topics, the graph
    page's backbone) in the background.

    Each takes a second or two on a 10,000-plan store; built here, right after a start or an
    upload, they are ready before most users arrive instead of costing the first one that wait.
    A request that comes sooner waits for the same build (api.cache builds a key once)."""
    holder = SimpleNamespace(app=app)  # all the cache reads of a request
    generation, started = app.state.generation, time.monotonic()
    with _CACHES_STATE:
        app.state.caches = Health(caches="warming")

    def build() -> None:
        for function in (plans.plan_index, agencies.agency_records, concepts.topic_tree, plans.all_plans, graph.warm_backbone):
            try:
                function(holder)
            except Exception:  # noqa: BLE001 - the request that needs it meets the error again and reports it
                pass
        with _CACHES_STATE:
            if app.state.generation == generation:  # a later upload's build reports for itself
                app.state.caches = Health(caches="ready", caches_built_in_s=round(time.monotonic() - started, 2))

    thread = threading.Thread(target=build, name="mskg-warm", daemon=True)
    thread.start()
    return thread


def store_changed(app: FastAPI) -> threading.Thread:
    """After a write: persist it, drop cached answers, make SPARQL workers reopen the store, and
    build the shared lists again (the thread that does it is returned)."""
    flush = getattr(app.state.store, "flush", None)
    if flush is not None:
        flush()
    app.state.generation += 1
    pool = getattr(app.state, "sparql_pool", None)
    if pool:
        pool.invalidate()
    return warm_caches(app)

