"""/api/targets and /api/indicators against a live server over the seeds and samples."""

from __future__ import annotations

import httpx
import pytest

from kg.targets import TargetFilter, filter_patterns
from loaders.to_rdf.vocab import doc_iri, graph_iri

FIELDS = {"id", "kind", "indicator", "indicator_id", "value", "value_max", "unit", "comparator", "year", "per_year",
          "forecast", "area", "region", "plan", "source", "title", "text", "start", "end", "status"}


def get(server, path, **params):
    return httpx.get(server.url + path, params=params, timeout=30)


def test_targets_have_every_field_and_a_span_into_the_text(live_server, seeds_dir):
    body = get(live_server, "/api/targets", limit=200).json()
    assert body["total"] >= 300  # the seeds hold 374 gold statements
    for item in body["items"]:
        assert FIELDS <= set(item)
        text = (seeds_dir / item["source"]).read_text(encoding="utf-8") if (seeds_dir / item["source"]).exists() else None
        if text is not None:
            assert text[item["start"]:item["end"]] == item["text"]


def test_filters_select_what_they_say(live_server):
    targets = get(live_server, "/api/targets", kind="target", area="food_safety", limit=500).json()["items"]
    assert targets and all(t["kind"] == "target" and t["area"] == "food_safety" for t in targets)
    weihai = get(live_server, "/api/targets", region="威海", limit=500).json()
    by_code = get(live_server, "/api/targets", region="371000", limit=500).json()
    assert weihai["total"] > 0 and weihai["total"] == by_code["total"]
    assert all("威海" in t["region"] for t in weihai["items"])
    nowhere = get(live_server, "/api/targets", region="无此地名", limit=5)
    assert nowhere.status_code == 200 and nowhere.json() == {"total": 0, "limit": 5, "offset": 0, "items": []}
    by_name = get(live_server, "/api/targets", indicator="抽检", limit=500).json()["items"]
    assert by_name and any("抽检" in t["indicator"] for t in by_name)
    in_2025 = get(live_server, "/api/targets", year=2025, limit=500).json()["items"]
    assert in_2025 and all(t["year"] == 2025 for t in in_2025)
    one_plan = get(live_server, "/api/targets", plan="004_6bf8faf1511a7dd9.txt", limit=500).json()["items"]
    assert one_plan and {t["source"] for t in one_plan} == {"004_6bf8faf1511a7dd9.txt"}
    # the plan by its IRI or its graph's IRI, as the plan list and the SPARQL endpoint show them
    for iri in (doc_iri("004_6bf8faf1511a7dd9.txt").value, graph_iri("004_6bf8faf1511a7dd9.txt").value):
        assert get(live_server, "/api/targets", plan=iri, limit=500).json()["items"] == one_plan, iri


def test_pages_do_not_overlap(live_server):
    first = get(live_server, "/api/targets", limit=20, offset=0).json()
    second = get(live_server, "/api/targets", limit=20, offset=20).json()
    assert first["total"] == second["total"]
    assert not {t["id"] for t in first["items"]} & {t["id"] for t in second["items"]}


@pytest.mark.parametrize(
    "params", [{"year": "soon"}, {"kind": "wish"}, {"area": "Food Safety!"}, {"limit": 0}, {"offset": -1}]
)
def test_bad_parameters_are_422_problems(live_server, params):
    response = get(live_server, "/api/targets", **params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_one_indicator_across_plans_and_regions(live_server):
    found = get(live_server, "/api/targets", indicator="食品抽检量", kind="target", limit=100).json()["items"]
    assert found
    detail = get(live_server, "/api/indicators/" + found[0]["indicator_id"]).json()
    assert len(detail["plans"]) >= 3 and len(detail["regions"]) >= 3
    assert all(t["kind"] == "target" for t in detail["targets"])
    values = detail["targets"] + detail["progress"] + detail["baselines"]
    assert detail["total"] == len(values) >= 3
    # a page of values; plans and regions still cover every value
    first = get(live_server, "/api/indicators/" + found[0]["indicator_id"], limit=1).json()
    second = get(live_server, "/api/indicators/" + found[0]["indicator_id"], limit=1, offset=1).json()
    for page in (first, second):
        assert page["total"] == detail["total"] and page["limit"] == 1
        assert len(page["targets"] + page["progress"] + page["baselines"]) == 1
        assert page["plans"] == detail["plans"] and page["regions"] == detail["regions"]
    ids = [(p["targets"] + p["progress"] + p["baselines"])[0]["id"] for p in (first, second)]
    assert ids[0] != ids[1] and set(ids) <= {v["id"] for v in values}
    assert get(live_server, "/api/indicators/" + found[0]["indicator_id"], limit=0).status_code == 422
    by_key = get(live_server, "/api/indicators/" + detail["label"])
    assert by_key.status_code == 200 and by_key.json()["id"] == detail["id"]
    assert get(live_server, "/api/indicators/no-such-indicator").status_code == 404


def test_user_input_cannot_break_out_of_the_query():
    patterns = filter_patterns(TargetFilter(region='"} } DROP ALL #', indicator="a\\\"b"))
    assert '\\"} } DROP ALL #' in patterns
    with pytest.raises(ValueError):
        filter_patterns(TargetFilter(plan="https://w3id.org/mskg/id/doc/x> } #"))


def _definition(f: TargetFilter, resolved: dict) -> str:
    """The count the filter means, written the plain way: every statement, each filter one pattern."""
    parts = ["?obs a ms:Observation ."]
    if f.area:
        parts.append(f"?obs ms:policyArea <https://w3id.org/mskg/id/concept/{f.area}> .")
    if f.year is not None:
        parts.append(f'?obs ms:refYear "{f.year}"^^xsd:gYear .')
    if f.kind:
        parts.append(f'?obs ms:statementKind "{f.kind}" .')
    if f.plan:
        parts.append(f"?obs ms:inDocument <{f.plan}> .")
    if f.indicator:
        indicators = resolved.get("indicators") or [f.indicator]
        parts.append(f"VALUES ?i {{ {' '.join(f'<{i}>' for i in indicators)} }} ?obs ms:indicator ?i .")
    if f.region:
        parts.append(
            f"VALUES ?r {{ {' '.join(f'<{r}>' for r in resolved['regions'])} }} {{ ?obs ms:refArea ?r }} UNION "
            "{ ?obs ms:inDocument ?d . ?d ms:region ?r FILTER NOT EXISTS { ?obs ms:refArea ?x } }"
        )
    return "SELECT (COUNT(DISTINCT ?obs) AS ?n) WHERE { %s }" % " ".join(parts)


def test_counts_match_the_plain_definition(corpus_store):
    """count_targets leaves out the type where a filter implies it, reaches a plan's statements
    through its datasets and hash-joins broad filters; it must still count exactly the statements
    the plain definition does, and a page must hold only such statements."""
    from kg.queries import rows
    from kg.store import OxigraphStore
    from kg.targets import count_query, count_targets, list_targets, resolve_names

    store = OxigraphStore(corpus_store, read_only=True)
    try:
        years = sorted({r["y"] for r in rows(store.query("SELECT DISTINCT (STR(?year) AS ?y) WHERE { ?o ms:refYear ?year }"))})
        indicator = rows(store.query("SELECT ?i WHERE { ?o a ms:Observation ; ms:indicator ?i } LIMIT 1"))[0]["i"]
        plan = rows(store.query("SELECT ?d (COUNT(?o) AS ?n) WHERE { ?o a ms:Observation ; ms:inDocument ?d } "
                                "GROUP BY ?d ORDER BY DESC(?n) LIMIT 1"))[0]["d"]
        cases = [TargetFilter(year=int(y)) for y in years] + [
            TargetFilter(kind="progress"), TargetFilter(kind="target", year=2025), TargetFilter(indicator=indicator),
            TargetFilter(indicator="合格率"), TargetFilter(area="food_safety", year=2025), TargetFilter(region="威海"),
            TargetFilter(area="food_safety"), TargetFilter(area="food_safety", kind="target", year=2025),
            TargetFilter(plan=plan), TargetFilter(plan=plan, area="food_safety"), TargetFilter(region="威海", kind="target"),
            TargetFilter(region="江西", area="food_safety"), TargetFilter(),
        ]
        assert len(years) >= 3
        hash_joined = 0
        for f in cases:
            resolved = resolve_names(store, f)
            expected = rows(store.query(_definition(f, resolved)))[0]["n"]
            assert count_targets(store, f, resolved) == expected, f
            hash_joined += "SELECT ?obs" in count_query(f, resolved)
            page = list_targets(store, f, limit=expected + 1, resolved=resolved, total=expected)
            assert len(page["items"]) == expected, f
        assert hash_joined >= 3  # the broad filters without a narrow one took the sub-select form
        assert sum(count_targets(store, TargetFilter(year=int(y))) for y in years) > 0
        assert count_targets(store, TargetFilter(plan=plan, area="food_safety")) > 0
    finally:
        store.close()


def test_a_statement_without_its_own_region_counts_for_its_plans_region():
    """The region filter's second branch: a statement naming no region (no ms:refArea) belongs
    to its plan's region, reached through the plan's datasets."""
    from kg.store import OxigraphStore
    from kg.targets import count_targets, list_targets, resolve_names
    from loaders.pipeline import read_bytes
    from loaders.to_rdf import graph_iri, to_triples
    from loaders.to_rdf.vocab import MS

    text = "威海市市场监管“十四五”规划\n\n一、主要目标\n到2025年，食品安全评价性抽检合格率达到98%以上，新增市场主体10万户。\n"
    doc = read_bytes(text.encode(), "weihai.txt")
    assert len(doc.statements) == 2 and doc.region is not None
    triples = to_triples(doc)
    with_region = [t for t in triples if t[1] == MS.refArea]
    assert len(with_region) == 2
    store = OxigraphStore()
    try:
        store.replace_graph(graph_iri(doc.source), [t for t in triples if t is not with_region[0]])
        for f, expected in [(TargetFilter(region="威海"), 2), (TargetFilter(region="威海", kind="target"), 2),
                            (TargetFilter(region="371000", year=2025), 2), (TargetFilter(region="济南"), 0)]:
            resolved = resolve_names(store, f)
            assert count_targets(store, f, resolved) == expected, f
            assert len(list_targets(store, f, resolved=resolved)["items"]) == expected, f
    finally:
        store.close()
