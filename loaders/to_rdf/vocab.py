"""Namespaces and IRI minting shared by every mapping module and by the queries in kg/."""

from __future__ import annotations

import hashlib
import os
import re
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode

BASE = "https://w3id.org/mskg/"

PREFIXES = {
    "ms": "https://w3id.org/mskg/ontology#",
    "msid": BASE + "id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "time": "http://www.w3.org/2006/time#",
    "oa": "http://www.w3.org/ns/oa#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
    "spdx": "http://spdx.org/rdf/terms#",
}

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


class _Namespace:
    """`MS.Plan` → NamedNode('…ontology#Plan'); `MS["sourceFile"]` works too."""

    def __init__(self, base: str):
        self.base = base

    def __getattr__(self, name: str) -> NamedNode:
        # Called only on the first use of a name: the term is then stored as a plain attribute,
        # because the mapping asks for the same few terms millions of times.
        if name.startswith("_"):
            raise AttributeError(name)
        term = NamedNode(self.base + name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> NamedNode:
        return getattr(self, name)


MS = _Namespace(PREFIXES["ms"])
RDF = _Namespace(PREFIXES["rdf"])
RDFS = _Namespace(PREFIXES["rdfs"])
XSD = _Namespace(PREFIXES["xsd"])
SKOS = _Namespace(PREFIXES["skos"])
DCT = _Namespace(PREFIXES["dct"])
ELI = _Namespace(PREFIXES["eli"])
ORG = _Namespace(PREFIXES["org"])
PROV = _Namespace(PREFIXES["prov"])
QB = _Namespace(PREFIXES["qb"])
TIME = _Namespace(PREFIXES["time"])
OA = _Namespace(PREFIXES["oa"])
ODRL = _Namespace(PREFIXES["odrl"])
SPDX = _Namespace(PREFIXES["spdx"])

ONTOLOGY_GRAPH = NamedNode(BASE + "graph/ontology")


def slug(text: str) -> str:
    """A stable IRI-safe name: ASCII words kept, anything else percent-encoded."""
    return quote(text.strip(), safe="-_.~")


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def doc_iri(source: str) -> NamedNode:
    return NamedNode(f"{BASE}id/doc/{slug(source)}")


def graph_iri(source: str) -> NamedNode:
    """The named graph that holds everything read from one file; stable for the same file name."""
    return NamedNode(f"{BASE}graph/doc/{slug(source)}")


_GRAPH_PREFIX, _DOC_PREFIX = f"{BASE}graph/doc/", f"{BASE}id/doc/"


def document_of(graph: str) -> str | None:
    """A plan's document IRI from its graph IRI: both are named by the slug of the source file."""
    return _DOC_PREFIX + graph[len(_GRAPH_PREFIX) :] if graph.startswith(_GRAPH_PREFIX) else None


def graph_of(document: str) -> str:
    """A plan's graph IRI from its document IRI (the inverse of document_of)."""
    return _GRAPH_PREFIX + document[len(_DOC_PREFIX) :]


def graph_named(name: str) -> str:
    """The graph IRI of a document named by its source (as `mskg plans` lists it), its IRI or its graph's IRI."""
    if document_of(name) is not None:
        return name
    return graph_of(name) if name.startswith(_DOC_PREFIX) else graph_iri(name).value


def document_named(name: str) -> str:
    """The document IRI of a plan named by its source, its IRI or its graph's IRI (every `plan` filter takes all three)."""
    return document_of(graph_named(name))


def entity_iri(kind: str, key: str) -> NamedNode:
    """IRIs of things shared across documents (regions, agencies, concepts, indicators)."""
    return NamedNode(f"{BASE}id/{kind}/{slug(key)}")


_SAFE_LOCAL = re.compile(r"[^A-Za-z0-9_\-.]")


def part_iri(document: NamedNode, kind: str, key: str | int) -> NamedNode:
    """IRIs of things that belong to one document (sections, statements, mentions…)."""
    return NamedNode(f"{document.value}/{kind}/{_SAFE_LOCAL.sub('_', str(key))}")


def lit(value, lang: str | None = None, datatype: NamedNode | None = None) -> Literal:
    if lang:
        return Literal(str(value), language=lang)
    if datatype is not None:
        return Literal(str(value), datatype=datatype)
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(str(value), datatype=XSD.integer)
    if isinstance(value, float):
        return decimal(value)
    return Literal(str(value))


def decimal(value: float | int) -> Literal:
    """xsd:decimal without exponent notation (1e9 → 1000000000)."""
    text = f"{value:f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return Literal(text or "0", datatype=XSD.decimal)


def blank_node() -> BlankNode:
    """A blank node with an id of 128 random bits from the OS.

    Not `BlankNode()`: pyoxigraph draws that id from a generator that `mskg ingest`'s forked
    workers inherit in one state, so they made the same ids (until its reseed, every 4,096
    nodes), and the store, where a blank node id names one node across graphs, merged
    selectors of different documents. The top bit is set so that the id is 32 hex digits, the
    form Oxigraph stores inline as a number rather than as a string."""
    return BlankNode(f"{int.from_bytes(os.urandom(16), 'big') | 1 << 127:x}")


def position_selector(subject, link: NamedNode, start: int, end: int) -> list:
    """`subject link [ a oa:TextPositionSelector ; oa:start start ; oa:end end ]` (code points)."""
    position = blank_node()
    return [
        (subject, link, position),
        (position, RDF.type, OA.TextPositionSelector),
        (position, OA.start, lit(start)),
        (position, OA.end, lit(end)),
    ]


def text_span(subject, document: NamedNode | None, start: int, end: int) -> list:
    """Triples locating `subject` in the document: ms:inDocument (unless `document` is None)
    and one position selector into the document's ms:text.

    No oa:TextQuoteSelector: the quoted text is `SUBSTR(?text, start + 1, end - start)` of the
    document's ms:text, held once in the graph. Repeating it per span made quote selectors
    3 of every 8 provenance triples (measured on the seeds)."""
    triples = position_selector(subject, MS.textSelector, start, end)
    if document is not None:
        triples.append((subject, MS.inDocument, document))
    return triples
