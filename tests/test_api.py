"""The JSON API (plans, one plan, its text and spans, agencies, uploads) against real servers."""

from __future__ import annotations

import httpx
import pytest

from conftest import LiveServer, run_mskg

TOKEN = "test-token-7f3a"

# A short work plan written for these tests (not from any real document).
FIXTURE = """某某县市场监督管理局2024年工作要点

一、守牢食品安全底线
（一）开展校园食品专项检查。县市场监管局会同县教育局组织开展校园食品安全专项检查，到2024年底食品抽检合格率达到98%以上。
（二）推进智慧监管。各乡镇要建立食品经营者信用档案。

二、优化营商环境
（一）压缩开办时间。企业开办时间压缩至1个工作日以内。
"""


def problem_of(response: httpx.Response) -> dict:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body = response.json()
    assert body["status"] == response.status_code and body["title"]
    return body


@pytest.fixture(scope="module")
def plans(live_server) -> list[dict]:
    return httpx.get(live_server.url + "/api/plans").json()["items"]


def test_plan_list_filters_and_pages(live_server, plans):
    assert len(plans) == 7
    page = httpx.get(live_server.url + "/api/plans", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == 7 and [p["id"] for p in page["items"]] == [p["id"] for p in plans[1:3]]
    five = httpx.get(live_server.url + "/api/plans", params={"doc_type": "five_year_plan"}).json()
    assert five["total"] >= 1 and all(p["doc_type"] == "five_year_plan" for p in five["items"])


def test_plan_detail_has_metadata_outline_counts(live_server, plans):
    record = next(p for p in plans if p["doc_type"] == "five_year_plan")
    for key in (record["source"], record["id"]):
        body = httpx.get(live_server.url + "/api/plans/" + key).json()
        assert body["id"] == record["id"] and body["title"] == record["title"]
    assert body["graph"].endswith(record["source"])
    assert body["counts"]["Section"] >= 3 and body["counts"]["triples"] > 50
    outline = body["outline"]
    assert outline and all(s["start"] < s["end"] <= body["text_length"] for s in outline)
    starts = [s["start"] for s in outline]
    assert starts == sorted(starts), "top-level sections come in text order"
    for section in outline:
        for child in section["children"]:
            assert section["start"] <= child["start"] and child["end"] <= section["end"]


def test_plan_text_is_the_decoded_document(live_server, plans, seeds_dir):
    from loaders.decode import decode_file

    record = next(p for p in plans if (seeds_dir / p["source"]).exists())
    body = httpx.get(live_server.url + f"/api/plans/{record['source']}/text", timeout=60).json()
    assert body["text"] == decode_file(seeds_dir / record["source"]).text
    assert body["length"] == len(body["text"])


def test_plan_text_spans_index_the_text(live_server, plans):
    for record in plans:
        body = httpx.get(live_server.url + f"/api/plans/{record['source']}/text", timeout=60).json()
        text = body["text"]
        assert body["total"] == len(body["annotations"]) == sum(body["kinds"].values())
        assert body["kinds"].get("Section", 0) >= 1, record["source"]
        for span in body["annotations"]:
            assert 0 <= span["start"] <= span["end"] <= len(text), span
            assert span["kind"] and span["id"].startswith("https://w3id.org/mskg/")
            if span["kind"] == "Section" and span["label"]:
                assert span["label"][:4] in text[span["start"] : span["end"]], (span, text[span["start"] : span["start"] + 40])


def test_plan_text_filters_and_pages(live_server, plans):
    url = f"{live_server.url}/api/plans/{plans[0]['source']}/text"
    sections = httpx.get(url, params={"kind": "Section", "details": "false", "limit": 3, "offset": 1}).json()
    assert sections["total"] == sections["kinds"]["Section"]
    assert len(sections["annotations"]) == 3
    assert all(s["kind"] == "Section" and s["properties"] is None for s in sections["annotations"])
    everything = httpx.get(url).json()
    assert everything["annotations"][0]["properties"] is not None


def test_unknown_ids_are_404_and_bad_parameters_422(live_server):
    for path in ("/api/plans/nope.txt", "/api/plans/nope.txt/text", "/plans/nope.txt", "/graph?plan=nope.txt"):
        response = httpx.get(live_server.url + path)
        assert response.status_code == 404, path
        assert "nope.txt" in problem_of(response)["detail"]
    for path, params in (
        ("/api/plans", {"limit": "many"}),
        ("/api/plans", {"limit": 0}),
        ("/api/plans", {"offset": -1}),
        ("/api/agencies", {"limit": 5000}),
        ("/api/agencies", {"plans_limit": 101}),
        ("/api/agencies", {"plans_limit": -1}),
        ("/api/plans/x/text", {"details": "perhaps"}),
    ):
        response = httpx.get(live_server.url + path, params=params)
        assert response.status_code == 422, (path, params)
        assert problem_of(response)["errors"]


def test_agencies(live_server, plans):
    body = httpx.get(live_server.url + "/api/agencies", params={"limit": 1000}).json()
    assert body["total"] >= len({p["issuer"] for p in plans if p["issuer"]})
    labels = {a["label"] for a in body["items"]}
    assert {p["issuer"] for p in plans if p["issuer"]} <= labels
    for agency in body["items"]:
        assert agency["plans"] and set(agency["plans"]) <= {p["source"] for p in plans}
    issuer_plan = next(p for p in plans if p["issuer"])
    named = httpx.get(live_server.url + "/api/agencies", params={"plan": issuer_plan["source"], "q": issuer_plan["issuer"]}).json()
    assert issuer_plan["issuer"] in [a["label"] for a in named["items"]]


def test_plan_pages_and_filters_agree_with_the_whole_list(live_server):
    """Pages are read apart from the whole list (only their own details): they must still be its slices."""
    whole = httpx.get(live_server.url + "/api/plans", params={"limit": 1000}).json()["items"]
    assert [p["source"] for p in whole] == sorted(p["source"] for p in whole)
    for size in (1, 3):
        pages = [httpx.get(live_server.url + "/api/plans", params={"limit": size, "offset": at}).json() for at in range(0, len(whole), size)]
        assert [p for page in pages for p in page["items"]] == whole and {page["total"] for page in pages} == {len(whole)}
    regions = {p["region"] for p in whole if p["region"]}
    assert regions
    for region in sorted(regions | {r[0] for r in regions} | {"", "nowhere"}):
        for doc_type in (None, "five_year_plan"):
            params = {"region": region, "limit": 2, "offset": 1} | ({"doc_type": doc_type} if doc_type else {})
            body = httpx.get(live_server.url + "/api/plans", params=params).json()
            expected = [p for p in whole if region in (p["region"] or "") and doc_type in (None, p["doc_type"])]
            assert body["total"] == len(expected) and body["items"] == expected[1:3], params


PLAN_FILTERS = {  # route → the part of its answer a plan filter narrows
    "/api/agencies": lambda body: sorted(item["id"] for item in body["items"]),
    "/api/obligations": lambda body: sorted(item["obligation"] for item in body["results"]),
    "/api/targets": lambda body: sorted(item["id"] for item in body["items"]),
}


@pytest.mark.parametrize("route", sorted(PLAN_FILTERS))
def test_every_plan_filter_takes_a_source_a_document_iri_or_a_graph_iri(live_server, plans, route):
    """A plan is named by its source, its IRI (the plan list) or its graph's IRI (SPARQL, /api/plans/{id});
    a plan filter takes any of them."""
    from loaders.to_rdf.vocab import graph_of

    answers = {}
    for plan in plans[:3]:
        for name in (plan["source"], plan["id"], graph_of(plan["id"])):
            response = httpx.get(live_server.url + route, params={"plan": name, "limit": 500})
            assert response.status_code == 200, (route, name, response.text)
            answers.setdefault(plan["source"], []).append(PLAN_FILTERS[route](response.json()))
    assert any(by_name[0] for by_name in answers.values()), f"{route}: no plan has anything to filter"
    for source, (by_name, by_iri, by_graph) in answers.items():
        assert by_name == by_iri == by_graph, (route, source)
    malformed = httpx.get(live_server.url + route, params={"plan": plans[0]["id"] + "> } #"})
    assert malformed.status_code == 422, (route, malformed.text)
    assert "not an IRI" in problem_of(malformed)["detail"]


def test_agencies_count_every_plan_and_list_a_bounded_few(live_server, plans):
    sources = {p["source"] for p in plans}
    whole = httpx.get(live_server.url + "/api/agencies", params={"limit": 1000, "plans_limit": 100}).json()
    items = whole["items"]
    assert whole["total"] == len(items) > 0
    assert [(-a["plans_total"], a["label"]) for a in items] == sorted((-a["plans_total"], a["label"]) for a in items)
    for agency in items:  # no agency of 7 plans is named by more than 100: every list is whole
        assert agency["plans"] == sorted(agency["plans"]) and set(agency["plans"]) <= sources
        assert len(agency["plans"]) == agency["plans_total"] >= 1
    assert any(a["plans_total"] >= 2 for a in items)
    one = httpx.get(live_server.url + "/api/agencies", params={"limit": 1000, "plans_limit": 1}).json()["items"]
    assert [(a["id"], a["plans_total"]) for a in one] == [(a["id"], a["plans_total"]) for a in items]
    for short, full in zip(one, items):
        assert len(short["plans"]) == 1 and short["plans"][0] in full["plans"]
    bare = httpx.get(live_server.url + "/api/agencies", params={"limit": 5, "plans_limit": 0}).json()["items"]
    assert [a["plans"] for a in bare] == [[]] * len(bare) and [a["id"] for a in bare] == [a["id"] for a in items[:5]]
    for source in sorted(sources) + ["nope.txt"]:
        named = httpx.get(live_server.url + "/api/agencies", params={"plan": source, "limit": 1000, "plans_limit": 100}).json()
        assert named["items"] == [a for a in items if source in a["plans"]]
        assert named["total"] == len(named["items"])
    word = items[0]["label"][:2]
    found = httpx.get(live_server.url + "/api/agencies", params={"q": word, "limit": 2, "offset": 1, "plans_limit": 100}).json()
    expected = [a for a in items if word in a["label"]]
    assert found["total"] == len(expected) and found["items"] == expected[1:3]


def test_upload_is_disabled_without_a_configured_token(live_server):
    response = httpx.post(live_server.url + "/api/documents", files={"file": ("a.txt", FIXTURE.encode())})
    assert response.status_code == 403
    assert "MSKG_API_TOKEN" in problem_of(response)["detail"]


@pytest.fixture(scope="module")
def upload_server(tmp_path_factory):
    """A server with uploads on, over its own store (the writer holds it exclusively)."""
    folder = tmp_path_factory.mktemp("upload")
    first = folder / "first_plan.txt"
    first.write_text(FIXTURE, encoding="utf-8")
    store = folder / "store"
    run_mskg("ingest", str(first), "--store", str(store))
    server = LiveServer(store, env={"MSKG_API_TOKEN": TOKEN})
    yield server
    server.stop()


def upload(server, name: str, data: bytes, token: str | None = TOKEN) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(server.url + "/api/documents", files={"file": (name, data)}, headers=headers, timeout=120)


def count_docs(server) -> int:
    query = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d ms:sourceFile ?s }"
    response = httpx.get(server.url + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code == 200, response.text
    body = response.json()
    return int(body["results"]["bindings"][0]["n"]["value"])


def test_upload_needs_the_bearer_token(upload_server):
    missing = upload(upload_server, "x.txt", FIXTURE.encode(), token=None)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert upload(upload_server, "x.txt", FIXTURE.encode(), token="wrong").status_code == 401


@pytest.mark.parametrize(
    "name, data, status",
    [
        ("empty.txt", b"", 422),
        ("blank.txt", b"  \n\n ", 422),
        ("binary.txt", bytes(range(256)) * 40, 422),
        ("broken.pdf", b"this is no pdf", 422),
        ("sheet.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 600, 415),
    ],
)
def test_bad_uploads_are_4xx_naming_the_file_and_write_nothing(upload_server, name, data, status):
    before = httpx.get(upload_server.url + "/api/plans").json()["total"]
    response = upload(upload_server, name, data)
    assert response.status_code == status, response.text
    assert name in problem_of(response)["detail"]
    assert httpx.get(upload_server.url + "/api/plans").json()["total"] == before
    assert count_docs(upload_server) == before


def test_upload_ingests_and_every_view_sees_it(upload_server):
    assert count_docs(upload_server) == 1  # the SPARQL workers have opened the store once
    targets_before = httpx.get(upload_server.url + "/api/targets", params={"kind": "target"}).json()["total"]
    assert targets_before >= 1  # and the answer (with its total) is now cached
    text = FIXTURE.replace("某某县", "另一县").replace("2024", "2025")
    response = upload(upload_server, "second_plan.txt", text.encode("gb18030"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["source"] == "second_plan.txt" and body["triples"] > 10
    assert body["plan"]["source"] == "second_plan.txt"
    listed = httpx.get(upload_server.url + "/api/plans").json()
    assert listed["total"] == 2 and "second_plan.txt" in [p["source"] for p in listed["items"]]
    assert count_docs(upload_server) == 2, "SPARQL workers must reopen the store after an upload"
    targets_after = httpx.get(upload_server.url + "/api/targets", params={"kind": "target"}).json()
    assert targets_after["total"] == 2 * targets_before, "cached totals must be dropped after an upload"
    assert "second_plan.txt" in {t["source"] for t in targets_after["items"]}
    spans = httpx.get(upload_server.url + "/api/plans/second_plan.txt/text", timeout=60).json()
    assert spans["text"] == text
    assert spans["kinds"].get("Section", 0) >= 2
    # Uploading the same name again replaces the graph instead of adding a document.
    again = upload(upload_server, "second_plan.txt", text.encode("utf-8"))
    assert again.status_code == 201 and again.json()["copies"] == []
    assert count_docs(upload_server) == 2
    # The same bytes under another name are a second document, and the answer says which it copies.
    copy = upload(upload_server, "copy_of_second.txt", text.encode("utf-8"))
    assert copy.status_code == 201 and copy.json()["copies"] == ["second_plan.txt"]
    assert count_docs(upload_server) == 3
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert httpx.delete(upload_server.url + "/api/documents/copy_of_second.txt", headers=auth).status_code == 204


def test_delete_takes_a_document_out_and_every_view_sees_it(upload_server):
    third = FIXTURE.replace("某某县", "第三县")
    assert upload(upload_server, "江西省/third_plan.txt", third.encode()).status_code == 201
    before = count_docs(upload_server)
    url = upload_server.url + "/api/documents/third_plan.txt"
    assert httpx.delete(url).status_code == 401
    assert httpx.delete(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert httpx.get(upload_server.url + "/api/plans/third_plan.txt").status_code == 200
    assert httpx.delete(url, headers=auth).status_code == 204
    assert httpx.get(upload_server.url + "/api/plans/third_plan.txt").status_code == 404
    assert count_docs(upload_server) == before - 1, "SPARQL workers must reopen the store after a removal"
    missing = httpx.delete(url, headers=auth)
    assert missing.status_code == 404 and "third_plan.txt" in problem_of(missing)["detail"]


def test_delete_is_disabled_without_a_configured_token(live_server, plans):
    response = httpx.delete(f"{live_server.url}/api/documents/{plans[0]['source']}")
    assert response.status_code == 403
    assert httpx.get(f"{live_server.url}/api/plans/{plans[0]['source']}").status_code == 200


def test_pages_and_static_assets_exist(live_server, plans):
    for path in ("/", "/query", f"/plans/{plans[0]['source']}", "/static/plan.js", "/static/query.js", "/static/mskg.css"):
        assert httpx.get(live_server.url + path).status_code == 200, path
    landing = httpx.get(live_server.url + "/").text
    assert all(p["source"] in landing for p in plans)


def test_no_500_on_odd_paths(live_server):
    for path in ("/api/plans/%00", "/api/plans/..%2F..%2Fetc%2Fpasswd/text", "/api/plans/" + "长" * 300, "/plans/%3Cscript%3E"):
        response = httpx.get(live_server.url + path)
        assert response.status_code in (404, 422), (path, response.status_code)


def test_in_memory_store_app_answers_sparql_in_thread():
    """A memory store cannot be shared with worker processes: queries run in-thread (no hard limit)."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from kg.store import load_ontology, memory_store

    store = memory_store()
    load_ontology(store)
    with TestClient(create_app(store)) as client:
        response = client.get("/sparql", params={"query": "ASK { ms:Document a owl:Class }"}, headers={"Accept": "application/sparql-results+json"})
        assert response.json()["boolean"] is True
        assert client.get("/api/plans").json()["total"] == 0
        assert client.get("/api/plans/none.txt").status_code == 404



def test_plans_in_region_folders_keep_their_paths_as_names(tmp_path):
    """Two regions' folders holding files of one name: both plans are served, each under its path
    inside the folder ingested (a slash in the name, percent-encoded or not)."""
    from urllib.parse import quote

    from test_faults import write_corpus

    for region in ("江西省", "湖南省"):
        write_corpus(tmp_path / "plans" / region, 1, tasks=2 if region == "江西省" else 5)
    store = tmp_path / "store"
    run_mskg("ingest", str(tmp_path / "plans"), "--store", str(store))
    server = LiveServer(store)
    try:
        listed = httpx.get(server.url + "/api/plans").json()["items"]
        sources = sorted(p["source"] for p in listed)
        assert len(sources) == 2 and sources[0].startswith("江西省/") and sources[1].startswith("湖南省/")
        assert sources[0].split("/")[1] == sources[1].split("/")[1]
        texts = []
        for source in sources:
            for path in (source, quote(source, safe="")):
                assert httpx.get(f"{server.url}/api/plans/{path}").json()["source"] == source
                assert httpx.get(f"{server.url}/plans/{path}").status_code == 200
            texts.append(httpx.get(f"{server.url}/api/plans/{quote(source, safe='')}/text").json()["text"])
        assert texts[0] != texts[1]
        landing = httpx.get(server.url + "/").text
        assert all(f'href="/plans/{quote(source, safe="")}"' in landing for source in sources)
    finally:
        server.stop()
