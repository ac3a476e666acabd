"""The HTTP service, tested against a real uvicorn process on a free localhost port."""

from __future__ import annotations

import re

import httpx

COUNT = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d ms:sourceFile ?s }"


def test_health(live_server):
    assert httpx.get(live_server.url + "/health").json() == {"status": "ok"}


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
    assert "vis-network" in page and "new vis.Network" in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", page), "page must not load from the internet"
    assert int(response.headers["x-nodes-shown"]) == 60
    assert int(response.headers["x-nodes-hidden"]) > 0


def test_openapi_docs(live_server):
    assert httpx.get(live_server.url + "/docs").status_code == 200
    paths = httpx.get(live_server.url + "/openapi.json").json()["paths"]
    assert {"/health", "/sparql", "/api/plans", "/graph"} <= set(paths)
