"""Documents of genres the seeds do not cover, written for this project and hand-annotated.

tests/fixtures/unseen holds a national task-division plan (分工方案 with 牵头单位 and 完成时限
lines), a regulator's Q&A (答记者问), a signed article by a bureau director, a county work plan
as a web page with navigation chrome, a budget performance table (tab-separated), and two
written later as a hold-out check: a province's 政策解读 and an anonymised list of measures with
（责任单位：…；…前完成） brackets. Their quantified statements are annotated in gold/ by
GUIDELINES.md, their metadata in expected/.
Its floors and its metadata, outline and speed checks run with the other sets' in test_annotated_sets.py.
"""

from __future__ import annotations

from annotated_sets import FIXTURES

from loaders.pipeline import read_document
from loaders.quantities import extract_statements

UNSEEN = FIXTURES / "unseen"


def test_task_items_take_the_deadline_written_after_them():
    doc = read_document(UNSEEN / "task_division_plan.txt", extract=False)
    by_quote = {s.text: s for s in extract_statements(doc)}
    within_2024 = [s for s in by_quote.values() if "资质认定" in s.text]
    assert within_2024 and within_2024[0].year == 2024  # 完成时限：2024年6月底前


def test_national_documents_are_about_the_whole_country():
    for name in ("task_division_plan.txt", "qa_interpretation.txt"):
        doc = read_document(UNSEEN / name, extract=False)
        regions = {s.region for s in extract_statements(doc)}
        assert regions == {"全国"}, (name, regions)


def test_web_chrome_and_names_with_digits_give_no_statements():
    doc = read_document(UNSEEN / "county_work_plan.html", extract=False)
    numbers = {s.number_text for s in extract_statements(doc)}
    assert not numbers & {"1024", "12003456", "3305210001", "12345", "12315"}, numbers


def test_old_values_listed_before_a_change_are_baselines(statements_in):
    text = ("某市市场监督管理局2024年降费措施\n\n"
            "一、降低收费\n检测费分别由0.5万元、1.2万元下降至0.3万元、0.8万元。\n")
    found = [(s.value, s.kind, s.indicator) for s in statements_in("fees.txt", text)]
    assert [(v, k) for v, k, _ in found] == [(5000, "baseline"), (12000, "baseline"), (3000, "target"),
                                             (8000, "target")]
    assert {name for _, _, name in found} == {"检测费"}


def test_money_cells_take_the_unit_of_their_header(statements_in):
    text = "某省市场监督管理局2024年部门预算\n\n项目资金（万元）\t年度资金总额\t250\n"
    (statement,) = statements_in("budget.txt", text)
    assert (statement.value, statement.unit, statement.area) == (2500000, "元", "organisation")


def test_tenths_and_shares(statements_in):
    text = ("某县2024年工作要点\n\n一、目标\n全县个体工商户2.1万户，占经营主体总量的六成。"
            "消费纠纷调解成功率保持在八成以上。\n")
    found = {(s.value, s.unit, s.comparator, s.indicator) for s in statements_in("tenths.txt", text)}
    assert (60, "%", "=", "个体工商户占经营主体总量比例") in found
    assert (80, "%", ">=", "消费纠纷调解成功率") in found


def test_breadcrumbs_are_not_titles_and_national_bodies_keep_their_names(tmp_path):
    page = ("<html><body><div>首页 > 政务公开 > 规划计划</div><h2>市场监管总局关于印发《某项工作方案》的通知</h2>"
            "<p>各省、自治区、直辖市市场监管局：</p><p>现将方案印发给你们。</p>"
            "<p>市场监管总局</p><p>2024年5月6日</p></body></html>")
    path = tmp_path / "notice.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path, extract=False)
    assert doc.title == "市场监管总局关于印发《某项工作方案》的通知"
    assert doc.issuer == "国家市场监督管理总局"
    assert doc.region is not None and doc.region.level == "country"
