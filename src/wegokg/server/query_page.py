"""The HTML query page: a plain form, the stored queries as examples, and the answer rendered on
the server as a table. No script runs on it, every value is HTML-escaped, and a link's target is
only ever an http(s) IRI or a path on this server.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from rdflib import BNode, Literal, URIRef

from wegokg.core.namespaces import shorten
from wegokg.publish.site.layout import SitePathError, site_path
from wegokg.query.sparql_workers import Answer

# Sent with the page: nothing but its own styles may load, and the form posts only here.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)

_STYLE = """
body { font-family: system-ui, "Noto Sans CJK KR", sans-serif; margin: 1rem auto; max-width: 70rem;
       padding: 0 1rem; line-height: 1.4; }
textarea { width: 100%; font-family: ui-monospace, monospace; font-size: 0.9rem; }
table { border-collapse: collapse; margin-top: 1rem; display: block; overflow-x: auto; }
th, td { border: 1px solid #bbb; padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #eee; }
.error { color: #a00; white-space: pre-wrap; }
.note { color: #555; }
.lang { color: #777; font-size: 0.8em; }
nav li { margin: 0.2rem 0; }
"""


def render_page(
    catalog, query: str | None, answer: Answer | None, error: str | None, max_rows: int
) -> str:
    """The whole page: the form (holding ``query``), the answer or the error, the examples."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>SPARQL query – wegokg</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        '<nav><a href="/">Home</a> · <a href="/sparql">Service description</a></nav>',
        "<h1>SPARQL query</h1>",
        '<p class="note">Ask the WeGO Knowledge Graph in SPARQL 1.1. The default graph is the '
        'union of all named graphs. Programs can use the endpoint at <a href="/sparql">/sparql'
        "</a> directly.</p>",
        '<form method="get" action="/query">',
        '<label for="query">Query</label>',
        f'<textarea id="query" name="query" rows="16">{escape(query or _STARTER)}</textarea>',
        '<p><button type="submit">Run</button></p>',
        "</form>",
    ]
    if error:
        parts.append(f'<p class="error" role="alert">{escape(error)}</p>')
    elif answer is not None:
        parts.append(_answer_html(answer, max_rows))
    parts.append('<h2>Examples: the stored queries</h2><nav aria-label="stored queries"><ul>')
    for stored in catalog:
        link = "/query?" + urlencode({"query": stored.render()})
        parts.append(
            f'<li><a href="{escape(link)}">{escape(stored.title)}</a> '
            f'<span lang="ko">({escape(stored.title_ko)})</span>: {escape(stored.description)}'
            "</li>"
        )
    parts += ["</ul></nav>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


_STARTER = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?label WHERE {
  ?thing rdfs:label ?label .
  FILTER (CONTAINS(?label, "성남"))
}
ORDER BY ?thing
"""


def _answer_html(answer: Answer, max_rows: int) -> str:
    if answer.kind == "ask":
        return f'<p id="answer">Answer: <strong>{"yes" if answer.value else "no"}</strong></p>'
    if answer.kind == "graph":
        header = ("subject", "predicate", "object")
        rows = answer.value
    else:
        header = answer.variables
        rows = answer.value.rows
    count = len(rows)
    lines = [
        f'<p id="answer">{count} {"row" if answer.kind == "select" else "triple"}'
        f"{'' if count == 1 else 's'}"
        + (f" (cut at the limit of {max_rows})" if answer.truncated else "")
        + "</p>",
        "<table>",
        "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        lines.append("<tr>" + "".join(f"<td>{cell_html(t)}</td>" for t in row) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def cell_html(term: URIRef | Literal | BNode | None) -> str:
    """One value as HTML: IRIs of this dataset link to their pages on this server, other http(s)
    IRIs link out, anything else (``javascript:``, ``data:``, …) is shown as text only."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        shown = escape(shorten(iri))
        try:
            path = site_path(iri)
        except SitePathError:
            path = None
        if path:
            return f'<a href="{escape("/" + path)}">{shown}</a>'
        if iri.lower().startswith(("http://", "https://")):
            return f'<a href="{escape(iri)}" rel="nofollow">{shown}</a>'
        return shown
    if isinstance(term, BNode):
        return escape(f"_:{term}")
    text = escape(str(term))
    if term.language:
        return f'<span lang="{escape(term.language)}">{text}</span> ' + (
            f'<span class="lang">@{escape(term.language)}</span>'
        )
    return text
