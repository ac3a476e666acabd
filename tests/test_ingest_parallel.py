"""Parallel ingest: worker processes extract, the parent alone writes; same graph as one process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_mskg
from kg.ingest import default_jobs, extract, ingest
from kg.store import OxigraphStore

REGIONS = ["甲县", "乙区", "丙市", "丁县", "戊区"]


def write_plans(folder: Path, count: int = 5) -> list[Path]:
    """Small work plans of our own wording, different in region, year and numbers."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        region, year = REGIONS[i % len(REGIONS)], 2021 + i
        text = (
            f"{region}市场监督管理局{year}年工作要点\n\n"
            "一、主要目标\n"
            f"到{year}年底，全{region[-1]}食品抽检合格率达到{97 + i * 0.3:.1f}%以上，"
            f"新增市场主体{1200 + 37 * i}户。\n\n"
            "二、重点工作\n"
            f"（一）加强特种设备安全监管，完成电梯检验{300 + i}台。\n"
            "（二）深化“双随机、一公开”监管，抽查事项覆盖率保持100%。\n"
        )
        path = folder / f"plan_{i:02d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "docs"
    write_plans(folder)
    (folder / "example.txt").write_bytes((EXAMPLES / "xihu_market_supervision_plan_example.txt").read_bytes())
    (folder / "broken.txt").write_bytes(b"\x00\xff\xfe\x00garbage\x00" * 40)
    return folder


def graph_contents(store: OxigraphStore) -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}


def test_two_processes_give_the_same_graph_as_one(tmp_path, corpus):
    one, two = OxigraphStore(tmp_path / "one"), OxigraphStore(tmp_path / "two")
    sequential = ingest(one, [corpus], jobs=1)
    parallel = ingest(two, [corpus], jobs=2)
    assert parallel.loaded == sequential.loaded  # same files, same order, same triple counts
    assert len(parallel.loaded) == 6
    assert parallel.errors == sequential.errors and len(parallel.errors) == 1
    assert graph_contents(two) == graph_contents(one)
    assert len(two) == len(one)
    assert parallel.text_bytes == sum(p.stat().st_size for p in corpus.iterdir() if p.name != "broken.txt")


def test_workers_never_share_a_blank_node(tmp_path, corpus):
    """Blank nodes (position selectors, checksums) are one document's own. pyoxigraph draws their
    ids from a generator that forked workers inherit in the same state, so two workers made the
    same ids and the store merged their selectors across documents (1,590 selectors with two
    starts in a 1,000-plan store)."""
    store = OxigraphStore(tmp_path / "store")
    ingest(store, [corpus], jobs=2)
    assert store.query("ASK { GRAPH ?g { ?b a oa:TextPositionSelector } }")
    assert not store.query("ASK { GRAPH ?a { ?b ?p ?o } GRAPH ?c { ?b ?q ?x } FILTER(isBlank(?b) && ?a != ?c) }")
    assert not store.query("ASK { ?b oa:start ?one , ?two FILTER(?one != ?two) }")


def test_reingest_in_parallel_is_idempotent(tmp_path, corpus):
    store = OxigraphStore(tmp_path / "store")
    ingest(store, [corpus], jobs=2)
    before = graph_contents(store)
    ingest(store, [corpus], jobs=3)
    assert graph_contents(store) == before


def test_errors_are_one_line_naming_the_file(tmp_path, corpus):
    failure = extract(corpus / "broken.txt")
    assert failure.error is not None and "broken.txt" in failure.error and "\n" not in failure.error
    missing = extract(tmp_path / "absent.txt")
    assert missing.error is not None and "absent.txt" in missing.error and "\n" not in missing.error
    good = extract(corpus / "plan_00.txt")
    assert good.error is None and good.data.count(b"\n") > 10


def test_default_jobs_is_the_usable_cores():
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert default_jobs() == expected >= 1


def test_cli_uses_workers_with_one_progress_bar(tmp_path, corpus):
    result = run_mskg("ingest", str(corpus), "--store", str(tmp_path / "store"), "--jobs", "2", check=False)
    assert result.returncode == 1  # the broken file
    assert "ingested 6 document(s)" in result.stdout and "1 failed" in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]  # text mode: tqdm's \r become line ends
    bars = [line for line in lines if line.startswith("ingest:")]
    assert sum(" 0%|" in line for line in bars) == 1, result.stderr  # one bar, started once
    assert all("/7 " in line for line in bars)  # counting every file, in the parent
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1 and "broken.txt" in errors[0]
    assert "Traceback" not in result.stderr
