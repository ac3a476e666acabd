"""Browser pages: the landing page, the SPARQL editor and one plan's annotated text.

Pages are small HTML shells (every value escaped here) plus plain JavaScript in api/static
that reads the JSON API and builds the DOM with textContent, so no document text can inject
markup. Nothing loads from the internet.
"""

from __future__ import annotations

import json
from html import escape
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from api.routers.plans import all_plans, plan_or_404

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

EXAMPLE_QUERIES = [
    (
        "规划列表 Plans",
        """SELECT ?source (SAMPLE(?t) AS ?title) (SAMPLE(?r) AS ?region) (SAMPLE(?d) AS ?date) WHERE {
  ?plan ms:sourceFile ?source .
  OPTIONAL { ?plan eli:title ?t }
  OPTIONAL { ?plan ms:region/skos:prefLabel ?r }
  OPTIONAL { ?plan eli:date_document ?d }
} GROUP BY ?source ORDER BY ?source""",
    ),
    (
        "主题 Topics (policy areas by plans)",
        """SELECT ?area ?label (COUNT(DISTINCT ?g) AS ?plans) (COUNT(*) AS ?links) WHERE {
  ?area a ms:PolicyArea ; skos:prefLabel ?label . FILTER(lang(?label) = "zh")
  GRAPH ?g { ?x ?p ?area }
} GROUP BY ?area ?label ORDER BY DESC(?plans) DESC(?links)""",
    ),
    (
        "各地目标 Targets by region",
        """SELECT ?region ?title ?indicator ?comparator ?value ?unit ?year WHERE {
  ?t a ms:Target ; ms:inDocument ?doc .
  ?doc eli:title ?title .
  OPTIONAL { ?doc ms:region/skos:prefLabel ?region }
  OPTIONAL { ?t ms:indicator/skos:prefLabel ?indicator }
  OPTIONAL { ?t ms:comparator ?comparator }
  OPTIONAL { ?t ms:value ?value }
  OPTIONAL { ?t ms:unit ?unit }
  OPTIONAL { ?t ms:refYear ?year }
} ORDER BY ?region ?title LIMIT 500""",
    ),
    (
        "责任主体 Obligations by bearer",
        """SELECT ?bearer (COUNT(?o) AS ?obligations) (SAMPLE(?action) AS ?example) WHERE {
  ?o a ms:Obligation ; odrl:assignee ?agency .
  ?agency skos:prefLabel ?bearer .
  OPTIONAL { ?o ms:actionText ?action }
} GROUP BY ?bearer ORDER BY DESC(?obligations) LIMIT 200""",
    ),
    (
        "章节数 Sections per plan",
        """SELECT ?title (COUNT(?s) AS ?sections) WHERE {
  ?s a ms:Section ; ms:inDocument ?doc .
  ?doc eli:title ?title .
} GROUP BY ?title ORDER BY DESC(?sections)""",
    ),
    ("发文机构 Agencies", """SELECT ?agency ?name WHERE { ?agency a ms:Agency ; skos:prefLabel ?name } ORDER BY ?name"""),
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


@router.get("/", response_class=HTMLResponse)
def landing(request: Request) -> HTMLResponse:
    """Links to the graph, the SPARQL editor and every plan."""
    rows = []
    for record in all_plans(request):
        key = quote(record["source"], safe="")
        rows.append(
            "<tr>"
            f'<td><a class="plan-link" href="/plans/{key}">{escape(record["title"] or record["source"])}</a></td>'
            f'<td>{escape(DOC_TYPE_LABELS.get(record["doc_type"], record["doc_type"]))}</td>'
            f'<td>{escape(record["region"] or "")}</td><td>{escape(record["issuer"] or "")}</td>'
            f'<td>{escape(str(record["date"] or ""))}</td>'
            f'<td><a href="/graph?plan={key}">图谱</a></td></tr>'
        )
    table = (
        '<table id="plans"><thead><tr><th>规划 Plan</th><th>类型 Type</th><th>地区 Region</th><th>发文机关 Issuer</th>'
        f'<th>日期 Date</th><th></th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
        if rows
        else '<p id="no-plans">库中还没有文件 (the store holds no document yet): <code>mskg ingest DIR</code>.</p>'
    )
    body = f"""<section class="cards">
<a class="card" href="/graph"><h2>图谱 Graph</h2><p>Interactive network of plans, sections, agencies, regions; filter by plan, area, type.</p></a>
<a class="card" href="/query"><h2>查询 SPARQL</h2><p>Query editor with examples: topics, targets by region, obligations by bearer.</p></a>
<a class="card" href="/docs"><h2>JSON API</h2><p>OpenAPI documentation of /api/plans, /api/agencies and the rest.</p></a>
</section>
<h1>规划文件 Plans ({len(rows)})</h1>{table}"""
    return page("mskg", body)


@router.get("/query", response_class=HTMLResponse)
def query_page() -> HTMLResponse:
    """A SPARQL editor with example queries and a result table (no CDN: works offline)."""
    options = "".join(f'<option value="{i}">{escape(name)}</option>' for i, (name, _) in enumerate(EXAMPLE_QUERIES))
    examples = json.dumps([q for _, q in EXAMPLE_QUERIES], ensure_ascii=False).replace("</", "<\\/")
    body = f"""<h1>SPARQL 查询 Query</h1>
<p class="hint">Prefixes <code>ms: eli: skos: rdfs: org: odrl: oa: prov: qb: time:</code> are predeclared.
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
