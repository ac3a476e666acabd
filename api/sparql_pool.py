"""Killable SPARQL workers: the only way to stop a runaway query.

Neither pyoxigraph nor rdflib can interrupt a running query in-process, so /sparql sends
each query to one of a few worker processes that hold the store open read-only
(`pyoxigraph.Store.read_only`). At the deadline the worker is killed (503) and replaced in
the background; the server process and its other requests never wait on it. A read-only
store sees the data as of its opening, so `invalidate()` (after an upload) makes every
worker reopen before its next query. The JSON API does not come through here.

A SELECT's rows are serialised by pyoxigraph in Rust (`native_select`), so no Python object
is made per term; the answer crosses the pipe as bytes. Everything else goes through
`api.sparql_exec.execute`, which also states every error.
"""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
import os
import queue
import re
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from api import sparql_formats as fmt
from api.sparql_exec import (
    STORE_UNAVAILABLE, QueryAnswer, QueryJob, calls_service, execute, first_keyword, limit_headers, problem_answer, run, skeleton,
)

log = logging.getLogger("mskg.sparql")

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10000
DEFAULT_WORKERS = 2
STARTUP_TIMEOUT = 60.0  # a worker that cannot open the store in this time is given up


def env_number(name: str, default: float, cast=float):
    """A positive number from the environment, or the default when unset or malformed."""
    try:
        value = cast(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def query_timeout() -> float:
    return env_number("MSKG_QUERY_TIMEOUT", DEFAULT_TIMEOUT)


def query_max_rows() -> int:
    return env_number("MSKG_QUERY_MAX_ROWS", DEFAULT_MAX_ROWS, int)


def worker_count() -> int:
    return env_number("MSKG_SPARQL_WORKERS", DEFAULT_WORKERS, int)


def worker_main(conn: Connection, path: str, parent_pid: int, generation: int) -> None:
    """Open the store, say "ready", then serve jobs from the pipe until it closes; exit if the server dies."""
    try:
        os.nice(5)  # the server's own requests (health, JSON API) come first when cores are scarce
    except OSError:
        pass
    first_parent = os.getppid()  # the server, or the forkserver it started

    def watch_parent() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            if os.getppid() != first_parent:
                os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    try:
        store, opened = open_read_only(path), generation
    except OSError as exc:
        conn.send(f"cannot open store {path}: {exc}")
        return
    conn.send("ready")
    while True:
        try:
            generation, job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if generation != opened:
                store, opened = open_read_only(path), generation
            answer = answer_job(store, job)
            if is_storage_failure(answer):  # a writer elsewhere compacted files away: read the store afresh, once
                store, opened = open_read_only(path), generation
                answer = answer_job(store, job)
        except Exception as exc:  # never leave the server waiting without an answer (and never a 500)
            answer = problem_answer(503, "Query failed", f"{type(exc).__name__}: {exc}")
        conn.send(answer)


def is_storage_failure(answer: QueryAnswer) -> bool:
    return answer.status == 503 and json.loads(answer.body).get("title") == STORE_UNAVAILABLE


NATIVE_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
TSV = ox.QueryResultsFormat.TSV
_LIMIT = re.compile(r"(?<![\w?$:])LIMIT\s+(\d+)", re.I)
# What XML 1.0 cannot carry even as a reference, in UTF-8: C0 controls but tab/LF/CR, U+FFFE, U+FFFF.
_XML_ILLEGAL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def answer_job(store: ox.Store, job: QueryJob) -> QueryAnswer:
    """The natively serialised answer when it applies, else `execute`'s (same results, same errors)."""
    native = native_select(store, job)
    return native if native is not None else execute(store, job)


def native_select(store: ox.Store, job: QueryJob) -> QueryAnswer | None:
    """A SELECT answer written by pyoxigraph; None for other forms, a 406, or any error, so that
    `execute` answers it on the query exactly as sent."""
    media = fmt.pick_results_format(job.accept)
    if media is None or not is_select(job.query) or calls_service(job.query):
        return None
    target = NATIVE_FORMATS[fmt.RESULT_FORMATS[media]]
    limit = outer_limit(job.query)
    try:
        if limit is not None and limit <= job.max_rows:
            body, truncated = _query(store, job, job.query).serialize(format=target), False
        else:
            body, truncated = capped(store, job, target)
    except (SyntaxError, ValueError, OSError):
        return None
    if target == ox.QueryResultsFormat.CSV and b"," not in body.partition(b"\r\n")[0]:
        # One column: pyoxigraph writes a row whose value is unbound as an empty line, which CSV
        # readers skip; the general path writes "" there. Rare enough to answer the slow way.
        return None
    if target == ox.QueryResultsFormat.XML:
        body = _XML_ILLEGAL.sub("\ufffd".encode(), body)  # as api.sparql_formats.escape does
    return QueryAnswer(200, media, body, limit_headers(truncated, job.max_rows))


def capped(store: ox.Store, job: QueryJob, target: ox.QueryResultsFormat) -> tuple[bytes, bool]:
    """At most `max_rows` rows, and whether there were more.

    The query asks for one row more than allowed, as TSV: its rows are exactly its lines (terms
    escape their newlines), so counting and cutting are byte operations; pyoxigraph then rewrites
    the rows in the format asked for. A query whose own clauses leave no room for the added LIMIT
    (one already there, a trailing VALUES) fails to parse and goes to `execute`.
    """
    tsv = _query(store, job, f"{job.query}\nLIMIT {job.max_rows + 1}").serialize(format=TSV)
    truncated = tsv.count(b"\n") - 1 > job.max_rows  # the header is a line too
    if truncated:
        tsv = _first_lines(tsv, job.max_rows + 1)
    if target == TSV:
        return tsv, truncated
    return ox.parse_query_results(tsv, TSV).serialize(format=target), truncated


def _first_lines(data: bytes, count: int) -> bytes:
    end = -1
    for _ in range(count):
        end = data.index(b"\n", end + 1)
    return data[: end + 1]


def _query(store: ox.Store, job: QueryJob, query: str):
    return run(store, query, job.default_graphs, job.named_graphs, job.prefixes)


def is_select(query: str) -> bool:
    return first_keyword(query) == "SELECT"


def outer_limit(query: str) -> int | None:
    """The main query's LIMIT. Only solution modifiers (GROUP BY … LIMIT, OFFSET) can follow the
    last closing brace of a SELECT, so a LIMIT there is the main query's, never a subquery's."""
    blanked = skeleton(query)
    if "}" not in blanked:
        return None
    match = _LIMIT.search(blanked[blanked.rfind("}") + 1 :])
    return int(match.group(1)) if match else None


def open_read_only(path: str, attempts: int = 20):
    """Store.read_only, retried: opening can race the writer's compaction deleting a file just listed."""
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(path)
        except OSError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05)


@dataclass(eq=False)  # hashed by identity: kept in a set
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """A fixed number of worker processes over one store directory."""

    def __init__(self, path: str | Path, *, size: int | None = None, timeout: float | None = None, max_rows: int | None = None):
        self.path = str(path)
        self.size = size or worker_count()
        self.timeout = timeout or query_timeout()
        self.max_rows = max_rows or query_max_rows()
        self.generation = 0
        self._context = _context()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        started = time.monotonic()
        starting = [self._start() for _ in range(self.size)]
        for worker in starting:
            self._ready(worker)
        if self._idle.qsize() == 0:
            raise RuntimeError(f"no SPARQL worker could open {self.path}")
        log.info("%d SPARQL workers ready in %.2f s", self._idle.qsize(), time.monotonic() - started)

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        args = (child, self.path, os.getpid(), self.generation)
        process = self._context.Process(target=worker_main, args=args, daemon=True, name="mskg-sparql")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _ready(self, worker: _Worker) -> None:
        """Wait for the worker's "ready" before giving it work: a booting worker must not eat a query's time."""
        try:
            message = worker.conn.recv() if worker.conn.poll(STARTUP_TIMEOUT) else "no answer in time"
        except (EOFError, OSError):
            message = "the process ended"
        if message != "ready":
            log.error("SPARQL worker failed to start: %s", message)
            with self._lock:
                self._all.discard(worker)
            worker.kill()
            return
        self._idle.put(worker)

    def _spawn(self) -> None:
        self._ready(self._start())

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and put a fresh one in its place, without holding up the caller."""
        with self._lock:
            self._all.discard(worker)

        def renew() -> None:
            worker.kill()
            if not self._closed:
                self._spawn()

        threading.Thread(target=renew, daemon=True).start()

    def invalidate(self) -> None:
        """The store changed: workers reopen it before their next query."""
        self.generation += 1

    def run(self, job: QueryJob) -> QueryAnswer:
        """Blocking: answer the job, or 503 when no worker is free or the time limit passes."""
        job.max_rows = min(job.max_rows, self.max_rows)
        deadline = time.monotonic() + self.timeout
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return _timed_out(self.timeout, "every query worker stayed busy")
        try:
            worker.conn.send((self.generation, job))
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                answer = worker.conn.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError, BrokenPipeError):
            log.warning("a SPARQL worker died; replacing it")
            self._replace(worker)
            return problem_answer(503, "Query worker failed", "The query process ended unexpectedly; try again.")
        log.info("query stopped at its %.1f s limit", self.timeout)
        self._replace(worker)
        return _timed_out(self.timeout, "the query ran past its time limit and was stopped")

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.kill()


def _context():
    """forkserver: a clean, single-threaded parent with pyoxigraph preloaded, so a replacement
    worker starts in milliseconds (spawn would pay the interpreter start each time)."""
    if "forkserver" in mp.get_all_start_methods():
        context = mp.get_context("forkserver")
        context.set_forkserver_preload(["api.sparql_pool", "pyoxigraph"])
        return context
    return mp.get_context("spawn")


def _timed_out(limit: float, why: str) -> QueryAnswer:
    answer = problem_answer(503, "Query timed out", f"{why} ({limit:g} s; MSKG_QUERY_TIMEOUT). Narrow it, add LIMIT, or avoid cartesian products.")
    answer.headers["Retry-After"] = "1"
    return answer
