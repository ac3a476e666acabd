"""The store contract, run on the embedded store and on a real `oxigraph serve` over HTTP,
plus the traps of real SPARQL servers that the remote client must turn into errors."""

from __future__ import annotations

import http.server
import io
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from conftest import EXAMPLES, REPO, free_port, run_mskg, stop_process
from kg.ingest import ingest, remove_documents
from kg.queries import list_plans, string_literal
from kg.remote import SparqlStore, parse_location, with_prefixes
from kg.store import OxigraphStore, StoreError, open_store
from loaders.to_rdf.vocab import ONTOLOGY_GRAPH

EX = "http://example.org/"
G1, G2 = ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "g2")

# A small plan of our own wording, so the contract does not depend on ../shared.
FIXTURE_PLAN = """某县市场监督管理局2024年工作要点
某县市场监督管理局 2024年2月1日

一、总体要求
坚持稳中求进，持续优化营商环境。

二、重点任务
（一）强化食品安全监管。全年完成食品抽检2000批次，抽检合格率达到98%以上。
（二）提升质量基础。新建计量标准5项，特种设备定期检验率保持100%。
"""


def _oxigraph_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "oxigraph"
    return str(beside_python) if beside_python.exists() else shutil.which("oxigraph")


class OxigraphServer:
    """`oxigraph serve` on a free loopback port, persisting to a temporary directory."""

    def __init__(self, location: Path, *extra: str):
        binary = _oxigraph_binary()
        if binary is None:
            pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}", *extra],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph exited: {self.process.stderr.read().decode(errors='replace')}")
            try:
                httpx.get(self.base + "/query", params={"query": "ASK {}"}, timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("oxigraph did not start within 30 s")

    def url(self, options: str = "union-default-graph") -> str:
        return f"sparql+http://127.0.0.1:{self.port}/query" + (f"?{options}" if options else "")

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(params=["embedded", "remote-update", "remote-gsp"])
def store(request, tmp_path):
    """An empty store of each kind: embedded RocksDB; oxigraph over SPARQL Update; over the Graph Store Protocol."""
    if request.param == "embedded":
        graph_store = OxigraphStore(tmp_path / "store")
    else:
        server = request.getfixturevalue("oxigraph_server")
        httpx.post(server.base + "/update", data={"update": "DROP ALL"}).raise_for_status()
        options = "union-default-graph" + ("&gsp=/store" if request.param == "remote-gsp" else "")
        graph_store = open_store(server.url(options))
        assert isinstance(graph_store, SparqlStore)
    yield graph_store
    graph_store.close()


@pytest.fixture
def plan_files(tmp_path) -> list[Path]:
    fixture = tmp_path / "docs" / "county_2024_work_points.txt"
    fixture.parent.mkdir()
    fixture.write_text(FIXTURE_PLAN, encoding="utf-8")
    return [fixture, EXAMPLES / "xihu_market_supervision_plan_example.txt"]


def triples(*objects: str) -> list[tuple]:
    return [(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal(o, language="zh")) for o in objects]


def test_replace_graph_replaces_and_is_idempotent(store):
    assert store.replace_graph(G1, triples("一", "二", "三")) == 3
    assert store.replace_graph(G2, triples("甲")) == 1
    assert len(store) == 4
    assert store.replace_graph(G1, triples("四")) == 1
    assert len(store) == 2
    store.replace_graph(G1, triples("四"))
    assert len(store) == 2
    values = sorted(r["o"].value for r in store.query("SELECT ?o WHERE { GRAPH <http://example.org/g1> { ?s ?p ?o } }"))
    assert values == ["四"]


def test_graphs_and_remove_graph(store):
    store.replace_graph(G1, triples("一"))
    store.replace_graph(G2, triples("二"))
    assert store.graphs() == [G1, G2]
    store.remove_graph(G1)
    store.remove_graph(G1)  # absent: no error
    assert store.graphs() == [G2]
    assert len(store) == 1


def test_query_kinds_behave_like_pyoxigraph(store):
    store.replace_graph(G1, triples("一", "二"))
    store.replace_graph(G2, triples("三"))
    select = store.query("SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o")
    assert isinstance(select, ox.QuerySolutions)
    assert [v.value for v in select.variables] == ["o"]
    assert [row["o"] for row in select] == [ox.Literal(x, language="zh") for x in ("一", "三", "二")]
    assert isinstance(store.query("ASK { ?s ?p '一'@zh }"), ox.QueryBoolean)
    assert bool(store.query("ASK { ?s ?p '一'@zh }")) and not bool(store.query("ASK { ?s ?p '九'@zh }"))
    construct = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(construct, ox.QueryTriples)
    assert len(ox.serialize(construct, format=ox.RdfFormat.N_TRIPLES).splitlines()) == 3
    # our prefixes are predeclared on both stores
    assert bool(store.query("ASK { FILTER(STRSTARTS(STR(ms:Plan), 'https://w3id.org/mskg/')) }"))
    # default and named graphs as in the SPARQL protocol
    only_g2 = store.query("SELECT ?o WHERE { ?s ?p ?o }", default_graph=[G2])
    assert [r["o"].value for r in only_g2] == ["三"]
    named = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", named_graphs=[G1])
    assert [(r["g"], int(r["n"].value)) for r in named] == [(G1, 2)]


def test_malformed_query_is_a_syntax_error(store):
    with pytest.raises(SyntaxError):
        store.query("SELEKT ?x WHERE {}")


def test_export_parses_back_with_graphs(store, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"  # where a remote JSON-LD or RDF/XML export gathers its graphs
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    store.replace_graph(G1, triples("一", "二"))
    store.replace_graph(G2, triples("三"))
    for fmt, rdf_format in (("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS), ("jsonld", ox.RdfFormat.JSON_LD)):
        sink = io.BytesIO()
        store.export(fmt, sink)
        quads = list(ox.parse(sink.getvalue(), format=rdf_format))
        assert len(quads) == 3 and {q.graph_name for q in quads} == {G1, G2}, fmt
    for fmt, rdf_format in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES), ("rdfxml", ox.RdfFormat.RDF_XML)):
        sink = io.BytesIO()
        store.export(fmt, sink)
        assert len(list(ox.parse(sink.getvalue(), format=rdf_format))) == 3, fmt
    assert not list(scratch.iterdir())  # nothing left behind


def test_remove_documents_by_name_or_iri(store, plan_files):
    ingest(store, plan_files, jobs=1)
    documents = sorted(r["d"].value for r in store.query("SELECT ?d WHERE { ?d ms:sourceFile ?s }"))
    removed, missing = remove_documents(store, ["county_2024_work_points.txt", documents[1], "absent.txt"])
    assert len(removed) == 2 and missing == ["absent.txt"]
    assert not list(store.query("SELECT ?d WHERE { ?d ms:sourceFile ?s }"))
    assert ONTOLOGY_GRAPH in store.graphs()


def test_target_filters_count_and_page_alike_on_every_store(store, plan_files):
    """The target queries (sub-selects hash-joined, a plan reached through its datasets) answer the
    same on a SPARQL server as on the embedded store: each filter's count is its page's length."""
    from kg.targets import TargetFilter, count_targets, list_targets

    ingest(store, plan_files, jobs=1)
    plan = "county_2024_work_points.txt"
    counts = {}
    for name, f in {"all": TargetFilter(), "area": TargetFilter(area="food_safety"),
                    "year and kind": TargetFilter(year=2024, kind="target"), "plan": TargetFilter(plan=plan),
                    "plan and area": TargetFilter(plan=plan, area="food_safety")}.items():
        counts[name] = count_targets(store, f)
        assert len(list_targets(store, f, limit=500)["items"]) == counts[name], name
    assert counts["all"] > counts["plan"] > counts["plan and area"] > 0 and counts["area"] >= counts["plan and area"]
    assert counts["year and kind"] > 0


def test_ingest_twice_and_list_plans(store, plan_files):
    first = ingest(store, plan_files, jobs=1)
    assert not first.errors and len(first.loaded) == 2
    size = len(store)
    graphs = store.graphs()
    assert ONTOLOGY_GRAPH in graphs and len(graphs) == 3
    again = ingest(store, plan_files, jobs=1)
    assert not again.errors and not again.loaded and sorted(again.unchanged) == sorted(p.name for p in plan_files)
    assert len(store) == size and store.graphs() == graphs
    forced = ingest(store, plan_files, jobs=1, force=True)
    assert len(forced.loaded) == 2 and not forced.unchanged
    assert len(store) == size and store.graphs() == graphs
    plans = list_plans(store)
    assert sorted(p["source"] for p in plans) == sorted(p.name for p in plan_files)


def test_an_edited_file_is_read_again_and_the_others_skipped(store, plan_files):
    ingest(store, plan_files, jobs=1)
    edited = plan_files[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n（九）新增任务：年底前完成食品抽检2000批次。\n", encoding="utf-8")
    again = ingest(store, plan_files, jobs=1)
    assert [name for name, _ in again.loaded] == [edited.name] and again.unchanged == [plan_files[1].name]
    text = "SELECT ?t WHERE { ?d ms:sourceFile %s ; ms:text ?t }" % string_literal(edited.name)
    assert "新增任务" in next(iter(store.query(text)))["t"].value


def test_embedded_and_remote_hold_the_same_graph(tmp_path, oxigraph_server, plan_files):
    httpx.post(oxigraph_server.base + "/update", data={"update": "DROP ALL"}).raise_for_status()
    embedded, remote = OxigraphStore(tmp_path / "store"), open_store(oxigraph_server.url())
    for graph_store in (embedded, remote):
        ingest(graph_store, plan_files, jobs=1)
    assert len(remote) == len(embedded)
    assert list_plans(remote) == list_plans(embedded)
    remote.close()
    embedded.close()


def test_cli_reads_and_writes_a_remote_store(oxigraph_server, plan_files):
    httpx.post(oxigraph_server.base + "/update", data={"update": "DROP ALL"}).raise_for_status()
    url = oxigraph_server.url()
    result = run_mskg("ingest", *map(str, plan_files), "--store", url, "--jobs", "2")
    assert "ingested 2 document(s)" in result.stdout
    plans = json.loads(run_mskg("plans", "--store", url, "--format", "json").stdout)
    assert len(plans) == 2


def test_unreachable_server_is_one_line(tmp_path):
    url = f"sparql+http://127.0.0.1:{free_port()}/query"
    result = run_mskg("ingest", str(EXAMPLES), "--store", url, check=False)
    assert result.returncode != 0
    assert "cannot reach SPARQL server" in result.stderr and "Traceback" not in result.stderr


def test_graphs_are_listed_in_pages_under_a_row_cap(oxigraph_server):
    httpx.post(oxigraph_server.base + "/update", data={"update": "DROP ALL"}).raise_for_status()
    capped = open_store(oxigraph_server.url("union-default-graph&max-rows=2"))
    names = [ox.NamedNode(f"{EX}g{i}") for i in range(5)]
    for name in names:
        capped.replace_graph(name, triples("一"))
    assert capped.graphs() == names  # three pages of at most two
    with pytest.raises(StoreError, match="cap"):  # an answer of exactly the cap cannot be trusted
        capped.query(f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g IN ({names[0]}, {names[1]})) }}")
    capped.close()


def test_read_only_remote_store_refuses_writes(oxigraph_server):
    with pytest.raises(StoreError, match="read-only"):
        open_store(oxigraph_server.url(), read_only=True).replace_graph(G1, triples("一"))


def test_location_options():
    config = parse_location("sparql+https://u:p%40ss@db.example.org:8890/sparql?max-rows=10000&timeout=5&gsp=/sparql-graph-crud&x=1")
    assert config["query"] == "https://db.example.org:8890/sparql"
    assert config["update"] == "https://db.example.org:8890/sparql"
    assert config["gsp"] == "https://db.example.org:8890/sparql-graph-crud"
    assert (config["max_rows"], config["timeout"], config["extra"]) == (10000, 5.0, [("x", "1")])
    assert parse_location("sparql+http://h:3030/ds/query")["update"] == "http://h:3030/ds/update"
    with pytest.raises(StoreError):
        parse_location("sparql+http:///nohost")
    assert with_prefixes("SELECT * WHERE { ?s a ms:Plan }").startswith("PREFIX ms:")
    declared = with_prefixes("PREFIX ms: <urn:x#> SELECT * WHERE { ?s a ms:Plan }")
    assert "w3id.org/mskg/ontology" not in declared


# --- traps of real servers, replayed by a tiny local HTTP server ---------------------------

SOLUTIONS = {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": str(i)}} for i in range(5)]}}


class Replay(http.server.BaseHTTPRequestHandler):
    """Answers every request with the body and headers set on the server object."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        answer = self.server.answer  # type: ignore[attr-defined]
        if answer.get("hang"):
            time.sleep(answer["hang"])
        self.send_response(answer.get("status", 200))
        self.send_header("Content-Type", answer.get("type", "application/sparql-results+json"))
        for name, value in answer.get("headers", {}).items():
            self.send_header(name, value)
        body = answer.get("body", b"")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def replay():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    server.answer = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _remote(server, options: str = "") -> SparqlStore:
    return SparqlStore(f"sparql+http://127.0.0.1:{server.server_address[1]}/sparql{options}")


def test_truncated_json_is_an_error_not_an_answer(replay):
    whole = json.dumps(SOLUTIONS).encode()
    replay.answer = {"body": whole}
    assert len(list(_remote(replay).query("SELECT ?x WHERE { ?x ?p ?o }"))) == 5
    for cut in (len(whole) - 3, len(whole) // 2, 40):
        replay.answer = {"body": whole[:cut]}
        with pytest.raises(StoreError, match="truncated"):
            _remote(replay).query("SELECT ?x WHERE { ?x ?p ?o }")


def test_virtuoso_partial_results_header(replay):
    replay.answer = {"body": json.dumps(SOLUTIONS).encode(), "headers": {"X-SQL-State": "S1TAT", "X-Exec-DB-Activity": "1R rnd"}}
    with pytest.raises(StoreError, match="partial results"):
        _remote(replay).query("SELECT ?x WHERE { ?x ?p ?o }")
    assert len(list(_remote(replay, "?accept-partial=1").query("SELECT ?x WHERE { ?x ?p ?o }"))) == 5
    replay.answer = {"body": json.dumps(SOLUTIONS).encode(), "status": 206}  # HTTPAnytimeStatus = 206
    with pytest.raises(StoreError, match="partial results"):
        _remote(replay).query("SELECT ?x WHERE { ?x ?p ?o }")


def test_row_count_at_the_server_cap(replay):
    replay.answer = {"body": json.dumps(SOLUTIONS).encode()}
    with pytest.raises(StoreError, match="cap"):
        _remote(replay, "?max-rows=5").query("SELECT ?x WHERE { ?x ?p ?o }")
    assert len(list(_remote(replay, "?max-rows=5").query("SELECT ?x WHERE { ?x ?p ?o } LIMIT 5"))) == 5
    assert len(list(_remote(replay, "?max-rows=6").query("SELECT ?x WHERE { ?x ?p ?o }"))) == 5


def test_hanging_server_times_out(replay):
    replay.answer = {"hang": 3, "body": b"{}"}
    with pytest.raises(StoreError, match="did not answer"):
        _remote(replay, "?timeout=0.5").query("ASK {}")


def test_refused_update_says_how_to_grant(replay):
    replay.answer = {"status": 403, "type": "text/plain", "body": b"SR186: No permission to execute procedure DB.DBA.SPARUL_RUN"}
    with pytest.raises(StoreError, match="GRANT SPARQL_UPDATE"):
        _remote(replay).replace_graph(G1, triples("一"))


def test_truncated_construct_is_an_error(replay):
    replay.answer = {"type": "application/n-triples", "body": b'<http://example.org/s> <http://example.org/p> "cut'}
    with pytest.raises(StoreError, match="truncated"):
        _remote(replay).query("CONSTRUCT WHERE { ?s ?p ?o }")


def test_no_traceback_for_repo_cli_against_replay(replay):
    replay.answer = {"body": b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":'}
    url = f"sparql+http://127.0.0.1:{replay.server_address[1]}/sparql"
    result = run_mskg("query", "SELECT ?x WHERE { ?x ?p ?o }", "--store", url, check=False)
    assert result.returncode != 0 and "truncated" in result.stderr and "Traceback" not in result.stderr
    assert REPO.exists()
