"""The CLI end to end, through subprocesses, on a real on-disk store."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess

import pyoxigraph as ox
import rdflib

from conftest import EXAMPLES, MSKG, REPO, run_mskg

PLAN_KEYS = {"id", "source", "title", "doc_type", "issuer", "region", "date"}


def count_triples(store) -> int:
    out = run_mskg("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--store", str(store), "--format", "json")
    return int(json.loads(out.stdout)["results"]["bindings"][0]["n"]["value"])


def test_ingest_seeds_and_samples_gives_seven_plans_stable_under_reingest(tmp_path, seeds_dir, samples_dir):
    store = tmp_path / "store"
    first = run_mskg("ingest", str(seeds_dir), str(samples_dir), "--store", str(store))
    assert "ingested 7 document(s)" in first.stdout
    plans = json.loads(run_mskg("plans", "--store", str(store), "--format", "json").stdout)
    assert len(plans) == 7
    assert all(PLAN_KEYS <= set(p) for p in plans)
    assert len({p["id"] for p in plans}) == 7
    triples = count_triples(store)
    run_mskg("ingest", str(seeds_dir / "000_88596622a34990bc.txt"), str(samples_dir), "--store", str(store))
    assert count_triples(store) == triples
    again = json.loads(run_mskg("plans", "--store", str(store), "--format", "json").stdout)
    assert [p["id"] for p in again] == [p["id"] for p in plans]


def test_unreadable_file_is_named_and_the_others_still_load(tmp_path):
    store = tmp_path / "store"
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\xff\xfe\x00\x00\xc3\x28binary\x00\x01" * 10)
    missing = tmp_path / "missing.txt"
    result = run_mskg("ingest", str(bad), str(missing), str(EXAMPLES), "--store", str(store), check=False)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert any("broken.txt" in line for line in errors)
    assert any("missing.txt" in line for line in errors)
    assert "Traceback" not in result.stderr
    plans = json.loads(run_mskg("plans", "--store", str(store), "--format", "json").stdout)
    assert [p["source"] for p in plans] == ["xihu_market_supervision_plan_example.txt"]


def test_store_defaults_to_env_variable(tmp_path):
    env = {"MSKG_STORE": str(tmp_path / "envstore")}
    run_mskg("ingest", str(EXAMPLES), env=env)
    assert (tmp_path / "envstore").is_dir()
    plans = json.loads(run_mskg("plans", "--format", "json", env=env).stdout)
    assert len(plans) == 1


def test_query_formats(corpus_store):
    sparql = "SELECT ?source WHERE { ?d ms:sourceFile ?source } ORDER BY ?source"
    as_json = json.loads(run_mskg("query", sparql, "--store", str(corpus_store), "--format", "json").stdout)
    sources = [b["source"]["value"] for b in as_json["results"]["bindings"]]
    assert len(sources) == 7 and sources == sorted(sources)
    as_csv = list(csv.reader(io.StringIO(run_mskg("query", sparql, "--store", str(corpus_store), "--format", "csv").stdout)))
    assert as_csv[0] == ["source"] and [r[0] for r in as_csv[1:]] == sources
    table = run_mskg("query", sparql, "--store", str(corpus_store)).stdout
    assert all(s in table for s in sources)
    ask = run_mskg("query", "ASK { ?s a ms:Section }", "--store", str(corpus_store)).stdout.strip()
    assert ask == "true"


def test_malformed_query_is_a_clear_error(corpus_store):
    result = run_mskg("query", "SELEKT nothing", "--store", str(corpus_store), check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("error: malformed query")
    assert "Traceback" not in result.stderr


def test_export_formats_parse_back(corpus_store, tmp_path):
    total = count_triples(corpus_store)
    for fmt, rdf_format in (("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS)):
        out = tmp_path / f"dump.{fmt}"
        run_mskg("export", "--format", fmt, "--out", str(out), "--store", str(corpus_store))
        quads = list(ox.parse(path=str(out), format=rdf_format))
        assert len(quads) == total
    turtle = run_mskg("export", "--format", "turtle", "--store", str(corpus_store)).stdout
    assert len(rdflib.Graph().parse(data=turtle, format="turtle")) > 1000
    jsonld = tmp_path / "dump.jsonld"
    run_mskg("export", "--format", "jsonld", "--out", str(jsonld), "--store", str(corpus_store))
    assert len(list(ox.parse(path=str(jsonld), format=ox.RdfFormat.JSON_LD))) == total
    assert not list(tmp_path.glob("*.part")), "a finished export leaves only its file"


def test_a_failed_export_says_why_and_leaves_no_file(corpus_store, tmp_path):
    result = run_mskg("export", "--format", "nquads", "--out", str(tmp_path / "missing" / "dump.nq"), "--store", str(corpus_store), check=False)
    assert result.returncode == 1 and "export failed" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "missing").exists()


def test_export_to_a_full_disk_is_one_line(corpus_store):
    """/dev/full answers every write with ENOSPC, as a full disk does."""
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*MSKG, "export", "--format", "nquads", "--store", str(corpus_store)], cwd=REPO,
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert result.returncode == 1 and "export failed" in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_remove_takes_documents_out_and_ingest_brings_them_back(tmp_path):
    from test_faults import write_corpus

    for folder in ("a", "b"):
        write_corpus(tmp_path / "plans" / folder, 2, tasks=3)
    store = tmp_path / "store"
    run_mskg("ingest", str(tmp_path / "plans"), "--store", str(store))
    plans = {p["source"]: p["id"] for p in json.loads(run_mskg("plans", "--store", str(store), "--format", "json").stdout)}
    assert sorted(plans) == ["a/plan_000.txt", "a/plan_001.txt", "b/plan_000.txt", "b/plan_001.txt"]
    before = count_triples(store)
    result = run_mskg("remove", "a/plan_000.txt", plans["b/plan_000.txt"], "nothing.txt", "--store", str(store), check=False)
    assert result.returncode == 1 and "removed 2 document(s)" in result.stdout
    assert result.stderr.strip() == "error: no document 'nothing.txt' in the store (`mskg plans` lists them)"
    left = [p["source"] for p in json.loads(run_mskg("plans", "--store", str(store), "--format", "json").stdout)]
    assert sorted(left) == ["a/plan_001.txt", "b/plan_001.txt"]
    assert count_triples(store) < before
    again = run_mskg("ingest", str(tmp_path / "plans"), "--store", str(store))
    assert "ingested 2 document(s)" in again.stdout and "2 unchanged" in again.stdout
    assert count_triples(store) == before


def test_a_copy_under_another_name_is_a_warning(tmp_path):
    from test_faults import write_corpus

    (plan,) = write_corpus(tmp_path / "plans" / "江西省", 1, tasks=3)
    store = tmp_path / "store"
    run_mskg("ingest", str(plan), "--store", str(store))
    result = run_mskg("ingest", str(tmp_path / "plans"), "--store", str(store))
    assert "ingested 1 document(s)" in result.stdout
    assert "warning: 江西省/plan_000.txt: the same file as 'plan_000.txt', also in the store" in result.stderr


def test_compact_says_what_it_did_and_keeps_every_triple(tmp_path):
    from test_faults import write_corpus

    write_corpus(tmp_path / "plans", 3, tasks=3)
    store = tmp_path / "store"
    quiet = run_mskg("ingest", str(tmp_path / "plans"), "--store", str(store), "--no-compact")
    assert "compacting" not in quiet.stderr and "store compacted" not in quiet.stdout
    before = count_triples(store)
    result = run_mskg("compact", "--store", str(store))
    assert re.fullmatch(r"store compacted: [\d,]+ MB → [\d,]+ MB on disk\n", result.stdout), result.stdout
    assert count_triples(store) == before
    # an ingest that compacts says so before it starts: minutes at 10,000 plans, the bar at 100 %
    again = run_mskg("ingest", str(tmp_path / "plans"), "--store", str(store), "--compact")
    assert re.search(r"^compacting the store \([\d,]+ MB; .*--no-compact skips it\)…$", again.stderr, re.M), again.stderr
    assert again.stdout.strip().endswith("; store compacted") and count_triples(store) == before
    missing = run_mskg("compact", "--store", str(tmp_path / "none"), check=False)
    assert missing.returncode == 1 and missing.stderr.strip() == f"error: no store at {tmp_path / 'none'}"
    assert not (tmp_path / "none").exists(), "compact creates no store"
