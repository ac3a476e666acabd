"""The benchmark script (issue 7's figures) still runs, on a corpus small enough for the suite.

Nothing here checks a speed: the figures are printed for people to read. This checks that the
stages a newcomer runs from the README finish without an error and print what they measured."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO


def test_bench_runs_its_ingest_breakdown_server_and_example_stages(tmp_path):
    work = tmp_path / "bench"
    run = subprocess.run(
        [sys.executable, "scripts/bench.py", "--plans", "3", "--work", str(work), "--repeat", "2", "--load-seconds", "1",
         "--only", "ingest", "breakdown", "server", "examples"],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    results = json.loads((work / "results.json").read_text())
    assert not [key for key in results if key.endswith(" error")], results
    ingest, breakdown = results["ingest"], results["breakdown"]
    assert ingest["failed_files"] == 0 and ingest["triples"] > 1000 and ingest["mb_per_cpu_s"] > 0
    assert breakdown["files"] == 3 and breakdown["triples"] > 1000
    assert all(breakdown[key] > 0 for key in ("extract_cpu_s", "map_cpu_s", "load_cpu_s"))
    by_part = breakdown["triples_by_part"]
    assert sum(by_part.values()) == breakdown["triples"] and {"mention", "section", "document"} <= set(by_part), by_part
    assert all(figures.get("rows", 0) > 0 for figures in results["examples"]["queries"].values()), results["examples"]
    endpoint = results["queries_endpoint"]  # each query timed through the endpoint in turn with the store
    assert set(endpoint) == set(results["queries_direct"]) and len(endpoint) == 5
    assert all(figures["p50_ms"] > 0 and figures["direct_p50_ms"] > 0 for figures in endpoint.values()), endpoint
    for line in ("ingest MB/s of text per core", "ingest breakdown, 3 plans", "store: bulk load (the ingest's writer)",
                 "triples per KB of text by what they describe: mention",
                 "all of it", "store, alternating with the endpoint | endpoint", "page: 规划列表 Plans"):
        assert line in run.stdout, run.stdout
