"""The pages in a real headless Chromium (Debian's, driven by selenium and the system chromedriver).

Each test loads a page from a live `mskg serve`, waits for it to render, checks the DOM and
saves a screenshot under tests/artifacts/ (git-ignored) to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from conftest import LiveServer, run_mskg

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

# A document whose title and body try to inject markup (written for this test).
HOSTILE = """<img src=x onerror="window.__pwned=1">某某市市场监管工作要点<script>window.__pwned=2</script>

一、加强监管<b onmouseover="window.__pwned=3">执法</b>
（一）县市场监管局负责开展专项检查，到2025年抽检合格率达到97%以上。<script>window.__pwned=4</script>
二、优化服务
（一）企业开办时间压缩至1个工作日。
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("chromium and chromedriver are not installed (scripts/test-deps.sh installs them)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # with the driver path below, Selenium Manager downloads nothing
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1440,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(90)
    ARTIFACTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()


def wait_for(driver, script: str, timeout: float = 60):
    """Poll a JavaScript expression until it is truthy; return its value."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(lambda d: d.execute_script("return " + script))


def shoot(driver, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000, "a blank screenshot is tiny"
    return path


@pytest.fixture(scope="module")
def plans(live_server) -> list[dict]:
    return httpx.get(live_server.url + "/api/plans").json()["items"]


def test_landing_page_links_the_three_and_lists_plans(browser, live_server, plans):
    browser.get(live_server.url + "/")
    wait_for(browser, "document.querySelectorAll('#plans tbody tr').length")
    rows = browser.execute_script("return Array.from(document.querySelectorAll('#plans tbody tr a.plan-link')).map(a => a.textContent)")
    assert len(rows) == len(plans) == 7
    assert any("规划" in title for title in rows)
    hrefs = browser.execute_script("return Array.from(document.querySelectorAll('.card')).map(a => a.getAttribute('href'))")
    assert hrefs == ["/graph", "/query", "/docs"]
    shoot(browser, "landing")

    # Find a plan through the filter form, as a user would: type a region, press the button.
    region = next(p["region"] for p in plans if p["region"])
    browser.find_element("css selector", "#plan-filter input[name=q]").send_keys(region)
    browser.find_element("css selector", "#plan-filter button").click()
    wait_for(browser, "location.search.includes('q=')")
    wait_for(browser, "document.querySelectorAll('#plans tbody tr').length")
    regions = browser.execute_script("return Array.from(document.querySelectorAll('#plans tbody tr td:nth-child(3)')).map(td => td.textContent)")
    assert len(regions) == sum(region in " ".join(str(v) for v in p.values() if v) for p in plans) > 0
    assert browser.find_element("css selector", "#plan-filter input[name=q]").get_attribute("value") == region
    shoot(browser, "landing-filtered")


def test_graph_page_draws_a_bounded_filterable_network(browser, live_server, plans):
    browser.get(live_server.url + "/graph?limit=80")
    wait_for(browser, "typeof network !== 'undefined' && network.body && Object.keys(network.body.nodes).length > 0")
    wait_for(browser, "document.querySelector('#mynetwork canvas') !== null")
    nodes = browser.execute_script("return nodes.get().map(n => ({label: n.label, group: n.group}))")
    assert len(nodes) == 80
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in n["label"]) for n in nodes), "Chinese labels"
    hidden = browser.find_element("id", "mskg-hidden").text
    assert "80" in hidden and "hidden" in hidden
    plan_options = browser.execute_script("return document.querySelectorAll('#f-plans option').length")
    assert plan_options == len(plans)
    shoot(browser, "graph")

    # Filter by one plan and one node type through the form, as a user would.
    source = plans[0]["source"]
    browser.execute_script(
        "document.getElementById('f-plan').value = arguments[0];"
        "document.querySelector('#mskg-filters input[value=Section]').checked = true;"
        "document.getElementById('mskg-filters').submit();",
        source,
    )
    wait_for(browser, "location.search.includes('kind=Section') && typeof network !== 'undefined' && nodes.get().length > 0")
    groups = set(browser.execute_script("return nodes.get().map(n => n.group)"))
    assert groups == {"Section"}
    assert browser.execute_script("return document.getElementById('f-plan').value") == source
    shoot(browser, "graph-filtered")


def test_query_page_runs_examples_and_shows_errors(browser, live_server):
    browser.get(live_server.url + "/query")
    wait_for(browser, "document.querySelectorAll('#result-table tbody tr').length")
    assert browser.execute_script("return document.querySelectorAll('#result-table tbody tr').length") == 7
    options = browser.execute_script("return Array.from(document.querySelectorAll('#examples option')).map(o => o.textContent)")
    assert any("Topics" in o for o in options) and any("Targets by region" in o for o in options)
    assert any("Obligations by bearer" in o for o in options)
    # Another example through the select and the Run button.
    browser.execute_script(
        "const s = document.getElementById('examples'); s.value = Array.from(s.options).findIndex(o => o.textContent.includes('Sections'));"
        "s.dispatchEvent(new Event('change'));"
    )
    browser.find_element("id", "run").click()
    wait_for(browser, "document.getElementById('status').textContent.includes('rows') && document.querySelector('#result-table th').textContent === 'source'")
    shoot(browser, "query")
    # A malformed query shows the parser's message.
    browser.execute_script("document.getElementById('editor').value = 'SELECT ?x WHERE { ?x';")
    browser.find_element("id", "run").click()
    wait_for(browser, "document.getElementById('status').className === 'error'")
    assert "400" in browser.find_element("id", "status").text


def test_plan_page_highlights_facts_and_shows_details(browser, live_server, plans):
    record = max(plans, key=lambda p: httpx.get(f"{live_server.url}/api/plans/{p['source']}/text", params={"details": "false"}, timeout=60).json()["total"])
    api = httpx.get(f"{live_server.url}/api/plans/{record['source']}/text", timeout=60).json()
    browser.get(f"{live_server.url}/plans/{quote(record['source'])}")
    wait_for(browser, "document.querySelector('.plan-body').dataset.rendered !== undefined")
    assert browser.execute_script("return document.getElementById('text').textContent") == api["text"]
    assert browser.execute_script("return document.querySelectorAll('#outline-list li').length") >= 1
    facts = [a for a in api["annotations"] if a["kind"] != "Section"]
    marks = browser.execute_script("return document.querySelectorAll('#text mark').length")
    assert (marks > 0) == bool(facts)
    if facts:
        browser.execute_script("document.querySelector('#text mark').scrollIntoView({block: 'center'})")
        browser.execute_script("document.querySelector('#text mark').click()")
        wait_for(browser, "document.getElementById('details-body').dataset.selected")
        details = browser.find_element("id", "details-body").text
        assert "kind" in details and "graph" in details
        link = browser.execute_script("return document.querySelector('#details-body a[href^=\"/graph\"]').getAttribute('href')")
        assert link.startswith("/graph?plan=")
    shoot(browser, "plan")


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    run_mskg("ingest", str(path), "--store", str(folder / "store"))
    server = LiveServer(folder / "store", env={"MSKG_API_TOKEN": ""})
    yield server
    server.stop()


def test_document_text_cannot_inject_markup(browser, hostile_server):
    for path in ("/", "/graph", "/plans/hostile.txt"):
        browser.get(hostile_server.url + path)
        if path.startswith("/plans"):
            wait_for(browser, "document.querySelector('.plan-body').dataset.rendered !== undefined")
            assert "<script>" in browser.find_element("id", "text").text, "the markup shows as text"
        elif path == "/graph":
            wait_for(browser, "typeof network !== 'undefined' && nodes.get().length > 0")
            labels = browser.execute_script("return nodes.get().map(n => n.label + ' ' + n.title).join(' ')")
            assert "<img" not in labels and "<script" not in labels
        assert browser.execute_script("return window.__pwned === undefined"), path
        assert browser.execute_script("return document.querySelectorAll('img[src=x], b[onmouseover]').length") == 0, path
    shoot(browser, "hostile-plan")
