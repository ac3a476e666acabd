"""Third blind check: six documents in genres the earlier sets did not cover, annotated before the first run.

tests/fixtures/blind3/ holds texts written without looking at the extractor: a 自治区 工作要点
with （一）…（十一） tasks (年内, 上半年, 左右, 突破, shared 均达到), a county 十四五规划 whose
主要指标 table is written as single-space-separated lines and whose tasks sit in 专栏 boxes, a
政策解读 of 若干措施 (近七成, 超过, 翻一番, 减免三成, 个百分点, 10亿元至15亿元), a 新华网 report of a
bureau's half-year results (同比, 环比, 余, 逾, 约) with page chrome, a district's 双随机、一公开
抽查计划 (不低于/不超过, 工作日内, shared entity lists) and a district's 药品安全专项整治 方案
running from one year's May to the next April. gold/ their quantified statements (GUIDELINES.md),
expected/ the metadata a reader should find. Further down: unit tests of the general rules this
check led to.
Its floors and its metadata, outline and speed checks run with the other sets' in test_annotated_sets.py.
"""

from __future__ import annotations

from annotated_sets import statements

from loaders.cleanup import numbers_view
from loaders.metadata import read_period
from loaders.quantities.areas import classify_area
from loaders.quantities.cues import elapsed_tally
from loaders.quantities.indicators import split_shared


# --- an indicator table written with single spaces between its cells -------------------------

TABLE = (
    "某某县“十四五”市场监管规划\n\n第一章 发展目标\n到2025年，各项指标如下。\n"
    "序号 指标名称 2020年 2025年 属性\n"
    "1 经营主体总量（万户） 3.2 4 预期性\n"
    "2 药品抽检合格率（%） 98 ≥99 约束性\n"
)


def test_a_single_spaced_table_row_is_not_a_wrapped_line():
    view = numbers_view(TABLE * 3 + "这是一段没有标点的很长的说明文字用来模拟换行\n" * 2)
    assert "预期性\n2 药品" in view.text


def test_single_spaced_table_cells_are_read_by_their_year_columns():
    _, found = statements(TABLE)
    cells = {(s.indicator, s.value, s.kind, s.year, s.comparator) for s in found}
    assert ("经营主体总量", 32000, "baseline", 2020, "=") in cells
    assert ("经营主体总量", 40000, "target", 2025, "=") in cells
    assert ("药品抽检合格率", 99, "target", 2025, ">=") in cells


# --- a news report of the year so far -----------------------------------------------------------

def test_the_elapsed_part_of_the_year_is_a_tally():
    assert elapsed_tally("今年上半年，全市新设", "")
    assert elapsed_tally("查办案件", "前三季度，全省共完成抽检。")
    assert not elapsed_tally("下半年将力争全年抽检量达到", "今年上半年，全市新设")
    assert not elapsed_tally("到2025年，抽检合格率达到", "")


def test_a_half_year_report_gives_results_of_the_article_year():
    text = ("某市市场监管局：前三季度查办案件增长\n2024-10-20 09:00　来源：某某日报\n"
            "记者从某市市场监督管理局获悉，今年前三季度，全市查办各类案件860件，"
            "受理投诉举报1.2万件。下一步，该局将确保全年投诉按期办结率达到98%。\n")
    _, found = statements(text)
    kinds = {s.value: (s.kind, s.year) for s in found}
    assert kinds[860] == ("progress", 2024) and kinds[12000] == ("progress", 2024)
    assert kinds[98] == ("target", 2024)


def test_a_headline_figure_repeated_in_the_body_is_counted_once():
    text = ("某市上半年抽检合格率达98.1%\n2024-07-10　来源：某某网\n"
            "记者获悉，今年上半年，全市食品抽检合格率达98.1%。\n")
    _, found = statements(text)
    assert [s.value for s in found] == [98.1]
    assert found[0].start > text.index("来源")


# --- lists, ranges, tenths, areas, campaign periods ---------------------------------------------

def test_kinds_of_entity_sharing_one_rate_are_split():
    assert split_shared("电梯使用单位、餐饮经营者的抽查比例") == ["电梯使用单位抽查比例", "餐饮经营者抽查比例"]
    assert split_shared("国际、国家标准的采用率") is None


def test_the_spot_check_share_of_entities_is_credit_supervision():
    assert classify_area("特种设备使用单位抽查比例") == "credit_supervision"
    assert classify_area("特种设备定期检验率") == "special_equipment"


def test_a_money_range_with_its_unit_on_both_ends():
    _, found = statements("某某若干措施\n一、新增普惠贷款20亿元至30亿元。\n")
    assert [(s.value, s.value_max, s.unit, s.comparator) for s in found] == [
        (2_000_000_000, 3_000_000_000, "元", "range")]


def test_tenths_after_a_relief_verb():
    _, found = statements("某某若干措施\n一、对小微企业的检验检测费用减免两成。\n")
    assert [(s.value, s.unit) for s in found] == [(20, "%")]


def test_a_change_on_last_year_in_a_measures_section_is_a_goal():
    text = ("《某某措施》解读\n\n一、主要措施\n（一）降低融资成本。小微企业贷款平均利率较上年下降0.5个百分点。\n")
    _, found = statements(text)
    assert [(s.value, s.kind) for s in found] == [(0.5, "target")]


def test_a_campaign_run_from_one_month_to_another_gives_its_period():
    period = read_period("policy_measures", "某区食品安全专项整治行动方案", None,
                         "区局决定自2023年9月至2024年6月开展专项整治。")
    assert (period.start, period.end) == (2023, 2024)


# --- indicator names ----------------------------------------------------------------------------

def test_names_drop_a_leading_preposition_and_the_agency_pronoun():
    _, found = statements("某某工作要点\n一、对食品经营企业的抽查比例不低于8%。\n二、下半年该局将力争全年食品抽检量达到4批次/千人。\n")
    names = [s.indicator for s in found]
    assert names[0].startswith("食品经营企业") and names[1] == "食品抽检量"


def test_a_month_on_month_change_keeps_its_word():
    text = "某市上半年报道\n2024-07-10　来源：某某网\n今年上半年，全市新设企业2.1万户，环比增长3.5%。\n"
    _, found = statements(text)
    assert [s.indicator for s in found if s.unit == "%"] == ["新设企业环比增长率"]


def test_sampling_per_population_and_jobs_get_their_heads():
    _, found = statements("某某规划\n一、每年食品抽检不低于5批次/千人，个体工商户带动就业超过300万人。\n")
    assert {s.indicator for s in found} >= {"食品抽检量"}
    assert any(s.indicator.endswith("带动就业人数") for s in found)
