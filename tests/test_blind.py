"""Blind check: documents written without looking at the extractor, annotated before the first run.

tests/fixtures/blind/ holds seven texts in genres and regions the earlier fixtures did not cover
(a 专栏 five-year plan, a 序号/任务/责任单位 table plan, a phased 工作方案, a 政府信息公开年度报告,
a complaints analysis with 同比, a budget self-assessment, a measures list); gold/ their quantified
statements (GUIDELINES.md), expected/ the metadata a reader should find. Further down: unit tests
of the general rules this check led to, each on a sentence of its own.
Its floors and its metadata, outline and speed checks run with the other sets' in test_annotated_sets.py.
"""

from __future__ import annotations

from annotated_sets import FIXTURES, statements

import pytest

from loaders.metadata import classify, month_only_date, read_period
from loaders.pipeline import read_bytes, read_document
from loaders.regions import find_region, mentions
from loaders.to_rdf.document import date_datatype
from loaders.to_rdf.vocab import XSD

BLIND = FIXTURES / "blind"


# --- reader: month-only dates, genres, periods ---------------------------------------------

def test_a_month_only_signature_date_reads_as_reduced_precision():
    assert month_only_date("2024年11月") == "2024-11"
    assert month_only_date("  2024年7月\u3000") == "2024-07"
    assert month_only_date("2024年13月") is None
    assert month_only_date("2024年11月5日") is None  # a full date is read elsewhere
    text = "某县2024年计量工作计划\n\n一、目标\n全年检定计量器具2000台件。\n\n某县市场监督管理局\n2024年2月\n"
    assert read_bytes(text.encode("utf-8"), "plan.txt", extract=False).date == "2024-02"


def test_rdf_dates_keep_their_precision():
    assert date_datatype("2024-02") == XSD.gYearMonth
    assert date_datatype("2024-02-09") == XSD.date
    assert date_datatype("2024") == XSD.gYear


@pytest.mark.parametrize("title,genre", [
    ("某市2024年质量强市建设推进计划", "annual_work_plan"),
    ("某县2024年标准化行动计划", "annual_work_plan"),
    ("某市2021-2025年质量发展行动计划", "other"),
    ("某局2023年度部门整体支出绩效自评报告", "budget"),
    ("某省市场监管局2023年政府信息公开工作年度报告", "evaluation_report"),
    ("2024年一季度某市消费投诉举报情况分析", "evaluation_report"),
])
def test_genre_from_title_words(title, genre):
    assert classify(title, "", False) == genre


def test_a_report_on_one_year_covers_that_year():
    period = read_period("evaluation_report", "2024年上半年某市消费投诉举报情况分析", None, "")
    assert (period.start, period.end) == (2024, 2024)
    assert read_period("evaluation_report", "某市“十四五”规划中期评估报告", None, "").end == 2025


# --- reader: place names that are also words ------------------------------------------------

def test_huitong_as_a_verb_is_no_county():
    text = "县市场监管局会同县教育局、县卫健委开展校园食品安全联合检查。"
    assert all(text[s:e] != "会同县" for s, e, _ in mentions(text))
    assert find_region(text, []) is None


def test_huitong_county_with_context_still_counts():
    region = find_region("怀化市会同县市场监督管理局\n全县食品抽检合格率", ["怀化市会同县市场监督管理局"])
    assert region is not None and region.name == "怀化市会同县"
    signed = find_region("会同县市场监督管理局\n全县", ["会同县市场监督管理局"])
    assert signed is not None and signed.adcode == "431225"


def test_word_readings_of_other_place_names():
    for text in ("推动东方市场繁荣发展", "优化和平区域营商环境", "新建区级食品快检室3个"):
        assert find_region(text, []) is None, text
    assert find_region("天津市和平区市场监管局", ["天津市和平区市场监管局"]).name == "天津市和平区"


# --- quantities ------------------------------------------------------------------------------

def test_count_columns_of_a_table_give_their_unit_and_name():
    text = ("某省市场监管局2024年政府信息公开工作年度报告\n\n一、主动公开情况\n"
            "信息内容\t本年新制作数量\t本年废止件数\n办法\t4\t1\n")
    _doc, found = statements(text)
    by_value = {(s.value, s.indicator, s.unit) for s in found}
    assert (4, "本年新制作办法数量", "件") not in by_value  # 数量 names no unit: not read as 件
    assert (1, "本年废止办法件数", "件") in by_value


def test_goal_and_result_columns_of_a_performance_table():
    text = ("某局2024年度部门整体支出绩效自评报告\n\n一、绩效指标完成情况\n"
            "指标名称\t年度目标值\t实际完成值\n计量器具检定数量\t≥500台\t612台\n")
    _doc, found = statements(text)
    kinds = {s.value: (s.kind, s.year) for s in found}
    assert kinds[500] == ("target", 2024) and kinds[612] == ("progress", 2024)


def test_a_one_year_report_dates_its_undated_figures():
    text = "2024年上半年某市消费投诉举报情况分析\n\n一、总体情况\n全市共受理消费投诉5120件，挽回经济损失86.4万元。\n"
    _doc, found = statements(text)
    assert {s.value: s.year for s in found} == {5120: 2024, 864000: 2024}
    assert all(s.kind == "progress" for s in found)


def test_a_rank_a_few_words_after_its_verb():
    text = "2024年上半年某市消费投诉举报情况分析\n\n一、热点\n美容美发类投诉居各类投诉第三位。居民消费第二季度回暖。\n"
    _doc, found = statements(text)
    ranks = [s for s in found if s.unit == "名次"]
    assert [(s.value, s.comparator) for s in ranks] == [(3, "=")]


def test_doubling_is_a_multiple():
    _doc, found = statements("某市个体工商户发展措施\n\n一、目标\n力争到2027年全市个体工商户数量翻一番。\n")
    assert [(s.value, s.unit) for s in found] == [(2, "倍")]


def test_training_a_fields_own_people_belongs_to_that_field():
    text = "某市食品安全工作要点\n\n一、任务\n全年培训食品安全管理员3000人次，组织执法人员培训4期。\n"
    _doc, found = statements(text)
    areas = {s.value: s.area for s in found}
    assert areas[3000] == "food_safety" and areas[4] == "organisation"


def test_a_figure_naming_no_field_takes_the_field_of_the_title():
    text = "某县电梯安全专项整治工作方案\n\n一、目标\n年底前问题整改率达到100%。\n"
    _doc, found = statements(text)
    assert [s.area for s in found] == ["special_equipment"]


def test_time_limit_names_say_what_must_be_done():
    text = "某县电梯安全专项整治工作方案\n\n一、要求\n发现的一般问题应在5个工作日内整改完毕。\n"
    _doc, found = statements(text)
    assert [(s.indicator, s.comparator, s.unit) for s in found] == [("一般问题整改时间", "<=", "工作日")]


def test_means_of_action_and_month_deadlines_leave_the_name():
    text = ("2024年上半年某市消费投诉举报情况分析\n\n一、总体情况\n全市市场监管部门通过12315平台共受理咨询8000件。"
            "2024年6月底前问题整改率达到100%。\n")
    _doc, found = statements(text)
    names = {s.value: s.indicator for s in found}
    assert not names[8000].startswith(("市场监管部门", "通过")) and "咨询" in names[8000]
    assert names[100] == "问题整改率"


def test_tenths_after_not_enough_and_rates_per_ten_thousand_entities():
    text = ("某县质量强县“十四五”规划中期评估报告\n\n一、完成情况\n检定项目覆盖率不足六成。"
            "全县每万户经营主体商标拥有量达到930件。\n")
    _doc, found = statements(text)
    got = {s.value: (s.unit, s.comparator) for s in found}
    assert got[60] == ("%", "<") and got[930] == ("件/万户", "=")


def test_a_plan_goal_quoted_by_a_report_is_due_at_the_plans_end():
    text = ("某县质量强县“十四五”规划中期评估报告\n\n一、完成情况\n"
            "截至2023年底，全县产品质量合格率达到95.1%，超额完成规划确定的94%的目标。\n")
    _doc, found = statements(text)
    got = {s.value: (s.kind, s.year) for s in found}
    assert got[95.1] == ("progress", 2023) and got[94] == ("target", 2025)


def test_a_month_only_date_maps_to_g_year_month_in_rdf():
    from loaders.to_rdf.document import document_triples
    from loaders.to_rdf.vocab import ELI

    doc = read_document(BLIND / "nanning_ip_plan.txt", extract=False)
    dates = [o for _s, p, o in document_triples(doc) if p == ELI.date_document]
    assert [(d.value, d.datatype) for d in dates] == [("2023-03", XSD.gYearMonth)]
