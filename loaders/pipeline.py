"""Run the loader stages in order, like a spaCy pipeline of named components.

Each component is a pure function of the document built so far that returns the
facts it found; the pipeline stores them on the `Document`. Adding a stage means
adding one line to `COMPONENTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

from loaders.decode import decode_bytes, decode_file
from loaders.metadata import read_metadata
from loaders.model import DecodedText, Document
from loaders.structure import read_outline

# (name, function of the document, attribute of Document that receives the result)
Component = tuple[str, Callable[[Document], object], str]


def _components() -> list[Component]:
    # Imported lazily so that a stage's vocabularies load once, on first use.
    from loaders.agencies import extract_agencies
    from loaders.concepts import extract_mentions
    from loaders.obligations import extract_obligations
    from loaders.quantities import extract_statements

    return [
        ("quantities", extract_statements, "statements"),
        ("mentions", extract_mentions, "mentions"),
        ("agencies", extract_agencies, "agencies"),
        ("obligations", extract_obligations, "obligations"),
    ]


def build_document(decoded: DecodedText, *, extract: bool = True) -> Document:
    """Outline and metadata always; the fact extractors unless `extract` is False."""
    doc = Document(source=decoded.source, text=decoded.text, format=decoded.format, encoding=decoded.encoding,
                   digest=decoded.digest)
    doc.sections = read_outline(doc.text)
    metadata = read_metadata(doc.text, doc.sections, doc.source)
    for f in fields(metadata):
        setattr(doc, f.name, getattr(metadata, f.name))
    if extract:
        for _name, component, attribute in _components():
            setattr(doc, attribute, component(doc))
    return doc


def read_document(path: str | Path, *, source: str | None = None, extract: bool = True) -> Document:
    """Decode one file and run every stage on it. Raises `DocumentError` for unreadable input.
    `source` names the document (default: the file's name; `mskg ingest` gives its path inside
    the folder it was given)."""
    return build_document(decode_file(Path(path), source), extract=extract)


def read_bytes(data: bytes, source: str, *, extract: bool = True) -> Document:
    """Same as `read_document` for an upload held in memory."""
    return build_document(decode_bytes(data, source), extract=extract)
