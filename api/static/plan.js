// One plan's text with every located fact highlighted; generic over /api/plans/{id}/text spans.
// Text and labels are set with textContent only, so a document cannot inject markup.
(function () {
  "use strict";
  const root = document.querySelector(".plan-body");
  const source = root.dataset.plan;
  const textBox = document.getElementById("text");
  const details = document.getElementById("details-body");
  const outline = document.getElementById("outline-list");

  const CATEGORY = {
    Target: "target", Progress: "target", Baseline: "target", Observation: "target", Indicator: "target", Statement: "target",
    Mandate: "mandate", PolicyArea: "mandate", Mention: "mandate", RegulatedParty: "mandate", Concept: "mandate",
    Agency: "agency", Organization: "agency", FormalOrganization: "agency",
    Obligation: "obligation", Duty: "obligation",
  };
  const category = (kind) => CATEGORY[kind] || "other";
  // A mention takes the colour of what it names (an agency, a policy area…).
  const categoryOf = (span) => (span.kind === "Mention" && span.refers_to ? category(span.refers_to) : category(span.kind));

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function valueNode(value) {
    if (value && typeof value === "object") {
      const a = el("a", value.label || value.id);
      a.href = "/query?query=" + encodeURIComponent("DESCRIBE <" + value.id + ">");
      a.title = value.id;
      return a;
    }
    const text = String(value);
    if (/^https?:\/\//.test(text)) {
      const a = el("a", text);
      a.href = "/query?query=" + encodeURIComponent("DESCRIBE <" + text + ">");
      return a;
    }
    return el("span", text);
  }

  function show(span, text, mark) {
    document.querySelectorAll("mark.selected").forEach((m) => m.classList.remove("selected"));
    if (mark) mark.classList.add("selected");
    details.replaceChildren();
    const dl = el("dl");
    const add = (term, value) => { dl.appendChild(el("dt", term)); const dd = el("dd"); dd.appendChild(value); dl.appendChild(dd); };
    add("类型 kind", el("span", span.kind + (span.refers_to ? " → " + span.refers_to : "") + " (" + categoryOf(span) + ")"));
    if (span.label) add("名称 label", el("span", span.label));
    add("位置 span", el("span", span.start + "–" + span.end));
    add("原文 text", el("q", text.slice(span.start, span.end)));
    for (const [name, values] of Object.entries(span.properties || {})) {
      const box = el("span");
      values.forEach((v, i) => { if (i) box.appendChild(document.createTextNode("; ")); box.appendChild(valueNode(v)); });
      add(name, box);
    }
    const links = el("p");
    const graph = el("a", "在图谱中查看 (graph)");
    graph.href = "/graph?plan=" + encodeURIComponent(source) + (span.kind === "PolicyArea" ? "&area=" + encodeURIComponent(span.id) : "");
    const describe = el("a", "DESCRIBE");
    describe.href = "/query?query=" + encodeURIComponent("DESCRIBE <" + span.id + ">");
    links.append(graph, document.createTextNode(" · "), describe);
    details.append(dl, links);
    details.dataset.selected = span.id;
  }

  function render(data) {
    const text = data.text || "";
    if (!data.text) {
      textBox.replaceChildren(el("p", "此文件没有存储全文 (no text stored for this document; re-ingest it).", "error"));
      return;
    }
    const sections = data.annotations.filter((a) => a.kind === "Section");
    const facts = data.annotations.filter((a) => a.kind !== "Section" && a.end > a.start && a.start >= 0 && a.end <= text.length);
    const counts = {};
    facts.forEach((f) => { counts[categoryOf(f)] = (counts[categoryOf(f)] || 0) + 1; });
    document.querySelectorAll("[data-count]").forEach((n) => { n.textContent = counts[n.dataset.count] || 0; });

    // Cut the text at every fact boundary and section start; each piece is covered by a set of facts,
    // and the shortest covering fact (the most specific) owns the piece's colour and click.
    const cuts = new Set([0, text.length]);
    facts.forEach((f) => { cuts.add(f.start); cuts.add(f.end); });
    sections.forEach((s) => { if (s.start >= 0 && s.start <= text.length) cuts.add(s.start); });
    const points = Array.from(cuts).sort((a, b) => a - b);
    const startsAt = new Map();
    facts.forEach((f) => { if (!startsAt.has(f.start)) startsAt.set(f.start, []); startsAt.get(f.start).push(f); });
    const sectionAt = new Map(sections.map((s) => [s.start, s]));
    let open = [];
    const fragment = document.createDocumentFragment();
    for (let i = 0; i < points.length - 1; i++) {
      const from = points[i], to = points[i + 1];
      if (sectionAt.has(from)) {
        const anchor = el("span", null, "section-start");
        anchor.id = "offset-" + from;
        fragment.appendChild(anchor);
      }
      open = open.filter((f) => f.end > from).concat(startsAt.get(from) || []);
      const piece = text.slice(from, to);
      if (!open.length) { fragment.appendChild(document.createTextNode(piece)); continue; }
      const owner = open.reduce((best, f) => (f.end - f.start < best.end - best.start ? f : best));
      const mark = el("mark", piece, "kind-" + categoryOf(owner));
      mark.dataset.id = owner.id;
      mark.dataset.kind = owner.kind;
      mark.title = owner.kind + (owner.label ? ": " + owner.label : "");
      mark.addEventListener("click", () => show(owner, text, mark));
      fragment.appendChild(mark);
    }
    textBox.replaceChildren(fragment);

    sections.sort((a, b) => a.start - b.start || b.end - a.end);
    for (const s of sections) {
      const level = (s.properties && s.properties.level && s.properties.level[0]) || 1;
      if (level > 2) continue;
      const number = (s.properties && s.properties.sectionNumber && s.properties.sectionNumber[0]) || "";
      const li = el("li", (number ? number + " " : "") + (s.label || text.slice(s.start, Math.min(s.end, s.start + 20))));
      li.style.marginLeft = (level - 1) * 12 + "px";
      li.addEventListener("click", () => {
        const anchor = document.getElementById("offset-" + s.start);
        if (anchor) anchor.scrollIntoView({ block: "start" });
        show(s, text, null);
      });
      outline.appendChild(li);
    }
    root.dataset.rendered = String(facts.length);
  }

  document.querySelectorAll("#legend input[data-kind]").forEach((box) => {
    box.addEventListener("change", () => textBox.classList.toggle("hide-" + box.dataset.kind, !box.checked));
  });

  fetch("/api/plans/" + encodeURIComponent(source) + "/text")
    .then((r) => { if (!r.ok) throw new Error(r.status + " " + r.statusText); return r.json(); })
    .then(render)
    .catch((err) => { textBox.replaceChildren(el("p", "加载失败 failed to load: " + err.message, "error")); });
})();
