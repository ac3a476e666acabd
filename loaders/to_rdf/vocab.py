"""Namespaces and IRI minting shared by every mapping module and by the queries in kg/."""

from __future__ import annotations

import hashlib
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
}

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


class _Namespace:
    """`MS.Plan` → NamedNode('…ontology#Plan'); `MS["sourceFile"]` works too."""

    def __init__(self, base: str):
        self.base = base
        self._terms: dict[str, NamedNode] = {}

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> NamedNode:
        # Built once per name: the mapping asks for the same few terms millions of times.
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = NamedNode(self.base + name)
        return term


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


def text_span(subject, document: NamedNode, text: str, start: int, end: int):
    """Triples locating `subject` in the document: Web Annotation position and quote selectors."""
    position = BlankNode()
    quote_sel = BlankNode()
    return [
        (subject, MS.inDocument, document),
        (subject, MS.textSelector, position),
        (position, RDF.type, OA.TextPositionSelector),
        (position, OA.start, lit(start)),
        (position, OA.end, lit(end)),
        (subject, MS.textSelector, quote_sel),
        (quote_sel, RDF.type, OA.TextQuoteSelector),
        (quote_sel, OA.exact, lit(text[start:end])),
    ]
