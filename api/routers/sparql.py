"""SPARQL 1.1 Protocol, query operation: GET ?query=, POST form, POST application/sparql-query."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.errors import problem

router = APIRouter(tags=["sparql"])

RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def _pick(accept: str, formats: dict, default: str) -> str | None:
    """The first acceptable media type we can produce, by the client's q-values."""
    choices = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        choices.append((-q, i, media.lower()))
    for _, _, media in sorted(choices):
        if media in formats:
            return media
        if media in ("*/*", "application/*", "text/*", ""):
            return default
    return None


def run_query(request: Request, query: str | None, default_graphs: list[str], named_graphs: list[str]) -> Response:
    if not query:
        return problem(400, "Missing query", "Pass a SPARQL query as ?query=, a form field or an application/sparql-query body.")
    store = request.app.state.store
    try:
        result = store.query(
            query,
            default_graph=[ox.NamedNode(g) for g in default_graphs] or None,
            named_graphs=[ox.NamedNode(g) for g in named_graphs] or None,
        )
    except SyntaxError as exc:
        return problem(400, "Malformed query", str(exc).splitlines()[0])
    except (ValueError, OSError) as exc:
        return problem(400, "Query failed", str(exc).splitlines()[0])
    accept = request.query_params.get("format") or request.headers.get("accept", "*/*")
    if isinstance(result, ox.QueryTriples):
        media = _pick(accept, GRAPH_FORMATS, "text/turtle")
        if media is None:
            return problem(406, "Not acceptable", f"cannot serialise a graph as {accept}")
        return Response(ox.serialize(result, format=GRAPH_FORMATS[media]), media_type=media)
    media = _pick(accept, RESULT_FORMATS, "application/sparql-results+json")
    if media is None:
        return problem(406, "Not acceptable", f"cannot serialise results as {accept}")
    return Response(result.serialize(format=RESULT_FORMATS[media]), media_type=media)


@router.get("/sparql")
def sparql_get(request: Request) -> Response:
    params = request.query_params
    return run_query(request, params.get("query"), params.getlist("default-graph-uri"), params.getlist("named-graph-uri"))


@router.post("/sparql")
async def sparql_post(request: Request) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    if content_type == "application/sparql-query":
        body = (await request.body()).decode("utf-8", errors="replace")
        return await _in_thread(request, body, params.getlist("default-graph-uri"), params.getlist("named-graph-uri"))
    if content_type == "application/x-www-form-urlencoded":
        form = await request.form()
        if "update" in form:
            return problem(403, "Read-only endpoint", "SPARQL Update is not accepted here.")
        return await _in_thread(request, form.get("query"), form.getlist("default-graph-uri"), form.getlist("named-graph-uri"))
    return problem(415, "Unsupported media type", "POST application/sparql-query or application/x-www-form-urlencoded.")


async def _in_thread(request: Request, query, default_graphs, named_graphs) -> Response:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(run_query, request, query, list(default_graphs), list(named_graphs))
