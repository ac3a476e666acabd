"""Topic search, topic counts and obligation listings over a store built in the test, and their router."""

from __future__ import annotations

import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.routers.concepts import router
from kg.search import obligations, resolve_query, search, topics
from kg.store import load_ontology, memory_store
from loaders.pipeline import read_document
from loaders.to_rdf import graph_iri, to_triples

# Three small plans written for these tests.
PLANS = {
    "plan_lift.txt": (
        "苏州市姑苏区市场监管“十四五”规划\n"
        "一、特种设备安全\n"
        "全面排查老旧电梯安全隐患,推进电梯按需维保,开展气瓶充装单位专项检查。\n"
        "督促特种设备使用单位落实安全主体责任。\n"
        "二、食品安全\n"
        "坚持最严谨的标准、最严格的监管、最严厉的处罚、最严肃的问责,守护群众餐桌安全。\n"
        "三、知识产权\n"
        "支持农产品申请地理标志,培育区域公用品牌。\n"
    ),
    "plan_boiler.txt": (
        "无锡市梁溪区市场监管工作要点\n"
        "一、加强特种设备安全监管,开展锅炉能效测试。\n"
        "二、严厉打击传销和网络传销活动,落实公平竞争审查制度。\n"
        "三、加强商标注册指导。\n"
    ),
    "plan_price.txt": (
        "南京市玄武区市场监管工作要点\n"
        "一、加强价格监督检查,规范涉企收费行为,严查哄抬价格。\n"
        "二、深化“证照分离”改革,推行告知承诺制。\n"
    ),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    store = memory_store()
    load_ontology(store)
    for name, text in PLANS.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        doc = read_document(path)
        store.replace_graph(graph_iri(doc.source), to_triples(doc))
    return store


def sources(answer: dict) -> list[str]:
    return [result["source"] for result in answer["results"]]


# ------------------------------------------------------------------ query resolution


def test_queries_resolve_to_concepts():
    assert resolve_query("电梯") == ["elevator"]
    assert resolve_query("地理标识") == ["geographical_indication"]
    assert resolve_query("special_equipment") == ["special_equipment"]
    assert resolve_query("Elevator safety") == ["elevator"]
    assert resolve_query("pyramid selling") == ["pyramid_selling"]
    assert resolve_query("老旧电梯改造工作") == ["elevator"]
    assert resolve_query("双随机，一公开") == ["double_random_one_public"]
    assert resolve_query("zzzz unknown words") == []


# ------------------------------------------------------------------ search


def test_chinese_query_returns_plans_with_evidence(store):
    answer = search(store, "电梯")
    assert answer["query"] == "电梯"
    assert [c["id"] for c in answer["concepts"]] == ["elevator"]
    assert sources(answer) == ["plan_lift.txt"]
    evidence = answer["results"][0]["evidence"][0]
    text = PLANS["plan_lift.txt"]
    assert text[evidence["start"]:evidence["end"]] == evidence["text"]
    assert "电梯" in evidence["text"]


def test_narrower_counts_for_broader_but_not_the_reverse(store):
    assert set(sources(search(store, "特种设备"))) == {"plan_lift.txt", "plan_boiler.txt"}
    assert sources(search(store, "锅炉")) == ["plan_boiler.txt"]
    assert "plan_boiler.txt" not in sources(search(store, "电梯"))  # it names 特种设备 only


def test_synonym_finds_the_other_spelling(store):
    answer = search(store, "地理标识")
    assert sources(answer) == ["plan_lift.txt"]
    assert "地理标志" in answer["results"][0]["evidence"][0]["text"]


def test_english_queries(store):
    assert sources(search(store, "elevator safety")) == ["plan_lift.txt"]
    assert sources(search(store, "pyramid selling")) == ["plan_boiler.txt"]
    assert sources(search(store, "price supervision")) == ["plan_price.txt"]


def test_doctrine_spelled_out_without_its_name(store):
    answer = search(store, "四个最严")
    assert sources(answer) == ["plan_lift.txt"]
    assert "最严肃的问责" in answer["results"][0]["evidence"][0]["text"]
    assert answer["concepts"][0]["definition"]["en"]


def test_topic_absent_from_a_plan(store):
    assert search(store, "疫苗")["results"] == []
    assert "plan_price.txt" not in sources(search(store, "商标"))
    assert search(store, "no such topic")["concepts"] == []


def test_ranking_and_paging(store):
    answer = search(store, "特种设备", limit=1)
    assert len(answer["results"]) == 1
    second = search(store, "特种设备", limit=1, offset=1)
    assert sources(second) != sources(answer)
    full = search(store, "特种设备")
    scores = [r["score"] for r in full["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_is_fast_on_a_warm_store(store):
    search(store, "特种设备")
    started = time.perf_counter()
    for _ in range(20):
        search(store, "特种设备")
    assert (time.perf_counter() - started) / 20 < 0.05


# ------------------------------------------------------------------ topics and obligations


def test_topics_count_plans(store):
    answer = topics(store)
    schemes = {s["id"]: s for s in answer["schemes"]}
    assert set(schemes) == {"policy_area", "mandate", "regulated_party"}
    areas = {c["id"]: c for c in schemes["policy_area"]["concepts"]}
    special = areas["special_equipment"]
    narrower = {c["id"]: c for c in special["narrower"]}
    assert narrower["elevator"]["plans"] == 1
    assert narrower["boiler"]["plans"] == 1
    assert areas["price"]["plans"] == 1
    assert areas["drug"]["plans"] == 0


# The definition topics() must keep: one ms:ConceptUsage with ms:mentionCount per plan that
# mentions the concept itself, its mentions summed (what it read before it derived the counts).
EVERY_USAGE = """
SELECT ?c (COUNT(?u) AS ?plans) (SUM(?n) AS ?mentions) WHERE {
  ?u <https://w3id.org/mskg/ontology#mentionCount> ?n ; <http://purl.org/dc/terms/subject> ?c .
} GROUP BY ?c"""


def _flatten(concepts: list[dict]) -> dict[str, tuple[int, int]]:
    found = {}
    for concept in concepts:
        found[concept["id"]] = (concept["plans"], concept["mentions"])
        found.update(_flatten(concept["narrower"]))
    return found


def test_topic_counts_are_those_of_every_usage(store):
    expected = {
        row["c"].value.rsplit("/", 1)[-1]: (int(row["plans"].value), int(row["mentions"].value))
        for row in store.query(EVERY_USAGE)
    }
    shown = {}
    for scheme in topics(store)["schemes"]:
        shown.update(_flatten(scheme["concepts"]))
    assert {cid: counts for cid, counts in shown.items() if counts != (0, 0)} == expected
    # special_equipment is mentioned itself and through narrower ones (电梯, 锅炉): the derived case
    assert shown["special_equipment"][0] == 2 and shown["elevator"][0] == 1
    assert shown["special_equipment"][1] >= 2


def test_obligations_filtered_by_bearer_area_and_plan(store):
    duties = obligations(store, bearer="special_equipment_user")["results"]
    assert len(duties) == 1
    assert duties[0]["source"] == "plan_lift.txt"
    assert duties[0]["action"] == "落实"
    assert duties[0]["area"] == "special_equipment"
    text = PLANS["plan_lift.txt"]
    assert text[duties[0]["start"]:duties[0]["end"]] == duties[0]["text"]
    priced = obligations(store, area="price")["results"]
    assert priced and {d["source"] for d in priced} == {"plan_price.txt"}
    assert all(d["source"] == "plan_boiler.txt" for d in obligations(store, plan="plan_boiler.txt")["results"])
    assert obligations(store, bearer="特种设备使用单位")["results"] == duties
    assert len(obligations(store, limit=2)["results"]) == 2


# ------------------------------------------------------------------ router


@pytest.fixture(scope="module")
def client(store):
    app = FastAPI()
    app.include_router(router)
    app.state.store = store
    return TestClient(app)


def test_router_search(client):
    response = client.get("/api/search", params={"q": "电梯"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"query", "concepts", "results"}
    assert body["results"][0]["source"] == "plan_lift.txt"
    assert set(body["results"][0]) >= {"plan", "source", "title", "region", "score", "evidence"}


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "电梯", "limit": 0}, {"q": "电梯", "limit": "x"}, {"q": "电梯", "offset": -1}])
def test_router_rejects_bad_parameters(client, params):
    assert client.get("/api/search", params=params).status_code == 422


def test_router_topics_and_obligations(client):
    assert client.get("/api/topics").status_code == 200
    response = client.get("/api/obligations", params={"bearer": "special_equipment_user"})
    assert response.status_code == 200 and len(response.json()["results"]) == 1
    assert client.get("/api/obligations", params={"modality": "maybe"}).status_code == 422
    assert client.get("/api/obligations", params={"limit": 0}).status_code == 422
    odd = client.get("/api/obligations", params={"bearer": '"} UNION { ?s ?p ?o'})
    assert odd.status_code == 200 and odd.json()["results"] == []
    # a plan is a source name or one of our IRIs: anything else names no plan, and never reaches a query raw
    foreign = client.get("/api/obligations", params={"plan": "http://x> } { ?s ?p ?o"})
    assert foreign.status_code == 200 and foreign.json()["results"] == []
    assert client.get("/api/obligations", params={"plan": "https://w3id.org/mskg/id/doc/x> } { ?s ?p ?o"}).status_code == 422


def test_router_without_store_says_so():
    app = FastAPI()
    app.include_router(router)
    response = TestClient(app).get("/api/search", params={"q": "电梯"})
    assert response.status_code == 503
