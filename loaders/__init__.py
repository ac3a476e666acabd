"""Loaders: documents → plain dataclasses (see `loaders.model`) → RDF triples.

Stages, one module each: `decode` (bytes → text), `structure` (outline),
`metadata` (title, issuer, dates, region…), `quantities`, `concepts`,
`agencies`, `obligations` (facts with spans), `to_rdf` (triples).
`pipeline.read_document` runs them in order.
"""
