"""Map stage: a `Document` → the triples of its named graph.

One module per kind of fact; `to_triples` chains them. Terms are pyoxigraph terms
so the store can take them without conversion.
"""

from __future__ import annotations

from loaders.model import Document
from loaders.to_rdf.concepts import concepts_triples
from loaders.to_rdf.document import document_triples
from loaders.to_rdf.quantities import quantities_triples
from loaders.to_rdf.vocab import doc_iri, graph_iri

MAPPINGS = (document_triples, quantities_triples, concepts_triples)


def to_triples(doc: Document) -> list:
    triples = []
    for mapping in MAPPINGS:
        triples += mapping(doc)
    return triples


__all__ = ["to_triples", "doc_iri", "graph_iri", "MAPPINGS"]
