"""Browser page: the interactive graph, filtered by plan, policy area and node type."""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from api.cache import cached
from api.routers.plans import all_plans
from kg.visual import TYPE_COLOURS, draw, policy_areas, restrict, to_networkx
from loaders.to_rdf.vocab import graph_iri

router = APIRouter(tags=["pages"])

FORM_STYLE = """<style>
#mskg-filters{font:14px sans-serif;padding:6px 10px;background:#f4f6f8;border-bottom:1px solid #ccd;display:flex;flex-wrap:wrap;gap:10px;align-items:center}
#mskg-filters select,#mskg-filters input{font-size:13px}
#mskg-filters .kinds label{margin-right:6px;white-space:nowrap}
#mskg-hidden{font:13px sans-serif;margin:4px 10px;color:#555}
</style>"""


def plan_graph(request: Request, plan: str | None) -> str | None:
    """`plan` as a named-graph IRI: a source file name, a document IRI or a graph IRI."""
    if not plan:
        return None
    for record in all_plans(request):
        if plan in (record["source"], record["id"], graph_iri(record["source"]).value):
            return graph_iri(record["source"]).value
    raise HTTPException(404, f"no plan {plan!r}")


def filter_form(request: Request, plan: str | None, area: str | None, kinds: list[str], limit: int) -> str:
    """The filter bar above the network; every value escaped."""
    plans = all_plans(request)
    areas = cached(request, ("areas",), lambda: policy_areas(request.app.state.store))
    selected_graph = plan_graph(request, plan) if plan else None

    def option(value: str, label: str, chosen: bool) -> str:
        return f'<option value="{escape(value)}"{" selected" if chosen else ""}>{escape(label)}</option>'

    plan_options = [option("", "全部规划 (all plans)", not plan)] + [
        option(r["source"], (r["title"] or r["source"])[:40], graph_iri(r["source"]).value == selected_graph) for r in plans
    ]
    area_options = [option("", "全部领域 (all areas)", not area)] + [option(iri, label, iri == area) for iri, label in areas]
    kind_boxes = "".join(
        f'<label><input type="checkbox" name="kind" value="{escape(k)}"{" checked" if k in kinds else ""}>'
        f'<span style="color:{c}">■</span> {escape(k)}</label>'
        for k, c in TYPE_COLOURS.items()
    )
    return (
        f'{FORM_STYLE}<form id="mskg-filters" method="get" action="/graph">'
        f'<a href="/">mskg</a>'
        f'<label>规划 plan <select name="plan" id="f-plan">{"".join(plan_options)}</select></label>'
        f'<label>领域 area <select name="area" id="f-area">{"".join(area_options)}</select></label>'
        f'<span class="kinds">类型 type: {kind_boxes}</span>'
        f'<label>节点数 nodes <input type="number" name="limit" min="1" max="2000" value="{limit}" style="width:5em"></label>'
        f'<button type="submit">筛选 filter</button></form>'
    )


@router.get("/graph", response_class=HTMLResponse, responses={404: {"description": "Unknown plan"}})
def graph_page(
    request: Request,
    plan: Annotated[str | None, Query(max_length=500, description="One plan: source file name, document IRI or graph IRI")] = None,
    area: Annotated[str | None, Query(max_length=500, description="IRI of a policy area: only what lies within two links of it")] = None,
    kind: Annotated[list[str], Query(description="Only nodes of these types (Document, Section, Agency, Region, …)")] = [],
    limit: Annotated[int, Query(ge=1, le=2000, description="Most connected nodes to show")] = 300,
) -> HTMLResponse:
    """An interactive pyvis network of the graph (JavaScript inlined: works offline)."""
    graph_iri_value = plan_graph(request, plan)
    store = request.app.state.store
    full = cached(request, ("networkx", graph_iri_value), lambda: to_networkx(store, plan=graph_iri_value))
    chosen = restrict(full, area=area or None, kinds=set(kind) or None)
    drawing = draw(chosen, limit=limit)
    page = drawing.html.replace("<body>", "<body>\n" + filter_form(request, plan, area, kind, limit), 1)
    if not drawing.shown:
        page = page.replace("<body>", '<body>\n<p id="mskg-empty">没有符合条件的节点 (no node matches these filters).</p>', 1)
    page = page.replace("<head>", '<head>\n<meta charset="utf-8"><title>mskg graph</title>', 1)
    return HTMLResponse(page, headers={"X-Nodes-Shown": str(drawing.shown), "X-Nodes-Hidden": str(drawing.hidden)})
