"""A GraphStore on an external SPARQL 1.1 server (Oxigraph, Fuseki, Virtuoso, GraphDB…).

`open_store("sparql+http://host:port/path?options")` lands here. The path is the query
endpoint; writes go through SPARQL 1.1 Update (one `DROP SILENT GRAPH … ; INSERT DATA …`
request per document, a single transaction on the servers we document) or, with `gsp=`,
through a Graph Store Protocol PUT. Results are parsed with pyoxigraph, so callers get the
same QuerySolutions / QueryBoolean / QueryTriples objects as from the embedded store.

Servers answer wrongly in ways that look like success; this client turns them into
StoreError instead of passing them on as answers:
- truncated results with HTTP 200 (oxigraph's --timeout-s): a parse error;
- Virtuoso's "anytime" partial results (HTTP 200 where only the X-SQL-State /
  X-Exec-DB-Activity headers say so, or HTTP 206), unless the URL says `accept-partial=1`;
- a row count exactly at the server's cap (`max-rows=`, e.g. Virtuoso's 10000) when the
  query asked for more;
- a server that does not answer within `timeout=` seconds (Virtuoso hangs on some requests).
Queries are always sent as an HTML form POST, which every server accepts.

URL options (removed from the URL; anything else is passed on with every query, e.g.
`union-default-graph` for Oxigraph):
  update=PATH|URL   the update endpoint (default: …/update beside a …/query path, else the query endpoint)
  gsp=PATH|URL      a Graph Store Protocol endpoint for writes and exports (optional)
  timeout=SECONDS   client-side limit per request (default 60)
  max-rows=N        the server's result cap, to detect silently truncated answers
  accept-partial=1  accept partial results instead of failing
  auth=digest       HTTP digest instead of basic auth for user:password@ in the URL
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Sequence
from typing import BinaryIO
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from kg.store import EXPORT_FORMATS, StoreError, count_lines, ntriples, replace_update, write_dataset
from loaders.to_rdf.vocab import PREFIXES

OPTIONS = {"update", "gsp", "timeout", "max-rows", "accept-partial", "auth"}
PARTIAL_HEADERS = ("x-sql-state", "x-exec-db-activity")
FORM = "application/x-www-form-urlencoded"
GRAPH_PAGE = 5000  # graphs per listing request
RESULTS_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)", re.IGNORECASE)


class SparqlStore:
    """The GraphStore methods over the SPARQL 1.1 Protocol, Update and Graph Store Protocol."""

    def __init__(self, location: str, *, read_only: bool = False):
        config = parse_location(location)
        self.location = location
        self.query_url: str = config["query"]
        self.update_url: str = config["update"]
        self.gsp_url: str | None = config["gsp"]
        self.max_rows: int | None = config["max_rows"]
        self.accept_partial: bool = config["accept_partial"]
        self.extra_params: list[tuple[str, str]] = config["extra"]
        self.read_only = read_only
        self._client = httpx.Client(timeout=config["timeout"], auth=config["auth"], follow_redirects=True)

    # -- reading -------------------------------------------------------------------------
    def query(self, sparql: str, *, default_graph: Sequence[ox.NamedNode] | None = None, named_graphs: Sequence[ox.NamedNode] | None = None):
        """Run a query on the server; the result objects are pyoxigraph's, as from the embedded store."""
        form = [("query", with_prefixes(sparql))]
        form += [("default-graph-uri", g.value) for g in default_graph or ()]
        form += [("named-graph-uri", g.value) for g in named_graphs or ()]
        # Graphs named by the caller replace the server's union default graph (Oxigraph refuses both).
        form += [(k, v) for k, v in self.extra_params if not (default_graph or named_graphs) or k != "union-default-graph"]
        response = self._send("POST", self.query_url, content=urlencode(form), headers={"Accept": RESULTS_ACCEPT, "Content-Type": FORM})
        if response.status_code == 400:
            raise SyntaxError(f"the SPARQL server rejected the query: {_first_line(response.text)}")
        self._check(response, "query")
        self._check_partial(response)
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media in GRAPH_FORMATS:
            return self._triples(response.content, GRAPH_FORMATS[media])
        if media in ("application/sparql-results+json", "application/json"):
            return self._solutions(response.content, sparql)
        raise StoreError(f"SPARQL server {self.query_url} answered with unexpected content type {media or '(none)'}")

    def graphs(self) -> list[ox.NamedNode]:
        """Every named graph, fetched in pages below the server's row cap (one graph per document)."""
        page = min(self.max_rows or GRAPH_PAGE, GRAPH_PAGE)
        found: list[ox.NamedNode] = []
        offset = 0
        while True:
            rows = list(self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} ORDER BY ?g LIMIT {page} OFFSET {offset}"))
            found += [row["g"] for row in rows if isinstance(row["g"], ox.NamedNode)]
            offset += len(rows)
            if len(rows) < page:
                return sorted(found, key=lambda g: g.value)

    def __len__(self) -> int:
        rows = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(rows[0]["n"].value) if rows else 0

    def export(self, fmt: str, output: BinaryIO) -> None:
        """The whole dataset, fetched graph by graph (each well under any server's row cap) and
        written one graph at a time, so memory holds one graph. Line-based and Turtle-family
        documents may follow one another (blank nodes parsed here are unique to this process);
        JSON-LD and RDF/XML are one document each, so those are gathered first, in a store on
        disk (a temporary directory) rather than in memory: at 10,000 plans the graph is ~20 GB."""
        rdf_format = EXPORT_FORMATS[fmt]
        if rdf_format not in (ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML):
            self._export_graphs(rdf_format, output, None)
            return
        with tempfile.TemporaryDirectory(prefix="mskg-export-") as folder:
            dataset = ox.Store(folder)
            try:
                self._export_graphs(rdf_format, output, dataset)
                write_dataset(dataset, rdf_format, output)
            finally:
                del dataset  # closes RocksDB before its folder goes

    def _export_graphs(self, rdf_format: ox.RdfFormat, output: BinaryIO, dataset: ox.Store | None) -> None:
        """Each graph to `output`, or into `dataset` when one is given."""
        for graph in self.graphs():
            triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
            if dataset is not None:
                dataset.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
            elif rdf_format.supports_datasets:
                ox.serialize((ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples), output, format=rdf_format)
            else:
                ox.serialize(triples, output, format=rdf_format)

    # -- writing -------------------------------------------------------------------------
    def replace_graph(self, graph: ox.NamedNode, triples: Iterable[tuple]) -> int:
        return self.replace_graph_data(graph, ntriples(triples))

    def replace_graph_data(self, graph: ox.NamedNode, data: bytes) -> int:
        """Swap one graph's content in one request: a GSP PUT, or DROP + INSERT DATA in one update."""
        self._writable()
        if self.gsp_url:
            response = self._send(
                "PUT", self.gsp_url, params={"graph": graph.value}, content=data, headers={"Content-Type": "application/n-triples"}
            )
            self._check(response, "graph store PUT")
        else:
            self.update(replace_update(graph, data))
        return count_lines(data)

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self._writable()
        self.update(f"DROP SILENT GRAPH {graph}")

    def update(self, sparql_update: str) -> None:
        """Run a SPARQL 1.1 Update (form POST, as every server accepts)."""
        self._writable()
        response = self._send("POST", self.update_url, content=urlencode({"update": sparql_update}), headers={"Content-Type": FORM})
        if response.status_code in (401, 403):
            raise StoreError(
                f"SPARQL server {self.update_url} refused the update (HTTP {response.status_code}): "
                "give the user update rights (Virtuoso: GRANT SPARQL_UPDATE TO \"SPARQL\")"
            )
        self._check(response, "update")

    def close(self) -> None:
        self._client.close()

    # -- helpers -------------------------------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.location} is opened read-only")

    def _send(self, method: str, url: str, **kwargs) -> httpx.Response:
        try:
            return self._client.request(method, url, **kwargs)
        except httpx.TimeoutException:
            raise StoreError(f"SPARQL server {url} did not answer within {self._client.timeout.read} s") from None
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach SPARQL server {url}: {_first_line(str(exc)) or type(exc).__name__}") from None

    def _check(self, response: httpx.Response, what: str) -> None:
        if response.status_code >= 300:
            raise StoreError(
                f"SPARQL server {response.request.url.copy_with(query=None)} failed the {what} "
                f"(HTTP {response.status_code}): {_first_line(response.text)}"
            )

    def _check_partial(self, response: httpx.Response) -> None:
        flags = [f"{name}: {response.headers[name]}" for name in PARTIAL_HEADERS if name in response.headers]
        if response.status_code == 206:  # Virtuoso with HTTPAnytimeStatus = 206
            flags.insert(0, "HTTP 206 Partial Content")
        if flags and not self.accept_partial:
            raise StoreError(
                f"SPARQL server returned partial results ({'; '.join(flags)}), probably a timeout; "
                "narrow the query or add accept-partial=1 to the store URL"
            )

    def _solutions(self, body: bytes, sparql: str):
        """Parse once to validate the whole answer (and count rows), then hand back a fresh parse."""
        try:
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if isinstance(parsed, ox.QueryBoolean):
                return parsed
            count = sum(1 for _ in parsed)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"SPARQL server sent truncated or malformed results ({_first_line(str(exc))}); the query probably timed out") from None
        if self.max_rows and count == self.max_rows and not _limit_at_most(sparql, self.max_rows):
            raise StoreError(
                f"SPARQL server returned exactly {count} rows, its result cap: the answer is probably truncated; "
                "add LIMIT/OFFSET paging or raise the server's cap"
            )
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    def _triples(self, body: bytes, rdf_format: ox.RdfFormat):
        """CONSTRUCT/DESCRIBE answers as a real QueryTriples, via a throwaway in-memory store."""
        graph = ox.Store()
        try:
            graph.load(body, format=rdf_format)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"SPARQL server sent truncated or malformed RDF ({_first_line(str(exc))}); the query probably timed out") from None
        return graph.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def parse_location(location: str) -> dict:
    """Split a sparql+http(s):// URL into endpoints, client options and pass-through parameters."""
    if not location.startswith(("sparql+http://", "sparql+https://")):
        raise StoreError(f"not a SPARQL store URL: {location} (expected sparql+http://host:port/path)")
    parts = urlsplit(location[len("sparql+") :])
    if not parts.hostname:
        raise StoreError(f"no host in SPARQL store URL {location}")
    options, extra = {}, []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        (options.__setitem__(key, value) if key in OPTIONS else extra.append((key, value)))
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    query_url = urlunsplit((parts.scheme, netloc, parts.path or "/", "", ""))
    auth = None
    if parts.username:
        user, password = unquote(parts.username), unquote(parts.password or "")
        auth = httpx.DigestAuth(user, password) if options.get("auth") == "digest" else httpx.BasicAuth(user, password)
    try:
        timeout = float(options.get("timeout", 60))
        max_rows = int(options["max-rows"]) if options.get("max-rows") else None
    except ValueError:
        raise StoreError(f"bad timeout= or max-rows= in SPARQL store URL {location}") from None
    default_update = query_url[: -len("query")] + "update" if query_url.endswith("/query") else query_url
    return {
        "query": query_url,
        "update": urljoin(query_url, options["update"]) if options.get("update") else default_update,
        "gsp": urljoin(query_url, options["gsp"]) if options.get("gsp") else None,
        "timeout": timeout,
        "max_rows": max_rows,
        "accept_partial": options.get("accept-partial", "") in ("1", "true", "yes"),
        "auth": auth,
        "extra": extra,
    }


def with_prefixes(sparql: str) -> str:
    """Declare our usual prefixes (ms:, eli:, skos:…) that the query uses without declaring,
    as the embedded store does."""
    declared = {(m.group(1) or "") for m in _PREFIX_DECL.finditer(sparql)}
    missing = [f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared and f"{p}:" in sparql]
    return "".join(missing) + sparql


def _limit_at_most(sparql: str, cap: int) -> bool:
    limits = [int(m.group(1)) for m in _LIMIT.finditer(sparql)]
    return bool(limits) and limits[-1] <= cap


def _first_line(text: str) -> str:
    text = text.strip()
    return text.splitlines()[0][:300] if text else ""


__all__ = ["SparqlStore", "parse_location", "with_prefixes"]
