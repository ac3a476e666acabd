"""Shared entities across plans: each route lists a thing once, counts distinct facts, gives one label.

A region, an agency, an indicator or a concept has one IRI for every plan, and each plan's graph
that names it carries its labels again. A query over the union of graphs that joins such a label
(or any attribute of a shared entity) therefore yields a row per plan naming the entity. Three
short plans of our own wording, from three cities of one province, name the same indicator
(食品安全抽检合格率, a percent target), the same provincial agency and the same policy area;
every JSON route and the kg functions behind the pages are checked against plain definitions
(COUNT(DISTINCT ...)) on the same store.
"""

from __future__ import annotations

import re
from collections import Counter

import httpx
import pytest

from conftest import LiveServer
from kg.queries import rows

PLANS = {
    "jinan_2024.txt": """济南市市场监督管理局2024年食品安全工作要点

一、夯实食品安全基础
（一）强化抽检监测。山东省市场监督管理局统筹部署，济南市市场监督管理局组织实施食品安全抽检，到2024年底食品安全抽检合格率达到98%以上。
（二）压实主体责任。食品生产经营者应当落实食品安全主体责任，2024年底前完成风险自查。
（三）2023年全市食品安全抽检合格率为97.5%。

二、加强特种设备安全
（一）开展电梯安全专项检查，电梯定期检验率达到100%。
""",
    "qingdao_2024.txt": """青岛市市场监督管理局2024年工作要点

一、守住食品安全底线
（一）抽检提质。按照山东省市场监督管理局的统一安排，开展食品安全抽检，食品安全抽检合格率稳定在98%以上。
（二）食品经营者应当建立进货查验制度，2025年底前实现全覆盖。
（三）2023年食品安全抽检合格率为98.2%。

二、优化营商环境
（一）企业开办时间压缩至1个工作日以内。
""",
    "yantai_2024.txt": """烟台市市场监督管理局2024年工作要点

一、食品安全
（一）全面推进食品安全抽检，到2025年食品安全抽检合格率不低于98.5%。山东省市场监督管理局将开展督导检查。
（二）餐饮服务提供者应当落实食品安全主体责任，2025年底前完成自查。

二、质量提升
（一）开展电梯安全专项检查，电梯定期检验率达到100%。
""",
}
PROVINCE_AGENCY = "山东省市场监督管理局"
INDICATOR = "抽检合格率"  # part of the shared indicator's names (食品抽检合格率, 食品安全抽检合格率)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    from kg.ingest import ingest
    from kg.store import OxigraphStore

    folder = tmp_path_factory.mktemp("shared-plans")
    for name, text in PLANS.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = tmp_path_factory.mktemp("shared-store") / "store"
    store = OxigraphStore(path)
    try:
        report = ingest(store, [folder], jobs=1)
    finally:
        store.close()
    assert not report.errors and len(report.loaded) == len(PLANS)
    return path


@pytest.fixture(scope="module")
def store(shared_store):
    from kg.store import OxigraphStore

    opened = OxigraphStore(shared_store, read_only=True)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def server(shared_store):
    live = LiveServer(shared_store)
    yield live
    live.stop()


def get(server, path: str, **params):
    response = httpx.get(server.url + path, params=params, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def count(store, sparql: str) -> int:
    return rows(store.query(sparql))[0]["n"]


def duplicates(values) -> dict:
    return {value: n for value, n in Counter(values).items() if n > 1}


def test_the_plans_share_their_entities(store):
    """The hazard is real in this store: the shared nodes are labelled in all three plans' graphs,
    and a label join over the union repeats each statement of the indicator once per plan."""
    for name in (PROVINCE_AGENCY, "山东省"):
        graphs = count(store, f'SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?x skos:prefLabel "{name}"@zh }} }}')
        assert graphs == 3, name
    plain = count(store, f"""SELECT (COUNT(*) AS ?n) WHERE {{ ?o ms:indicator ?i . ?i skos:prefLabel ?l
                              FILTER(CONTAINS(?l, "{INDICATOR}")) }}""")
    distinct = count(store, f"""SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?o ms:indicator ?i . ?i skos:prefLabel ?l
                                 FILTER(CONTAINS(?l, "{INDICATOR}")) }}""")
    assert distinct >= 5 and plain == 3 * distinct


OBSERVATIONS = "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?o a ms:Observation {more} }}"
OBLIGATIONS = "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?o a ms:Obligation {more} }}"
AGENCIES = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ VALUES ?c {{ ms:Agency org:Organization org:FormalOrganization }} {more} }}"
NAMED_BEARER = ("; odrl:assignee ?b FILTER EXISTS {{ ?b skos:prefLabel|skos:altLabel ?l FILTER(CONTAINS(STR(?l), \"{name}\")) }}")

# (route, parameters, list key, id key, the plain definition of what it lists)
ROUTES = [
    ("/api/plans", {}, "items", "id", "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d ms:sourceFile ?s }"),
    ("/api/plans", {"region": "济南"}, "items", "id",
     'SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d ms:region/skos:prefLabel ?r FILTER(CONTAINS(?r, "济南")) }'),
    ("/api/agencies", {}, "items", "id", AGENCIES.format(more="?a a ?c")),
    ("/api/agencies", {"q": "山东"}, "items", "id",
     AGENCIES.format(more='?a a ?c ; skos:prefLabel ?l FILTER(CONTAINS(?l, "山东"))')),
    ("/api/agencies", {"plan": "yantai_2024.txt"}, "items", "id",
     AGENCIES.format(more='GRAPH ?g { ?d ms:sourceFile "yantai_2024.txt" . ?a a ?c }')),
    ("/api/targets", {}, "items", "id", OBSERVATIONS.format(more="")),
    ("/api/targets", {"indicator": INDICATOR}, "items", "id",
     OBSERVATIONS.format(more=f'; ms:indicator ?i FILTER EXISTS {{ ?i skos:prefLabel|skos:altLabel ?l FILTER(CONTAINS(?l, "{INDICATOR}")) }}')),
    ("/api/targets", {"area": "food_safety", "kind": "target"}, "items", "id",
     OBSERVATIONS.format(more='; ms:policyArea <https://w3id.org/mskg/id/concept/food_safety> ; ms:statementKind "target"')),
    ("/api/targets", {"region": "3706"}, "items", "id", OBSERVATIONS.format(more="; ms:refArea <https://w3id.org/mskg/id/region/370600>")),
    ("/api/obligations", {}, "results", "obligation", OBLIGATIONS.format(more="")),
    ("/api/obligations", {"bearer": PROVINCE_AGENCY}, "results", "obligation", OBLIGATIONS.format(more=NAMED_BEARER.format(name=PROVINCE_AGENCY))),
    ("/api/obligations", {"bearer": "市场监督管理局"}, "results", "obligation", OBLIGATIONS.format(more=NAMED_BEARER.format(name="市场监督管理局"))),
    ("/api/obligations", {"area": "food_safety"}, "results", "obligation",
     OBLIGATIONS.format(more="; ms:policyArea <https://w3id.org/mskg/id/concept/food_safety>")),
    ("/api/search", {"q": "食品安全"}, "results", "plan",
     "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d <https://w3id.org/mskg/id/score/food_safety> ?s }"),
]


@pytest.mark.parametrize("path, params, key, id_key, definition", ROUTES, ids=[f"{r[0]}{r[1] or ''}" for r in ROUTES])
def test_routes_list_each_fact_once_and_count_distinct_facts(server, store, path, params, key, id_key, definition):
    limit = {"limit": 100}
    body = get(server, path, **limit, **params)
    listed = [item[id_key] for item in body[key]]
    expected = count(store, definition)
    assert expected > 0, "the fixture must give this route something to list"
    assert not duplicates(listed)
    assert len(listed) == expected
    if "total" in body:
        assert body["total"] == expected


def test_each_shared_entity_has_one_label_and_counts_its_plans_once(server, store):
    agencies = {a["label"]: a for a in get(server, "/api/agencies", plans_limit=100)["items"]}
    province = agencies[PROVINCE_AGENCY]
    assert province["plans_total"] == 3 and province["plans"] == sorted(PLANS)
    assert all(isinstance(a["label"], str) and CJK.search(a["label"]) for a in agencies.values())

    targets = get(server, "/api/targets", indicator=INDICATOR, limit=100)["items"]
    assert all(isinstance(t["indicator"], str) and isinstance(t["region"], str) for t in targets)
    detail = get(server, "/api/indicators/" + targets[0]["indicator_id"])
    values = detail["targets"] + detail["progress"] + detail["baselines"]
    assert isinstance(detail["label"], str) and not duplicates(detail["names"])
    assert detail["total"] == len(values) == len({v["id"] for v in values}) == count(
        store, f"SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?o ms:indicator <{detail['id']}> }}")
    assert len(detail["plans"]) == 3 and not duplicates(detail["plans"])
    assert sorted(detail["regions"]) == ["济南市", "烟台市", "青岛市"]

    for obligation in get(server, "/api/obligations", limit=500)["results"]:
        if obligation["bearer"] is not None:  # one label, the Chinese one, for agencies and regulated parties alike
            assert isinstance(obligation["bearer_label"], str) and CJK.search(obligation["bearer_label"]), obligation

    def walk(nodes):
        for node in nodes:
            yield node
            yield from walk(node["narrower"])

    concepts = {c["id"]: c for scheme in get(server, "/api/topics")["schemes"] for c in walk(scheme["concepts"])}
    for cid in ("food_safety", "food_sampling", "elevator"):
        iri = f"<https://w3id.org/mskg/id/concept/{cid}>"
        assert concepts[cid]["plans"] == count(store, f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d ms:sourceFile ?s ; dct:subject {iri} }}")
        assert concepts[cid]["mentions"] == count(store, f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m a ms:Mention ; oa:hasBody {iri} }}")
    assert concepts["food_safety"]["plans"] == 3


@pytest.mark.parametrize("source", sorted(PLANS))
def test_a_plans_annotations_name_each_shared_node_once(server, store, source):
    text = get(server, f"/api/plans/{source}/text")
    assert not duplicates(a["id"] for a in text["annotations"])
    assert text["total"] == len(text["annotations"]) == sum(text["kinds"].values())
    for annotation in text["annotations"]:
        for name, values in (annotation["properties"] or {}).items():
            assert not duplicates(str(v) for v in values), (annotation["id"], name)
            for value in values:
                if isinstance(value, dict) and "/id/agency/" in value["id"]:
                    assert isinstance(value["label"], str) and CJK.search(value["label"])
    plan = get(server, f"/api/plans/{source}")
    graph = plan["graph"]
    assert plan["counts"]["Observation"] == count(store, f"SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?o a ms:Observation }} }}")
    assert isinstance(plan["region"], str) and isinstance(plan["issuer"], str)


def test_the_network_links_each_plan_to_a_shared_node_once(store):
    from kg.network import Backbone, policy_areas, to_networkx

    graph = to_networkx(store)
    links = Counter((s, o, data["predicate"]) for s, o, data in graph.edges(data=True))
    assert not duplicates(links.elements())
    degrees = Backbone.read(store).degrees(store)
    assert {node: graph.degree(node) for node in graph} == {node: degrees[node] for node in graph}
    indicators = [n for n, data in graph.nodes(data=True) if data["kind"] == "Indicator" and INDICATOR in data["label"]]
    assert len(indicators) == 1 and graph.in_degree(indicators[0]) == 3
    areas = policy_areas(store)
    assert not duplicates(iri for iri, _ in areas) and all(CJK.search(label) for _, label in areas)


# --- Bugs found by the audit: each test failed before its fix --------------------------------------


@pytest.mark.parametrize("selected", [{"indicator": INDICATOR}, {"indicator": "合格率", "kind": "target"}, {"region": "3701"}],
                         ids=["indicator", "indicator+kind", "region-code"])
def test_names_matched_inside_the_query_list_each_statement_once(store, selected):
    """kg.targets with no names resolved beforehand (resolved={}) matched them by joining the
    labels over the union: a statement came back once per matching label in every plan's graph
    (10 items for a total of 5), where resolving the names first gave each once."""
    from kg.targets import TargetFilter, list_targets

    f = TargetFilter(**selected)
    inside = list_targets(store, f, resolved={}, limit=100)
    resolved = list_targets(store, f, limit=100)
    ids = [t["id"] for t in inside["items"]]
    assert not duplicates(ids)
    assert inside["total"] == len(ids) == resolved["total"] > 0
    assert set(ids) == {t["id"] for t in resolved["items"]}


def test_the_bearer_example_names_each_bearer_once_in_chinese(store):
    """The query page's "Obligations by bearer" picked a label with SAMPLE over every prefLabel: a
    regulated party's English one as often as its Chinese one (food business operators)."""
    from api.routers.pages import EXAMPLE_QUERIES

    query = next(q for name, q in EXAMPLE_QUERIES if "bearer" in name)
    found = rows(store.query(query))
    expected = count(store, "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?o odrl:assignee ?b }")
    assert len(found) == expected and sum(r["obligations"] for r in found) == count(
        store, "SELECT (COUNT(*) AS ?n) WHERE { ?o odrl:assignee ?b }")
    assert not duplicates(r["bearer"] for r in found)
    assert all(r["bearer"] and CJK.search(r["bearer"]) for r in found), [r["bearer"] for r in found]


class Recording:
    """A store that keeps the text of every query asked of it."""

    def __init__(self, store):
        self.store, self.asked = store, []

    def query(self, sparql, **kwargs):
        self.asked.append(sparql)
        return self.store.query(sparql, **kwargs)


@pytest.mark.parametrize("bearer", [PROVINCE_AGENCY, "市场监督管理局", "无此机构"])
def test_a_bearer_name_is_resolved_before_the_page_is_read(store, bearer):
    """/api/obligations?bearer=<an agency's name> joined each duty's assignee to its labels over the
    union of graphs: a row per duty and per plan naming its bearer, until a page was found. At 10,000
    plans that took 23 s for 国家市场监督管理总局 and 13 minutes for a name no agency has; the names
    are now resolved to IRIs first (0.5-0.8 s) and the page is read by index lookups."""
    from kg.search import obligations

    recording = Recording(store)
    found = [r["obligation"] for r in obligations(recording, bearer=bearer, limit=500)["results"]]
    expected = count(store, OBLIGATIONS.format(more=NAMED_BEARER.format(name=bearer)))
    assert len(found) == expected and not duplicates(found)
    joined = [q for q in recording.asked if "odrl:assignee" in q and re.search(r"prefLabel|altLabel", q)]
    assert not joined, joined[0]
