"""`mskg`: the command line. Each command is a thin shell around a function of loaders/ or kg/."""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    help="mskg: a knowledge graph of market-supervision plans (市场监管规划知识图谱).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

StoreOption = Annotated[
    Optional[str],
    typer.Option("--store", help="Store directory (default: $MSKG_STORE or ./.mskg), or a sparql+http(s):// URL."),
]


class TableFormat(str, Enum):
    table = "table"
    json = "json"


class QueryFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(str, Enum):
    turtle = "turtle"
    trig = "trig"
    nquads = "nquads"
    jsonld = "jsonld"


class ParseFormat(str, Enum):
    json = "json"
    tree = "tree"


class TargetsFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    table = "table"


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _open(store: str | None, *, read_only: bool = False):
    from kg.store import StoreError, open_store

    try:
        return open_store(store, read_only=read_only)
    except StoreError as exc:
        fail(str(exc))


def _print_table(records: list[dict], columns: list[str]) -> None:
    widths = {c: max([len(c)] + [len(_cell(r.get(c))) for r in records]) for c in columns}
    typer.echo("  ".join(c.ljust(widths[c]) for c in columns))
    typer.echo("  ".join("-" * widths[c] for c in columns))
    for record in records:
        typer.echo("  ".join(_cell(record.get(c)).ljust(widths[c]) for c in columns))


def _cell(value, width: int = 48) -> str:
    text = "" if value is None else str(value).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of plan documents.")],
    store: StoreOption = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", min=1, help="Processes for extraction (default: the cores).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Read every file again, even those the store holds unchanged.")] = False,
    compact: Annotated[Optional[bool], typer.Option(
        "--compact/--no-compact", show_default=False,
        help="Compact the embedded store after writing, or not. By default it is compacted after a run that wrote over "
             "a million triples and at least a quarter as many documents as it held: compacting rewrites the whole "
             "store (about 5 minutes at 10,000 plans) and makes some scans up to twice as fast.")] = None,
) -> None:
    """Read documents into the store: one named graph per file, replaced when the file or the
    pipeline changed; files the store holds unchanged are skipped (--force reads them again)."""
    from kg.ingest import ingest as run_ingest
    from kg.ingest import warm_up
    from kg.store import StoreError

    warm_up()  # before taking the store, so concurrent ingests queue for less time
    graph_store = _open(store)
    try:
        report = run_ingest(graph_store, paths, progress=True, jobs=jobs, force=force, compact=compact)
    except StoreError as exc:  # e.g. a full or read-only disk: documents already written stay whole
        fail(str(exc))
    finally:
        graph_store.close()
    for error in report.errors:
        typer.echo(f"error: {error}", err=True)
    for note in report.copies:
        typer.echo(f"warning: {note}", err=True)
    triples = sum(n for _, n in report.loaded)
    unchanged = f"; {len(report.unchanged)} unchanged (held as they are; --force reads them again)" if report.unchanged else ""
    compacted = "; store compacted" if report.compacted else ""
    typer.echo(f"ingested {len(report.loaded)} document(s), {triples} triples; {len(report.errors)} failed{unchanged}{compacted}")
    if report.errors or not (report.loaded or report.unchanged):
        raise typer.Exit(1)


@app.command()
def remove(
    names: Annotated[list[str], typer.Argument(help="Documents: source names as `mskg plans` lists them, or their IRIs.")],
    store: StoreOption = None,
) -> None:
    """Remove documents from the store, each with its named graph (everything read from its file)."""
    from kg.ingest import remove_documents
    from kg.store import StoreError

    graph_store = _open(store)
    try:
        removed, missing = remove_documents(graph_store, names)
    except StoreError as exc:
        fail(str(exc))
    finally:
        graph_store.close()
    for name in missing:
        typer.echo(f"error: no document {name!r} in the store (`mskg plans` lists them)", err=True)
    typer.echo(f"removed {len(removed)} document(s)")
    if missing:
        raise typer.Exit(1)


@app.command()
def compact(store: StoreOption = None) -> None:
    """Compact the embedded store: merges the table files bulk loads leave behind, which can make
    scans up to twice as fast. Takes minutes at 10,000 plans, holding the store; ingest does it by
    itself after large runs (see `mskg ingest --help`)."""
    from kg.store import REMOTE_SCHEMES, StoreError, default_location, disk_size

    if not (store or "").startswith(REMOTE_SCHEMES) and not Path(store or default_location()).is_dir():
        fail(f"no store at {store or default_location()}")
    graph_store = _open(store)
    folder = getattr(graph_store, "path", None)
    before = disk_size(folder) if folder is not None else 0
    try:
        if not hasattr(graph_store, "optimize"):
            fail(f"{graph_store.location}: a SPARQL server compacts its own storage; see its documentation")
        graph_store.optimize()
    except StoreError as exc:
        fail(str(exc))
    finally:
        graph_store.close()
    sizes = f": {before / 1e6:,.0f} MB → {disk_size(folder) / 1e6:,.0f} MB on disk" if folder is not None else ""
    typer.echo(f"store compacted{sizes}")


@app.command()
def plans(store: StoreOption = None, format: Annotated[TableFormat, typer.Option("--format")] = TableFormat.table) -> None:
    """List the documents in the store."""
    from kg.queries import PLAN_FIELDS, list_plans

    records = list_plans(_open(store))
    if format is TableFormat.json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        _print_table(records, [f for f in PLAN_FIELDS if f != "id"])


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL 1.1 query (prefixes ms:, eli:, skos:… are predeclared).")],
    store: StoreOption = None,
    format: Annotated[QueryFormat, typer.Option("--format")] = QueryFormat.table,
) -> None:
    """Run a SPARQL query over the union of all graphs."""
    import pyoxigraph as ox

    from kg.queries import rows

    graph_store = _open(store)
    try:
        result = graph_store.query(sparql)
    except SyntaxError as exc:
        fail(f"malformed query: {str(exc).splitlines()[0]}", 2)
    except OSError as exc:
        fail(f"query failed: {str(exc).splitlines()[0]}")
    if isinstance(result, ox.QueryBoolean):
        typer.echo(json.dumps({"boolean": bool(result)}) if format is QueryFormat.json else str(bool(result)).lower())
        return
    if isinstance(result, ox.QueryTriples):
        typer.echo(ox.serialize(result, format=ox.RdfFormat.TURTLE).decode())
        return
    if format is QueryFormat.json:
        typer.echo(result.serialize(format=ox.QueryResultsFormat.JSON).decode())
    elif format is QueryFormat.csv:
        typer.echo(result.serialize(format=ox.QueryResultsFormat.CSV).decode(), nl=False)
    else:
        names = [v.value for v in result.variables]
        _print_table(rows(result), names)


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.trig,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write to this file instead of stdout.")] = None,
    store: StoreOption = None,
) -> None:
    """Serialise the whole store (quad formats keep the named graphs), written as it is read.

    To a file, through `FILE.part` renamed when complete: a failed export (a full disk, a store
    error) leaves no file that looks whole."""
    graph_store = _open(store, read_only=True)
    part = out.with_name(out.name + ".part") if out is not None else None
    try:
        if part is None:
            graph_store.export(format.value, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with part.open("wb") as sink:
                graph_store.export(format.value, sink)
            part.replace(out)
    except (OSError, ValueError) as exc:  # a full disk, an unwritable folder, a store gone (StoreError is an OSError)
        if part is not None:
            part.unlink(missing_ok=True)
        fail(f"export failed: {' '.join(str(exc).split())}")
    finally:
        graph_store.close()
    if out is not None:
        typer.echo(f"wrote {out.stat().st_size} bytes to {out}", err=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
    store: StoreOption = None,
) -> None:
    """Serve SPARQL, the JSON API and the graph pages over HTTP."""
    import uvicorn

    from api.app import create_app

    # Without an upload token nothing writes, so the store opens read-only: no writer lock is held,
    # several servers and `mskg ingest` can share it (a server sees the data as of its start).
    import os

    graph_store = _open(store, read_only=not os.environ.get("MSKG_API_TOKEN"))
    uvicorn.run(create_app(graph_store), host=host, port=port, log_level="info")


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="A plan document (.txt, .html, .docx, .pdf).")],
    format: Annotated[ParseFormat, typer.Option("--format")] = ParseFormat.json,
) -> None:
    """Print the document model: metadata and outline with offsets."""
    from loaders.model import DocumentError
    from loaders.pipeline import read_document

    try:
        doc = read_document(file, extract=False)
    except DocumentError as exc:
        fail(str(exc))
    data = doc.outline_dict()
    if format is ParseFormat.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key in ("source", "title", "doc_type", "issuer", "date", "doc_number", "region", "period", "cites", "about"):
        typer.echo(f"{key}: {json.dumps(data[key], ensure_ascii=False)}")
    for section in doc.all_sections():
        typer.echo(f"{'  ' * section.level}{section.number} {section.title}  [{section.start}:{section.end}]")


@app.command()
def targets(
    files: Annotated[list[Path], typer.Argument(help="Plan documents.")],
    format: Annotated[TargetsFormat, typer.Option("--format")] = TargetsFormat.jsonl,
) -> None:
    """Print every quantified statement (target, progress, baseline) found in the documents."""
    from loaders.model import DocumentError, Statement
    from loaders.pipeline import read_document

    records, failed = [], 0
    for file in files:
        try:
            records += [asdict(s) for s in read_document(file).statements]
        except DocumentError as exc:
            typer.echo(f"error: {exc}", err=True)
            failed += 1
    columns = list(Statement.__dataclass_fields__)
    if format is TargetsFormat.jsonl:
        for record in records:
            typer.echo(json.dumps(record, ensure_ascii=False))
    elif format is TargetsFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns)
        writer.writeheader()
        writer.writerows(records)
        typer.echo(buffer.getvalue(), nl=False)
    else:
        _print_table(records, ["doc", "indicator", "comparator", "value", "unit", "year", "kind", "area", "region"])
    if failed:
        raise typer.Exit(1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="A topic: Chinese or English term, synonym, or concept id.")],
    store: StoreOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=200)] = 20,
) -> None:
    """Which plans cover this topic, and where exactly? Prints JSON with evidence spans."""
    from kg.search import search as run_search

    typer.echo(json.dumps(run_search(_open(store), query, limit=limit), ensure_ascii=False, indent=2))


def main() -> None:  # pragma: no cover - console entry for `python -m kg.cli`
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
