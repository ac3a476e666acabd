"""Shared fixtures: paths to ../shared, a store built from the real documents, a live server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples"
MSKG = [sys.executable, "-m", "kg.cli"]


def shared_dir(name: str) -> Path:
    path = SHARED / name
    if not path.is_dir():
        pytest.skip(f"{path} is absent: the shared documents sit beside the checkout in CI and on dev machines")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return shared_dir("seeds")


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return shared_dir("samples")


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return shared_dir("gold")


def run_mskg(*args: str, env: dict | None = None, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess, as a user would."""
    result = subprocess.run(
        [*MSKG, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}
    )
    if check and result.returncode != 0:
        raise AssertionError(f"mskg {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


@pytest.fixture
def statements_in(tmp_path):
    """statements_in(name, text): the quantified statements of `text` saved as the file `name`
    (a real file, so the decoder and the title reader see what a user's file would give)."""
    from loaders.pipeline import read_document
    from loaders.quantities import extract_statements

    def read(name: str, text: str) -> list:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return extract_statements(read_document(path, extract=False))

    return read


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory, seeds_dir, samples_dir) -> Path:
    """A store holding the five seeds and the two samples, ingested through the CLI."""
    store = tmp_path_factory.mktemp("corpus") / "store"
    run_mskg("ingest", str(seeds_dir), str(samples_dir), "--store", str(store))
    return store


def stop_process(process: subprocess.Popen) -> None:
    """Ask a server process to stop; kill it if it has not within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, store: Path, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The server's log goes to a file, not a pipe: a pipe nobody reads fills up and blocks the server.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [*MSKG, "serve", "--store", str(store), "--port", str(self.port)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            env={**os.environ, **(env or {})},
        )
        deadline = time.monotonic() + 120  # generous: CI machines can be busy
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.stderr()}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not start within 120 s: {self.stderr()[-2000:]}")

    def stderr(self) -> str:
        """What the server has logged so far."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture(scope="session")
def live_server(corpus_store):
    """`mskg serve` on a free localhost port over the corpus store (a real uvicorn process)."""
    server = LiveServer(corpus_store)
    yield server
    server.stop()
