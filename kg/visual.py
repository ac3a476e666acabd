"""Draw a projection of the graph (kg/network.py) with pyvis.

pyvis writes a page whose JavaScript is inlined, so it works with no internet (the web page
links the same files from the server instead: api/routers/graph.py). Positions are computed
here with networkx, so the browser does not have to simulate physics.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import networkx as nx

from kg.network import LINK_LIMIT, strongest

TYPE_COLOURS = {
    "Document": "#1f77b4",
    "Section": "#aec7e8",
    "Agency": "#ff7f0e",
    "Region": "#2ca02c",
    "PolicyArea": "#d62728",
    "Mandate": "#9467bd",
    "RegulatedParty": "#8c564b",
    "Indicator": "#e377c2",
    "Observation": "#bcbd22",
    "Obligation": "#17becf",
    "Mention": "#c7c7c7",
}


@dataclass
class Drawing:
    html: str
    shown: int
    hidden: int
    links_hidden: int = 0  # links among the shown nodes left out (see strongest_links)


def by_degree(graph: nx.Graph) -> list:
    """The nodes, highest degree first (ties broken by name, so every choice made from it is stable)."""
    return sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))


def most_connected(graph: nx.MultiDiGraph, limit: int) -> nx.MultiDiGraph:
    """The `limit` nodes of highest degree."""
    return graph.subgraph(by_degree(graph)[:limit]).copy()


def strongest_links(graph: nx.MultiDiGraph, limit: int = LINK_LIMIT) -> nx.MultiDiGraph:
    """The graph with at most `limit` links, chosen by kg.network.strongest (nodes ranked by degree)."""
    if graph.number_of_edges() <= limit:
        return graph
    ranked = by_degree(graph)
    edges = [(s, data.get("predicate", ""), o) for s, o, data in graph.edges(data=True)]
    kept = nx.MultiDiGraph()
    kept.add_nodes_from(graph.nodes(data=True))
    kept.add_edges_from((s, o, {"predicate": p}) for s, p, o in strongest(edges, ranked, limit))
    return kept


def safe_text(text: str, limit: int = 80) -> str:
    """Labels go into a <script> block as JSON and into tooltips: no markup may survive."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return html.escape(text, quote=True)


DENSE_LAYOUT_MAX = 499  # networkx lays out 500+ nodes with scipy, which we do not depend on


def layout(graph: nx.MultiDiGraph) -> dict:
    """Spring layout of the best-connected 499 nodes; any others sit beside a placed neighbour."""
    import random

    simple = nx.Graph(graph)
    if simple.number_of_nodes() <= DENSE_LAYOUT_MAX:
        return nx.spring_layout(simple, seed=7, scale=1000) if simple.number_of_nodes() else {}
    ranked = by_degree(simple)
    positions = dict(nx.spring_layout(simple.subgraph(ranked[:DENSE_LAYOUT_MAX]), seed=7, scale=1000))
    jitter = random.Random(7)
    for node in ranked[DENSE_LAYOUT_MAX:]:
        placed = [positions[m] for m in simple[node] if m in positions]
        x, y = placed[0] if placed else (jitter.uniform(-1000, 1000), jitter.uniform(-1000, 1000))
        positions[node] = (x + jitter.uniform(-80, 80), y + jitter.uniform(-80, 80))
    return positions


def draw(graph: nx.MultiDiGraph, *, limit: int = 300, links: int = LINK_LIMIT, height: str = "800px",
         total: int | None = None, links_total: int | None = None) -> Drawing:
    """A self-contained HTML page: positions precomputed, physics off (settles in ~2 s, not ~40 s).

    `total`: how many nodes the network had before `graph` was cut down to its best connected
    (`Backbone.select` does the cut itself), for the note on what is not shown. At most `links`
    links are drawn (see kg.network.strongest); `links_total`: how many there were before a cut
    made by the caller (`Backbone.select` again)."""
    from pyvis.network import Network

    shown = most_connected(graph, limit) if graph.number_of_nodes() > limit else graph
    hidden = (graph.number_of_nodes() if total is None else total) - shown.number_of_nodes()
    all_links = shown.number_of_edges() if links_total is None else links_total
    shown = strongest_links(shown, links)
    links_hidden = all_links - shown.number_of_edges()
    positions = layout(shown)
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False)
    # Nodes are numbered and carry their IRI: edges then name them in a few bytes, not two IRIs
    # (the links are most of the page: 17,934 links at 300 nodes on 1,000 plans, 3.5 MB with IRIs).
    number = {node: i for i, node in enumerate(shown.nodes)}
    for node, data in shown.nodes(data=True):
        x, y = positions.get(node, (0.0, 0.0))
        kind = data.get("kind", "Thing")
        net.add_node(
            number[node],
            label=safe_text(data.get("label") or node, 24),
            title=safe_text(f"{data.get('label') or node} [{kind}]", 200),
            x=float(x),
            y=float(y),
            physics=False,
            group=kind,
            iri=node,
        )
        net.nodes[-1]["color"] = TYPE_COLOURS.get(kind, "#7f7f7f")  # pyvis drops `color` when a group is given
    # Appended as pyvis's add_edge would make them, without its scan of the node list for each edge.
    net.edges.extend(
        {"from": number[s], "to": number[o], "title": safe_text(data.get("predicate", "")), "arrows": "to"}
        for s, o, data in shown.edges(data=True)
    )
    net.toggle_physics(False)  # physics off for the whole network, so no edge needs its own flag
    page = _drop_remote_assets(net.generate_html(notebook=False))
    notes = []
    if hidden:
        notes.append(f'<p id="mskg-hidden">显示 {shown.number_of_nodes()} 个节点，另有 {hidden} 个连接较少的节点未显示 (shown {shown.number_of_nodes()}, hidden {hidden}).</p>')
    if links_hidden:
        notes.append(f'<p id="mskg-links-hidden">显示 {shown.number_of_edges()} 条连接，另有 {links_hidden} 条较弱的连接未显示 '
                     f'(links shown {shown.number_of_edges()}, hidden {links_hidden}; each node keeps its links to its best-connected neighbours first).</p>')
    if notes:
        page = page.replace("<body>", "<body>\n" + "\n".join(notes), 1)
    return Drawing(html=page, shown=shown.number_of_nodes(), hidden=hidden, links_hidden=links_hidden)


_REMOTE_ASSET = re.compile(r"<(link|script)\b[^>]*(href|src)=\"https?://[^\"]*\"[^>]*>(\s*</script>)?", re.S)


def _drop_remote_assets(page: str) -> str:
    """pyvis's template still links Bootstrap from a CDN; the page needs none of it offline."""
    return _REMOTE_ASSET.sub("", page)
