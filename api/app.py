"""The HTTP service: SPARQL endpoint, JSON API and graph pages over one open store."""

from __future__ import annotations

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.routers import graph, plans, sparql
from kg.store import GraphStore


def create_app(store: GraphStore) -> FastAPI:
    app = FastAPI(
        title="mskg",
        summary="Knowledge graph of Chinese market-supervision plans: SPARQL, JSON API, graph pages.",
        version="0.1.0",
    )
    app.state.store = store

    @app.get("/health", tags=["service"])
    def health() -> dict:
        return {"status": "ok"}

    for module in (sparql, plans, graph):
        app.include_router(module.router)
    _include_optional_routers(app)
    install_error_handlers(app)
    return app


def _include_optional_routers(app: FastAPI) -> None:
    """Routers of stages that may not exist yet in a given checkout are added when present."""
    import importlib

    for name in ("api.routers.concepts", "api.routers.targets"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        app.include_router(module.router)
