"""Second blind check: seven documents in the genres the product is scored on, annotated before the first run.

tests/fixtures/blind2/ holds texts written without looking at the extractor: a 国务院办公厅
任务分工方案 (（一）…（十）, 牵头/配合 brackets, 持续推进/长期坚持), a 答记者问 quoting past
figures, a 局长's 署名文章 in 《中国市场监管报》 (十三五 results, 十四五 goals), a provincial
部门预算 with a tab-separated 项目支出绩效目标表, a 若干措施 list (减半, 压缩至, 延期), a
prefecture 十四五规划 in Tibet (ranges 10%—12% and 15~20, 突破, 低于), a 直辖市区县
中期评估 (完成率, 同比, 预计), a 东北 province's plan with a 主要指标 table counted in 万户, and a
海南 city's 工作要点 (年内, 全省前3位, 两倍, 翻一番, 百分之九十八). gold/ their quantified statements (GUIDELINES.md), expected/ the
metadata a reader should find. Further down: unit tests of the general rules this check led to.
Its floors and its metadata, outline and speed checks run with the other sets' in test_annotated_sets.py.
"""

from __future__ import annotations

from annotated_sets import statements

from loaders.metadata import is_press, read_date
from loaders.pipeline import read_bytes
from loaders.quantities.cues import deadline_after, paragraph_as_of, standing_task
from loaders.quantities.indicators import clean_phrase, split_shared


# --- reader: a signed article names the paper that carried it --------------------------------

def test_a_signed_article_is_press_and_dated_by_its_paper():
    head = ["筑牢质量安全底线", "某省市场监督管理局局长　李某", "（原载《中国质量报》2022年3月8日第2版）"]
    assert is_press(head, [], "\n".join(head))
    assert read_date(head, []) == "2022-03-08"
    assert not is_press(["某市市场监管局2022年工作要点", "一、总体要求"], [], "")
    text = "筑牢质量安全底线\n\n某省市场监督管理局局长　李某\n\n（刊于《中国质量报》2022年3月8日）\n\n一、回顾\n全省抽检合格率达到97%。\n"
    doc = read_bytes(text.encode("utf-8"), "article.txt", extract=False)
    assert doc.doc_type == "press_article" and doc.date == "2022-03-08"


# --- quantities: the rules this check led to -------------------------------------------------

def test_a_past_plan_named_in_a_later_qa_is_a_look_back_not_its_period():
    text = ("某总局有关负责人就《某行动方案》答记者问\n\n发布时间：2024年4月2日\n\n"
            "问：出台背景？\n答：“十三五”以来，抽查合格率由2015年的90.5%提高到2020年的92.8%。"
            "2023年共查处案件3.1万件。\n问：目标？\n答：到2025年，抽查合格率稳定在94%以上。\n")
    _doc, found = statements(text)
    kinds = {s.value: (s.kind, s.year) for s in found}
    assert kinds[90.5] == ("baseline", 2015) and kinds[92.8] == ("baseline", 2020)
    assert kinds[31000] == ("baseline", 2023)
    assert kinds[94] == ("target", 2025)


def test_a_standing_task_of_a_task_division_plan_has_no_deadline():
    clean = "（三）强化抽检。抽检合格率稳定在97%以上。（某部门牵头；长期坚持）\n（四）压缩时限。"
    assert standing_task(clean, clean.index("97%"))
    assert not standing_task("（一）开办企业压缩至1天。（某局牵头；2025年底前完成）", 5)
    text = ("某办公厅关于印发某改革任务分工方案的通知\n\n一、任务\n\n"
            "（一）强化抽检。农产品抽检合格率稳定在97%以上。（某部门牵头；长期坚持）\n\n"
            "（二）压缩时间。开办时间压缩至1个工作日以内。（某局牵头；2025年底前完成）\n")
    _doc, found = statements(text)
    years = {s.value: s.year for s in found}
    assert years[97] is None and years[1] == 2025


def test_a_relief_valid_until_a_date_is_due_then():
    clean = "检定费减半收取，执行期至2024年12月31日。下一条"
    assert deadline_after(clean, 3) == 2024
    assert deadline_after("检定费减半收取。执行期至2024年12月31日。", 3) is None  # another sentence


def test_halving_a_fee_is_fifty_percent_for_each_fee_listed():
    text = ("某省关于支持小微企业的若干措施\n\n一、减费。对小微企业的计量器具检定费、特种设备检验费减半收取。\n"
            "二、提速。检验检测报告出具时间压缩至5个工作日以内。\n\n某省市场监督管理局\n2023年4月10日\n")
    _doc, found = statements(text)
    halves = [s for s in found if s.value == 50 and s.unit == "%"]
    assert len(halves) == 2
    assert {s.area for s in halves} == {"quality_infrastructure", "special_equipment"}
    assert split_shared("计量器具检定费、特种设备检验费") == ["计量器具检定费", "特种设备检验费"]


def test_nearly_a_count_is_below_it_but_nearly_a_share_is_about_it():
    text = ("某省市场监管“十四五”规划\n\n一、发展基础\n“十三五”期间，为企业减免费用近8亿元，"
            "网络投诉占比近四成。\n")
    _doc, found = statements(text)
    comparators = {s.value: s.comparator for s in found}
    assert comparators[800_000_000] == "<" and comparators[40] == "="


def test_cases_of_every_kind_are_law_enforcement_and_joint_inspection_is_credit():
    text = ("某市“十四五”市场监管规划\n\n一、发展基础\n“十三五”末，全市市场主体达9.1万户，五年查处各类违法案件2100余件。\n\n"
            "二、主要目标\n跨部门联合抽查占比达到30%以上。\n")
    _doc, found = statements(text)
    areas = {s.value: s.area for s in found}
    assert areas[2100] == "law_enforcement" and areas[30] == "credit_supervision"


def test_a_report_dates_undated_figures_by_the_as_of_date_opening_the_paragraph():
    assert paragraph_as_of("截至2023年6月底，全区经营主体达到8.1万户。每万人口发明专利拥有量为") == 2023
    assert paragraph_as_of("截至2023年6月底，经营主体8.1万户。2022年合格率为") is None
    assert paragraph_as_of("全区经营主体8.1万户。") is None


def test_a_plans_goal_quoted_beside_a_result_is_a_target_of_that_indicator():
    text = ("某区“十四五”市场监管规划中期评估报告\n\n一、总体情况\n截至2023年6月底，全区经营主体达到8.1万户，"
            "完成规划目标（10万户）的81%。每万人口发明专利拥有量为3.4件，提前完成3件的目标。\n")
    _doc, found = statements(text)
    by_value = {s.value: s for s in found}
    goal = by_value[100000]
    assert (goal.kind, goal.year) == ("target", 2025)
    assert by_value[81000].year == 2023 and by_value[81000].kind == "progress"
    assert by_value[3.4].year == 2023
    three = by_value[3]
    assert (three.kind, three.year, three.unit) == ("target", 2025, "件/万人")
    assert three.indicator == by_value[3.4].indicator


def test_the_acting_agency_is_no_part_of_the_indicator():
    assert clean_phrase("黑龙江省市场监督管理局支出预算总计") == "支出预算总计"
    assert clean_phrase("全国市场监管部门共查处产品质量违法案件") == "查处产品质量违法案件"
    assert clean_phrase("市场监管局") == "市场监管局"  # nothing left after it: keep the words


def test_a_change_is_named_by_its_unit():
    from loaders.quantities.indicators import growth_name
    assert growth_name("同比增长", "投诉数", "%") == "投诉同比增长率"
    assert growth_name("提高", "抽检合格率", "百分点") == "抽检合格率提高幅度"
    assert growth_name("比上年减少", "部门预算收入", "元") == "部门预算收入减少额"
    assert growth_name("同比增加", "发明专利拥有量", "件/万人") == "发明专利拥有量同比增加"


def test_a_bare_change_after_a_figure_is_the_change_of_that_figure():
    text = ("某局2023年度部门整体支出绩效自评报告\n\n一、基本情况\n2023年部门预算收入5.1亿元，比上年减少2100万元。"
            "投诉平均办结时间8.5个工作日，比上年减少1.5个工作日。\n")
    _doc, found = statements(text)
    names = {s.value: s.indicator for s in found}
    assert names[21_000_000].startswith("部门预算收入") and names[21_000_000].endswith("减少额")
    assert names[1.5].startswith("投诉平均办结时间")


def test_a_count_before_its_noun_stops_at_the_next_figure():
    from loaders.quantities.indicators import name_after
    assert name_after("项企业登记前置审批中的87%改为后置审批") == "项企业登记前置审批"
    assert name_after("家维保数量超过500台的电梯维保单位") == "家维保数量超过500台的电梯维保单位"  # a modifier


def test_a_table_label_counting_in_wan_scales_its_cells():
    text = ("某省“十四五”市场监管规划\n\n二、主要目标\n序号\t指标名称\t2020年\t2025年\t属性\n"
            "1\t市场主体总量（万户）\t370.2\t450\t预期性\n2\t药品抽检合格率（%）\t99.1\t≥99\t约束性\n")
    _doc, found = statements(text)
    got = {(s.value, s.unit, s.kind) for s in found}
    assert (3_702_000, "户", "baseline") in got and (4_500_000, "户", "target") in got
    assert (99, "%", "target") in got


def test_a_multiple_in_words_and_a_change_asked_of_a_year():
    text = ("某市市场监督管理局2024年工作要点\n\n一、安全\n全年完成食品抽检6000批次，较上年增长两倍。"
            "年内新增经营主体3万户以上，同比增长12%左右。\n")
    _doc, found = statements(text)
    got = {s.value: (s.unit, s.kind, s.year) for s in found}
    assert got[2] == ("倍", "target", 2024)
    assert got[12] == ("%", "target", 2024) and got[30000] == ("户", "target", 2024)
    report = ("某市市场监管局2023年工作总结\n\n一、成效\n全年完成食品抽检6000批次，较上年增长两倍。\n")
    _doc, found = statements(report)
    assert {s.value: s.kind for s in found}[2] == "progress"


def test_the_channel_a_complaint_came_through_is_no_part_of_its_name():
    assert clean_phrase("12345热线转办的消费投诉办结率") == "消费投诉办结率"
    assert clean_phrase("12315平台受理的投诉") == "投诉"


def test_a_change_with_its_own_subject_is_not_the_previous_figures_change():
    text = ("某总局有关负责人就《某方案》答记者问\n\n发布时间：2024年4月2日\n\n答：到2025年，布设监测哨点约300个，"
            "重点产品抽查不合格发现率较2023年下降三成。\n")
    _doc, found = statements(text)
    name = {s.value: s.indicator for s in found}[30]
    assert "不合格发现率" in name and "哨点" not in name


def test_fines_after_a_count_of_cases_are_named_by_the_cases():
    text = ("某市2023年市场监管工作总结\n\n一、执法\n全年查处网络传销案件12件，罚没款233万元。\n")
    _doc, found = statements(text)
    assert {s.value: s.indicator for s in found}[2_330_000].startswith("网络传销案件")
