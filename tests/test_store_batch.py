"""New documents are written in batches: one bulk load of many graphs, counted per graph."""

from __future__ import annotations

import pyoxigraph as ox

from kg.ingest import extract, ingest
from kg.store import OxigraphStore, trig_parts
from test_faults import write_corpus


def test_trig_parts_put_every_statement_in_the_graph():
    graph = ox.NamedNode("https://example.org/g")
    data = (b'<https://e.org/s> <https://e.org/p> "a .\\nb }"@zh .\n_:b1 <https://e.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
            b'<https://e.org/s> <https://e.org/p> <https://e.org/o> .')  # the last line without its newline
    quads = list(ox.parse(b"".join(trig_parts(graph, data)), format=ox.RdfFormat.TRIG))
    assert [q.graph_name for q in quads] == [graph, graph, graph]
    assert quads[0].object == ox.Literal("a .\nb }", language="zh")


def test_a_batch_of_new_graphs_holds_what_each_document_maps_to(tmp_path, monkeypatch):
    docs = write_corpus(tmp_path / "docs", 6, tasks=5)
    monkeypatch.setenv("MSKG_BATCH_TRIPLES", "1500")  # two or three documents per bulk load
    store = OxigraphStore(tmp_path / "store")
    try:
        report = ingest(store, docs, jobs=1)
        assert not report.errors and len(report.loaded) == 6
        for path in docs:
            expected = len(set(extract(path).data.splitlines()))
            graph = ox.NamedNode(extract(path).graph)
            held = len(list(store._store.quads_for_pattern(None, None, None, graph)))
            assert held == expected == dict(report.loaded)[path.name]
        # Again, read anew: the graphs held are replaced within the batches, and nothing doubles.
        before = len(store)
        again = ingest(store, docs, jobs=1, force=True)
        assert sorted(again.loaded) == sorted(report.loaded) and len(store) == before
        # Edited files: each batch replaces the graphs it holds with the new content.
        edited = write_corpus(tmp_path / "docs", 6, tasks=8)
        changed = ingest(store, edited, jobs=1)
        assert len(changed.loaded) == 6 and not changed.unchanged
        for path in edited:
            graph = ox.NamedNode(extract(path).graph)
            held = len(list(store._store.quads_for_pattern(None, None, None, graph)))
            assert held == len(set(extract(path).data.splitlines())) == dict(changed.loaded)[path.name] > dict(report.loaded)[path.name]
    finally:
        store.close()


def test_several_graphs_in_one_call_and_an_empty_one(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    try:
        a, b, empty = (ox.NamedNode(f"https://example.org/{n}") for n in "abe")
        line = b"<https://e.org/s> <https://e.org/p> <https://e.org/o> .\n"
        assert store.write_graphs([(a, line), (b, line * 1), (empty, b"")]) == [1, 1, 0]
        assert {g.value for g in store.graphs()} >= {a.value, b.value, empty.value}
        assert len(store) == 2
    finally:
        store.close()


def test_a_large_run_compacts_the_store_and_loses_nothing(tmp_path, monkeypatch):
    import kg.ingest

    docs = write_corpus(tmp_path / "docs", 4, tasks=5)
    monkeypatch.setattr(kg.ingest, "OPTIMIZE_AFTER", 1)  # any run is "large"
    calls = []
    store = OxigraphStore(tmp_path / "store")
    original = store.optimize
    monkeypatch.setattr(store, "optimize", lambda: (calls.append(1), original()))
    try:
        report = ingest(store, docs, jobs=1)
        assert calls == [1] and not report.errors
        assert len(store) >= sum(count for _, count in report.loaded)
    finally:
        store.close()
    reader = OxigraphStore(tmp_path / "store", read_only=True)
    assert {g.value for g in reader.graphs()} >= {extract(p).graph for p in docs}
    reader.close()


def test_a_small_addition_to_a_large_store_is_not_compacted_unless_asked(tmp_path, monkeypatch):
    """Compacting rewrites the whole store (minutes at 10,000 plans) for a few new plans: not by default."""
    import kg.ingest

    monkeypatch.setattr(kg.ingest, "OPTIMIZE_AFTER", 1)  # every run writes "enough"; the share decides
    docs = write_corpus(tmp_path / "docs", 7, tasks=3)
    store = OxigraphStore(tmp_path / "store")
    calls = []
    original = store.optimize
    monkeypatch.setattr(store, "optimize", lambda: (calls.append(1), original()))
    try:
        first = ingest(store, docs[:5], jobs=1)
        assert first.compacted and first.held_before == 0 and calls == [1]
        added = ingest(store, docs[5:6], jobs=1)  # 1 new beside 5 held: under a quarter
        assert not added.compacted and added.held_before == 5 and calls == [1]
        asked = ingest(store, docs[6:], jobs=1, compact=True)
        assert asked.compacted and calls == [1, 1]
        never = ingest(store, docs, jobs=1, force=True, compact=False)  # all of them again, but told not to
        assert not never.compacted and calls == [1, 1] and len(never.loaded) == 7
        again = ingest(store, docs, jobs=1, force=True)  # all of them again: worth it
        assert again.compacted and calls == [1, 1, 1]
    finally:
        store.close()


def _held(store: OxigraphStore, source: str) -> int:
    from loaders.to_rdf import graph_iri

    return len(list(store._store.quads_for_pattern(None, None, None, graph_iri(source))))


def test_files_of_one_name_in_two_folders_stay_two_plans(tmp_path):
    """Named by the file's name alone, the second file replaced the first without a word; a plan is
    named by its path inside the folder given, and two files that would share a name in one run
    are an error for the later one, which is not read."""
    first = write_corpus(tmp_path / "plans" / "a", 2, tasks=3)
    second = write_corpus(tmp_path / "plans" / "b", 2, tasks=6)  # same names, other content
    store = OxigraphStore(tmp_path / "store")
    try:
        both = ingest(store, [tmp_path / "plans"], jobs=1)
        assert not both.errors
        assert sorted(source for source, _ in both.loaded) == [f"{d}/{p.name}" for d in "ab" for p in first]
        for folder, paths in (("a", first), ("b", second)):
            for path in paths:
                assert _held(store, f"{folder}/{path.name}") == len(set(extract(path).data.splitlines()))
        clash = ingest(store, [*first, *second], jobs=1)  # files given: named by their names
        assert len(clash.loaded) == 2 and len(clash.errors) == 2
        assert all("has the same document name" in line and str(tmp_path / "plans" / "b") in line for line in clash.errors)
        for path in first:
            assert _held(store, path.name) == len(set(extract(path).data.splitlines()))
        again = ingest(store, [tmp_path / "plans"], jobs=1)
        assert sorted(again.unchanged) == sorted(source for source, _ in both.loaded) and not again.loaded
    finally:
        store.close()


def test_the_same_file_given_twice_is_one_graph(tmp_path):
    paths = write_corpus(tmp_path / "a", 3, tasks=4)
    store = OxigraphStore(tmp_path / "store")
    try:
        report = ingest(store, [*paths, paths[0], tmp_path / "a" / ".." / "a" / paths[1].name, tmp_path], jobs=1)
        assert not report.errors and len(report.loaded) == 8  # the folder's files keep the names they got first
        assert {source for source, _ in report.loaded} == {path.name for path in paths}
        for path in paths:  # the second reading replaced the first: no selectors twice
            assert _held(store, path.name) == len(set(extract(path).data.splitlines()))
        assert not store.query("ASK { ?part ms:textSelector ?one , ?two FILTER(?one != ?two) }")
    finally:
        store.close()


def test_a_write_error_stops_the_run_with_that_error(tmp_path, monkeypatch):
    import pytest

    from kg.store import StoreError

    store = OxigraphStore(tmp_path / "store")

    def full(*args, **kwargs):
        raise StoreError("cannot write to store: No space left on device")

    monkeypatch.setattr(store, "write_graphs", full)
    try:
        with pytest.raises(StoreError, match="No space left"):
            ingest(store, write_corpus(tmp_path / "docs", 3, tasks=3), jobs=1)
    finally:
        store.close()
