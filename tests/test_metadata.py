"""Metadata stage: what `mskg parse` reports for the seeds, the samples and small texts of our own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from loaders.metadata import read_metadata
from loaders.model import Region
from loaders.pipeline import read_document
from loaders.regions import find_region, mentions
from loaders.structure import read_outline
from loaders.to_rdf.document import document_triples
from loaders.to_rdf.vocab import ELI, SKOS

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reader"
SPAM = re.compile(r"彩票|投注|bt365|官方下载")


def parse(seeds_dir: Path, prefix: str) -> dict:
    path = next(seeds_dir.glob(prefix + "_*.txt"))
    return read_document(path, extract=False).outline_dict()


def meta_of(text: str, source: str = "t.txt"):
    return read_metadata(text, read_outline(text), source)


def chain(region: Region | None) -> list[tuple[str, str | None, str | None]]:
    out = []
    while region is not None:
        out.append((region.name, region.adcode, region.level))
        region = region.parent
    return out


# --- seeds -------------------------------------------------------------------------------

def test_seed_000_web_page_plan(seeds_dir):
    data = parse(seeds_dir, "000")
    assert data["source"] == "000_88596622a34990bc.txt"
    assert data["title"] == "河东区市场监管“十四五”发展规划"
    assert data["doc_type"] == "five_year_plan"
    assert data["issuer"] == "天津市河东区市场监督管理局"
    assert data["date"] == "2021-09-06"
    assert data["region"] == {"name": "天津市河东区", "adcode": "120102", "level": "district"}
    assert data["period"] == {"start": 2021, "end": 2025}
    assert data["doc_number"] is None
    assert data["cites"] == []  # 根据《…规定》 in the review of past years is no basis of the plan


def test_seed_001_issuer_recovered_from_spam(seeds_dir):
    doc = read_document(next(seeds_dir.glob("001_*.txt")), extract=False)
    assert doc.issuer == "揭阳市榕城区人民政府"
    assert doc.doc_number == "揭榕府〔2022〕41号"
    assert doc.date == "2022-10-26"
    assert doc.doc_type == "five_year_plan"
    assert doc.title == "榕城区市场监管现代化“十四五”规划"
    assert chain(doc.region) == [
        ("揭阳市榕城区", "445202", "district"), ("揭阳市", "445200", "city"), ("广东省", "440000", "province"),
    ]
    assert (doc.period.start, doc.period.end) == (2021, 2025)
    assert "揭阳市市场监管现代化“十四五”规划" in doc.cites
    assert "广东省市场监管现代化“十四五”规划" in doc.cites
    labels = [doc.title, doc.issuer, *doc.cites, *(s.title for s in doc.all_sections())]
    assert not any(SPAM.search(label) for label in labels)


def test_seed_002_annual_work_plan(seeds_dir):
    data = parse(seeds_dir, "002")
    assert data["doc_type"] == "annual_work_plan"
    assert data["region"] == {"name": "临沂市", "adcode": "371300", "level": "city"}
    assert data["period"] == {"start": 2023, "end": 2023}
    assert data["title"] is None  # the text has none; we do not make one up


def test_seed_003_anonymised_evaluation_report(seeds_dir):
    doc = read_document(next(seeds_dir.glob("003_*.txt")), extract=False)
    assert doc.doc_type == "evaluation_report"
    assert doc.title == "市场监管现代化“十四五”规划中期评估报告"
    assert doc.about == "市场监管现代化“十四五”规划"
    assert (doc.period.start, doc.period.end) == (2021, 2025)
    # chosen: the anonymised city itself, no adcode, with the province it names as parent
    assert chain(doc.region) == [("XX市", None, "city"), ("河南省", "410000", "province")]


def test_seed_004_press_article(seeds_dir):
    data = parse(seeds_dir, "004")
    assert data["doc_type"] == "press_article"
    assert data["date"] == "2021-12-08"
    assert data["title"] == "7项目标!威海“十四五”市场监管规划出炉"
    assert data["about"] == "威海市“十四五”市场监管规划"
    assert data["region"] == {"name": "威海市", "adcode": "371000", "level": "city"}
    assert data["period"] == {"start": 2021, "end": 2025}


def test_samples(samples_dir):
    budget = read_document(samples_dir / "jiangxi_amr_2020_dept_budget.txt", extract=False)
    assert budget.doc_type == "budget"
    assert budget.issuer == "江西省市场监督管理局"
    assert (budget.region.name, budget.region.adcode, budget.region.level) == ("江西省", "360000", "province")
    assert (budget.period.start, budget.period.end) == (2020, 2020)
    measures = read_document(samples_dir / "jiangxi_amr_2020_epidemic_growth_measures.txt", extract=False)
    assert measures.doc_type == "policy_measures"
    assert measures.issuer == "江西省市场监督管理局"  # 市场监管局 written out in full
    assert measures.region.adcode == "360000"
    assert measures.date == "2020-02-12"


# --- small texts -------------------------------------------------------------------------

def test_plan_fixture_head_signature_and_preamble():
    meta = meta_of((FIXTURES / "plan_with_toc.txt").read_text(encoding="utf-8"))
    assert meta.title == "德清县食品安全“十四五”规划"
    assert meta.doc_number == "德政发〔2021〕7号"
    assert meta.issuer == "湖州市德清县人民政府"
    assert meta.date == "2021-12-01"
    assert chain(meta.region)[:2] == [("湖州市德清县", "330521", "district"), ("湖州市", "330500", "city")]
    assert meta.cites == ["德清县国民经济和社会发展第十四个五年规划纲要", "省食品安全“十四五”规划"]


def test_same_district_name_settled_by_context():
    tianjin = "河东区市场监管工作要点\n天津市河东区今年将加强食品抽检。河东区各街道落实。"
    linyi = "河东区市场监管工作要点\n临沂市河东区今年将加强食品抽检。河东区各街道落实。"
    assert meta_of(tianjin).region.adcode == "120102"
    assert meta_of(linyi).region.adcode == "371312"
    assert meta_of(linyi).region.parent.name == "临沂市"


def test_region_from_how_the_text_speaks_of_itself():
    text = "今年全市市场监管工作要突出重点。青岛港口检查加强，青岛企业增多；山东全省部署。"
    assert find_region(text, []).adcode == "370200"


def test_spammed_signature_gets_its_organ_from_the_document_number():
    text = (
        "嘉政〔2023〕3号\n各镇人民政府：\n现将《规划》印发给你们。\n"
        "嘉善县365彩票官方下载手机_bt365体育投注官网\n2023年4月2日\n嘉善县质量发展“十四五”规划\n一、目标\n正文。\n"
    )
    meta = meta_of(text)
    assert meta.issuer == "嘉兴市嘉善县人民政府"
    assert meta.title == "嘉善县质量发展“十四五”规划"
    assert meta.date == "2023-04-02"


@pytest.mark.parametrize(
    ("title", "doc_type", "period"),
    [
        ("某市市场监管“十三五”规划", "five_year_plan", (2016, 2020)),
        ("某市市场监督管理局2024年工作要点", "annual_work_plan", (2024, 2024)),
        ("某区市场监管现代化规划中期评估报告", "evaluation_report", None),
        ("《某市“十四五”市场监管规划》政策解读", "policy_interpretation", (2021, 2025)),
        ("某省市场监管局关于促进消费的若干措施", "policy_measures", None),
        ("某局2021年部门决算", "budget", (2021, 2021)),
        ("某局关于召开会议的函", "other", None),
    ],
)
def test_genre_and_period_from_the_title(title, doc_type, period):
    meta = meta_of(f"{title}\n一、总体情况\n正文。\n")
    assert meta.title == title
    assert meta.doc_type == doc_type
    assert (None if meta.period is None else (meta.period.start, meta.period.end)) == period


def test_dates_in_chinese_numerals_and_web_fields():
    assert meta_of("某县通知\n正文。\n某县人民政府\n二〇二二年十月九日\n").date == "2022-10-09"
    assert meta_of("某县通知\n发布时间：2020/3/5\n正文。\n").date == "2020-03-05"


def test_gazetteer_reads_names_long_and_short():
    text = "广西壮族自治区南宁市与广东深圳、城区老街"
    found = [(text[s:e], [p.adcode for p in places]) for s, e, places in mentions(text)]
    assert found == [("广西壮族自治区", ["450000"]), ("南宁市", ["450100"]), ("广东", ["440000"]), ("深圳", ["440300"])]


def test_document_graph_carries_metadata_region_parent_and_section_spans():
    doc = read_document(FIXTURES / "plan_with_toc.txt", extract=False)
    triples = document_triples(doc)
    predicates = {str(p) for _s, p, _o in triples}
    assert str(ELI.passed_by) in predicates and str(ELI.id_local) in predicates
    assert str(ELI.date_document) in predicates and str(ELI.based_on) in predicates
    assert str(SKOS.broader) in predicates
    assert any(str(p) == str(ELI.is_part_of) for _s, p, _o in triples)
    notations = {o.value for _s, p, o in triples if str(p) == str(SKOS.notation)}
    assert {"330521", "330500", "330000"} <= notations


def test_anonymised_region_is_named_within_its_parent():
    from loaders.to_rdf.document import region_iri

    henan = Region("河南省", "410000", "province")
    hebei = Region("河北省", "130000", "province")
    assert region_iri(Region("XX市", None, "city", henan)) != region_iri(Region("XX市", None, "city", hebei))
    assert region_iri(Region("临沂市", "371300", "city")).value.endswith("/region/371300")


def test_title_set_on_two_lines_and_issuer_from_the_document_number():
    meta = meta_of("关于印发《青岛市市场监管领域\n“十四五”规划》的通知\n青市监〔2021〕5号\n一、总则\n正文。\n")
    assert meta.title == "关于印发《青岛市市场监管领域“十四五”规划》的通知"
    assert meta.doc_number == "青市监〔2021〕5号"
    assert meta.issuer == "青岛市市场监督管理局"
    assert meta.region.adcode == "370200"


def test_shared_name_in_running_text_follows_the_places_around_it():
    body = "今年全区市场监管工作要点如下。河东区加强食品抽检，河东区推进登记改革。{}部署的任务全部落实。"
    assert find_region(body.format("临沂市"), []).adcode == "371312"
    assert find_region(body.format("天津市"), []).adcode == "120102"
