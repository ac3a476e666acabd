"""Browser page: the interactive graph, filtered by plan, policy area and node type."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from html import escape
from pathlib import Path
from typing import Annotated

import pyvis
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from api.cache import cached
from api.routers.plans import find_plan
from kg.network import Backbone, plan_choices, plan_network, policy_areas, restrict
from kg.visual import TYPE_COLOURS, Drawing, draw

router = APIRouter(tags=["pages"])

PLAN_CHOICES = 200  # suggestions under the plan box; any plan can be typed

FORM_STYLE = """<style>
#mskg-filters{font:14px sans-serif;padding:6px 10px;background:#f4f6f8;border-bottom:1px solid #ccd;display:flex;flex-wrap:wrap;gap:10px;align-items:center}
#mskg-filters select,#mskg-filters input{font-size:13px}
#mskg-filters #f-plan{width:22em}
#mskg-filters .kinds label{margin-right:6px;white-space:nowrap}
#mskg-hidden,#mskg-links-hidden{font:13px sans-serif;margin:4px 10px;color:#555}
</style>"""

# pyvis inlines vis-network (700 KB) into every page; the page links this server's copy instead,
# which the browser keeps (still nothing from the internet).
PYVIS_LIB = Path(pyvis.__file__).resolve().parent / "templates" / "lib"
ASSETS = {
    "utils.js": PYVIS_LIB / "bindings" / "utils.js",
    "vis-network.css": PYVIS_LIB / "vis-9.1.2" / "vis-network.css",
    "vis-network.min.js": PYVIS_LIB / "vis-9.1.2" / "vis-network.min.js",
}


def resolve_plan(request: Request, plan: str | None) -> str | None:
    """`plan` as a named-graph IRI: a source file name, a document IRI or a graph IRI."""
    if not plan:
        return None
    entry = find_plan(request, plan)
    if entry is None:
        raise HTTPException(404, f"no plan {plan!r}")
    return entry["graph"]


def filter_form(request: Request, plan: str | None, area: str | None, kinds: list[str], limit: int) -> str:
    """The filter bar above the network; every value escaped.

    The plan is a text box (a file name, document IRI or graph IRI) with up to PLAN_CHOICES
    suggestions: a list of every plan was 10,000 options (1.3 MB) at 10,000 plans."""
    store = request.app.state.store
    plans = cached(request, ("plan-choices", PLAN_CHOICES), lambda: plan_choices(store, PLAN_CHOICES))
    areas = cached(request, ("areas",), lambda: policy_areas(store))

    def option(value: str, label: str, chosen: bool = False) -> str:
        return f'<option value="{escape(value)}"{" selected" if chosen else ""}>{escape(label)}</option>'

    plan_options = "".join(option(source, title[:40]) for source, title in plans)
    area_options = [option("", "全部领域 (all areas)", not area)] + [option(iri, label, iri == area) for iri, label in areas]
    kind_boxes = "".join(
        f'<label><input type="checkbox" name="kind" value="{escape(k)}"{" checked" if k in kinds else ""}>'
        f'<span style="color:{c}">■</span> {escape(k)}</label>'
        for k, c in TYPE_COLOURS.items()
    )
    return (
        f'{FORM_STYLE}<form id="mskg-filters" method="get" action="/graph">'
        f'<a href="/">mskg</a>'
        f'<label>规划 plan <input name="plan" id="f-plan" list="f-plans" value="{escape(plan or "")}" '
        f'placeholder="全部规划 (all plans)：文件名 file name / IRI"></label><datalist id="f-plans">{plan_options}</datalist>'
        f'<label>领域 area <select name="area" id="f-area">{"".join(area_options)}</select></label>'
        f'<span class="kinds">类型 type: {kind_boxes}</span>'
        f'<label>节点数 nodes <input type="number" name="limit" min="1" max="2000" value="{limit}" style="width:5em"></label>'
        f'<button type="submit">筛选 filter</button></form>'
    )


def backbone_of(request: Request) -> Backbone:
    """All plans in aggregate (kg.network.Backbone), read once per store generation."""
    return cached(request, ("backbone",), lambda: Backbone.read(request.app.state.store))


def warm_backbone(request: Request) -> None:
    """The backbone with every plan's links, which a filter by area or kind needs: read when the
    server starts rather than by the first user who filters. At 10,000 plans it takes 3 s and
    the server's memory grows from 0.37 to 0.61 GB; the first filtered page then takes 1.0 s, not 4.3."""
    backbone_of(request).links(request.app.state.store)


def drawing_of(request: Request, graph: str | None, area: str | None, kinds: set[str] | None, limit: int) -> Drawing:
    """One plan's network cut down by the filters, or the backbone of all plans (see kg.network.Backbone)."""
    store = request.app.state.store
    if graph is not None:
        full = cached(request, ("networkx", graph), lambda: plan_network(store, graph))
        return draw(restrict(full, area=area, kinds=kinds), limit=limit)
    selection = backbone_of(request).select(store, area=area, kinds=kinds, limit=limit)
    return draw(selection.graph, limit=limit, total=selection.total, links_total=selection.links)


@router.get("/graph", response_class=HTMLResponse, responses={404: {"description": "Unknown plan"}})
def graph_page(
    request: Request,
    plan: Annotated[str | None, Query(max_length=500, description="One plan: source file name, document IRI or graph IRI")] = None,
    area: Annotated[str | None, Query(max_length=500, description="IRI of a policy area: only what lies within two links of it")] = None,
    kind: Annotated[list[str], Query(description="Only nodes of these types (Document, Section, Agency, Region, …)")] = [],
    limit: Annotated[int, Query(ge=1, le=2000, description="Most connected nodes to show")] = 300,
) -> HTMLResponse:
    """An interactive pyvis network of the graph (JavaScript from this server: works offline)."""
    graph = resolve_plan(request, plan)
    key = (graph, area or None, tuple(sorted(set(kind))), limit)
    def build() -> Drawing:  # the assets linked once per drawing, not on every request for it
        drawing = drawing_of(request, graph, area or None, set(kind) or None, limit)
        return replace(drawing, html=linked_assets(drawing.html))

    # kept apart: pages of megabytes must not push out other routes' answers
    drawing = cached(request, ("drawing", *key), build, pool="drawings")
    page = drawing.html.replace("<body>", "<body>\n" + filter_form(request, plan, area, kind, limit), 1)
    if not drawing.shown:
        page = page.replace("<body>", '<body>\n<p id="mskg-empty">没有符合条件的节点 (no node matches these filters).</p>', 1)
    page = page.replace("<head>", '<head>\n<meta charset="utf-8"><title>mskg graph</title>', 1)
    return HTMLResponse(page, headers={"X-Nodes-Shown": str(drawing.shown), "X-Nodes-Hidden": str(drawing.hidden)})


@router.get("/graph/assets/{name}", include_in_schema=False)
def graph_asset(name: str) -> FileResponse:
    """vis-network's script and style, as pyvis ships them, cached by the browser for a day."""
    if name not in ASSETS:
        raise HTTPException(404, f"no asset {name!r}")
    media = "text/css" if name.endswith(".css") else "text/javascript"
    return FileResponse(ASSETS[name], media_type=media, headers={"Cache-Control": "public, max-age=86400"})


def linked_assets(page: str) -> str:
    """The page with pyvis's inlined copies of ASSETS replaced by links to them (left inline if not found)."""
    for name, (inline, tag) in _asset_tags().items():
        page = page.replace(inline, tag, 1)
    return page


@cache
def _asset_tags() -> dict[str, tuple[str, str]]:
    """Asset → (the block pyvis inlines, the tag that links it); Jinja drops a file's last newline."""
    tags = {}
    for name, path in ASSETS.items():
        text = path.read_text(encoding="utf-8").removesuffix("\n")
        if name.endswith(".css"):
            tags[name] = (f"<style>{text}</style>", f'<link rel="stylesheet" href="/graph/assets/{name}">')
        else:
            tags[name] = (f"<script>{text}</script>", f'<script src="/graph/assets/{name}"></script>')
    return tags
