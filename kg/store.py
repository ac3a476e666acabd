"""Where the graph lives: one small interface, an embedded Oxigraph store behind it.

Why Oxigraph (pyoxigraph, RocksDB on disk) and not rdflib's in-memory store: at a million
triples rdflib takes 30–60 s to load and 1.25 GB of memory, Oxigraph about 3 s and 0.3 GB,
persistent, and queries 10–50× faster (see README, "Choice of store"). rdflib stays in use
for the ontology, SHACL and serialisation helpers; `oxrdflib` lets rdflib code open this
same store when needed.

Every document is one named graph; the ontology and vocabularies are another. Queries see
the union of all graphs as their default graph unless the caller names graphs.

A location that starts with `sparql+http://` or `sparql+https://` opens a remote SPARQL 1.1
server instead (kg/remote.py), with the same methods.

RocksDB lets one process at a time open a store read-write. Writers therefore take a lock
file in the store directory and, when another process holds it, wait for it (up to
$MSKG_LOCK_TIMEOUT seconds, default 600) so that concurrent `mskg ingest` runs queue
instead of failing; after the wait the error names the PID that holds the store.
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO, Protocol

import pyoxigraph as ox

from loaders.to_rdf.vocab import ONTOLOGY_GRAPH, PREFIXES

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
DEFAULT_STORE = ".mskg"
LOCK_FILE = "mskg-writer.lock"
DEFAULT_LOCK_TIMEOUT = 600.0
BULK_LIMIT = 500_000  # triples; Oxigraph's bulk loader ingests up to 1M quads in one atomic step
REMOTE_SCHEMES = ("sparql+http://", "sparql+https://")

EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


class StoreError(OSError):
    """The store cannot be opened, read or written; the message says why in one line.

    An OSError, so callers that already report I/O failures as one line report these too.
    """


class GraphStore(Protocol):
    """What the CLI, the queries and the API need from a store, whatever the engine."""

    def replace_graph(self, graph: ox.NamedNode, triples: Iterable[tuple]) -> int: ...
    def remove_graph(self, graph: ox.NamedNode) -> None: ...
    def graphs(self) -> list[ox.NamedNode]: ...
    def query(
        self,
        sparql: str,
        *,
        default_graph: Sequence[ox.NamedNode] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
    ): ...
    def export(self, fmt: str, output: BinaryIO) -> None: ...
    def __len__(self) -> int: ...
    def close(self) -> None: ...


def default_location() -> Path:
    return Path(os.environ.get("MSKG_STORE") or DEFAULT_STORE)


def disk_size(folder: Path) -> int:
    """Bytes of the files under `folder` (an embedded store's size on disk)."""
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def ntriples(triples: Iterable[tuple]) -> bytes:
    """Triples of pyoxigraph terms as N-Triples, one per line (the wire format between stages).

    A term's str() is its N-Triples form, so joining strings gives the bytes ox.serialize
    would, about 3× faster (measured on 100k triples: 0.6 s against 1.8 s). Predicates are
    few, so their strings are made once (another 1.7× on the seeds). A triple the mapping gave
    twice is written once, so the line count is the graph's triple count."""
    predicates: dict = {}
    lines = []
    for s, p, o in triples:
        text = predicates.get(p)
        if text is None:
            text = predicates[p] = str(p)
        lines.append(f"{s} {text} {o} .\n")
    return "".join(dict.fromkeys(lines)).encode("utf-8")


def trig_parts(graph: ox.NamedNode, data: bytes) -> tuple[bytes, bytes, bytes]:
    """N-Triples in `graph`, as TriG: the lines stay as they are (N-Triples is valid TriG) and
    the graph is named once, where N-Quads would repeat it on every line and cost the writer a
    copy of every byte (a quarter of its time, measured with py-spy on a 10,000-plan ingest)."""
    return f"{graph} {{\n".encode(), data, b"\n}\n"


def replace_update(graph: ox.NamedNode, data: bytes | str) -> str:
    """One SPARQL Update that swaps a graph's content: a single transaction on any store."""
    body = data.decode("utf-8") if isinstance(data, bytes) else data
    return f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"


def write_dataset(store: ox.Store, rdf_format: ox.RdfFormat, output: BinaryIO) -> None:
    """Every quad of a pyoxigraph store to `output`, as it is read; formats without named graphs
    get the union of all graphs."""
    if rdf_format.supports_datasets:
        store.dump(output, format=rdf_format)
    else:
        ox.serialize(store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"), output, format=rdf_format)


def count_lines(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


class OxigraphStore:
    """The embedded default: a pyoxigraph (RocksDB) store in a directory, or in memory."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False, lock_timeout: float | None = None):
        self.path = Path(path) if path is not None else None
        self._lock = None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                if not self.path.is_dir():
                    raise StoreError(f"cannot open store {self.path}: no such directory")
                self._store = ox.Store.read_only(str(self.path))
            else:
                self._store = self._open_writable(lock_timeout)
        except StoreError:
            self._release()
            raise
        except OSError as exc:
            self._release()
            raise StoreError(f"cannot open store {self.path}: {_first_line(exc)}") from None

    def _open_writable(self, lock_timeout: float | None) -> ox.Store:
        """Take the writer lock (waiting for another process to finish), then open RocksDB."""
        assert self.path is not None
        self.path.mkdir(parents=True, exist_ok=True)
        timeout = _lock_timeout() if lock_timeout is None else lock_timeout
        deadline = time.monotonic() + timeout
        self._lock = _acquire(self.path / LOCK_FILE, deadline)
        while True:
            try:
                return ox.Store(str(self.path))
            except OSError as exc:
                # Another program (not mskg, e.g. `oxigraph serve`) may hold RocksDB's own lock.
                if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                    raise
                time.sleep(0.2)

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing the descriptor releases the flock
            self._lock = None

    def replace_graph(self, graph: ox.NamedNode, triples: Iterable[tuple]) -> int:
        """Swap the graph's content for these triples in one transaction."""
        return self.replace_graph_data(graph, ntriples(triples))

    def replace_graph_data(self, graph: ox.NamedNode, data: bytes) -> int:
        """Swap the graph's content for N-Triples `data` in one transaction (one SPARQL Update):
        a crash leaves the document wholly old or wholly new, never half-written."""
        count = count_lines(data)
        try:
            if self._store.contains_named_graph(graph):
                self._store.update(replace_update(graph, data))
            elif self.path is not None and count < BULK_LIMIT:
                # A new graph on disk: Oxigraph's bulk loader writes table files for all indexes
                # and hands them to RocksDB in one IngestExternalFiles call (atomic across column
                # families) as long as the data fits in one batch (1M quads). Measured on 1.7M
                # quads: 32,700 quads/s against 4,300 for the transactional load, whose existence
                # checks slow down as the store grows. We are the only writer (lock file), so the
                # graph cannot appear in between.
                self._store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph, lenient=True)
            else:
                self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            if not data.strip():
                self._store.add_graph(graph)
        except OSError as exc:
            raise StoreError(f"cannot write to store {self.path or '(memory)'}: {_first_line(exc)}") from None
        return count

    def write_graphs(self, graphs: Sequence[tuple[ox.NamedNode, bytes]], counts: Sequence[int] | None = None) -> list[int]:
        """Write several graphs (N-Triples each) in one atomic bulk load, replacing those the store
        holds; returns each graph's triple count (`counts`, when the caller knows them).

        Why batch: every bulk load writes a set of table files for each index, so loading
        documents one by one leaves thousands of small files that RocksDB must then merge,
        and the write rate fell as the store grew. The caller keeps a batch under BULK_LIMIT
        quads so that it is one batch of Oxigraph's loader, which RocksDB ingests in one step:
        a crash leaves every document of the batch wholly present or wholly absent.

        Graphs the store holds are removed first, each in its own transaction, then loaded with
        the rest. Reading 100 plans again (`--force`, or after an upgrade) took 30 s so, and 58 s
        with one SPARQL Update per graph; their first load takes 15 s. A crash in between leaves
        such a document absent, never half-written, and the next ingest reads it again."""
        if self.path is None or len(graphs) == 1:
            return [self.replace_graph_data(graph, data) for graph, data in graphs]
        counts = list(counts) if counts is not None else [count_lines(data) for _, data in graphs]
        trig = b"".join(part for graph, data in graphs for part in trig_parts(graph, data))
        try:
            for graph, _ in graphs:
                if self._store.contains_named_graph(graph):
                    self._store.remove_graph(graph)
            # lenient: skip Oxigraph's IRI checks; every term was built (and checked) as a
            # pyoxigraph term by the mapping, so checking again cost 10% of the load for nothing
            self._store.bulk_load(trig, format=ox.RdfFormat.TRIG, lenient=True)
            for (graph, data), count in zip(graphs, counts):
                if count == 0:
                    self._store.add_graph(graph)
        except OSError as exc:
            raise StoreError(f"cannot write to store {self.path}: {_first_line(exc)}") from None
        return counts

    def remove_graph(self, graph: ox.NamedNode) -> None:
        try:
            if self._store.contains_named_graph(graph):
                self._store.remove_graph(graph)
        except OSError as exc:
            raise StoreError(f"cannot write to store {self.path or '(memory)'}: {_first_line(exc)}") from None

    def graphs(self) -> list[ox.NamedNode]:
        return sorted(self._store.named_graphs(), key=lambda g: g.value)

    def query(self, sparql: str, *, default_graph=None, named_graphs=None):
        """Run a SPARQL query; without `default_graph` the default graph is the union of all."""
        kwargs = {"prefixes": PREFIXES}
        if default_graph:
            kwargs["default_graph"] = list(default_graph)
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = list(named_graphs)
        return self._store.query(sparql, **kwargs)

    def export(self, fmt: str, output: BinaryIO) -> None:
        """Write the whole store to `output` as it is read: at 10,000 plans the N-Quads are about
        20 GB, which an answer held in memory (as this did before) could not be. Triple formats
        get the union of all graphs."""
        write_dataset(self._store, EXPORT_FORMATS[fmt], output)

    def __len__(self) -> int:
        return len(self._store)

    def optimize(self) -> None:
        """Compact the tables. Bulk loads leave overlapping table files that every lookup must
        consult; at 1,000 plans (11M triples) compacting took 25 s and halved query times
        (topic search 31 → 16 ms)."""
        try:
            self._store.optimize()
        except OSError as exc:
            raise StoreError(f"cannot write to store {self.path}: {_first_line(exc)}") from None

    def flush(self) -> None:
        try:
            self._store.flush()
        except OSError as exc:
            raise StoreError(f"cannot write to store {self.path}: {_first_line(exc)}") from None

    def close(self) -> None:
        """Flush, close, unlock. Flushing moves the write-ahead log into table files; without
        it the next process to open the store replays the log into memory (measured: 670 MB
        RSS at open for 570k unflushed triples, 40 MB once flushed)."""
        if hasattr(self, "_store"):
            if self._lock is not None:
                try:
                    self._store.flush()
                except OSError:
                    pass  # the log is durable anyway; the next open replays it
            del self._store
        self._release()


def _lock_timeout() -> float:
    try:
        return float(os.environ.get("MSKG_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


def _acquire(lock_path: Path, deadline: float):
    """An exclusive flock on `lock_path`, waited for until `deadline`; the file then holds our PID.

    The kernel drops the lock when the process dies, even by kill -9, so a crash never leaves
    the store locked.
    """
    handle = open(lock_path, "a+")
    told = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                handle.close()
                raise
            holder = _holder(lock_path)
            if time.monotonic() >= deadline:
                handle.close()
                raise StoreError(
                    f"store {lock_path.parent} is locked by PID {holder} (another mskg process is writing); "
                    "try again when it has finished, or raise MSKG_LOCK_TIMEOUT"
                ) from None
            if not told:
                print(f"waiting: store {lock_path.parent} is locked by PID {holder}", file=sys.stderr)
                told = True
            time.sleep(0.1)
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def _holder(lock_path: Path) -> str:
    try:
        return lock_path.read_text().strip() or "?"
    except OSError:
        return "?"


def open_store(location: str | Path | None = None, *, read_only: bool = False) -> GraphStore:
    """Open the store at `location` (default: $MSKG_STORE or ./.mskg); a sparql+http(s):// URL opens a remote server."""
    if location is None:
        location = os.environ.get("MSKG_STORE") or DEFAULT_STORE
    if isinstance(location, str) and location.startswith(REMOTE_SCHEMES):
        from kg.remote import SparqlStore

        return SparqlStore(location, read_only=read_only)
    return OxigraphStore(location, read_only=read_only)


def memory_store() -> GraphStore:
    return OxigraphStore(None)


def ontology_files() -> list[Path]:
    """The ontology and its vocabularies; SHACL shapes are for validation, not for the graph."""
    return sorted(p for p in ONTOLOGY_DIR.rglob("*.ttl") if "shapes" not in p.name)


def load_ontology(store: GraphStore) -> int:
    """(Re)load the ontology graph, so the store always carries the labels the queries use."""
    triples = []
    for path in ontology_files():
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            triples.append((quad.subject, quad.predicate, quad.object))
    return store.replace_graph(ONTOLOGY_GRAPH, triples)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
