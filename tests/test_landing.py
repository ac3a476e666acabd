"""The landing page lists the plans one page at a time, filtered and ordered (live `mskg serve`)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote

import httpx
import pytest

from api.routers.pages import PAGE_SIZE

LINK = re.compile(r'class="plan-link" href="/plans/([^"]+)"')
DATE = re.compile(r"<td>(\d{4}-\d{2}-\d{2})?</td><td><a href=\"/graph")


@pytest.fixture(scope="module")
def plans(live_server) -> list[dict]:
    return httpx.get(live_server.url + "/api/plans").json()["items"]


def landing(live_server, **params) -> str:
    response = httpx.get(live_server.url + "/", params=params)
    assert response.status_code == 200, response.text
    return response.text


def listed(html: str) -> list[str]:
    return [unquote(key) for key in LINK.findall(html)]


def count(html: str) -> str:
    return re.search(r'<span id="plan-count">([^<]*)</span>', html).group(1)


def test_default_page_lists_the_first_plans_by_source(live_server, plans):
    html = landing(live_server)
    assert listed(html) == [p["source"] for p in plans][:PAGE_SIZE]
    assert count(html) == str(len(plans))
    assert 'id="plan-filter"' in html


def test_pages_walk_through_every_plan_once(live_server, plans):
    seen, offset = [], 0
    while True:
        html = landing(live_server, limit=3, offset=offset)
        page = listed(html)
        assert len(page) <= 3
        seen += page
        if 'rel="next"' not in html:
            break
        assert f"offset={offset + 3}" in unescape(re.search(r'rel="next" href="([^"]+)"', html).group(1))
        offset += 3
    assert seen == [p["source"] for p in plans]
    assert 'rel="prev"' in html and f"{offset + 1}–{len(plans)} / {len(plans)}" in html
    assert 'id="no-match"' in landing(live_server, offset=len(plans) + 10)


def test_text_filter_needs_every_word(live_server, plans):
    region = next(p["region"] for p in plans if p["region"])
    html = landing(live_server, q=region)
    expected = [p["source"] for p in plans if region in " ".join(str(v) for v in p.values() if v)]
    assert listed(html) == expected and count(html) == f"{len(expected)} / {len(plans)}"
    nothing = landing(live_server, q=f"{region} 没有这种规划")
    assert listed(nothing) == [] and 'id="no-match"' in nothing and count(nothing) == f"0 / {len(plans)}"


def test_type_filter_agrees_with_the_json_api(live_server, plans):
    doc_type = plans[0]["doc_type"]
    html = landing(live_server, doc_type=doc_type)
    api = httpx.get(live_server.url + "/api/plans", params={"doc_type": doc_type}).json()
    assert listed(html) == [p["source"] for p in api["items"]]
    assert f'<option value="{doc_type}" selected>' in html


def test_newest_first_puts_dated_plans_in_descending_order(live_server, plans):
    html = landing(live_server, sort="newest")
    dates = [d for d in DATE.findall(html)]
    assert len(dates) == len(plans)
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dates[: len(dated)] == dated
    assert sorted(listed(html)) == sorted(p["source"] for p in plans)


def test_pager_links_keep_the_filter(live_server, plans):
    html = landing(live_server, q="市场", sort="oldest", limit=1)
    following = unescape(re.search(r'rel="next" href="([^"]+)"', html).group(1))
    assert "q=%E5%B8%82%E5%9C%BA" in following and "sort=oldest" in following and "limit=1" in following


@pytest.mark.parametrize("params", [{"sort": "random"}, {"limit": 0}, {"limit": 501}, {"offset": -1}, {"q": "x" * 201}])
def test_bad_parameters_are_rejected(live_server, params):
    assert httpx.get(live_server.url + "/", params=params).status_code == 422


def test_the_query_is_escaped_in_the_form(live_server):
    html = landing(live_server, q='"><script>alert(1)</script>')
    assert "<script>alert" not in html and "&quot;&gt;&lt;script&gt;" in html
