"""Where the graph lives: one small interface, an embedded Oxigraph store behind it.

Why Oxigraph (pyoxigraph, RocksDB on disk) and not rdflib's in-memory store: at a million
triples rdflib takes 30–60 s to load and 1.25 GB of memory, Oxigraph about 3 s and 0.3 GB,
persistent, and queries 10–50× faster (see README, "Choice of store"). rdflib stays in use
for the ontology, SHACL and serialisation helpers; `oxrdflib` lets rdflib code open this
same store when needed.

Every document is one named graph; the ontology and vocabularies are another. Queries see
the union of all graphs as their default graph unless the caller names graphs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from loaders.to_rdf.vocab import ONTOLOGY_GRAPH, PREFIXES

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
DEFAULT_STORE = ".mskg"

EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


class StoreError(Exception):
    """The store cannot be opened or written; the message says why in one line."""


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
    def export(self, fmt: str) -> bytes: ...
    def __len__(self) -> int: ...
    def close(self) -> None: ...


def default_location() -> Path:
    return Path(os.environ.get("MSKG_STORE") or DEFAULT_STORE)


class OxigraphStore:
    """The embedded default: a pyoxigraph (RocksDB) store in a directory, or in memory."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open store {self.path}: {_first_line(exc)}") from None

    def replace_graph(self, graph: ox.NamedNode, triples: Iterable[tuple]) -> int:
        """Drop the graph and write the new triples; each step is one transaction."""
        quads = [ox.Quad(s, p, o, graph) for s, p, o in triples]
        try:
            self._store.remove_graph(graph)
            self._store.extend(quads)
        except OSError as exc:
            raise StoreError(f"cannot write to store {self.path}: {_first_line(exc)}") from None
        return len(quads)

    def remove_graph(self, graph: ox.NamedNode) -> None:
        if self._store.contains_named_graph(graph):
            self._store.remove_graph(graph)

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

    def export(self, fmt: str) -> bytes:
        rdf_format = EXPORT_FORMATS[fmt]
        if rdf_format.supports_datasets:
            return self._store.dump(format=rdf_format)
        # Triple formats: the union of all graphs.
        return ox.serialize(self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"), format=rdf_format)

    def __len__(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        # pyoxigraph closes the database when the object is collected.
        del self._store


def open_store(location: str | Path | None = None, *, read_only: bool = False) -> GraphStore:
    """Open the store at `location` (default: $MSKG_STORE or ./.mskg)."""
    return OxigraphStore(location if location is not None else default_location(), read_only=read_only)


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
