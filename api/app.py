"""The HTTP service: SPARQL endpoint, JSON API and browser pages over one open store."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.errors import install_error_handlers
from api.openapi import install_docs, install_openapi
from api.routers import agencies, concepts, documents, graph, pages, plans, sparql, targets
from kg.store import GraphStore

STATIC_DIR = Path(__file__).resolve().parent / "static"


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Start the SPARQL workers with the server (not on the first query) and stop them with it."""
    sparql.sparql_pool(app)
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

    @app.get("/health", tags=["service"])
    async def health() -> dict:
        return {"status": "ok"}

    for module in (sparql, plans, agencies, documents, concepts, targets, graph, pages):
        app.include_router(module.router)
    install_docs(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_handlers(app)
    install_openapi(app)
    return app


def store_changed(app: FastAPI) -> None:
    """After a write: persist it, drop cached answers, make SPARQL workers reopen the store."""
    flush = getattr(app.state.store, "flush", None)
    if flush is not None:
        flush()
    app.state.generation += 1
    pool = getattr(app.state, "sparql_pool", None)
    if pool:
        pool.invalidate()

