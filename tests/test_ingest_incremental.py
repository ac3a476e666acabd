"""Running an ingest again reads only what changed: the file's bytes, or the pipeline that reads
them (loaders/fingerprint.py). Everything else is skipped on the digest the store recorded."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_mskg
from kg.ingest import held_versions, ingest
from kg.store import OxigraphStore
from loaders import fingerprint
from loaders.to_rdf import document as document_mapping
from loaders.to_rdf.vocab import BASE, graph_iri

PLAN = "{city}市场监督管理局{year}年工作要点\n\n一、主要目标\n全年完成食品安全抽检{n}批次，抽检合格率达到98%以上。\n"


def write_plans(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"plan_{i}.txt"
        path.write_text(PLAN.format(city=["甲", "乙", "丙"][i % 3], year=2024 + i, n=1000 + i), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def store(tmp_path):
    handle = OxigraphStore(tmp_path / "store")
    yield handle
    handle.close()


def test_each_document_records_its_digest_and_pipeline(tmp_path, store):
    plans = write_plans(tmp_path / "docs", 2)
    ingest(store, plans, jobs=1)
    held = held_versions(store)
    assert len(held) == 2
    for path in plans:
        version = held[graph_iri(path.name).value]
        assert version.digest == hashlib.sha256(path.read_bytes()).hexdigest()
        assert version.pipeline == f"{BASE}id/pipeline/{fingerprint.pipeline_fingerprint()}"
        assert version.source == path.name


def test_versions_are_read_in_pages(tmp_path, store, monkeypatch):
    """Pages below a remote server's row cap: every document is found whatever the page size."""
    import kg.ingest

    plans = write_plans(tmp_path / "docs", 3)
    ingest(store, plans, jobs=1)
    whole = held_versions(store)
    for page in (1, 2, 3):
        monkeypatch.setattr(kg.ingest, "HELD_PAGE", page)
        assert held_versions(store) == whole and len(whole) == 3


def test_a_new_pipeline_reads_every_file_again(tmp_path, store, monkeypatch):
    plans = write_plans(tmp_path / "docs", 2)
    ingest(store, plans, jobs=1)
    size = len(store)
    monkeypatch.setattr(document_mapping, "pipeline_fingerprint", lambda: "0" * 16)
    report = ingest(store, plans, jobs=1)
    assert len(report.loaded) == 2 and not report.unchanged
    assert {version.pipeline for version in held_versions(store).values()} == {f"{BASE}id/pipeline/{'0' * 16}"}
    assert len(store) == size, "the old pipeline's triples went with the old graphs"
    assert len(ingest(store, plans, jobs=1).unchanged) == 2


def test_a_document_stored_without_a_digest_is_read_again(tmp_path, store):
    plans = write_plans(tmp_path / "docs", 2)
    ingest(store, plans, jobs=1)
    graph = graph_iri(plans[0].name).value
    # as a store written before digests were recorded holds it
    store._store.update(f"DELETE WHERE {{ GRAPH <{graph}> {{ ?d <http://spdx.org/rdf/terms#checksum> ?c . ?c ?p ?o }} }}")
    report = ingest(store, plans, jobs=1)
    assert [name for name, _ in report.loaded] == [plans[0].name] and report.unchanged == [plans[1].name]


def test_the_fingerprint_changes_with_any_loader_file(tmp_path, monkeypatch):
    loaders, vocabularies = tmp_path / "loaders", tmp_path / "concepts"
    shutil.copytree(REPO / "loaders", loaders, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "ontology" / "concepts", vocabularies)
    monkeypatch.setattr(fingerprint, "LOADERS", loaders)
    monkeypatch.setattr(fingerprint, "VOCABULARIES", vocabularies)
    compute = fingerprint.pipeline_fingerprint.__wrapped__  # not the cached value
    assert compute() == fingerprint.pipeline_fingerprint(), "a copy of the same files, the same fingerprint"
    rule = loaders / "quantities" / "units.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# a changed rule\n", encoding="utf-8")
    changed = compute()
    assert changed != fingerprint.pipeline_fingerprint()
    vocabulary = next(vocabularies.rglob("*.ttl"))
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert compute() != changed


def test_cli_says_what_it_skipped_and_force_reads_it_all(tmp_path):
    docs, store = tmp_path / "docs", tmp_path / "store"
    write_plans(docs, 2)
    first = run_mskg("ingest", str(docs), "--store", str(store), "--jobs", "1")
    assert "ingested 2 document(s)" in first.stdout and "unchanged" not in first.stdout
    again = run_mskg("ingest", str(docs), "--store", str(store), "--jobs", "1")
    assert again.returncode == 0 and "ingested 0 document(s), 0 triples; 0 failed; 2 unchanged" in again.stdout
    forced = run_mskg("ingest", str(docs), "--store", str(store), "--jobs", "1", "--force")
    assert "ingested 2 document(s)" in forced.stdout and "unchanged" not in forced.stdout
    assert "compacted" not in forced.stdout  # two small plans: far under a million triples
    compacted = run_mskg("ingest", str(docs), "--store", str(store), "--jobs", "1", "--compact")
    assert compacted.returncode == 0 and compacted.stdout.rstrip().endswith("2 unchanged (held as they are; --force reads them again); store compacted")


def test_a_file_held_under_another_name_is_reported_as_a_copy(tmp_path, store):
    """Ingested once on its own and once in its folder, a file gets two names and two graphs:
    both are kept, as asked, and the report says so, naming the other copy."""
    folder = tmp_path / "plans"
    plans = write_plans(folder / "江西省", 2)
    assert ingest(store, [plans[0]], jobs=1).copies == []
    report = ingest(store, [folder], jobs=1)
    assert sorted(source for source, _ in report.loaded) == ["江西省/plan_0.txt", "江西省/plan_1.txt"]
    assert len(report.copies) == 1
    assert report.copies[0].startswith("江西省/plan_0.txt: the same file as 'plan_0.txt'")
    assert len(held_versions(store)) == 3
    assert ingest(store, [folder], jobs=1).copies == [], "nothing read, nothing reported"


def test_copies_within_one_run_are_reported_on_the_later_one(tmp_path, store):
    write_plans(tmp_path / "plans" / "a", 1)
    write_plans(tmp_path / "plans" / "b", 1)  # the same bytes
    report = ingest(store, [tmp_path / "plans"], jobs=2)
    assert sorted(source for source, _ in report.loaded) == ["a/plan_0.txt", "b/plan_0.txt"]
    assert report.copies == ["b/plan_0.txt: the same file as 'a/plan_0.txt', also in the store; "
                             "`mskg remove NAME` takes out a copy you do not want"]


def test_a_held_version_being_replaced_is_no_copy(tmp_path, store):
    """b.txt now has the bytes a.txt had, and a.txt changes in the same run: a.txt's old
    version is on its way out, so b.txt copies nothing."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(PLAN.format(city="甲", year=2024, n=1), encoding="utf-8")
    ingest(store, [a], jobs=1)
    b.write_bytes(a.read_bytes())
    a.write_text(PLAN.format(city="甲", year=2025, n=2), encoding="utf-8")
    report = ingest(store, [a, b], jobs=1)
    assert len(report.loaded) == 2 and report.copies == []
    b.write_text(PLAN.format(city="乙", year=2026, n=3), encoding="utf-8")
    c = tmp_path / "c.txt"
    c.write_bytes(a.read_bytes())
    report = ingest(store, [a, b, c], jobs=1)
    assert report.unchanged == ["a.txt"] and len(report.copies) == 1 and report.copies[0].startswith("c.txt: the same file as 'a.txt'")
