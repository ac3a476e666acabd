"""Structure stage: section trees of real plans and of small texts written for these tests."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from loaders.cleanup import clean_view, spam_spans
from loaders.model import Section
from loaders.pipeline import read_document
from loaders.structure import read_outline

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reader"
SPAM = re.compile(r"彩票|投注|bt365|官方下载")


def walk(sections: list[Section]):
    for section in sections:
        yield from section.walk()


def check_spans(sections: list[Section], text: str, lo: int = 0, hi: int | None = None) -> None:
    """Children lie inside their parent, siblings do not overlap, spans hold no trailing blanks."""
    hi = len(text) if hi is None else hi
    previous_end = lo
    for section in sections:
        assert lo <= section.start < section.end <= hi, section
        assert section.start >= previous_end, section
        assert not text[section.end - 1].isspace()
        previous_end = section.end
        check_spans(section.children, text, section.start, section.end)


def starts_with_number(section: Section, text: str) -> bool:
    return re.sub(r"\s", "", text[section.start : section.start + 12]).startswith(section.number)


# --- small texts ------------------------------------------------------------------------

def test_levels_come_from_numbering_styles_and_toc_yields_nothing():
    text = (FIXTURES / "plan_with_toc.txt").read_text(encoding="utf-8")
    sections = read_outline(text)
    toc_end = text.index("各乡镇人民政府")
    assert all(s.start > toc_end for s in walk(sections))
    assert [(s.number, s.title) for s in sections] == [("第一章", "现状与形势"), ("第二章", "重点任务")]
    first, second = sections
    assert [s.title for s in first.children] == ["工作基础", "面临挑战"]
    assert [s.title for s in first.children[0].children] == ["抽检覆盖面扩大", "监管队伍充实"]
    tasks = second.children[0]
    assert [(s.number, s.level) for s in tasks.children] == [("1.", 3), ("2.", 3)]
    assert [(s.number, s.title, s.level) for s in tasks.children[1].children] == [
        ("（1）", "婴幼儿配方食品全部纳入追溯", 4),
        ("（2）", "校园食堂实现“明厨亮灶”", 4),
    ]
    assert [(s.number, s.title) for s in second.children[1].children] == [("①", "加强信用监管"), ("②", "推进智慧监管")]
    check_spans(sections, text)
    assert all(starts_with_number(s, text) for s in walk(sections))
    # the closing signature is no part of the last section
    assert text[second.end :].strip() == "德清县人民政府\n2021年12月1日"


def test_spans_cover_heading_and_body():
    text = "总述。\n一、目标\n到2025年实现全覆盖。\n二、措施\n（一）加强抽检。扩大范围。\n（二）强化执法。\n"
    first, second = read_outline(text)
    assert text[first.start : first.end] == "一、目标\n到2025年实现全覆盖。"
    assert text[second.start : second.end] == "二、措施\n（一）加强抽检。扩大范围。\n（二）强化执法。"
    assert [text[c.start : c.end] for c in second.children] == ["（一）加强抽检。扩大范围。", "（二）强化执法。"]
    assert [c.title for c in second.children] == ["加强抽检", "强化执法"]


def test_numbers_running_through_parts_and_out_of_sequence_lines():
    text = (
        "一、质量\n1.提升质量。内容。\n2.培育品牌。内容。\n"
        "5.这一行的编号跳了号，不是标题。\n"
        "二、安全\n3.守住底线。内容。\n"
        "2020.这一行是年份开头。\n"
    )
    sections = read_outline(text)
    assert [(s.number, [c.number for c in s.children]) for s in sections] == [("一、", ["1.", "2."]), ("二、", ["3."])]


def test_numbering_variants():
    text = (
        "第一部分 总体情况\n第一节 基本情况\n一. 概述\n(一)数量\n1、户数增长\n1）个体户\n2）企业\n"
        "（二）质量\n第二节 问题\n第二部分 下一步\n"
    )
    sections = read_outline(text)
    assert [s.number for s in walk(sections)] == [
        "第一部分", "第一节", "一.", "(一)", "1、", "1）", "2）", "（二）", "第二节", "第二部分",
    ]
    part = sections[0]
    assert [s.level for s in walk([part])] == [1, 2, 3, 4, 5, 6, 6, 4, 2]


def test_article_headings_numbered_01():
    text = "某市规划出炉\n2021-05-06\n\n01\n\n守住安全底线\n\n正文一。\n\n02\n\n优化营商环境\n\n正文二。\n"
    sections = read_outline(text)
    assert [(s.number, s.title) for s in sections] == [("01", "守住安全底线"), ("02", "优化营商环境")]
    assert text[sections[1].start : sections[1].end] == "02\n\n优化营商环境\n\n正文二。"


def test_ocr_counters_and_inline_headings_keep_original_offsets():
    text = (FIXTURES / "ocr_report.txt").read_text(encoding="utf-8")
    sections = read_outline(text)
    numbers = [(s.number, s.level) for s in walk(sections)]
    assert numbers == [
        ("一、", 1), ("(一)", 2), ("1.", 3), ("(1)", 4), ("(2)", 4), ("2.", 3), ("(1)", 4),
        ("(二)", 2), ("1.", 3), ("2.", 3),
    ]
    indicator = sections[0].children[0].children[0].children[0]
    assert indicator.title == "2023年产品抽检合格率达到100%"  # IO0% read as 100%, o as 。
    assert text[indicator.start :].startswith("(1)2023年产品抽检合格率达到IO0%o")
    work = sections[0].children[1]
    assert work.title == "主要工作"  # the title runs across the cut line
    assert text[work.start : work.start + 10] == "(二)主要\n3、工作"
    check_spans(sections, text)


def test_spam_stays_out_of_titles():
    text = "一、加强365彩票官方下载手机_bt365体育投注官网组织领导\n内容。\n二、加强经费保障\n内容。\n"
    assert [text[s:e] for s, e in spam_spans(text)] == ["365彩票官方下载手机_bt365体育投注官网"]
    sections = read_outline(text)
    assert [s.title for s in sections] == ["加强组织领导", "加强经费保障"]
    assert text[sections[0].start : sections[0].end].startswith("一、加强365彩票")


def test_a_plan_that_mentions_lottery_once_is_not_spam():
    text = "一、规范体育彩票销售网点\n加强对彩票销售网点的检查。\n"
    assert spam_spans(text) == []
    assert clean_view(text).text == text


def test_web_trailer_is_not_content():
    text = "一、目标\n" + "正文。" * 30 + "\n二、措施\n" + "正文。" * 30 + "\n原标题:《某规划》\n阅读原文\n沪ICP备000号\n"
    sections = read_outline(text)
    assert text[sections[-1].start : sections[-1].end].endswith("正文。")


def test_sixty_kilobytes_parse_fast():
    chapter = (FIXTURES / "plan_with_toc.txt").read_text(encoding="utf-8").split("各乡镇人民政府")[1]
    text = chapter * (60_000 // len(chapter))
    from loaders.metadata import read_metadata

    read_metadata(text, read_outline(text), "warm.txt")  # loads the gazetteer once
    timings = []
    for _ in range(3):  # CPU time, best of three, so a busy machine does not fail the test
        clean_view.cache_clear()
        started = time.process_time()
        sections = read_outline(text)
        read_metadata(text, sections, "big.txt")
        timings.append(time.process_time() - started)
    assert min(timings) < 0.1
    assert len(sections) >= 2


# --- the seeds ----------------------------------------------------------------------------

def seed(seeds_dir: Path, prefix: str):
    path = next(seeds_dir.glob(prefix + "_*.txt"))
    return read_document(path, extract=False)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_spans_nest(seeds_dir, prefix):
    doc = seed(seeds_dir, prefix)
    check_spans(doc.sections, doc.text)
    for section in doc.all_sections():
        assert section.title and not SPAM.search(section.title)
        if prefix != "003":  # OCR counters may cut a number in two
            assert starts_with_number(section, doc.text), section


def test_seed_000_parts(seeds_dir):
    doc = seed(seeds_dir, "000")
    assert [s.number for s in doc.sections] == ["一、", "二、", "三、", "四、", "五、"]
    assert doc.sections[0].title == "“十三五”期间市场监管工作回顾"
    assert [c.number for c in doc.sections[0].children] == ["(一)", "(二)", "(三)", "(四)", "(五)", "(六)"]
    goals = doc.sections[2].children[1]
    assert goals.title == "总体目标"
    assert [c.number for c in goals.children] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert all(c.level == 3 for c in goals.children)
    assert doc.sections[-1].title == "保障措施"
    assert "附件" not in doc.text[doc.sections[-1].start : doc.sections[-1].end]


def test_seed_001_chapters_hold_the_toc_sections(seeds_dir):
    doc = seed(seeds_dir, "001")
    assert [s.number for s in doc.sections] == [f"第{n}章" for n in "一二三四五六七八九"]
    assert [len(s.children) for s in doc.sections] == [2, 3, 3, 3, 4, 3, 2, 5, 3]
    assert sum(len(s.children) for s in doc.sections) == 28
    assert doc.sections[2].title == "优化市场准入环境,充分激发市场活力"
    first_body_chapter = doc.text.index("第一章 发展环境\n一、发展基础")
    assert doc.sections[0].start == first_body_chapter  # the table of contents yields nothing
    assert doc.sections[0].children[0].children[0].title == "营商便利化显着提升"


def test_seed_002_parts_and_tasks(seeds_dir):
    doc = seed(seeds_dir, "002")
    assert [s.number for s in doc.sections] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    tasks = [c for s in doc.sections for c in s.children]
    assert [t.number for t in tasks] == [f"{n}." for n in range(1, 24)]
    assert tasks[0].title == "发挥质量强市战略引领作用"


def test_seed_003_ocr_outline(seeds_dir):
    doc = seed(seeds_dir, "003")
    (progress,) = doc.sections
    indicators, tasks = progress.children
    assert (indicators.number, indicators.title) == ("(一)", "主要指标进展情况")
    assert [(g.number, g.title) for g in indicators.children] == [
        ("1.", "市场活力指标"), ("2.", "市场秩序指标"), ("3.", "社会共治指标"),
    ]
    market_order = indicators.children[1]
    assert [i.number for i in market_order.children] == [f"({n})" for n in range(1, 19)]
    tenth = market_order.children[9]
    assert tenth.title == "2025年重点工业产品监督抽查合格率达到96.5%"
    assert doc.text[tenth.start : tenth.start + 7] == "(1\n6、0)"  # the counter cut “(10)” in two
    assert [g.number for g in tasks.children] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert len(tasks.children[4].children) == 6  # including “4)” that lost its bracket
    for section in doc.all_sections():
        assert "IO0" not in section.title and "Io0" not in section.title


def test_seed_004_article_headings(seeds_dir):
    doc = seed(seeds_dir, "004")
    assert [(s.number, s.title) for s in doc.sections] == [
        ("01", "超前谋划“十四五”市场监管总体目标任务"),
        ("02", "始终将“安全”放在市场监管工作的突出位置"),
        ("03", "聚焦高质量发展为企业发展赋能添力"),
        ("04", "突出机制创新提升市场监管效能"),
    ]
    body = doc.text[doc.sections[-1].start : doc.sections[-1].end]
    assert "原标题" not in body and "ICP" not in body


@pytest.mark.parametrize("name", ["jiangxi_amr_2020_dept_budget.txt", "jiangxi_amr_2020_epidemic_growth_measures.txt"])
def test_samples_parse(samples_dir, name):
    doc = read_document(samples_dir / name, extract=False)
    check_spans(doc.sections, doc.text)
    assert doc.sections
    if "budget" in name:
        assert [s.number for s in doc.sections] == ["第一部分", "第二部分", "第三部分", "第四部分"]
        assert doc.sections[0].start > doc.text.index("第四部分")  # after the 目录
    else:
        assert [len(s.children) for s in doc.sections] == [4, 4, 3, 3, 6]
