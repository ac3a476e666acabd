"""Units of count, money, time and rate, as written → as normalised (GUIDELINES: base units)."""

from __future__ import annotations

import re

# written form → normalised unit; longer forms are tried first.
UNITS: dict[str, str] = {
    "%": "%", "％": "%",
    "个百分点": "百分点", "百分点": "百分点",
    "元": "元",
    "台(套)次": "台次", "台（套）次": "台次", "台(件)": "台", "台（件）": "台", "台(套)": "台", "台（套）": "台",
    "户次": "户次", "家次": "家次", "人次": "人次", "个次": "个次", "台次": "台次", "件次": "件次",
    "项次": "项次", "批次": "批次", "车次": "车次", "场次": "场次",
    "户": "户", "家": "家", "件": "件", "宗": "件", "起": "件", "个": "个", "项": "项", "份": "份",
    "批": "批次", "次": "次", "人": "人", "名": "人", "位": "人", "台": "台", "套": "套", "条": "条",
    "本": "本", "枚": "枚", "例": "例", "类": "类", "间": "间", "处": "处", "部": "部", "所": "所",
    "座": "座", "场": "场", "期": "期", "篇": "篇", "张": "张", "辆": "辆", "只": "只", "头": "头",
    "吨": "吨", "公斤": "千克", "千克": "千克", "平方米": "平方米", "亩": "亩", "公里": "公里",
    "课时": "课时", "学时": "学时", "册": "册", "款": "款", "种": "种", "支": "支", "块": "块",
    "个工作日": "工作日", "工作日": "工作日", "个小时": "小时", "小时": "小时", "天": "天", "日": "日",
    "个月": "月", "周": "周", "分钟": "分钟", "分": "分",
}
TIME_UNITS = {"工作日", "小时", "天", "日", "月", "周", "分钟"}
COUNT_UNITS = set(UNITS.values()) - TIME_UNITS - {"%", "百分点", "元", "分"}

UNIT_PATTERN = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
# A rate per population written after the unit: 批次/千人, 份/百万人口, 件/每万人.
PER_POPULATION_AFTER = r"\s*/\s*每?(百万|十万|万|千|百)人口?"
# …or before the number: 每千人5批次, 百万人口1600份, 每万人口发明专利拥有量达2.6件.
PER_POPULATION_BEFORE = re.compile(r"(?<![\d零一二三四五六七八九十])每?(百万|十万|万|千)人口?(?!次)")


def normalise_unit(written: str) -> str:
    return UNITS.get(written, written)


def per_population(unit: str, denominator: str) -> str:
    return f"{unit}/{denominator}人"
