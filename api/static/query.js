// The SPARQL editor: POST the query to /sparql, show SPARQL JSON results as a table.
// Every value goes in with textContent, never innerHTML.
(function () {
  "use strict";
  const examples = JSON.parse(document.getElementById("example-queries").textContent);
  const editor = document.getElementById("editor");
  const select = document.getElementById("examples");
  const status = document.getElementById("status");
  const results = document.getElementById("results");

  function setStatus(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = "/query?query=" + encodeURIComponent("DESCRIBE <" + term.value + ">");
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
      if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
      else if (term.datatype) td.title = term.datatype;
    }
    return td;
  }

  function table(data) {
    const t = document.createElement("table");
    t.id = "result-table";
    const head = t.createTHead().insertRow();
    for (const v of data.head.vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const b of data.results.bindings) {
      const tr = body.insertRow();
      for (const v of data.head.vars) tr.appendChild(cell(b[v]));
    }
    return t;
  }

  async function run() {
    const query = editor.value;
    setStatus("运行中 running…", false);
    results.replaceChildren();
    const started = performance.now();
    let response;
    try {
      response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/sparql-results+json, text/turtle;q=0.9" },
        body: new URLSearchParams({ query: query }),
      });
    } catch (err) {
      setStatus("网络错误 network error: " + err, true);
      return;
    }
    const ms = Math.round(performance.now() - started);
    const type = response.headers.get("content-type") || "";
    if (!response.ok) {
      let detail = response.statusText;
      try { const p = await response.json(); detail = p.title + ": " + (p.detail || ""); } catch (e) { /* not JSON */ }
      setStatus("错误 " + response.status + " — " + detail, true);
      return;
    }
    if (type.startsWith("application/sparql-results+json")) {
      const data = await response.json();
      if ("boolean" in data) {
        setStatus("ASK → " + data.boolean + " (" + ms + " ms)", false);
        return;
      }
      const truncated = response.headers.get("x-result-truncated") ? "; truncated at " + response.headers.get("x-result-limit") : "";
      setStatus(data.results.bindings.length + " 行 rows (" + ms + " ms" + truncated + ")", false);
      results.appendChild(table(data));
    } else {
      const pre = document.createElement("pre");
      pre.id = "result-graph";
      pre.textContent = await response.text();
      setStatus("graph (" + ms + " ms)", false);
      results.appendChild(pre);
    }
  }

  select.addEventListener("change", function () { editor.value = examples[Number(select.value)]; });
  document.getElementById("run").addEventListener("click", run);
  editor.addEventListener("keydown", function (e) { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });

  const given = new URLSearchParams(location.search).get("query");
  editor.value = given || examples[0];
  if (given) { select.value = ""; }
  run();
})();
