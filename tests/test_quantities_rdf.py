"""The quantities mapping: observations, datasets, deadlines, spans, shared indicators."""

from __future__ import annotations

from pyoxigraph import Quad, Store

from loaders.model import Document, Period, Region
from loaders.quantities import extract_statements
from loaders.to_rdf.quantities import quantities_triples
from loaders.to_rdf.vocab import SPARQL_PREFIXES, graph_iri

PLAN_A = """甲市市场监管“十四五”规划
二、主要目标
到2025年，全市食品抽检量达到5批次/千人，每万人口高价值发明专利拥有量达到3.0件。
全市查处违法案件罚没款达到1.2万元。
"""
PLAN_B = """乙区市场监管“十四五”规划中期评估报告
（1）2025年乙区食品抽检量达到4批次/千人。2022年全区食品抽检量为1.2批次/千人。预计到2025年食品抽检量将达到4.2批次/千人。
"""


def _document(source: str, text: str, region: str) -> Document:
    doc = Document(source=source, text=text, region=Region(region), period=Period(2021, 2025))
    doc.statements = extract_statements(doc)
    return doc


def _store(*docs: Document) -> Store:
    store = Store()
    for doc in docs:
        store.extend([Quad(s, p, o, graph_iri(doc.source)) for s, p, o in quantities_triples(doc)])
    return store


def _rows(store: Store, query: str) -> list[dict]:
    results = store.query(SPARQL_PREFIXES + query, use_default_graph_as_union=True)
    names = [v.value for v in results.variables]
    return [{name: row[name].value if row[name] is not None else None for name in names} for row in results]


def test_an_observation_carries_value_unit_comparator_deadline_and_span():
    doc = _document("a.txt", PLAN_A, "甲市")
    rows = _rows(_store(doc), """
        SELECT ?value ?unit ?cmp ?kind ?year ?start ?end ?area ?mult WHERE {
          ?o a ms:Target ; a qb:Observation ; ms:numberText "1.2万" ; ms:value ?value ; ms:unit ?unit ;
             ms:comparator ?cmp ; ms:statementKind ?kind ; ms:deadline ?d ; ms:policyArea ?area ;
             ms:unitMultiplier ?mult ; qb:dataSet ?ds ; ms:textSelector ?pos ; ms:inDocument ?doc .
          ?d a time:Instant ; time:inXSDgYear ?year .
          ?ds a qb:DataSet ; qb:structure ?dsd . ?dsd a qb:DataStructureDefinition .
          ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
        }""")
    assert len(rows) == 1
    row = rows[0]
    assert (float(row["value"]), row["unit"], row["cmp"], row["kind"], row["year"]) == (12000.0, "元", "=", "target", "2025")
    assert row["mult"] == "4"
    assert "1.2万元" in PLAN_A[int(row["start"]):int(row["end"])]
    assert row["area"] == "https://w3id.org/mskg/id/concept/law_enforcement"


def test_the_same_indicator_in_two_plans_is_one_concept():
    store = _store(_document("a.txt", PLAN_A, "甲市"), _document("b.txt", PLAN_B, "乙区"))
    rows = _rows(store, """
        SELECT ?indicator (COUNT(DISTINCT ?doc) AS ?docs) (GROUP_CONCAT(DISTINCT STR(?v); separator=",") AS ?values)
        WHERE { ?o ms:indicator ?indicator ; ms:inDocument ?doc ; ms:value ?v ; ms:statementKind "target" .
                ?indicator a ms:Indicator ; skos:prefLabel ?label . FILTER(CONTAINS(?label, "抽检量")) }
        GROUP BY ?indicator""")
    assert len(rows) == 1
    assert rows[0]["docs"] == "2" and set(rows[0]["values"].split(",")) == {"5", "4"}


def test_progress_links_to_its_target_with_a_status():
    store = _store(_document("b.txt", PLAN_B, "乙区"))
    rows = _rows(store, """
        SELECT ?value ?status ?forecast ?target WHERE {
          ?p a ms:Progress ; ms:value ?value ; ms:status ?status ; ms:forecast ?forecast ; ms:progressOf ?t .
          ?t a ms:Target ; ms:value ?target }""")
    by_value = {float(r["value"]): r for r in rows}
    assert by_value[1.2]["status"] == "behind" and by_value[1.2]["forecast"] == "false"
    assert by_value[4.2]["status"] == "on_track" and by_value[4.2]["forecast"] == "true"
    assert {float(r["target"]) for r in rows} == {4.0}


def test_statements_about_another_region_name_it():
    text = "甲市“十四五”规划解读\n我市食品检验量稳定在8批次/千人以上，高于省目标确定的5批次/千人。"
    doc = Document(source="c.txt", text=text, region=Region("甲市", parent=Region("乙省", level="province")))
    doc.statements = extract_statements(doc)
    rows = _rows(_store(doc), """
        SELECT ?value ?label WHERE { ?o ms:value ?value ; ms:refArea ?r . OPTIONAL { ?r skos:prefLabel ?label } }""")
    labels = {float(r["value"]): r["label"] for r in rows}
    assert labels[5.0] == "乙省"


def test_no_statements_no_triples():
    assert quantities_triples(Document(source="empty.txt", text="")) == []


def _figure(kind: str, value: float, year: int) -> "Statement":
    from loaders.model import Statement

    return Statement(doc="a.txt", start=0, end=1, text="", number_text=str(value), indicator="食品抽检量",
                     value=value, value_max=None, unit="批次/千人", comparator=">=", year=year, per_year=False, kind=kind)


def test_progress_status_judges_pace_only_inside_the_period():
    from loaders.to_rdf.quantities import progress_status

    target = _figure("target", 4, 2025)
    assert progress_status(_figure("progress", 4.5, 2023), target, 2021) == "met"
    assert progress_status(_figure("progress", 3, 2023), target, 2021) == "on_track"  # 3/4 done, 3/5 of the time
    assert progress_status(_figure("progress", 1, 2023), target, 2021) == "behind"
    # a target year before the period (scaled or odd documents) once divided by zero
    assert progress_status(_figure("progress", 1, 2019), _figure("target", 4, 2020), 2021) == "unknown"
    assert progress_status(_figure("progress", 1, 2019), target, 2021) == "unknown"
