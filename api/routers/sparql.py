"""SPARQL 1.1 Protocol, query operation: GET ?query=, POST form, POST application/sparql-query.

Read-only: updates get 403. Queries run in killable worker processes (api/sparql_pool.py)
when the store is a directory; an in-memory store cannot be shared with another process,
so its queries run in a thread with the row limit but no hard time limit.
"""

from __future__ import annotations

import logging
import threading
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api import sparql_formats as fmt
from api.cache import cached, peek
from api.sparql_exec import QueryAnswer, QueryJob, execute, problem_answer
from api.sparql_pool import WorkerPool, answer_job, query_max_rows
from loaders.to_rdf.vocab import PREFIXES

router = APIRouter(tags=["sparql"])
log = logging.getLogger("mskg.sparql")

RESPONSES = {
    200: {
        "description": "Query results (SELECT/ASK) or a graph (CONSTRUCT/DESCRIBE), by Accept or ?format=.",
        "content": {m: {} for m in [*fmt.RESULT_FORMATS, *fmt.GRAPH_FORMATS]},
    },
    400: {"description": "Malformed query (the parser's message) or invalid graph IRI.", "content": {"application/problem+json": {}}},
    403: {"description": "SPARQL Update: the endpoint is read-only.", "content": {"application/problem+json": {}}},
    406: {"description": "No acceptable result format.", "content": {"application/problem+json": {}}},
    415: {"description": "POST body neither a form nor application/sparql-query.", "content": {"application/problem+json": {}}},
    503: {"description": "The query ran past its time limit (MSKG_QUERY_TIMEOUT) and was stopped.", "content": {"application/problem+json": {}}},
}

POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                }
            },
            "application/sparql-query": {"schema": {"type": "string"}},
        },
    }
}

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_W3C = {
    "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
    "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
}

_pool_lock = threading.Lock()


def sparql_pool(app) -> WorkerPool | None:
    """The app's worker pool, started on first use; None for a store no other process can open
    (in memory, remote) or when no worker could start: then queries run in-thread."""
    pool = getattr(app.state, "sparql_pool", None)
    if pool is not None:
        return pool or None
    path = getattr(app.state.store, "path", None)
    if path is None:
        return None
    with _pool_lock:
        if getattr(app.state, "sparql_pool", None) is None:
            try:
                app.state.sparql_pool = WorkerPool(path)
            except (RuntimeError, OSError) as exc:
                log.warning("SPARQL queries run in-thread without a hard time limit: %s", exc)
                app.state.sparql_pool = False
    return app.state.sparql_pool or None


class _ThroughInterface:
    """Any GraphStore (e.g. a remote SPARQL server) behind the pyoxigraph call `execute` makes."""

    def __init__(self, store):
        self.store = store

    def query(self, sparql: str, *, prefixes=None, default_graph=None, named_graphs=None, use_default_graph_as_union=False):
        return self.store.query(sparql, default_graph=default_graph or None, named_graphs=named_graphs or None)


def run_in_thread(store, job: QueryJob) -> QueryAnswer:
    """For a store no other process can open (in memory, remote): same code, in this process,
    with the row limit but no hard time limit."""
    raw = getattr(store, "_store", None)
    job.max_rows = min(job.max_rows, query_max_rows())
    return answer_job(raw, job) if isinstance(raw, ox.Store) else execute(_ThroughInterface(store), job)


async def answer(request: Request, query: str | None, default_graphs: list[str], named_graphs: list[str]) -> Response:
    if not query:
        return service_description(request)
    accept = fmt.accept_value(request.query_params.get("format"), request.headers.get("accept"))
    job = QueryJob(query=query, default_graphs=list(default_graphs), named_graphs=list(named_graphs), accept=accept, prefixes=PREFIXES)
    key = ("sparql", query, tuple(job.default_graphs), tuple(job.named_graphs), accept)
    result = remembered(request, key)
    if result is None:
        pool = sparql_pool(request.app)
        if pool is not None:
            result = await run_in_threadpool(pool.run, job)
        else:
            result = await run_in_threadpool(run_in_thread, request.app.state.store, job)
        remember(request, key, result)
    return Response(result.body, status_code=result.status, media_type=result.media_type, headers=result.headers)


REMEMBER_MAX_BYTES = 256 * 1024


def remembered(request: Request, key: tuple) -> QueryAnswer | None:
    """A recent identical query's answer, while the store is unchanged (no worker round trip)."""
    return peek(request, key)


def remember(request: Request, key: tuple, result: QueryAnswer) -> None:
    """Keep small successful answers; errors and time-outs are always asked again."""
    if result.status == 200 and len(result.body) <= REMEMBER_MAX_BYTES:
        cached(request, key, lambda: result, pool="answers")


def service_description(request: Request) -> Response:
    """SPARQL 1.1 Service Description of this endpoint, in the RDF format asked for."""
    accept = fmt.accept_value(request.query_params.get("format"), request.headers.get("accept"))
    media = fmt.pick_graph_format(accept)
    if media is None:
        media = fmt.GRAPH_DEFAULT if "text/html" in accept else None
    if media is None:
        return problem(406, "Not acceptable", f"the service description is RDF; cannot produce {accept!r}")
    endpoint = ox.NamedNode(str(request.url.replace(query="", fragment="")))
    service = ox.BlankNode()
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    triples = [
        ox.Triple(service, a, sd("Service")),
        ox.Triple(service, sd("endpoint"), endpoint),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
    ]
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(iri)) for iri in FORMATS_W3C.values()]
    return Response(fmt.serialize_graph(media, triples), media_type=media)


def problem(status: int, title: str, detail: str) -> Response:
    result = problem_answer(status, title, detail)
    return Response(result.body, status_code=result.status, media_type=result.media_type)


GraphList = Annotated[list[str], Query(description="IRIs of graphs; repeat the parameter for several")]


@router.get("/sparql", responses=RESPONSES, response_class=Response)
async def sparql_get(
    request: Request,
    query: Annotated[str | None, Query(description="A SPARQL 1.1 query; without it, the service description")] = None,
    default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri", description="Default graph of the dataset (repeatable)")] = [],
    named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri", description="Named graphs of the dataset (repeatable)")] = [],
    format: Annotated[str | None, Query(description="Result format, overriding Accept: json, xml, csv, tsv, turtle, ntriples, jsonld, rdfxml or a media type")] = None,
    update: Annotated[str | None, Query(description="Refused: the endpoint is read-only")] = None,
) -> Response:
    """SPARQL query by GET (prefixes ms:, eli:, skos:… are predeclared)."""
    if update is not None:
        return problem(403, "Read-only endpoint", "SPARQL Update is not accepted here.")
    return await answer(request, query, default_graph_uri, named_graph_uri)


@router.post("/sparql", responses=RESPONSES, response_class=Response, openapi_extra=POST_BODY)
async def sparql_post(request: Request) -> Response:
    """SPARQL query by POST: a form (query=…) or an application/sparql-query body."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    if content_type == "application/sparql-update":
        return problem(403, "Read-only endpoint", "SPARQL Update is not accepted here.")
    if content_type == "application/sparql-query":
        body = await request.body()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return problem(400, "Malformed query", "the query body is not UTF-8")
        return await answer(request, text, params.getlist("default-graph-uri"), params.getlist("named-graph-uri"))
    if content_type == "application/x-www-form-urlencoded":
        try:
            form = await request.form()
        except Exception:  # a body the form parser rejects
            return problem(400, "Malformed form", "the form body could not be read")
        if "update" in form:
            return problem(403, "Read-only endpoint", "SPARQL Update is not accepted here.")
        query = form.get("query")
        if not query:
            return problem(400, "Missing query", "Pass the query in a form field named query.")
        return await answer(request, str(query), [str(g) for g in form.getlist("default-graph-uri")], [str(g) for g in form.getlist("named-graph-uri")])
    return problem(415, "Unsupported media type", "POST application/sparql-query or application/x-www-form-urlencoded.")
