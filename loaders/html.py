"""HTML → the text a reader sees: blocks on their own lines, table cells tab-separated.

Scripts, styles, navigation, headers/footers and forms are dropped (lexbor parser of
selectolax), since site chrome is not part of a document.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

_DROP = "script, style, noscript, template, iframe, nav, footer, aside, form, button, select, svg, head"
_CHROME_ATTR = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|location|footer|sidebar|share|toolbar|copyright"
    r"|header|banner|logo|topbar|top-bar|top_bar|related|relate|recommend|tuijian|xgyd|xgxw|hotnews|pager|paging)(?:$|[\s_-])",
    re.I,
)
_RELATED = re.compile(r"相关(?:阅读|新闻|链接|文章|报道)|推荐阅读|延伸阅读|热点推荐|猜你喜欢|热门文章|往期回顾")
_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "table", "tbody", "thead", "tfoot", "tr", "blockquote", "pre", "dd", "dt", "dl", "figure", "figcaption",
    "address", "center", "hr",
}
_CELLS = {"td", "th"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)


def declared_charset(data: bytes) -> str | None:
    """The encoding an HTML page declares in a <meta> tag, if any."""
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or bool(re.search(r"<(?:html|body|head)[\s>]", head))


def _is_chrome(node) -> bool:
    attrs = node.attributes or {}
    return any(_CHROME_ATTR.search(attrs.get(key) or "") for key in ("id", "class", "role"))


def html_to_text(markup: str) -> str:
    tree = LexborHTMLParser(markup)
    for node in tree.css(_DROP):
        node.decompose()
    for node in tree.css("header, [id], [class], [role]"):
        # a page header is chrome, unless it holds the article's own title
        if (node.tag == "header" or _is_chrome(node)) and node.css_first("h1, h2") is None:
            node.decompose()
    for node in tree.css("h2, h3, h4, h5, div, p, span, strong"):
        # a block headed 相关阅读 / 推荐阅读 lists other pages' titles, not this document's text
        if _RELATED.fullmatch((node.text(deep=True) or "").strip()):
            block = node.parent
            if block is not None and block.tag not in ("body", "html") and block.css_first("h1") is None:
                block.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    out: list[str] = []

    def walk(node) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                out.append(re.sub(r"[ \t\r\n]+", " ", child.text_content or ""))
            elif tag == "br":
                out.append("\n")
            elif tag in _CELLS:
                walk(child)
                out.append("\t")
            elif tag in _BLOCKS:
                out.append("\n")
                walk(child)
                out.append("\n")
            elif tag not in ("-comment",):
                walk(child)

    walk(root)
    text = "".join(out)
    lines = [line.strip(" ").rstrip("\t").strip(" ") for line in text.split("\n")]
    return "\n".join(line for line in lines if line.strip()) + "\n"
