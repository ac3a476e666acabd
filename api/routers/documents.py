"""Upload: POST /api/documents reads a file into the store, DELETE /api/documents/{name} takes a
document out; both need the bearer token MSKG_API_TOKEN.

Without a token configured the endpoint is disabled (403). The file is decoded and every
fact extracted before the store is touched, and the graph is swapped in one transaction,
so a bad upload leaves nothing half-written.
"""

from __future__ import annotations

import hmac
import os
import threading
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Header, HTTPException, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from api.models import Problem, Uploaded
from api.routers.plans import find_plan

router = APIRouter(prefix="/api", tags=["documents"])

DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024
_write_lock = threading.Lock()

RESPONSES = {
    401: {"model": Problem, "description": "Missing or wrong bearer token"},
    403: {"model": Problem, "description": "Uploads are disabled (no MSKG_API_TOKEN configured)"},
    413: {"model": Problem, "description": "File too large (MSKG_MAX_UPLOAD bytes)"},
    415: {"model": Problem, "description": "Unsupported document format"},
    422: {"model": Problem, "description": "Unreadable document (empty, binary, wrong encoding…), named in the detail"},
    503: {"model": Problem, "description": "The store cannot be written (opened read-only, disk full)"},
}


def max_upload() -> int:
    try:
        return int(os.environ.get("MSKG_MAX_UPLOAD", DEFAULT_MAX_UPLOAD))
    except ValueError:
        return DEFAULT_MAX_UPLOAD


def check_token(authorization: str | None) -> None:
    """403 when uploads are off, 401 unless the header is `Bearer <MSKG_API_TOKEN>`."""
    token = os.environ.get("MSKG_API_TOKEN", "")
    if not token:
        raise HTTPException(403, "uploads are disabled: the server has no MSKG_API_TOKEN")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})


def unwritable(name: str, exc: Exception) -> HTTPException:
    """503 for a write the store refused (read-only, disk full), naming the document."""
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return HTTPException(503, f"{name}: the store cannot be written ({reason})")


def ingest_upload(store, data: bytes, source: str) -> tuple[int, list[str]]:
    """Decode, extract and map first (may raise DocumentError), then swap the graph in.
    (triples written, names of other documents held with the same bytes)."""
    from kg.ingest import held_copies
    from kg.store import load_ontology
    from loaders.pipeline import read_bytes
    from loaders.to_rdf import graph_iri, to_triples
    from loaders.to_rdf.vocab import ONTOLOGY_GRAPH

    doc = read_bytes(data, source)
    triples = to_triples(doc)
    with _write_lock:
        if ONTOLOGY_GRAPH not in store.graphs():
            load_ontology(store)
        written = store.replace_graph(graph_iri(doc.source), triples)
    return written, held_copies(store, doc.digest, doc.source)


@router.post("/documents", status_code=201, response_model=Uploaded, responses=RESPONSES)
async def upload(
    request: Request,
    file: Annotated[UploadFile, File(description="A plan document: .txt, .html, .docx or .pdf")],
    authorization: Annotated[str | None, Header(description="Bearer <MSKG_API_TOKEN>")] = None,
) -> dict:
    """Upload a document: it is read, its facts extracted, and its graph replaced in the store."""
    from api.app import store_changed
    from kg.queries import list_plans, plan_id_for
    from loaders.model import DocumentError

    check_token(authorization)
    source = Path(file.filename or "").name.strip()
    if not source or source in (".", ".."):
        raise HTTPException(422, "the upload has no file name")
    data = await file.read(max_upload() + 1)
    if len(data) > max_upload():
        raise HTTPException(413, f"{source}: larger than {max_upload()} bytes")
    try:
        triples, copies = await run_in_threadpool(ingest_upload, request.app.state.store, data, source)
    except DocumentError as exc:
        message = str(exc).splitlines()[0] if str(exc) else f"{source}: unreadable"
        raise HTTPException(415 if "unsupported format" in message else 422, message) from None
    except (OSError, RuntimeError) as exc:  # the store (StoreError is an OSError; pyoxigraph read-only: RuntimeError)
        raise unwritable(source, exc) from None
    except (ValueError, UnicodeError, IndexError, KeyError, TypeError, AttributeError) as exc:  # an extractor choking on odd input
        raise HTTPException(422, f"{source}: failed to read ({type(exc).__name__}: {exc})") from None
    store_changed(request.app)
    plans = list_plans(request.app.state.store, plan_id_for(source))
    return {"source": source, "triples": triples, "plan": plans[0] if plans else None, "copies": copies}


def remove_graph(store, graph: str) -> None:
    """Drop a document's graph, under the lock uploads take."""
    import pyoxigraph as ox

    with _write_lock:
        store.remove_graph(ox.NamedNode(graph))


@router.delete("/documents/{plan_id:path}", status_code=204, response_class=Response,
               responses={**{code: RESPONSES[code] for code in (401, 403, 503)},
                          404: {"model": Problem, "description": "No such document"}})
async def delete(
    request: Request,
    plan_id: str,
    authorization: Annotated[str | None, Header(description="Bearer <MSKG_API_TOKEN>")] = None,
) -> Response:
    """Take a document out of the store (its source name, as /api/plans lists it, or its IRI):
    its graph, everything read from its file, goes."""
    from api.app import store_changed

    check_token(authorization)
    entry = find_plan(request, plan_id)
    if entry is None:
        raise HTTPException(404, f"no plan {plan_id!r}")
    try:
        await run_in_threadpool(remove_graph, request.app.state.store, entry["graph"])
    except (OSError, RuntimeError) as exc:  # as for uploads: a read-only store or a full disk
        raise unwritable(plan_id, exc) from None
    store_changed(request.app)
    return Response(status_code=204)
