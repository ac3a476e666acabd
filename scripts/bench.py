"""Benchmark mskg at scale and print the figures beside the goals of issue 7.

    python scripts/bench.py --plans 1000            # corpus, store and results under /tmp/mskg-bench-1000
    python scripts/bench.py --plans 10000 --time-limit 3600

Stages (each bounded; a stage that cannot run prints "n/a" with the reason):
  corpus   scripts/make_corpus.py scales the real documents to N plans (made once, reused)
  ingest   `mskg ingest --jobs <cores>` in a subprocess: MB/s of text, triples/s, peak RSS
  breakdown  where an ingest's CPU goes, per MB of text, on the corpus's first plans in one process:
           decode and extract, map to N-Triples, and the store's own bulk load of those triples into
           a new store (the ingest's writer path, then its compaction). The last is the ceiling the
           store puts on the ingest rate whatever the extractors cost.
  sample   N-Quads of the store, or of its first plans when above --rdflib-max-quads
  queries  five representative SPARQL queries, directly on the store
  baseline the sample loaded into a new Oxigraph store and into rdflib in memory: load rate,
           RSS per million triples, and the five queries on each
  server   `mskg serve`: the same queries through /sparql, each run in turn with the query on the
           store (the ratio compares the two), topic search through /api/search,
           requests/s under concurrent load (wrk if installed, else an asyncio httpx loop),
           all on 127.0.0.1 only.
  routes   a fresh `mskg serve`, once its warm-up is over: every JSON route and page once (cold: the
           first request of a user after a start or an upload) and again (warm), with status and size.
  examples the example queries users meet first (the query page's and the README's), each once on
           the store in its own process, flagged past the endpoint's time limit or row limit.
The test suite runs ingest, breakdown, server and examples on three plans (tests/test_bench.py) so that
the script keeps working; it checks no figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import psutil  # noqa: E402  (installed with the test dependencies: jupyter brings it)

GOALS = {
    "ingest_mb_s_per_core": 2.0,
    "search_p50_ms_1000": 20.0,
    "search_p50_ms_10000": 100.0,
    "endpoint_ratio": 1.5,
    "api_rps": 500.0,
    "gb_rss_per_million": 0.4,
}
TOPICS = ["食品安全", "特种设备", "知识产权", "计量", "标准化", "价格监管", "广告", "药品", "消费者权益", "网络交易",
          "反垄断", "质量", "认证认可", "检验检测", "信用监管", "电梯", "市场主体", "登记注册", "化妆品", "医疗器械"]

QUERIES = {
    "doc_count": "SELECT (COUNT(*) AS ?n) WHERE { ?doc ms:sourceFile ?source ; a ?t . ?t rdfs:subClassOf ms:Document }",
    "targets_2025": """SELECT ?s ?value WHERE { ?s a ms:Target ; ms:value ?value ; ms:refYear ?year .
                       FILTER(STR(?year) = "2025") } LIMIT 500""",
    "kinds": "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)",
    "one_plan": "SELECT ?s ?p ?o WHERE { GRAPH <GRAPH> { ?s ?p ?o } }",
    "label_text": """SELECT ?c ?label WHERE { ?c skos:prefLabel ?label . FILTER(CONTAINS(STR(?label), "食品")) } LIMIT 200""",
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RssSampler:
    """Peak RSS of a process and of it with its children, sampled every 0.2 s."""

    def __init__(self, pid: int):
        self.process = psutil.Process(pid)
        self.peak_main = self.peak_tree = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                main = self.process.memory_info().rss
                tree = main + sum(c.memory_info().rss for c in self.process.children(recursive=True))
            except psutil.Error:
                break
            self.peak_main, self.peak_tree = max(self.peak_main, main), max(self.peak_tree, tree)
            time.sleep(0.2)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


def stage_corpus(args, results: dict) -> Path:
    from make_corpus import DEFAULT_SOURCES, FALLBACK_SOURCES, make_corpus

    corpus = args.corpus or args.work / "corpus"
    existing = sorted(corpus.glob("*.txt")) if corpus.is_dir() else []
    if len(existing) != args.plans:
        shutil.rmtree(corpus, ignore_errors=True)
        sources = [p for p in DEFAULT_SOURCES if p.is_dir()] or FALLBACK_SOURCES
        existing = make_corpus(corpus, args.plans, sources)
    results["corpus"] = {"plans": len(existing), "mb": round(sum(p.stat().st_size for p in existing) / 1e6, 2), "dir": str(corpus)}
    return corpus


def stage_ingest(args, corpus: Path, store: Path, results: dict) -> None:
    shutil.rmtree(store, ignore_errors=True)
    text_bytes = sum(p.stat().st_size for p in corpus.glob("*.txt"))
    import resource

    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "ingest", str(corpus), "--store", str(store), "--jobs", str(args.jobs)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    sampler = RssSampler(process.pid)
    try:
        out, err = process.communicate(timeout=args.time_limit)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        results["ingest"] = {"error": f"did not finish within --time-limit {args.time_limit} s"}
        sampler.stop()
        return
    wall = time.perf_counter() - start
    sampler.stop()
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the CLI and the workers it reaped
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    from kg.store import OxigraphStore, disk_size

    reader = OxigraphStore(store, read_only=True)
    triples = len(reader)
    reader.close()
    failed = [line for line in err.splitlines() if line.startswith("error:")]
    results["ingest"] = {
        "summary": out.strip().splitlines()[-1] if out.strip() else "",
        "failed_files": len(failed),
        "first_errors": failed[:3],
        "jobs": args.jobs,
        "wall_s": round(wall, 1),
        "text_mb": round(text_bytes / 1e6, 2),
        "mb_s": round(text_bytes / 1e6 / wall, 3),
        "mb_s_per_core": round(text_bytes / 1e6 / wall / args.jobs, 3),
        "cpu_s": round(cpu, 1),
        "mb_per_cpu_s": round(text_bytes / 1e6 / cpu, 3) if cpu else None,  # independent of other load on the machine
        "triples": triples,
        "triples_s": round(triples / wall),
        "peak_rss_writer_mb": round(sampler.peak_main / 1e6),
        "peak_rss_all_processes_mb": round(sampler.peak_tree / 1e6),
        "store_mb": round(disk_size(store) / 1e6, 1),
    }
    # The same command again, nothing changed: what a user pays to re-run an ingest over a big folder.
    results["ingest"]["again_s"], results["ingest"]["again_summary"] = _ingest_again(args, [corpus], store)
    # Then with 1 % more plans beside it, as when a folder gains new files (later stages see them too).
    more = more_plans(args, max(1, args.plans // 100))
    results["ingest"]["more_plans"] = len(list(more.glob("*.txt")))
    results["ingest"]["more_s"], results["ingest"]["more_summary"] = _ingest_again(args, [corpus, more], store)


BREAKDOWN = """
import json, re, shutil, sys, time
from collections import Counter
from pathlib import Path
from kg.ingest import Extracted, IngestReport, _Batch, _Writer
from kg.store import OxigraphStore, count_lines, ntriples
from loaders.pipeline import read_document
from loaders.to_rdf import to_triples

PART = re.compile(r"<https://w3id.org/mskg/id/doc/[^>]*?/([a-z_]+)/[^/>]*>$")


def triples_by_part(graphs):
    # Triples by the kind of document part they describe (mention, obligation, statement...: the
    # segment after the document's IRI in a part's IRI, loaders.to_rdf.vocab.part_iri); a blank
    # node (a position selector) counts for the part that points to it; anything else is "document".
    counts = Counter()
    for data in graphs:
        owners, rows = {}, []
        for line in data.decode("utf-8").splitlines():
            s, p, o = line.split(" ", 2)
            rows.append(s)
            if o.startswith("_:"):
                owners[o[:-2]] = s
        for s in rows:
            while s.startswith("_:") and s in owners:
                s = owners[s]
            part = PART.match(s)
            counts[part.group(1) if part else "document"] += 1
    return dict(counts.most_common())


files, work = [Path(p) for p in json.loads(sys.argv[1])], Path(sys.argv[2])
extract = to_rdf = 0.0
items = []
for path in files:
    start = time.process_time()
    doc = read_document(path, source=path.name)
    middle = time.process_time()
    data = ntriples(to_triples(doc))
    items.append(Extracted(str(path), doc.source, data, count_lines(data), path.stat().st_size))
    extract, to_rdf = extract + middle - start, to_rdf + time.process_time() - middle
shutil.rmtree(work, ignore_errors=True)
store = OxigraphStore(work)
start = time.process_time()  # process time counts the writer thread and the loader's own threads too
writer = _Writer()  # the ingest's own batching and writer thread (kg/ingest.py)
batch = _Batch(store, IngestReport(), writer)
for item in items:
    batch.add(item)
batch.write()
writer.close()
store.flush()
load = time.process_time() - start
start = time.process_time()
store.optimize()
compact = time.process_time() - start
store.close()
shutil.rmtree(work, ignore_errors=True)
print(json.dumps({"files": len(files), "mb": sum(p.stat().st_size for p in files) / 1e6,
                  "triples": sum(item.triples for item in items),
                  "triples_by_part": triples_by_part([item.data for item in items]),
                  "extract_cpu_s": extract, "map_cpu_s": to_rdf, "load_cpu_s": load, "compact_cpu_s": compact}))
"""


def stage_breakdown(args, corpus: Path, results: dict, plans: int = 100) -> None:
    """CPU-seconds per MB of text for each part of an ingest, on the corpus's first `plans` files,
    sequentially in one process (see BREAKDOWN): what each part would have to cost for the goal."""
    files = sorted(corpus.glob("*.txt"))[:plans]
    figures = _run_json([sys.executable, "-c", BREAKDOWN, json.dumps([str(p) for p in files]), str(args.work / "breakdown")],
                        args.time_limit)
    if "error" not in figures:
        figures = {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}
    results["breakdown"] = figures


def more_plans(args, count: int) -> Path:
    """`count` plans unlike any in the corpus (another seed, another file name prefix)."""
    from make_corpus import DEFAULT_SOURCES, FALLBACK_SOURCES, make_corpus

    folder = args.work / "more"
    shutil.rmtree(folder, ignore_errors=True)
    sources = [p for p in DEFAULT_SOURCES if p.is_dir()] or FALLBACK_SOURCES
    for path in make_corpus(folder, count, sources, seed=8):
        path.rename(path.with_name("more_" + path.name))
    return folder


def _ingest_again(args, paths: list[Path], store: Path) -> tuple[float, str]:
    """Seconds and the summary line of `mskg ingest PATHS` into the existing store."""
    start = time.perf_counter()
    try:
        run = subprocess.run([sys.executable, "-m", "kg.cli", "ingest", *map(str, paths), "--store", str(store), "--jobs", str(args.jobs)],
                             cwd=REPO, capture_output=True, text=True, timeout=args.time_limit)
        summary = (run.stdout.strip().splitlines() or [run.stderr.strip()[-200:]])[-1]
    except subprocess.TimeoutExpired:  # bounded like every stage: the figures so far still print
        summary = f"did not finish within --time-limit {args.time_limit} s"
    return round(time.perf_counter() - start, 1), summary


def stage_sample(args, store: Path, results: dict) -> Path | None:
    """The quads the baseline stage loads into a new Oxigraph store and into an in-memory rdflib
    Dataset: the whole store, or above --rdflib-max-quads (where rdflib would need tens of GB) a
    sample of it, the ontology and the first plans."""
    from kg.store import OxigraphStore

    nquads = args.work / "baseline.nq"
    reader = OxigraphStore(store, read_only=True)
    try:
        with nquads.open("wb") as sink:
            quads, plans, sampled = write_sample(reader, sink, args.rdflib_max_quads)
    finally:
        reader.close()
    results["write_baseline"] = {"quads": quads, "plans": plans, "sampled": sampled}
    return nquads  # loaded by both stores in the "baseline" stage, once the queries are known


def write_sample(reader, sink, limit: int) -> tuple[int, int, bool]:
    """N-Quads of the ontology graph and of the plan graphs in the order the direct queries pick
    them, up to `limit` quads: (quads, plans, whether plans were left out)."""
    held = reader.graphs()
    graphs = [g for g in held if "/graph/doc/" not in g.value]
    plans = [g for g in held if "/graph/doc/" in g.value]
    quads = taken = 0
    for graph in graphs + plans:
        lines = [f"{row['s']} {row['p']} {row['o']} {graph} .\n"
                 for row in reader.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")]
        if graph in plans and taken and quads + len(lines) > limit:
            return quads, taken, True
        sink.write("".join(lines).encode("utf-8"))
        quads += len(lines)
        taken += graph in plans
    return quads, taken, False


def _load_and_query(args, nquads: Path, queries: dict, engine: str) -> dict:
    """Load the N-Quads into `engine` (in a subprocess, for its own peak RSS) and time each query
    (median of three runs after one)."""
    load = {
        "oxigraph": f"""import pyoxigraph as ox, shutil
shutil.rmtree({str(args.work / 'reload')!r}, ignore_errors=True)
ds = ox.Store({str(args.work / 'reload')!r}); ds.bulk_load(path={str(nquads)!r}, format=ox.RdfFormat.N_QUADS); ds.optimize()
run = lambda q: list(ds.query(q, prefixes=PREFIXES, use_default_graph_as_union=True))
size = len(ds)""",
        "rdflib": f"""import rdflib
ds = rdflib.Dataset(default_union=True); ds.parse({str(nquads)!r}, format="nquads")
run = lambda q: list(ds.query(q, initNs=PREFIXES))
size = len(ds)""",
    }[engine]
    code = f"""
import time, resource, json, statistics
from loaders.to_rdf.vocab import PREFIXES
t = time.perf_counter()
{load}
out = {{"s": time.perf_counter() - t, "quads": size, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "queries_ms": {{}}}}
for name, q in json.loads({json.dumps(json.dumps(queries))}).items():
    run(q); times = []
    for _ in range(3):
        t = time.perf_counter(); run(q); times.append((time.perf_counter() - t) * 1000)
    out["queries_ms"][name] = round(statistics.median(times), 1)
print(json.dumps(out))
"""
    return _run_json([sys.executable, "-c", code], args.time_limit)


def _run_json(command: list[str], timeout: float) -> dict:
    try:
        result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    if result.returncode != 0:
        return {"error": (result.stderr.strip().splitlines() or ["failed"])[-1]}
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in data.items()}


def timed(function, repeat: int, budget_s: float) -> list[float]:
    """Latencies in ms: one warm-up, then up to `repeat` runs within `budget_s`."""
    return in_turn([function], repeat, budget_s)[0]


def in_turn(functions: list, repeat: int, budget_s: float) -> list[list[float]]:
    """Latencies in ms of each function, run in turn (after one warm-up each) up to `repeat`
    rounds within `budget_s`. Two ways to do one thing, timed so, see the same machine: timed
    one after the other, a few ms of drift (a server's caches filling, RocksDB merging in the
    background) made a 7 ms query look 1.7x slower through the endpoint in one run and 1.3x in the next."""
    for function in functions:
        function()
    times: list[list[float]] = [[] for _ in functions]
    deadline = time.perf_counter() + budget_s
    for _ in range(repeat):
        for function, spent in zip(functions, times):
            t = time.perf_counter()
            function()
            spent.append((time.perf_counter() - t) * 1000)
        if time.perf_counter() > deadline:
            break
    return times


def stage_direct(args, store: Path, results: dict) -> dict[str, str]:
    from kg.store import OxigraphStore

    reader = OxigraphStore(store, read_only=True)
    graph = next(g.value for g in reader.graphs() if "/graph/doc/" in g.value)
    queries = {name: q.replace("GRAPH>", graph + ">").replace("<GRAPH", "<" + graph) for name, q in QUERIES.items()}
    direct = {}
    for name, q in queries.items():
        rows = len(list(reader.query(q)))
        times = timed(lambda q=q: list(reader.query(q)), args.repeat, 20)
        direct[name] = {"rows": rows, "p50_ms": round(percentile(times, 50), 2)}
    results["queries_direct"] = direct
    try:
        from kg.search import search
    except ImportError:
        results["search_direct"] = "n/a (kg.search absent)"
    else:
        times = []
        for topic in TOPICS:
            t = time.perf_counter()
            search(reader, topic)
            times.append((time.perf_counter() - t) * 1000)
        results["search_direct"] = {"n": len(times), "p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1)}
    reader.close()
    return queries


class Server:
    def __init__(self, store: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(self.port)],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # latency is measured here, not the time limit: at 10,000 plans `kinds` takes 10 s directly,
            # the endpoint's default limit (10 s) would stop it with a 503
            env={**os.environ, "MSKG_QUERY_TIMEOUT": os.environ.get("MSKG_QUERY_TIMEOUT", "300")},
        )
        import httpx

        self.warm_up_s = None  # the server's own figure for building its shared lists
        started, warmed = time.monotonic() + 120, time.monotonic() + 600
        while True:
            try:
                health = httpx.get(self.url + "/health", timeout=2).json()
            except (httpx.HTTPError, ValueError):
                if time.monotonic() > started:
                    self.stop()
                    raise RuntimeError("mskg serve did not start within 120 s") from None
                time.sleep(0.3)
                continue
            # Figures are taken once the warm-up is over, so that its thread does not compete with them.
            if health.get("caches", "ready") == "ready" or time.monotonic() > warmed:
                self.warm_up_s = health.get("caches_built_in_s")
                return
            time.sleep(0.2)

    def rss_mb(self) -> float:
        return psutil.Process(self.process.pid).memory_info().rss / 1e6

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def example_queries() -> dict[str, str]:
    """The query page's examples and the README's, by name."""
    import re

    from api.routers.pages import EXAMPLE_QUERIES

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    named = {f"page: {name}": query for name, query in EXAMPLE_QUERIES}
    named.update({f"README {i + 1}": q for i, q in enumerate(re.findall(r"```sparql\n(.*?)```", readme, re.S))})
    return named


RUN_EXAMPLE = """
import json, sys, time
from kg.store import OxigraphStore
reader = OxigraphStore(sys.argv[1], read_only=True)
started = time.perf_counter()
rows = sum(1 for _ in reader.query(sys.argv[2]))
print(json.dumps({"ms": (time.perf_counter() - started) * 1000, "rows": rows}))
"""
START_ALLOWANCE_S = 30  # the process's own start and the store's opening, not timed


def stage_examples(args, store: Path, results: dict) -> None:
    """Each example once, cold, in a process of its own: a user running it through /sparql gets
    a 503 past the endpoint's time limit, or a truncated answer past its rows."""
    from api.sparql_pool import query_max_rows, query_timeout

    limit, max_rows = query_timeout(), query_max_rows()
    figures = {}
    for name, query in example_queries().items():
        answer = _run_json([sys.executable, "-c", RUN_EXAMPLE, str(store), query], limit + START_ALLOWANCE_S)
        if "error" in answer:  # _run_json's "timed out after …", or the process's last line of error
            figures[name] = answer
        elif answer["ms"] > limit * 1000:
            figures[name] = {"error": f"over the {limit:g} s time limit ({answer['ms']:.0f} ms)"}
        else:
            figures[name] = {**answer, "truncated": answer["rows"] > max_rows}
    results["examples"] = {"time_limit_s": limit, "max_rows": max_rows, "queries": figures}


def stage_server(args, store: Path, queries: dict[str, str], results: dict) -> None:
    import httpx

    from kg.store import OxigraphStore

    server = Server(store)
    try:
        client = httpx.Client(base_url=server.url, timeout=120)
        endpoint = {}
        runs = iter(range(10**9))
        reader = OxigraphStore(store, read_only=True)  # beside the server's, as a user's script would be
        for name, q in queries.items():
            def run(q=q):
                # A distinct comment per run: the API remembers answers to identical queries.
                text = f"{q}\n# run {next(runs)}"
                response = client.post("/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"})
                response.raise_for_status()
                return response.content
            try:
                direct, via = in_turn([lambda q=q: list(reader.query(q)), run], args.repeat, 20)
            except httpx.HTTPError as exc:  # one query's failure leaves the other figures
                endpoint[name] = {"p50_ms": None, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}
                continue
            endpoint[name] = {"p50_ms": round(percentile(via, 50), 2), "direct_p50_ms": round(percentile(direct, 50), 2)}
        reader.close()
        results["queries_endpoint"] = endpoint
        probe = client.get("/api/search", params={"q": TOPICS[0]})
        if probe.status_code == 404:
            results["search_api"] = "n/a (GET /api/search absent)"
        else:
            cold = []
            for i, topic in enumerate(TOPICS):
                t = time.perf_counter()
                client.get("/api/search", params={"q": topic, "limit": 20, "offset": 1 + i % 3})
                cold.append((time.perf_counter() - t) * 1000)
            warm = timed(lambda: client.get("/api/search", params={"q": TOPICS[1]}), 100, 10)
            results["search_api"] = {
                "first_request_p50_ms": round(percentile(cold, 50), 1),
                "first_request_p95_ms": round(percentile(cold, 95), 1),
                "repeated_p50_ms": round(percentile(warm, 50), 1),
                "repeated_p95_ms": round(percentile(warm, 95), 1),
            }
        load = {}
        for label, path in [("health", "/health"),
                            ("search", "/api/search?q=" + quote(TOPICS[0])), ("sparql_ask", "/sparql?query=" + quote("ASK { ?s a ms:Target }"))]:
            load[label] = load_test(server.url + path, args.load_seconds)
        results["api_load"] = load
        results["server_rss_mb"] = round(server.rss_mb())
    finally:
        server.stop()


def route_paths(client) -> list[str]:
    """One request per JSON route and page, with the parameters a user would give first, and the
    graph page filtered (which reads every plan's links) and at its largest. The plan and indicator
    come from the store itself (the first of each)."""
    plans = client.get("/api/plans", params={"limit": 1}).json().get("items") or [{}]
    plan = quote(plans[0].get("source", "none"), safe="")
    targets = client.get("/api/targets", params={"limit": 1}).json().get("items") or [{}]
    indicator = quote(str(targets[0].get("indicator_id", "none")), safe="")
    return [
        "/api/plans?limit=20", f"/api/plans/{plan}", f"/api/plans/{plan}/text", "/api/agencies?limit=20",
        "/api/search?q=" + quote(TOPICS[0]), "/api/topics", "/api/obligations?limit=20",
        "/api/obligations?limit=20&bearer=" + quote("市场监督管理局"),
        "/api/targets?limit=20", "/api/targets?year=2025&limit=20", "/api/targets?region=" + quote("江西省"),
        f"/api/indicators/{indicator}", "/", f"/plans/{plan}", f"/graph?plan={plan}", "/graph",
        "/graph?kind=Document&kind=PolicyArea", "/graph?limit=2000", "/query",
    ]


def stage_routes(args, store: Path, results: dict) -> None:
    """Cold and warm latency of every route on a server started for this stage alone. The two
    lookups that find a plan and an indicator run first on their own server, so they warm nothing."""
    import httpx

    finder = Server(store)
    try:
        paths = route_paths(httpx.Client(base_url=finder.url, timeout=args.route_timeout))
    finally:
        finder.stop()
    server = Server(store)
    results["warm_up_s"] = server.warm_up_s
    figures = {}
    try:
        client = httpx.Client(base_url=server.url, timeout=args.route_timeout)
        for path in paths:
            try:
                times, response = [], None
                for _ in range(2):
                    t = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - t) * 1000)
                figures[path] = {"status": response.status_code, "cold_ms": round(times[0], 1),
                                 "warm_ms": round(times[1], 1), "bytes": len(response.content)}
            except httpx.HTTPError as exc:  # a route that times out is reported, the others still run
                figures[path] = {"error": f"{type(exc).__name__} after {args.route_timeout:.0f} s"}
    finally:
        server.stop()
    results["routes"] = figures


def load_test(url: str, seconds: int) -> dict:
    """Requests/s with 32 connections: wrk when installed, else an asyncio httpx loop."""
    wrk = shutil.which("wrk")
    if wrk:
        result = subprocess.run([wrk, "-t2", "-c32", f"-d{seconds}s", url], capture_output=True, text=True, timeout=seconds + 60)
        rps = next((float(line.split()[1]) for line in result.stdout.splitlines() if line.startswith("Requests/sec")), None)
        non2xx = next((line.split(":")[1].strip() for line in result.stdout.splitlines() if "Non-2xx" in line), "0")
        return {"tool": "wrk -t2 -c32", "rps": rps, "non_2xx": non2xx}
    return asyncio.run(_httpx_load(url, seconds))


async def _httpx_load(url: str, seconds: int, connections: int = 32) -> dict:
    import httpx

    done, failed = 0, 0
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=connections)) as client:
        async def worker():
            nonlocal done, failed
            while time.perf_counter() < deadline:
                response = await client.get(url)
                done += 1
                failed += response.status_code >= 400
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - start
    return {"tool": "httpx asyncio, 32 connections", "rps": round(done / elapsed), "non_2xx": failed}


def report(results: dict, plans: int) -> None:
    """The figures, one per line, with the goal beside each."""
    def show(label: str, value, goal: str = "") -> None:
        print(f"  {label:<44} {value!s:<28} {goal}")

    ingest = results.get("ingest", {})
    print(f"\nmskg benchmark, {plans} plans, {os.cpu_count()} cores ({results['when']})")
    print(f"  corpus: {results.get('corpus', 'n/a (stage not run)')}")
    if "error" in ingest or not ingest:
        show("ingest", ingest.get("error", "n/a"))
    else:
        show("ingest wall time (s)", ingest["wall_s"], f"{ingest['summary']}")
        show("ingest MB/s of text (total)", ingest["mb_s"])
        show("ingest MB/s of text per core", ingest["mb_s_per_core"], f"goal >= {GOALS['ingest_mb_s_per_core']}")
        show("ingest MB of text per CPU-second", ingest.get("mb_per_cpu_s"), f"{ingest.get('cpu_s')} CPU-s in all processes")
        show("ingest triples/s", ingest["triples_s"], f"{ingest['triples']} triples")
        per_m = ingest["peak_rss_all_processes_mb"] / 1024 / (ingest["triples"] / 1e6) if ingest["triples"] else float("nan")
        show("peak RSS writer / all processes (MB)", f"{ingest['peak_rss_writer_mb']} / {ingest['peak_rss_all_processes_mb']}",
             f"all processes {per_m:.3f} GB per million triples (goal <= {GOALS['gb_rss_per_million']})")
        show("store size on disk (MB)", ingest["store_mb"])
        if "again_s" in ingest:
            show("ingest again, nothing changed (s)", ingest["again_s"], ingest["again_summary"][:70])
        if "more_s" in ingest:
            show(f"ingest again with {ingest['more_plans']} new plans (s)", ingest["more_s"], ingest["more_summary"][:70])
    report_breakdown(results.get("breakdown"))
    base = results.get("write_baseline", {})
    ox_load, rdf_load = base.get("oxigraph_load", {}), base.get("rdflib_load", {})
    quads = base.get("quads", 0)
    if base:
        what = f"{quads} quads, {base['plans']} plans" + (" (a sample: the first plans)" if base.get("sampled") else "")
        def per_s(r):
            return round(r["quads"] / r["s"]) if "s" in r and r["s"] else r.get("error", "n/a")
        def gb_per_m(r):
            return round(r["rss_mb"] / 1024 / (r["quads"] / 1e6), 3) if r.get("quads") else "n/a"
        show("load, quads/s: oxigraph | rdflib", f"{per_s(ox_load)} | {per_s(rdf_load)}", what)
        show("GB RSS per million triples: oxigraph | rdflib", f"{gb_per_m(ox_load)} | {gb_per_m(rdf_load)}",
             "peak of the loading process; Oxigraph's bulk loader buffers up to 1M quads a thread")
    million = results.get("ingest", {}).get("triples", 0) / 1e6
    if "server_rss_mb" in results and million:
        show("GB RSS per million triples: mskg serve", round(results["server_rss_mb"] / 1024 / million, 3),
             f"goal <= {GOALS['gb_rss_per_million']}; after the load tests")
    direct, endpoint = results.get("queries_direct", {}), results.get("queries_endpoint", {})
    if endpoint:
        print("  the five queries, p50 (ms): store alone | store, alternating with the endpoint | endpoint")
    for name, figures in direct.items():
        via, paired_direct = endpoint.get(name, {}).get("p50_ms"), endpoint.get(name, {}).get("direct_p50_ms")
        ratio = f"{via / paired_direct:.2f}x" if via and paired_direct else "n/a"
        show(f"  query {name}", f"{figures['p50_ms']} | {paired_direct} | {via}",
             f"endpoint {ratio} (goal <= {GOALS['endpoint_ratio']}x), {figures['rows']} rows")
    if base:
        ox_q, rdf_q = ox_load.get("queries_ms", {}), rdf_load.get("queries_ms", {})
        print(f"  the same queries on the baseline's {what}, median of 3 (ms)")
        for name in direct or ox_q:
            show(f"  query {name}: oxigraph | rdflib", f"{ox_q.get(name, 'n/a')} | {rdf_q.get(name, 'n/a')}")
    goal = GOALS["search_p50_ms_1000"] if plans <= 1000 else GOALS["search_p50_ms_10000"]
    search = results.get("search_api", "n/a")
    if isinstance(search, dict):
        show("topic search via API p50 / p95 (ms), new query", f"{search['first_request_p50_ms']} / {search['first_request_p95_ms']}", f"goal p50 < {goal}")
        show("topic search via API p50 / p95 (ms), repeated", f"{search['repeated_p50_ms']} / {search['repeated_p95_ms']}", "(the API caches answers)")
    else:
        show("topic search via API", search)
    sd = results.get("search_direct", "n/a")
    show("topic search kg.search.search p50 / p95 (ms)", f"{sd['p50_ms']} / {sd['p95_ms']}" if isinstance(sd, dict) else sd)
    for label, figures in results.get("api_load", {}).items():
        show(f"API requests/s, {label}", figures.get("rps"), f"goal >= {GOALS['api_rps']:.0f}; {figures.get('tool')}, non-2xx {figures.get('non_2xx')}")
    routes = results.get("routes", {})
    if routes:
        print(f"  routes on a fresh server, after its warm-up ({results.get('warm_up_s')} s):"
              " status, first request | repeated (ms), size")
    for path, figures in routes.items():
        label = path if len(path) <= 60 else path[:57] + "..."
        if "error" in figures:
            print(f"    {label:<62} {figures['error']}")
        else:
            print(f"    {label:<62} {figures['status']}  {figures['cold_ms']:>9} | {figures['warm_ms']:<8} {figures['bytes'] / 1e3:>8.1f} kB")
    examples = results.get("examples")
    if examples:
        print(f"  example queries on the store, once each (endpoint limits: {examples['time_limit_s']:g} s,"
              f" {examples['max_rows']} rows): ms, rows")
    for name, figures in (examples or {}).get("queries", {}).items():
        value = figures.get("error") or f"{figures['ms']:>9} ms {figures['rows']:>7} rows" + (" (over the row limit)" if figures["truncated"] else "")
        print(f"    {name[:60]:<62} {value}")


def report_breakdown(figures: dict | None) -> None:
    """Each part of an ingest in CPU-seconds per MB of text, and the rate per core it alone allows."""
    if not figures:
        return
    if "error" in figures:
        print(f"  ingest breakdown: {figures['error']}")
        return
    mb = figures["mb"]
    print(f"  ingest breakdown, {figures['files']} plans in one process ({mb:.2f} MB, {figures['triples'] / mb / 1e3:.0f} triples per KB):"
          f" CPU-s per MB | MB/s per core if it were the only cost (goal >= {GOALS['ingest_mb_s_per_core']})")
    parts = [("decode, outline and extract", "extract_cpu_s"), ("map to N-Triples", "map_cpu_s"),
             ("store: bulk load (the ingest's writer)", "load_cpu_s"), ("store: compaction", "compact_cpu_s")]
    by_part = figures.get("triples_by_part") or {}
    if by_part:
        print("    triples per KB of text by what they describe: "
              + ", ".join(f"{part} {count / mb / 1e3:.0f}" for part, count in by_part.items() if count / mb >= 500))
    for label, key in parts + [("all of it", None)]:
        cpu = sum(figures[k] for _, k in parts) if key is None else figures[key]
        rate = f"{mb / cpu:.2f}" if cpu >= 0.005 else "- (too small to measure)"
        print(f"    {label:<60} {cpu / mb:>6.2f} | {rate}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--work", type=Path, help="working directory (default /tmp/mskg-bench-<plans>)")
    parser.add_argument("--corpus", type=Path, help="an existing corpus folder to use instead of generating one")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--time-limit", type=float, default=3600, help="seconds allowed for the ingest and for each baseline")
    parser.add_argument("--repeat", type=int, default=30, help="runs per query for the percentiles")
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument("--rdflib-max-quads", type=int, default=3_000_000)
    parser.add_argument("--route-timeout", type=float, default=600, help="seconds allowed for one request in the routes stage")
    parser.add_argument("--only", nargs="+", metavar="STAGE", help="run only these stages (corpus and direct queries run when later ones need them)")
    parser.add_argument("--skip-ingest", action="store_true", help="reuse the store from a previous run")
    args = parser.parse_args(argv)
    args.work = args.work or Path(f"/tmp/mskg-bench-{args.plans}")
    args.work.mkdir(parents=True, exist_ok=True)
    store = args.work / "store"
    results: dict = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}

    stages = [
        ("corpus", lambda: results.__setitem__("_corpus", stage_corpus(args, results))),
        ("ingest", lambda: None if args.skip_ingest else stage_ingest(args, results["_corpus"], store, results)),
        ("breakdown", lambda: stage_breakdown(args, results["_corpus"], results)),
        ("sample", lambda: results.__setitem__("_nquads", stage_sample(args, store, results))),
        ("direct queries", lambda: results.__setitem__("_queries", stage_direct(args, store, results))),
        ("baseline", lambda: stage_baseline(args, results)),
        ("server", lambda: stage_server(args, store, results["_queries"], results)),
        ("routes", lambda: stage_routes(args, store, results)),
        ("examples", lambda: stage_examples(args, store, results)),
    ]
    for name, run in stages:
        if args.only and name not in args.only and not (name in NEEDED and set(args.only) & NEEDED[name]):
            continue
        print(f"[{time.strftime('%H:%M:%S')}] {name}…", file=sys.stderr, flush=True)
        try:
            run()
        except Exception as exc:  # a failed stage is reported, the others still run
            results[f"{name} error"] = f"{type(exc).__name__}: {exc}"
            print(f"  {name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    public = {k: (str(v) if isinstance(v, Path) else v) for k, v in results.items() if not k.startswith("_")}
    (args.work / "results.json").write_text(json.dumps(public, ensure_ascii=False, indent=2))
    report(results, args.plans)
    errors = {k: v for k, v in public.items() if k.endswith(" error")}
    for key, value in errors.items():
        print(f"  {key}: {value}")
    print(f"\n  all figures: {args.work / 'results.json'}")


# stages that a later stage reads from: run them when --only names one of these later stages
NEEDED = {"corpus": {"ingest", "breakdown"}, "sample": {"baseline"}, "direct queries": {"server", "baseline"}}


def stage_baseline(args, results: dict) -> None:
    nquads = results.get("_nquads")
    if nquads is None:
        return
    for engine in ("oxigraph", "rdflib"):
        results["write_baseline"][f"{engine}_load"] = _load_and_query(args, nquads, results["_queries"], engine)


if __name__ == "__main__":
    main()
