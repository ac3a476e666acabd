"""Browser pages: the interactive graph."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from kg.visual import draw, to_networkx

router = APIRouter(tags=["pages"])


@router.get("/graph", response_class=HTMLResponse)
def graph_page(
    request: Request,
    plan: str | None = Query(None, description="IRI of one plan's named graph"),
    limit: int = Query(300, ge=1, le=2000, description="Most connected nodes to show"),
) -> HTMLResponse:
    """An interactive pyvis network of the graph (JavaScript inlined: works offline)."""
    drawing = draw(to_networkx(request.app.state.store, plan=plan), limit=limit)
    return HTMLResponse(drawing.html, headers={"X-Nodes-Shown": str(drawing.shown), "X-Nodes-Hidden": str(drawing.hidden)})
