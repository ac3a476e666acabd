"""Ingest: files → documents → triples → one named graph each in the store."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.store import GraphStore, load_ontology
from loaders.model import DocumentError
from loaders.pipeline import read_document
from loaders.to_rdf import graph_iri, to_triples

SUPPORTED_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".docx", ".pdf"}


@dataclass
class IngestReport:
    loaded: list[tuple[str, int]] = field(default_factory=list)  # (source, triples)
    errors: list[str] = field(default_factory=list)  # one line each, naming the file


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given, and the supported files inside folders (sorted, recursively)."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            yield path


def ingest_file(store: GraphStore, path: Path) -> int:
    """Read one file and replace its graph; raises DocumentError before touching the store."""
    doc = read_document(path)
    triples = to_triples(doc)
    return store.replace_graph(graph_iri(doc.source), triples)


def ingest(store: GraphStore, paths: Iterable[str | Path], *, progress: bool = False, jobs: int | None = None) -> IngestReport:
    """Ingest every file; `jobs` is the number of extraction processes (first version: one)."""
    report = IngestReport()
    files = list(expand(paths))
    load_ontology(store)
    bar = None
    if progress and len(files) > 1:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="doc", desc="ingest")
    for path in files:
        try:
            report.loaded.append((path.name, ingest_file(store, path)))
        except DocumentError as exc:
            report.errors.append(str(exc))
        except Exception as exc:  # a bug in one extractor must not lose the other files
            report.errors.append(f"{path}: failed to load ({type(exc).__name__}: {exc})")
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return report
