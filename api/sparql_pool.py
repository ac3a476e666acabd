"""Killable SPARQL workers: the only way to stop a runaway query.

Neither pyoxigraph nor rdflib can interrupt a running query in-process, so /sparql sends
each query to one of a few worker processes that hold the store open read-only
(`pyoxigraph.Store.read_only`). At the deadline the worker is killed (503) and replaced in
the background; the server process and its other requests never wait on it. A read-only
store sees the data as of its opening, so `invalidate()` (after an upload) makes every
worker reopen before its next query. The JSON API does not come through here.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from api.sparql_exec import QueryAnswer, QueryJob, execute, problem_answer

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
            answer = execute(store, job)
        except Exception as exc:  # never leave the server waiting without an answer
            answer = problem_answer(500, "Query failed", f"{type(exc).__name__}: {exc}")
        conn.send(answer)


def open_read_only(path: str, attempts: int = 20):
    """Store.read_only, retried: opening can race the writer's compaction deleting a file just listed."""
    import pyoxigraph as ox

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
        context.set_forkserver_preload(["api.sparql_exec", "pyoxigraph"])
        return context
    return mp.get_context("spawn")


def _timed_out(limit: float, why: str) -> QueryAnswer:
    answer = problem_answer(503, "Query timed out", f"{why} ({limit:g} s; MSKG_QUERY_TIMEOUT). Narrow it, add LIMIT, or avoid cartesian products.")
    answer.headers["Retry-After"] = "1"
    return answer
