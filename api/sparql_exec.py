"""Run one SPARQL query against a pyoxigraph store and turn it into an HTTP answer.

A pure function of (store, job), so the same code runs in a killable worker process
(see api/sparql_pool.py) and, for an in-memory store that cannot be shared, in-thread.
The answer is plain picklable data: status, media type, body, extra headers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from api import sparql_formats as fmt

PROBLEM = "application/problem+json"
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


@dataclass
class QueryJob:
    query: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    accept: str = "*/*"
    max_rows: int = 10000
    prefixes: dict[str, str] = field(default_factory=dict)  # predeclared for the client (ms:, eli:…)


@dataclass
class QueryAnswer:
    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def problem_answer(status: int, title: str, detail: str) -> QueryAnswer:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return QueryAnswer(status, PROBLEM, json.dumps(body, ensure_ascii=False).encode())


_NOISE = re.compile(r"#[^\n]*|<[^<>\s]*>|\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'")
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*|BASE\s+)<>\s*)*", re.I)


def skeleton(query: str) -> str:
    """The query with comments, IRIs and strings blanked, so keywords can be looked for safely."""
    return _NOISE.sub(lambda m: "<>" if m.group(0).startswith("<") else " ", query)


def first_keyword(query: str) -> str:
    """The word the query starts with after its prologue, upper-cased: SELECT, ASK, INSERT…"""
    word = re.match(r"[A-Za-z]+", _PROLOGUE.sub("", skeleton(query), count=1))
    return word.group(0).upper() if word else ""


def is_update(query: str) -> bool:
    """Does the text start (after its prologue) with a SPARQL Update keyword?"""
    return first_keyword(query) in UPDATE_KEYWORDS


def declares_dataset(query: str) -> bool:
    """FROM / FROM NAMED in the query: then the query's own dataset applies, not the union."""
    return re.search(r"\bFROM\b", skeleton(query), re.I) is not None


def calls_service(query: str) -> bool:
    """SERVICE would make the server fetch any URL a client names (a door into the local network)."""
    return re.search(r"\bSERVICE\b", skeleton(query), re.I) is not None


def run(store: ox.Store, query: str, default_graphs: list[str], named_graphs: list[str], prefixes: dict[str, str] | None = None):
    """Protocol dataset (default-graph-uri, named-graph-uri) > the query's FROM > union of all graphs."""
    kwargs: dict = {"prefixes": prefixes or {}}
    if default_graphs or named_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    elif not declares_dataset(query):
        kwargs["use_default_graph_as_union"] = True
    return store.query(query, **kwargs)


def execute(store: ox.Store, job: QueryJob) -> QueryAnswer:
    """Parse, evaluate, negotiate the format and serialise, stopping after `max_rows` rows."""
    if not job.query or not job.query.strip():
        return problem_answer(400, "Missing query", "Pass a SPARQL query as ?query=, a form field or an application/sparql-query body.")
    if is_update(job.query):
        return problem_answer(403, "Read-only endpoint", "SPARQL Update is not accepted here; this endpoint only answers queries.")
    if calls_service(job.query):
        return problem_answer(400, "Federated query disabled", "SERVICE is not allowed: this endpoint does not fetch other endpoints.")
    try:
        result = run(store, job.query, job.default_graphs, job.named_graphs, job.prefixes)
    except SyntaxError as exc:
        return problem_answer(400, "Malformed query", _first_line(exc))
    except ValueError as exc:
        return problem_answer(400, "Invalid request", _first_line(exc))
    except OSError as exc:
        return _failed(exc)
    try:
        return _serialise(result, job)
    except OSError as exc:  # evaluation errors surface while iterating
        return _failed(exc)


STORE_UNAVAILABLE = "Store unavailable"
# RocksDB's words for a file the store's own process cannot read: here, a table file that another
# process (`mskg ingest`, an upload) compacted away after this reader opened the store.
_STORAGE_WORDS = ("Corruption", "IO error", "No such file")


def _failed(exc: OSError) -> QueryAnswer:
    """A storage failure is the server's (503: try again), any other evaluation error the query's (400)."""
    text = _first_line(exc)
    if any(word in str(exc) for word in _STORAGE_WORDS):
        return problem_answer(503, STORE_UNAVAILABLE, f"the store could not be read ({text}); try again")
    return problem_answer(400, "Query failed", text)


def _serialise(result, job: QueryJob) -> QueryAnswer:
    if isinstance(result, ox.QueryTriples):
        media = fmt.pick_graph_format(job.accept)
        if media is None:
            return _not_acceptable(job.accept, list(fmt.GRAPH_FORMATS))
        triples, truncated = _take(result, job.max_rows)
        return QueryAnswer(200, media, fmt.serialize_graph(media, triples), limit_headers(truncated, job.max_rows))
    media = fmt.pick_results_format(job.accept)
    if media is None:
        return _not_acceptable(job.accept, list(fmt.RESULT_FORMATS))
    if isinstance(result, ox.QueryBoolean):
        return QueryAnswer(200, media, fmt.serialize_boolean(media, result))
    variables = [v.value for v in result.variables]
    solutions, truncated = _take(result, job.max_rows)
    body = fmt.serialize_select(media, variables, [list(s) for s in solutions])
    return QueryAnswer(200, media, body, limit_headers(truncated, job.max_rows))


def _take(iterator, limit: int) -> tuple[list, bool]:
    taken = []
    for item in iterator:
        if len(taken) == limit:
            return taken, True
        taken.append(item)
    return taken, False


def limit_headers(truncated: bool, limit: int) -> dict[str, str]:
    return {"X-Result-Truncated": "true", "X-Result-Limit": str(limit)} if truncated else {}


def _not_acceptable(accept: str, offered: list[str]) -> QueryAnswer:
    return problem_answer(406, "Not acceptable", f"cannot produce {accept!r}; available: {', '.join(offered)}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
