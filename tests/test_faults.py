"""Faults: kill -9 mid-ingest, concurrent ingests with queries, a locked store, a full or
read-only disk. After each, the store opens and every document is wholly present or absent."""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import MSKG, REPO, run_mskg
from kg.ingest import extract, ingest
from kg.store import OxigraphStore, StoreError, memory_store
from loaders.to_rdf import graph_iri

TASKS = ["食品安全抽检", "特种设备检验", "计量器具检定", "广告监测", "价格检查", "知识产权保护"]


def write_corpus(folder: Path, count: int, prefix: str = "plan", tasks: int = 12) -> list[Path]:
    """Work plans of our own wording; each has numbered tasks with numbers, so it maps to many triples."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        lines = [f"第{i + 1}号县市场监督管理局{2020 + i % 6}年工作要点", "", "一、重点任务"]
        for k in range(tasks):
            task = TASKS[(i + k) % len(TASKS)]
            lines.append(f"（{k + 1}）全年完成{task}{100 + 7 * i + k}批次，合格率达到{90 + (i + k) % 9}%以上。")
        path = folder / f"{prefix}_{i:03d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def graph_contents(store) -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}


def reference(*folders: Path) -> dict[str, int]:
    """Each graph's triple count after a sequential, undisturbed ingest."""
    store = memory_store()
    ingest(store, list(folders), jobs=1)
    return graph_contents(store)


def assert_whole(store_path: Path, expected: dict[str, int]) -> dict[str, int]:
    """The store opens, and each graph it holds has exactly the triples of an undisturbed run."""
    store = OxigraphStore(store_path, lock_timeout=5)
    try:
        found = graph_contents(store)
    finally:
        store.close()
    for graph, count in found.items():
        assert count == expected[graph], f"{graph} is half-written: {count} of {expected[graph]} triples"
    return found


def check_whole(store_path: Path, *folders: Path) -> dict[str, int]:
    """The store opens, and each document graph it holds has exactly the triples an undisturbed
    extraction of that file gives (only the documents present are extracted again)."""
    store = OxigraphStore(store_path, lock_timeout=5)
    try:
        found = graph_contents(store)
    finally:
        store.close()
    for path in sorted(p for folder in folders for p in folder.iterdir()):
        if graph_iri(path.name).value in found:
            extracted = extract(path)
            assert extracted.graph == graph_iri(path.name).value
            assert found[extracted.graph] == len(set(extracted.data.splitlines())), f"{path.name} is half-written"
    return found


def test_kill_9_during_ingest_leaves_whole_documents(tmp_path):
    docs = tmp_path / "docs"
    write_corpus(docs, 30, tasks=25)
    store = tmp_path / "store"
    process = subprocess.Popen(
        [*MSKG, "ingest", str(docs), "--store", str(store), "--jobs", "2"],
        cwd=REPO,
        env={**os.environ, "MSKG_BATCH_TRIPLES": "6000"},  # batches of two or three documents
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    done = _watch_progress(process)
    deadline = time.monotonic() + 120
    while done() < 5 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    os.killpg(process.pid, signal.SIGKILL)  # the parent and its extraction workers
    process.wait(timeout=30)
    found = check_whole(store, docs)  # opens (no stale lock, no corruption); present means whole
    assert 5 <= sum("/graph/doc/" in g for g in found) < 30
    present = {g for g in found if "/graph/doc/" in g}
    store_handle = OxigraphStore(store, lock_timeout=5)  # and takes writes again: running the ingest
    try:  # again finishes the job, reading only the documents the killed run did not write
        report = ingest(store_handle, sorted(docs.iterdir()), jobs=2)
    finally:
        store_handle.close()
    assert len(report.unchanged) == len(present) and len(report.loaded) == 30 - len(present) and not report.errors
    assert {graph_iri(name).value for name, _ in report.loaded}.isdisjoint(present)
    assert sum("/graph/doc/" in g for g in check_whole(store, docs)) == 30


def _watch_progress(process: subprocess.Popen):
    """Read tqdm's progress from stderr in a thread; returns a function giving documents done."""
    state = {"done": 0}

    def read() -> None:
        buffer = b""
        while chunk := process.stderr.read1(4096):
            buffer = (buffer + chunk)[-200:]
            counts = re.findall(rb"(\d+)/\d+ \[", buffer)
            if counts:
                state["done"] = int(counts[-1])

    threading.Thread(target=read, daemon=True).start()
    return lambda: state["done"]


def test_eight_concurrent_ingests_with_queries_queue_and_all_land(tmp_path):
    folders = []
    for i in range(8):
        folder = tmp_path / f"batch{i}"
        write_corpus(folder, 2, prefix=f"b{i}", tasks=4)
        write_corpus(folder, 1, prefix="shared", tasks=4)  # the same document in every batch
        folders.append(folder)
    store = tmp_path / "store"
    env = {**os.environ, "MSKG_LOCK_TIMEOUT": "240"}
    ingests = [
        subprocess.Popen([*MSKG, "ingest", str(f), "--store", str(store), "--jobs", "1"], cwd=REPO, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for f in folders
    ]
    query_codes: list[int] = []

    def query_while_ingesting() -> None:
        while any(p.poll() is None for p in ingests):
            result = subprocess.run(
                [*MSKG, "query", "ASK { ?s ?p ?o }", "--store", str(store)], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
            )
            query_codes.append(result.returncode)
            time.sleep(0.5)  # a reader now and then, not a CPU hog on a two-core runner

    querier = threading.Thread(target=query_while_ingesting)
    querier.start()
    outcomes = [p.communicate(timeout=300) for p in ingests]
    querier.join(timeout=300)
    for process, (out, err) in zip(ingests, outcomes):
        assert process.returncode == 0, err
    # The shared document is read by whichever ingest took the store first; the others find it held.
    outputs = sorted(out for out, _ in outcomes)
    assert sum("ingested 3 document(s)" in out for out in outputs) == 1, outputs
    assert sum("ingested 2 document(s)" in out and "; 1 unchanged" in out for out in outputs) == 7, outputs
    assert query_codes and all(code == 0 for code in query_codes)
    expected = reference(*folders)
    assert assert_whole(store, expected) == expected  # every document, counts as in a sequential run
    assert sum("/graph/doc/" in g for g in expected) == 8 * 2 + 1


def test_locked_store_waits_then_names_the_holder(tmp_path):
    docs = tmp_path / "docs"
    write_corpus(docs, 2, tasks=3)
    path = tmp_path / "store"
    holder = OxigraphStore(path)
    ingest(holder, [docs], jobs=1)
    before = graph_contents(holder)
    with pytest.raises(StoreError, match=f"locked by PID {os.getpid()}"):
        OxigraphStore(path, lock_timeout=0.3)
    result = run_mskg("ingest", str(docs), "--store", str(path), env={"MSKG_LOCK_TIMEOUT": "1"}, check=False)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"locked by PID {os.getpid()}" in errors[0]
    assert "Traceback" not in result.stderr
    holder.close()
    assert assert_whole(path, before) == before  # nothing lost
    run_mskg("ingest", str(docs), "--store", str(path))  # and free again once the holder has gone


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so writes fail with EFBIG instead of killing us
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_exhausted_file_size_quota_is_a_clear_error_and_loses_nothing(tmp_path):
    """A full disk, simulated portably: RLIMIT_FSIZE in the ingesting process."""
    first, more = tmp_path / "first", tmp_path / "more"
    write_corpus(first, 3, prefix="a", tasks=6)
    write_corpus(more, 15, prefix="m", tasks=30)
    store = tmp_path / "store"
    run_mskg("ingest", str(first), "--store", str(store))
    before = check_whole(store, first)
    result = subprocess.run(
        [*MSKG, "ingest", str(more), "--store", str(store), "--jobs", "1"],
        cwd=REPO, capture_output=True, text=True, timeout=300, preexec_fn=_limit_file_size(256 * 1024),
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "store" in errors[0], result.stderr
    after = check_whole(store, first, more)
    assert {g: after[g] for g in before} == before


def _mount_tmpfs(target: Path, size: str) -> bool:
    """A small tmpfs, when we may mount one (root with CAP_SYS_ADMIN); False otherwise."""
    if os.geteuid() != 0:
        return False
    target.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)], capture_output=True).returncode == 0


def test_full_tmpfs_is_a_clear_error_and_loses_nothing(tmp_path):
    mount = tmp_path / "small"
    if not _mount_tmpfs(mount, "12m"):
        pytest.skip("cannot mount a tmpfs here (needs root); the RLIMIT_FSIZE test covers a full disk")
    try:
        first, more = tmp_path / "first", tmp_path / "more"
        write_corpus(first, 3, prefix="a", tasks=6)
        write_corpus(more, 30, prefix="m", tasks=40)
        store = mount / "store"
        run_mskg("ingest", str(first), "--store", str(store))
        before = check_whole(store, first)
        result = run_mskg("ingest", str(more), "--store", str(store), "--jobs", "1", check=False)
        assert result.returncode != 0 and "Traceback" not in result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "store" in errors[0], result.stderr
        # RocksDB writes on open (even read-only: an OPTIONS file), so it needs some room again;
        # once there is, every document is whole and the earlier ones are all there.
        subprocess.run(["mount", "-o", "remount,size=64m", str(mount)], check=True, capture_output=True)
        after = check_whole(store, first, more)
        assert {g: after[g] for g in before} == before
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_read_only_store_directory_is_a_clear_error(tmp_path):
    docs = tmp_path / "docs"
    write_corpus(docs, 2, tasks=3)
    expected = reference(docs)
    mounted = _mount_tmpfs(tmp_path / "ro", "16m")
    base = tmp_path / "ro" if mounted else tmp_path / "plain"
    store = base / "store"
    try:
        run_mskg("ingest", str(docs), "--store", str(store))
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(base)], check=True, capture_output=True)
        elif os.geteuid() == 0:
            pytest.skip("running as root without mount rights: permissions cannot make a directory read-only")
        else:
            for path in [store, *store.iterdir()]:
                path.chmod(0o555 if path.is_dir() else 0o444)
        result = run_mskg("ingest", str(docs), "--store", str(store), check=False)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "cannot open store" in errors[0], result.stderr
        reader = OxigraphStore(store, read_only=True)
        assert graph_contents(reader) == expected  # nothing lost, still readable
        reader.close()
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(base)], capture_output=True)
        elif store.exists():
            for path in [store, *store.iterdir()]:
                path.chmod(0o755 if path.is_dir() else 0o644)

