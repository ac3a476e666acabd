"""Browser pages: the landing page, the SPARQL editor and one plan's annotated text.

Pages are small HTML shells (every value escaped here) plus plain JavaScript in api/static
that reads the JSON API and builds the DOM with textContent, so no document text can inject
markup. Nothing loads from the internet.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from api.routers.plans import all_plans, plan_or_404
from loaders.to_rdf.vocab import PREFIXES

router = APIRouter(tags=["pages"])

DOC_TYPE_LABELS = {
    "five_year_plan": "五年规划",
    "annual_work_plan": "年度工作要点",
    "evaluation_report": "评估报告",
    "press_article": "新闻报道",
    "policy_interpretation": "政策解读",
    "policy_measures": "政策措施",
    "budget": "部门预算",
    "other": "其他",
}

# Written to answer in seconds at 10,000 plans (scripts/bench.py, stage "examples"). A region's,
# indicator's or agency's label sits in the graph of every plan that names it, so a label join over
# the union of graphs repeats once per plan: these match labels inside one plan's graph (GRAPH ?g),
# or after grouping, and a sorted listing sorts one page found (a sub-select's LIMIT). A label picked
# after grouping is the Chinese one: a concept (a regulated party, as a bearer) has an English one too,
# and SAMPLE over both named 9 of the top 100 bearers in English at 10,000 plans.
EXAMPLE_QUERIES = [
    (
        "规划列表 Plans",
        """SELECT ?source (SAMPLE(?t) AS ?title) (SAMPLE(?r) AS ?region) (SAMPLE(?d) AS ?date) WHERE {
  GRAPH ?g {
    ?plan ms:sourceFile ?source .
    OPTIONAL { ?plan eli:title ?t }
    OPTIONAL { ?plan ms:region/skos:prefLabel ?r }
    OPTIONAL { ?plan eli:date_document ?d }
  }
} GROUP BY ?source ORDER BY ?source LIMIT 1000""",
    ),
    (
        "主题 Topics (policy areas by plans)",
        """SELECT ?area ?label (COUNT(DISTINCT ?g) AS ?plans) WHERE {
  ?area a ms:PolicyArea ; skos:prefLabel ?label . FILTER(lang(?label) = "zh")
  GRAPH ?g { ?about dct:subject ?area }
} GROUP BY ?area ?label ORDER BY DESC(?plans)""",
    ),
    (
        "各地目标 Targets by region",
        """SELECT * WHERE {
  { SELECT ?region ?title ?indicator ?comparator ?value ?unit ?year WHERE {
      GRAPH ?g {
        ?t a ms:Target ; ms:inDocument ?doc .
        ?doc eli:title ?title .
        OPTIONAL { ?doc ms:region/skos:prefLabel ?region }
        OPTIONAL { ?t ms:indicator/skos:prefLabel ?indicator }
        OPTIONAL { ?t ms:comparator ?comparator }
        OPTIONAL { ?t ms:value ?value }
        OPTIONAL { ?t ms:unit ?unit }
        OPTIONAL { ?t ms:refYear ?year }
      }
    } LIMIT 500 }
} ORDER BY ?region ?title""",
    ),
    (
        "责任主体 Obligations by bearer",
        """SELECT (SAMPLE(?label) AS ?bearer) ?obligations WHERE {
  { SELECT ?party (COUNT(?o) AS ?obligations) WHERE { ?o odrl:assignee ?party }
    GROUP BY ?party ORDER BY DESC(?obligations) LIMIT 100 }
  OPTIONAL { ?party skos:prefLabel ?label FILTER(lang(?label) = "zh") }
} GROUP BY ?party ?obligations ORDER BY DESC(?obligations)""",
    ),
    (
        "章节数 Sections per plan",
        """SELECT ?source ?title ?sections WHERE {
  { SELECT ?g (COUNT(?s) AS ?sections) WHERE { GRAPH ?g { ?s a ms:Section } } GROUP BY ?g }
  GRAPH ?g { ?doc ms:sourceFile ?source . OPTIONAL { ?doc eli:title ?title } }
} ORDER BY DESC(?sections) LIMIT 1000""",
    ),
    (
        "发文机构 Agencies",
        """SELECT ?agency ?name WHERE {
  { SELECT DISTINCT ?agency WHERE { ?agency a ms:Agency } }
  { SELECT ?agency (SAMPLE(?label) AS ?name) WHERE { ?agency skos:prefLabel ?label } GROUP BY ?agency }
} ORDER BY ?name LIMIT 1000""",
    ),
]


def page(title: str, body: str, *, scripts: tuple[str, ...] = ()) -> HTMLResponse:
    tags = "".join(f'<script src="/static/{name}"></script>' for name in scripts)
    return HTMLResponse(
        f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><link rel="stylesheet" href="/static/mskg.css"></head>
<body><header><a class="brand" href="/">mskg 市场监管规划知识图谱</a>
<nav><a href="/graph">图谱 Graph</a><a href="/query">查询 SPARQL</a><a href="/docs">API</a></nav></header>
<main>{body}</main>{tags}</body></html>"""
    )


PAGE_SIZE = 50
SORTS = {
    "source": "文件名 source",
    "newest": "最新 newest first",
    "oldest": "最早 oldest first",
    "title": "标题 title",
}
Sort = Literal["source", "newest", "oldest", "title"]


def _type_label(doc_type: str | None) -> str:
    return DOC_TYPE_LABELS.get(doc_type or "", doc_type or "")


def _matches(record: dict[str, Any], words: list[str]) -> bool:
    """Every word is in the plan's title, source, region, issuer, type or date (case-insensitive)."""
    fields = (record["title"], record["source"], record["region"], record["issuer"], record["doc_type"],
              _type_label(record["doc_type"]), record["date"])
    text = " ".join(str(f) for f in fields if f).casefold()
    return all(word in text for word in words)


def _sorted(records: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """The plans in the asked order; plans without a date come last either way."""
    if sort == "title":
        return sorted(records, key=lambda r: (r["title"] or r["source"], r["source"]))
    if sort in ("newest", "oldest"):
        dated = sorted((r for r in records if r["date"]), key=lambda r: (str(r["date"]), r["source"]),
                       reverse=sort == "newest")
        return dated + [r for r in records if not r["date"]]
    return records  # all_plans is ordered by source


def _plan_row(record: dict[str, Any]) -> str:
    key = quote(record["source"], safe="")
    return (
        "<tr>"
        f'<td><a class="plan-link" href="/plans/{key}">{escape(record["title"] or record["source"])}</a></td>'
        f"<td>{escape(_type_label(record['doc_type']))}</td>"
        f'<td>{escape(record["region"] or "")}</td><td>{escape(record["issuer"] or "")}</td>'
        f'<td>{escape(str(record["date"] or ""))}</td>'
        f'<td><a href="/graph?plan={key}">图谱</a></td></tr>'
    )


def _filter_form(q: str, doc_type: str, sort: str, limit: int, plans: list[dict[str, Any]]) -> str:
    """A GET form: text filter, type (with how many plans of each) and order."""
    types = Counter(r["doc_type"] for r in plans)
    type_options = '<option value="">全部类型 all types</option>' + "".join(
        f'<option value="{escape(t)}"{" selected" if t == doc_type else ""}>{escape(_type_label(t))} ({n})</option>'
        for t, n in sorted(types.items(), key=lambda item: -item[1])
    )
    sort_options = "".join(
        f'<option value="{k}"{" selected" if k == sort else ""}>{escape(label)}</option>' for k, label in SORTS.items()
    )
    size = f'<input type="hidden" name="limit" value="{limit}">' if limit != PAGE_SIZE else ""
    return (
        '<form id="plan-filter" class="toolbar" method="get" action="/">'
        f'<input type="search" name="q" value="{escape(q)}" placeholder="标题、地区、机关… title, region, issuer" size="32">'
        f'<select name="doc_type">{type_options}</select><select name="sort">{sort_options}</select>{size}'
        '<button type="submit">筛选 Filter</button></form>'
    )


def _pager(total: int, limit: int, offset: int, params: dict[str, str]) -> str:
    """Where this page is among the matches, with links to the first, previous, next and last pages."""
    def link(label: str, to: int, rel: str) -> str:
        query = {k: v for k, v in params.items() if v} | ({"offset": str(to)} if to else {})
        return f'<a rel="{rel}" href="/?{escape(urlencode(query))}">{label}</a>'

    shown = f"{offset + 1}–{min(offset + limit, total)} / {total}" if offset < total else f"— / {total}"
    last = max(0, (total - 1) // limit * limit)
    links = []
    if offset > 0:
        links += [link("« 首页 first", 0, "first"), link("‹ 上一页 previous", max(0, offset - limit), "prev")]
    links.append(f'<span class="position">{shown}</span>')
    if offset + limit < total:
        links += [link("下一页 next ›", offset + limit, "next"), link("末页 last »", last, "last")]
    return f'<nav class="pager toolbar">{"".join(links)}</nav>'


def _table(rows: list[str], matched: bool) -> str:
    if rows:
        return (
            '<table id="plans"><thead><tr><th>规划 Plan</th><th>类型 Type</th><th>地区 Region</th><th>发文机关 Issuer</th>'
            f'<th>日期 Date</th><th></th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
        )
    if matched:
        return '<p id="no-match">这一页之后没有规划 (past the last page).</p>'
    return '<p id="no-match">没有符合条件的规划 (no plan matches; try fewer words).</p>'


@router.get("/", response_class=HTMLResponse)
def landing(
    request: Request,
    q: Annotated[str, Query(max_length=200, description="Words the title, region, issuer, type or date must hold")] = "",
    doc_type: Annotated[str, Query(max_length=100, description="Only this type, e.g. five_year_plan")] = "",
    sort: Annotated[Sort, Query(description="By source file name, newest or oldest first, or by title")] = "source",
    limit: Annotated[int, Query(ge=1, le=500, description="Plans per page")] = PAGE_SIZE,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Plans to skip")] = 0,
) -> HTMLResponse:
    """Links to the graph, the SPARQL editor and the plans, one page at a time, filtered and ordered."""
    plans = all_plans(request)
    words = q.casefold().split()
    chosen = [r for r in plans if (not doc_type or r["doc_type"] == doc_type) and (not words or _matches(r, words))]
    page_rows = [_plan_row(r) for r in _sorted(chosen, sort)[offset : offset + limit]]
    params = {"q": q.strip(), "doc_type": doc_type, "sort": "" if sort == "source" else sort,
              "limit": "" if limit == PAGE_SIZE else str(limit)}
    if plans:
        pager = _pager(len(chosen), limit, offset, params)
        listing = _filter_form(q, doc_type, sort, limit, plans) + pager + _table(page_rows, bool(chosen))
        listing += pager if len(page_rows) > 20 else ""
    else:
        listing = '<p id="no-plans">库中还没有文件 (the store holds no document yet): <code>mskg ingest DIR</code>.</p>'
    count = f"{len(chosen)} / {len(plans)}" if len(chosen) != len(plans) else str(len(plans))
    body = f"""<section class="cards">
<a class="card" href="/graph"><h2>图谱 Graph</h2><p>Interactive network of plans, sections, agencies, regions; filter by plan, area, type.</p></a>
<a class="card" href="/query"><h2>查询 SPARQL</h2><p>Query editor with examples: topics, targets by region, obligations by bearer.</p></a>
<a class="card" href="/docs"><h2>JSON API</h2><p>OpenAPI documentation of /api/plans, /api/agencies and the rest.</p></a>
</section>
<h1>规划文件 Plans (<span id="plan-count">{count}</span>)</h1>{listing}"""
    return page("mskg", body)


PREDECLARED = " ".join(f"{prefix}:" for prefix in PREFIXES)  # what /sparql declares for every query


@router.get("/query", response_class=HTMLResponse)
def query_page() -> HTMLResponse:
    """A SPARQL editor with example queries and a result table (no CDN: works offline)."""
    options = "".join(f'<option value="{i}">{escape(name)}</option>' for i, (name, _) in enumerate(EXAMPLE_QUERIES))
    examples = json.dumps([q for _, q in EXAMPLE_QUERIES], ensure_ascii=False).replace("</", "<\\/")
    body = f"""<h1>SPARQL 查询 Query</h1>
<p class="hint">Prefixes <code>{escape(PREDECLARED)}</code> are predeclared.
Endpoint: <code>/sparql</code> (SPARQL 1.1 Protocol). Ctrl+Enter runs the query.</p>
<div class="toolbar"><label>示例 Examples <select id="examples">{options}</select></label>
<button id="run" type="button">运行 Run</button><span id="status" role="status"></span></div>
<textarea id="editor" spellcheck="false" rows="14"></textarea>
<div id="results"></div>
<script id="example-queries" type="application/json">{examples}</script>"""
    return page("mskg SPARQL", body, scripts=("query.js",))


@router.get("/plans/{plan_id:path}", response_class=HTMLResponse, responses={404: {"description": "Unknown plan"}})
def plan_page(request: Request, plan_id: Annotated[str, Path(description="Source file name or IRI of the plan")]) -> HTMLResponse:
    """The plan's text with its extracted facts highlighted by kind; click one for its details."""
    record = plan_or_404(request, plan_id)
    key = quote(record["source"], safe="")
    facts = [
        ("Section", "章节 sections"),
        ("target", "目标 targets"),
        ("mandate", "任务 mandates"),
        ("agency", "机构 agencies"),
        ("obligation", "义务 obligations"),
        ("other", "其他 other"),
    ]
    legend = "".join(
        f'<label class="legend kind-{k}"><input type="checkbox" data-kind="{k}" checked> {escape(label)} <span class="n" data-count="{k}">0</span></label>'
        for k, label in facts
        if k != "Section"
    )
    meta = " · ".join(escape(str(v)) for v in (record["region"], record["issuer"], record["date"]) if v)
    body = f"""<div class="plan-head"><h1 id="plan-title">{escape(record["title"] or record["source"])}</h1>
<p class="meta">{meta + " · " if meta else ""}<a href="/graph?plan={key}">在图谱中查看 (graph)</a> · <a href="/api/plans/{key}">JSON</a></p>
<div id="legend">{legend}</div></div>
<div class="plan-body" data-plan="{escape(record["source"])}">
<nav id="outline"><h2>目录 Outline</h2><ol id="outline-list"></ol></nav>
<article id="text" lang="zh"><p class="loading">加载中 loading…</p></article>
<aside id="details"><h2>详情 Details</h2><p class="hint">点击高亮文字查看详情 (click a highlight).</p><div id="details-body"></div></aside>
</div>"""
    return page(record["title"] or record["source"], body, scripts=("plan.js",))
