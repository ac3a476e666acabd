"""Content negotiation and serialisation of SPARQL results, with a cap on the rows sent.

Most SELECT answers are written by pyoxigraph itself (api.sparql_pool.native_select, in
Rust, about as fast as the query). These Python writers take a list of rows and serve the
rest: queries that the fast path cannot cap with an added LIMIT, in-memory and remote stores.
They follow the W3C formats: SPARQL 1.1 Query Results JSON, XML, CSV and TSV.
"""

from __future__ import annotations

import csv
import io
import json
import re
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

RESULT_FORMATS: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
# ?format= also takes these short names.
FORMAT_ALIASES = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
}
RESULTS_DEFAULT = "application/sparql-results+json"
GRAPH_DEFAULT = "text/turtle"
# A graph asked for as "json" means JSON-LD, "xml" means RDF/XML.
GRAPH_EQUIVALENTS = {
    "application/sparql-results+json": "application/ld+json",
    "application/json": "application/ld+json",
    "application/sparql-results+xml": "application/rdf+xml",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
}


def accept_value(format_param: str | None, accept_header: str | None) -> str:
    """What the client asked for: ?format= (media type or short name) wins over Accept."""
    if format_param:
        return FORMAT_ALIASES.get(format_param.strip().lower(), format_param.strip())
    return accept_header or "*/*"


def negotiate(accept: str, offered: list[str], default: str) -> str | None:
    """The acceptable media type we can produce, best by q-value then by the client's order."""
    choices = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.replace(" ", "").startswith("q="):
                try:
                    q = float(param.split("=", 1)[1])
                except ValueError:
                    q = 0.0
        if q > 0:
            choices.append((-q, i, media.lower()))
    for _, _, media in sorted(choices):
        if media in offered:
            return media
        if media in ("*/*", "", "*"):
            return default
        if media.endswith("/*"):
            family = [m for m in offered if m.startswith(media[:-1])]
            if default.startswith(media[:-1]):
                return default
            if family:
                return family[0]
    return None


def pick_graph_format(accept: str) -> str | None:
    accept = ",".join(_graph_equivalent(part) for part in accept.split(","))
    return negotiate(accept, list(GRAPH_FORMATS), GRAPH_DEFAULT)


def _graph_equivalent(part: str) -> str:
    media, _, rest = part.strip().partition(";")
    replaced = GRAPH_EQUIVALENTS.get(media.strip().lower())
    return f"{replaced};{rest}" if replaced and rest else (replaced or part)


def pick_results_format(accept: str) -> str | None:
    return negotiate(accept, list(RESULT_FORMATS), RESULTS_DEFAULT)


# --- SELECT ---------------------------------------------------------------------------------


def json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {"subject": json_term(term.subject), "predicate": json_term(term.predicate), "object": json_term(term.object)},
        }
    return {"type": "literal", "value": str(term)}


def select_json(variables: list[str], solutions: list[list]) -> bytes:
    bindings = [{v: json_term(t) for v, t in zip(variables, row) if t is not None} for row in solutions]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False).encode()


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """XML text: markup escaped, and characters XML 1.0 cannot carry at all (even as references)
    replaced by U+FFFD, so a stray control character from an OCR'd document still gives valid XML."""
    return _xml_escape(_XML_ILLEGAL.sub("\ufffd", text))


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    return f"<literal>{escape(str(term))}</literal>"


def select_xml(variables: list[str], solutions: list[list]) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in solutions:
        out.append("<result>")
        out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(variables, row) if t is not None]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def select_csv(variables: list[str], solutions: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in solutions:
        writer.writerow([_csv_term(t) for t in row])
    return buffer.getvalue().encode()


def select_tsv(variables: list[str], solutions: list[list]) -> bytes:
    """TSV cells are terms in Turtle/N-Triples syntax (pyoxigraph's str() of a term)."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in solutions:
        lines.append("\t".join("" if t is None else str(t).replace("\t", "\\t") for t in row))
    return ("\n".join(lines) + "\n").encode()


SELECT_WRITERS = {"json": select_json, "xml": select_xml, "csv": select_csv, "tsv": select_tsv}


def serialize_select(media: str, variables: list[str], solutions: list[list]) -> bytes:
    return SELECT_WRITERS[RESULT_FORMATS[media]](variables, solutions)


BOOLEAN_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def serialize_boolean(media: str, result) -> bytes:
    return result.serialize(format=BOOLEAN_FORMATS[RESULT_FORMATS[media]])


def serialize_graph(media: str, triples: list) -> bytes:
    return ox.serialize(triples, format=GRAPH_FORMATS[media])
