"""The HTTP service, tested against a real uvicorn process on a free localhost port."""

from __future__ import annotations

import re
import time

import httpx

COUNT = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d ms:sourceFile ?s }"


def test_health_says_when_the_shared_lists_are_built(live_server):
    """A script can wait for "ready" before it times requests or sends users (the build runs after a start)."""
    deadline = time.monotonic() + 60
    while (body := httpx.get(live_server.url + "/health").json())["caches"] == "warming":
        assert time.monotonic() < deadline, "the warm-up never finished"
        time.sleep(0.1)
    assert body["status"] == "ok" and body["caches"] == "ready"
    assert 0 <= body["caches_built_in_s"] < 60


def test_sparql_get_and_post_agree(live_server):
    url = live_server.url + "/sparql"
    accept = {"Accept": "application/sparql-results+json"}
    by_get = httpx.get(url, params={"query": COUNT}, headers=accept)
    by_form = httpx.post(url, data={"query": COUNT}, headers=accept)
    by_body = httpx.post(url, content=COUNT.encode(), headers={**accept, "Content-Type": "application/sparql-query"})
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert response.json()["results"]["bindings"][0]["n"]["value"] == "7"


def test_every_prefix_the_query_page_names_is_declared_by_the_endpoint(live_server):
    import re

    page = httpx.get(live_server.url + "/query").text
    named = re.search(r"Prefixes <code>([^<]*)</code> are predeclared", page).group(1).split()
    assert {"ms:", "spdx:", "prov:", "oa:"} <= set(named)
    # each in a query without its PREFIX line: every document's file digest, through spdx: and prov:
    query = "SELECT (COUNT(?d) AS ?n) WHERE { ?d spdx:checksum/spdx:checksumValue ?v . ?g prov:wasAttributedTo ?p " + \
        " ".join(f"OPTIONAL {{ ?x{i} a {p}nothing }}" for i, p in enumerate(named)) + " }"
    response = httpx.get(live_server.url + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text


def test_sparql_malformed_query_is_400_with_parser_message(live_server):
    response = httpx.get(live_server.url + "/sparql", params={"query": "SELECT WHERE {"})
    assert response.status_code == 400
    assert response.json()["title"] == "Malformed query"
    assert "error" in response.json()["detail"]


def test_api_plans(live_server):
    body = httpx.get(live_server.url + "/api/plans").json()
    assert body["total"] == 7
    assert {"id", "source", "title", "doc_type", "issuer", "region", "date"} <= set(body["items"][0])
    one = httpx.get(live_server.url + "/api/plans/" + body["items"][0]["source"])
    assert one.status_code == 200 and one.json()["id"] == body["items"][0]["id"]
    assert httpx.get(live_server.url + "/api/plans/nope.txt").status_code == 404
    assert httpx.get(live_server.url + "/api/plans", params={"limit": "many"}).status_code == 422


def test_graph_page_is_self_contained(live_server):
    response = httpx.get(live_server.url + "/graph", params={"limit": 60}, timeout=60)
    assert response.status_code == 200
    page = response.text
    assert "new vis.Network" in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", page), "page must not load from the internet"
    assert int(response.headers["x-nodes-shown"]) == 60
    assert int(response.headers["x-nodes-hidden"]) > 0
    # vis-network comes from this server, once for every page, not inlined into each (700 KB).
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/graph/assets/[^"]+)"', page)
    assert {a.rsplit("/", 1)[1] for a in assets} == {"utils.js", "vis-network.css", "vis-network.min.js"}
    for asset in assets:
        served = httpx.get(live_server.url + asset)
        assert served.status_code == 200 and len(served.content) > 1000 and "max-age" in served.headers["cache-control"]
    assert "vis-network" in httpx.get(live_server.url + "/graph/assets/vis-network.min.js").text
    assert httpx.get(live_server.url + "/graph/assets/..%2F..%2Fnetwork.py").status_code == 404
    assert len(response.content) < 300_000


def test_openapi_docs(live_server):
    docs = httpx.get(live_server.url + "/docs")
    assert docs.status_code == 200
    assert not re.search(r"(src|href)=[\"']https?://", docs.text), "Swagger UI must work offline"
    for asset in re.findall(r"(?:src|href)=[\"'](/static/swagger/[^\"']+)", docs.text):
        assert httpx.get(live_server.url + asset).status_code == 200
    paths = httpx.get(live_server.url + "/openapi.json").json()["paths"]
    assert {"/health", "/sparql", "/api/plans", "/graph", "/api/targets", "/api/search"} <= set(paths)


def graph_nodes(page: str) -> list[dict]:
    """The node list pyvis wrote into the page."""
    import json

    match = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S)
    assert match, "no node data in the page"
    return json.loads(match.group(1))


def test_graph_page_filters_by_plan_and_type(live_server):
    plans = httpx.get(live_server.url + "/api/plans").json()["items"]
    source = plans[0]["source"]
    response = httpx.get(live_server.url + "/graph", params={"plan": source, "kind": ["Section", "Document"], "limit": 2000}, timeout=60)
    assert response.status_code == 200
    nodes = graph_nodes(response.text)
    assert {n["group"] for n in nodes} <= {"Section", "Document"} and nodes
    assert int(response.headers["x-nodes-hidden"]) == 0
    sections = httpx.get(f"{live_server.url}/api/plans/{source}").json()["counts"]["Section"]
    assert sum(n["group"] == "Section" for n in nodes) == sections
    # The filter form shows the choice it was drawn with.
    assert re.search(rf'<input name="plan" id="f-plan" list="f-plans" value="{re.escape(source)}"', response.text)
    assert 'value="Section" checked' in response.text
    # The same plan named by its document's IRI or its graph's IRI; any other name is unknown.
    for key in (plans[0]["id"], plans[0]["id"].replace("/id/doc/", "/graph/doc/")):
        same = httpx.get(live_server.url + "/graph", params={"plan": key, "kind": ["Section", "Document"], "limit": 2000}, timeout=60)
        assert same.status_code == 200 and len(graph_nodes(same.text)) == len(nodes)
    for key in ("nope.txt", "https://w3id.org/mskg/id/doc/nope.txt", 'a"b <c>'):
        assert httpx.get(live_server.url + "/graph", params={"plan": key}, timeout=60).status_code == 404


def test_graph_page_suggests_plans(live_server):
    """The plan box suggests every plan while there are few (a bounded list where there are many)."""
    plans = httpx.get(live_server.url + "/api/plans").json()["items"]
    page = httpx.get(live_server.url + "/graph", params={"limit": 5}, timeout=60).text
    datalist = re.findall(r'<datalist id="f-plans">(.*?)</datalist>', page, re.S)[0]
    suggested = re.findall(r'<option value="([^"]+)">', datalist)
    assert suggested == sorted(p["source"] for p in plans)
    assert re.search(r'<input name="plan" id="f-plan" list="f-plans" value=""', page)


def test_graph_page_area_filter_and_empty_result(live_server):
    empty = httpx.get(live_server.url + "/graph", params={"area": "https://w3id.org/mskg/id/nothing-here"}, timeout=60)
    assert empty.status_code == 200 and int(empty.headers["x-nodes-shown"]) == 0
    assert 'id="mskg-empty"' in empty.text
    page = httpx.get(live_server.url + "/graph", params={"limit": 5}, timeout=60).text
    areas = re.findall(r'<select name="area" id="f-area">(.*?)</select>', page, re.S)[0]
    choices = re.findall(r'<option value="([^"]+)"', areas)
    if not choices:
        return  # no plan links to a policy area yet
    near = httpx.get(live_server.url + "/graph", params={"area": choices[0], "limit": 2000}, timeout=60)
    assert near.status_code == 200 and 0 < int(near.headers["x-nodes-shown"]) < len(graph_nodes(httpx.get(live_server.url + "/graph", params={"limit": 2000}, timeout=60).text))


def test_graph_page_handles_large_limits_without_scipy(live_server):
    response = httpx.get(live_server.url + "/graph", params={"limit": 1200}, timeout=120)
    assert response.status_code == 200
    assert int(response.headers["x-nodes-shown"]) == len(graph_nodes(response.text)) > 499
