"""Agencies and obligations on small plans written for these tests: general rules of the language.

会同 (jointly with) is a verb, not the county 会同县; a party after 对 is the object of the duty;
a later clause 主播不得… or 严禁… is a duty of its own; a notice's title, its addressee line and
the 监督 inside 市场监督管理局 are no duties; 最严格的 is an adjective, not the action.
"""

from __future__ import annotations

from loaders.pipeline import read_document

COUNTY_PLAN = (
    "陇南市宕昌县2024年食品安全工作要点\n"
    "一、坚持最严谨的标准、最严格的监管，守牢安全底线。\n"
    "二、县市场监管局会同县教育局每学期对中小学校食堂开展一次全覆盖检查。\n"
    "三、督促网络直播平台落实主体责任，主播不得进行虚假宣传。\n"
    "四、开展气瓶充装单位专项检查，严禁为过期未检气瓶充装。\n"
)

NOTICE = (
    "关于开展2024年春节期间价格监督检查的通知\n"
    "各区县市场监督管理局：\n"
    "一、督促商场超市经营者严格执行明码标价规定，不得标价外加价。\n"
)


def read(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path)


def test_joint_verb_is_no_place_name(tmp_path):
    doc = read(tmp_path, "county.txt", COUNTY_PLAN)
    names = {a.name for a in doc.agencies}
    assert not any("会同县" in n for n in names)
    assert any(n.endswith("宕昌县教育局") for n in names)
    assert any(n.endswith("宕昌县市场监督管理局") for n in names)


def test_bearers_and_clause_duties(tmp_path):
    doc = read(tmp_path, "county.txt", COUNTY_PLAN)
    by_text = {o.text: o for o in doc.obligations}
    inspection = next(o for t, o in by_text.items() if "中小学校食堂" in t)
    assert inspection.bearer != "school_canteen"  # the canteen is inspected, not the inspector
    streamer = next(o for t, o in by_text.items() if t.startswith("主播不得"))
    assert streamer.bearer == "ecommerce_operator" and streamer.modality == "prohibition"
    ban = next(o for t, o in by_text.items() if t.startswith("严禁"))
    assert ban.modality == "prohibition" and doc.text[ban.start:ban.end] == ban.text
    assert all(o.action != "严格" for o in doc.obligations)  # 最严格的监管: an adjective


def test_notice_title_and_addressee_are_no_duties(tmp_path):
    doc = read(tmp_path, "notice.txt", NOTICE)
    texts = [o.text for o in doc.obligations]
    assert not any(t.startswith("关于开展") or t.startswith("各区县") for t in texts)
    assert all(o.action != "监督" for o in doc.obligations)
    ban = next(o for o in doc.obligations if o.text.startswith("不得"))
    assert ban.bearer == "supermarket"  # still the duty of the party the sentence urged
