"""Which pipeline read a document: a hash of the loaders' code and vocabularies.

The store records it beside each document (loaders/to_rdf/document.py), so `mskg ingest` can
skip a file it already holds as read by this same pipeline, and re-reads it after any change to
the rules. Hashing the files rather than trusting a version number catches every change, even
one made between releases.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

from loaders.concepts import CONCEPTS_DIR

LOADERS = Path(__file__).resolve().parent
VOCABULARIES = CONCEPTS_DIR  # the concept terms the extractors match (the ontology's classes change no output)
DATA_PACKAGES = ("cpca",)  # its region table decides region names and codes


@cache
def pipeline_fingerprint() -> str:
    """16 hex digits of SHA-256 over every loaders module, the concept vocabularies and the
    versions of the packages whose data the loaders read."""
    digest = hashlib.sha256()
    for folder, pattern in ((LOADERS, "*.py"), (VOCABULARIES, "*.ttl")):
        for path in sorted(folder.rglob(pattern)):
            digest.update(f"{folder.name}/{path.relative_to(folder).as_posix()}".encode() + b"\0" + path.read_bytes() + b"\0")
    for package in DATA_PACKAGES:
        try:
            digest.update(f"{package}=={metadata.version(package)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} missing\0".encode())
    return digest.hexdigest()[:16]
