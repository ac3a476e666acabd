"""Ingest: files → documents → triples → one named graph each in the store.

Extraction (decode, outline, extract, map to triples) is pure and CPU-bound, so it runs in
`jobs` worker processes; each worker hands back N-Triples bytes. The parent alone writes to
the store, so a store never sees two writers: documents in atomic batches (one bulk load of
many graphs, after removing the older versions of those it replaces). A crash leaves every
document wholly present or wholly absent. Files the store holds unchanged are not read again.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import re
import sys
import threading
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from kg.store import BULK_LIMIT, GraphStore, StoreError, count_lines, disk_size, load_ontology, ntriples
from loaders.decode import file_digest
from loaders.model import DocumentError
from loaders.pipeline import read_document
from loaders.to_rdf import graph_iri, to_triples
from loaders.to_rdf.document import pipeline_iri
from loaders.to_rdf.vocab import document_of, graph_named

FLUSH_EVERY = 200_000  # triples written between flushes of the embedded store
OPTIMIZE_AFTER = 1_000_000  # triples written in one run after which the store is compacted (see OxigraphStore.optimize)
OPTIMIZE_SHARE = 0.25  # ...if the run's documents are at least this share of those the store held (see worth_compacting)
SUPPORTED_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".docx", ".pdf"}


@dataclass
class IngestReport:
    loaded: list[tuple[str, int]] = field(default_factory=list)  # (source, triples)
    errors: list[str] = field(default_factory=list)  # one line each, naming the file
    unchanged: list[str] = field(default_factory=list)  # files the store holds as they are (see unchanged_files)
    copies: list[str] = field(default_factory=list)  # one line per document read from the same bytes as another (see copy_note)
    compacted: bool = False  # whether the run ended by compacting the store (see worth_compacting)
    held_before: int = 0  # documents the store held when the run began
    text_bytes: int = 0  # size of the files loaded, for throughput figures


@dataclass(frozen=True)
class SourceFile:
    """A file to read, and the name its document gets in the store (its source, which names its
    graph): the file's path inside the folder given, or its name when the file itself was given.
    So 江西省/2023年工作要点.pdf and 湖南省/2023年工作要点.pdf stay two plans; named by the file's
    name alone, the second replaced the first without a word."""

    path: Path
    source: str


@dataclass
class Extracted:
    """What a worker sends back for one file: its graph as N-Triples, or one line of error."""

    path: str
    source: str = ""  # the document's name (see SourceFile)
    data: bytes = b""
    triples: int = 0  # lines of `data`, counted here rather than by the writer, the busiest process
    size: int = 0
    digest: str = ""  # of the file's bytes, as the document records it
    error: str | None = None

    @property
    def graph(self) -> str:
        return graph_iri(self.source).value


def expand(paths: Iterable[str | Path]) -> Iterator[SourceFile]:
    """Files as given, and the supported files inside folders (sorted, recursively), each with
    the name of its document (see SourceFile)."""
    for path in map(Path, paths):
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES):
                yield SourceFile(file, file.relative_to(path).as_posix())
        else:
            yield SourceFile(path, path.name)


def distinct_sources(files: Iterable[SourceFile]) -> tuple[list[SourceFile], list[str]]:
    """(files to read, one error line for each file left out): a file whose document name another
    file of the run already has is not read, since its graph would replace the other's. The same
    file given twice (say, in a folder given and on its own) keeps the name it got first and is
    read each time, as before."""
    first: dict[str, tuple[Path, Path]] = {}  # document name → the file that has it (resolved, as given)
    named: dict[Path, str] = {}  # file (resolved) → its document name
    kept, errors = [], []
    for file in files:
        resolved = file.path.resolve()
        source = named.setdefault(resolved, file.source)
        holder, given = first.setdefault(source, (resolved, file.path))
        if holder != resolved:
            errors.append(
                f"{file.path}: not read: {given} has the same document name {source!r} in this run; "
                "give a folder holding both (each is then named by its path inside it), or rename one"
            )
            continue
        kept.append(replace(file, source=source))
    return kept, errors


def ingest_file(store: GraphStore, path: Path) -> int:
    """Read one file and replace its graph; raises DocumentError before touching the store."""
    doc = read_document(path)
    triples = to_triples(doc)
    return store.replace_graph(graph_iri(doc.source), triples)


def warm_up() -> None:
    """Import the extractors and load their vocabularies now, on a tiny text: done before a
    writer takes the store lock, it shortens the time other processes queue behind it, and
    forked workers inherit the loaded modules."""
    from loaders.pipeline import read_bytes

    try:
        to_triples(read_bytes("某市市场监督管理局工作要点\n一、目标\n抽检合格率达到98%。\n".encode(), "warm-up.txt"))
    except Exception:  # a broken extractor is reported per file later, not here
        pass


def ensure_ontology(store: GraphStore) -> int:
    """Load the ontology graph unless the store already holds exactly these triples: rewriting
    ~3,000 triples on every run would make each ingest hold the writer lock longer."""
    import pyoxigraph as ox

    from kg.store import ontology_files
    from loaders.to_rdf.vocab import ONTOLOGY_GRAPH

    wanted = set()
    for path in ontology_files():
        wanted.update(f"{q.subject} {q.predicate} {q.object}" for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    rows = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", default_graph=[ONTOLOGY_GRAPH])
    held = {f"{r['s']} {r['p']} {r['o']}" for r in rows}
    comparable = not any("_:" in line for line in wanted)  # blank node labels differ on each parse
    if comparable and held == wanted:
        return 0
    return load_ontology(store)


# Each document's graph with the digest of the file it was read from, the pipeline that read it and
# its name (loaders/to_rdf/document.py:source_triples): one row a document, read in pages that stay
# under a remote server's row cap (Virtuoso answers at most 10,000 rows, silently).
HELD_VERSIONS = """
SELECT ?g ?digest ?pipeline ?source WHERE {{
  GRAPH ?g {{ ?doc ms:sourceFile ?source ; spdx:checksum/spdx:checksumValue ?digest . ?g prov:wasAttributedTo ?pipeline }}
}} ORDER BY ?g LIMIT {limit} OFFSET {offset}
"""
HELD_PAGE = 5000


class HeldVersion(NamedTuple):
    digest: str  # of the file's bytes
    pipeline: str  # IRI of the pipeline that read it (loaders/fingerprint.py)
    source: str  # the document's name


def held_versions(store: GraphStore) -> dict[str, HeldVersion]:
    """Graph IRI → what the store holds of its document, for every document it holds with a digest."""
    held: dict[str, HeldVersion] = {}
    offset = 0
    while True:
        rows = list(store.query(HELD_VERSIONS.format(limit=HELD_PAGE, offset=offset)))
        held.update((row["g"].value, HeldVersion(row["digest"].value, row["pipeline"].value, row["source"].value)) for row in rows)
        offset += len(rows)
        if len(rows) < HELD_PAGE:
            return held


def unchanged_files(held: dict[str, HeldVersion], files: list[SourceFile]) -> tuple[list[SourceFile], list[SourceFile]]:
    """(files to read, files to skip): a file is skipped when the store holds its graph made by
    this pipeline from the same bytes (`held`: see held_versions). Re-running an ingest over a
    folder of 10,000 plans then costs a digest per file instead of an hour of extraction; any
    change to the file or to the loaders' code or vocabularies (loaders/fingerprint.py) has it
    read again."""
    if not held:
        return files, []
    pipeline = pipeline_iri().value
    names = Counter(file.source for file in files)
    to_read, skipped = [], []
    for file in files:
        version = held.get(graph_iri(file.source).value)
        # a file given twice is read each time, so the last reading keeps the graph, as on a first run
        if version is not None and names[file.source] == 1 and version.pipeline == pipeline and version.digest == _digest(file.path):
            skipped.append(file)
        else:
            to_read.append(file)
    return to_read, skipped


def names_by_digest(held: dict[str, HeldVersion], replaced: set[str]) -> dict[str, set[str]]:
    """File digest → names of the held documents read from those bytes, leaving out those this
    run reads again (`replaced`), whose held version is on its way out."""
    names: dict[str, set[str]] = {}
    for version in held.values():
        if version.source not in replaced:
            names.setdefault(version.digest, set()).add(version.source)
    return names


def copy_note(item: Extracted, names: dict[str, set[str]]) -> str | None:
    """One line when the store holds, or this run has read, the same bytes under another name
    (`names`: see names_by_digest; this item's name is added to it). A file moved into a folder,
    or ingested once on its own and once in its folder, gets a second name and so a second copy
    of every fact; counts over the store would see it twice."""
    if not item.digest:
        return None
    others = sorted(names.setdefault(item.digest, set()) - {item.source})
    names[item.digest].add(item.source)
    if not others:
        return None
    listed = ", ".join(repr(name) for name in others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
    return (f"{item.source}: the same file as {listed}, also in the store; "
            f"`mskg remove NAME` takes out a copy you do not want")


SAME_BYTES = """
SELECT DISTINCT ?source WHERE {{
  GRAPH ?g {{ ?doc spdx:checksum/spdx:checksumValue "{digest}"^^xsd:hexBinary ; ms:sourceFile ?source }}
}} ORDER BY ?source LIMIT 100
"""


def held_copies(store: GraphStore, digest: str, source: str) -> list[str]:
    """Names of the other documents the store holds read from the same bytes (for one upload;
    an ingest compares all at once, see copy_note)."""
    if not re.fullmatch(r"[0-9a-f]+", digest):
        return []
    return [row["source"].value for row in store.query(SAME_BYTES.format(digest=digest)) if row["source"].value != source]


def _digest(path: Path) -> str | None:
    try:
        return file_digest(path.read_bytes())
    except OSError:  # reported by the extraction, which reads the file again
        return None


def extract(path: str | Path, source: str | None = None) -> Extracted:
    """Read one file and map it to N-Triples; never raises, so one bad file cannot stop a run.
    `source` names the document (default: the file's name)."""
    path = Path(path)
    source = source or path.name
    try:
        doc = read_document(path, source=source)
        data = ntriples(to_triples(doc))
        return Extracted(str(path), source, data, count_lines(data), _size(path), doc.digest)
    except DocumentError as exc:
        return Extracted(str(path), source, error=_one_line(str(exc)))
    except Exception as exc:  # a bug in one extractor must not lose the other files
        return Extracted(str(path), source, error=_one_line(f"{path}: failed to load ({type(exc).__name__}: {exc})"))


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def ingest(store: GraphStore, paths: Iterable[str | Path], *, progress: bool = False, jobs: int | None = None,
           force: bool = False, compact: bool | None = None) -> IngestReport:
    """Ingest every file with `jobs` extraction processes (default: the cores); the caller's
    process writes the graphs in batches as the extractions arrive. Files the store
    holds unchanged are skipped (see unchanged_files) unless `force`. The store is compacted at
    the end when `compact`, or when None and the run is worth it (see worth_compacting)."""
    report = IngestReport()
    files, report.errors = distinct_sources(expand(paths))
    ensure_ontology(store)
    report.held_before = documents_held(store) if hasattr(store, "optimize") else 0
    held = held_versions(store)
    if not force:
        files, skipped = unchanged_files(held, files)
        report.unchanged = [file.source for file in skipped]
    copies = names_by_digest(held, replaced={file.source for file in files})
    jobs = default_jobs() if jobs is None else max(1, jobs)
    bar = None
    if progress and len(files) > 1:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="doc", desc="ingest")
    writer = _Writer()
    batch = _Batch(store, report, writer, on_written=bar.update if bar is not None else None)
    try:
        for item in _extracted(files, jobs):
            if item.error is not None:
                report.errors.append(item.error)
                if bar is not None:
                    bar.update(1)
            else:
                if (note := copy_note(item, copies)) is not None:
                    report.copies.append(note)
                batch.add(item)
        batch.write()
        writer.close()  # waits for the last writes; raises the first write error
        if hasattr(store, "optimize") and (compact if compact is not None else worth_compacting(report, batch.written)):
            if progress:  # minutes at 10,000 plans, with the bar at 100 %: say why nothing moves
                _say(bar, f"compacting the store ({disk_size(store.path) / 1e6:,.0f} MB; a few minutes at 10,000 plans, "
                          "--no-compact skips it)…" if getattr(store, "path", None) else "compacting the store…")
            store.optimize()
            report.compacted = True
    finally:
        writer.stop()
        if bar is not None:
            bar.close()
    return report


def _say(bar, line: str) -> None:
    """A line on stderr, above the progress bar if there is one."""
    if bar is not None:
        bar.write(line, file=sys.stderr)
    else:
        print(line, file=sys.stderr, flush=True)


def documents_held(store: GraphStore) -> int:
    """How many documents' graphs the store holds (listing the embedded store's graph names takes
    30 ms at 10,000 plans; a remote store is never compacted by us, so it is not asked)."""
    return sum(1 for graph in store.graphs() if document_of(graph.value) is not None)


def remove_documents(store: GraphStore, names: Iterable[str]) -> tuple[list[str], list[str]]:
    """(removed, not found): each document, named by its source (as `mskg plans` lists it), its
    IRI or its graph's IRI, loses its graph, which holds everything read from its file. Each
    removal is one step, so a crash leaves every document whole or gone."""
    held = {graph.value for graph in store.graphs()}
    removed, missing = [], []
    for name in names:
        graph = graph_named(name)
        if graph in held:
            store.remove_graph(ox.NamedNode(graph))
            held.discard(graph)
            removed.append(name)
        else:
            missing.append(name)
    return removed, missing


def worth_compacting(report: IngestReport, written: int) -> bool:
    """Compact after a run that wrote over OPTIMIZE_AFTER triples, if its documents are at least
    OPTIMIZE_SHARE of those the store held before it.

    Compacting rewrites the whole store: 25 s at 1,000 plans, 282 s at 10,000, where loading
    100 more plans takes 12 s. It halves some scans after a first load. After adding 1 % to
    10,000 plans, leaving it out cost at most 2.2× on a full-store scan (a document count,
    103 → 230 ms) and nothing on one plan's graph, and RocksDB goes on merging table files by
    itself on later writes; `mskg ingest --compact` asks for it anyway."""
    return written >= OPTIMIZE_AFTER and len(report.loaded) >= OPTIMIZE_SHARE * report.held_before


class _Writer:
    """One thread that makes the store writes, in the order given, while this process goes on
    receiving extractions. A bulk load releases the GIL, so extraction workers no longer idle
    while a batch loads (before, py-spy showed them busy 17% of the time on a 10,000-plan run).
    At most one job waits, so memory holds no more than about three batches.

    A second writer thread loading batches beside the first was tried: 1,000 plans took 119 s
    instead of 138 s, but 10,000 plans 2,714 s instead of 2,510 s, with 0.25 GB more RSS. A large
    store is bound by RocksDB merging its table files, which a second loader only feeds faster."""

    def __init__(self):
        self.jobs: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.closed = False
        self.thread = threading.Thread(target=self._run, name="mskg-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            if self.error is None:  # after a failure, nothing more is written
                try:
                    job()
                except BaseException as exc:  # handed to the caller's thread by submit/close
                    self.error = exc

    def submit(self, job) -> None:
        self._raise()
        self.jobs.put(job)

    def close(self) -> None:
        self.stop()
        self._raise()

    def stop(self) -> None:
        if not self.closed:
            self.closed = True
            self.jobs.put(None)
            self.thread.join()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error


def batch_limit() -> int:
    """Triples per bulk load: at most BULK_LIMIT (one atomic step); $MSKG_BATCH_TRIPLES may lower it."""
    try:
        return max(1, min(BULK_LIMIT, int(os.environ.get("MSKG_BATCH_TRIPLES", BULK_LIMIT))))
    except ValueError:
        return BULK_LIMIT


class _Batch:
    """Documents waiting to be written, handed to the writer thread. Graphs go to the embedded
    store together, in one bulk load of up to `batch_limit()` triples that also replaces those
    it holds (see OxigraphStore.write_graphs); a graph seen earlier in the run is replaced on its
    own, after the batch that holds its earlier version. Other stores get one atomic replacement
    per document. The progress bar counts documents written."""

    def __init__(self, store: GraphStore, report: IngestReport, writer: _Writer, on_written=None):
        self.store = store
        self.report = report
        self.writer = writer
        self.on_written = on_written
        self.limit = batch_limit()
        self.items: list[tuple[Extracted, int]] = []  # (extraction, triples)
        self.seen: set[str] = set()  # graphs of this run, written or on their way
        self.triples = 0
        self.unflushed = 0
        self.written = 0
        self.batched = hasattr(store, "write_graphs")

    def add(self, item: Extracted) -> None:
        count = item.triples
        batched = self.batched and item.graph not in self.seen
        self.seen.add(item.graph)
        if not batched or self.triples + count > self.limit:
            self.write()
        if not batched:  # queued after the batch that may hold its earlier version
            self.writer.submit(lambda: self._done(item, _write(self.store, ox.NamedNode(item.graph), item.data)))
            return
        self.items.append((item, count))
        self.triples += count

    def write(self) -> None:
        if not self.items:
            return
        items = self.items
        self.items, self.triples = [], 0

        def load() -> None:
            graphs = [(ox.NamedNode(item.graph), item.data) for item, _ in items]
            counts = self.store.write_graphs(graphs, [count for _, count in items])
            for (item, _), count in zip(items, counts):
                self._done(item, count)

        self.writer.submit(load)

    def _done(self, item: Extracted, count: int) -> None:
        self.report.loaded.append((item.source, count))
        self.report.text_bytes += item.size
        if self.on_written is not None:
            self.on_written(1)
        self.unflushed += count
        self.written += count
        if self.unflushed >= FLUSH_EVERY and hasattr(self.store, "flush"):
            self.store.flush()  # bounds the writer's memory: RocksDB keeps unflushed writes in RAM
            self.unflushed = 0


def _extracted(files: list[SourceFile], jobs: int) -> Iterator[Extracted]:
    """Extractions in file order: in this process for one job or one file, else in a pool."""
    if jobs == 1 or len(files) <= 1:
        yield from (extract(file.path, file.source) for file in files)
        return
    # fork: workers inherit the loaded modules; they only read files and never touch the store.
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(files)), mp_context=context)
    window = deque()  # futures in file order, at most `ahead` of them, so memory stays flat
    ahead = jobs * 4
    finished = False
    try:
        for file in files:
            window.append(pool.submit(extract, file.path, file.source))
            if len(window) >= ahead:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
        finished = True
    finally:
        # On an error in the parent (say, a full disk) drop the queued files instead of extracting them all.
        pool.shutdown(wait=finished, cancel_futures=not finished)


def _write(store: GraphStore, graph, data: bytes) -> int:
    """One atomic replacement; stores without the N-Triples fast path get parsed triples."""
    replace_data = getattr(store, "replace_graph_data", None)
    if replace_data is not None:
        return replace_data(graph, data)
    triples = [(t.subject, t.predicate, t.object) for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    return store.replace_graph(graph, triples)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _one_line(text: str) -> str:
    return " ".join(text.split())


__all__ = ["IngestReport", "Extracted", "SourceFile", "expand", "distinct_sources", "extract", "ingest", "ingest_file",
           "default_jobs", "ensure_ontology", "held_versions", "unchanged_files", "remove_documents", "warm_up", "StoreError"]
