"""The HTML query page: a plain form, the stored queries as examples, and the answer rendered on
the server as a table (templates/query.html of wegokg.publish.site, styled by
static/query.css). No script runs on it, every value is HTML-escaped, and a link's target is
only ever an http(s) IRI or a path on this server.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph

from wegokg.core.namespaces import shorten
from wegokg.publish.site.layout import SitePathError, site_path
from wegokg.publish.site.render import render, static_file
from wegokg.query.answers import Term
from wegokg.query.sparql_jobs import Answer

# Sent with the page: nothing but its own stylesheet may load, and the form posts only here.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
STYLESHEET_PATH = "/query.css"


def stylesheet() -> bytes:
    """The page's stylesheet, which the server answers at STYLESHEET_PATH."""
    return static_file("query.css")


def render_page(
    catalog, query: str | None, answer: Answer | None, error: str | None, max_rows: int
) -> str:
    """The whole page: the form (holding ``query``), the answer or the error, the examples."""
    examples = [
        {
            "href": "/query?" + urlencode({"query": stored.render()}),
            "title": stored.title,
            "title_ko": stored.title_ko,
            "description": stored.description,
        }
        for stored in catalog
    ]
    return render(
        "query.html",
        query=query or _STARTER,
        error=error,
        answer=None if error or answer is None else _answer(answer),
        max_rows=max_rows,
        examples=examples,
    )


_STARTER = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?label WHERE {
  ?thing rdfs:label ?label .
  FILTER (CONTAINS(?label, "성남"))
}
ORDER BY ?thing
"""


def _answer(answer: Answer) -> dict:
    if answer.kind == "ask":
        return {"kind": "ask", "value": bool(answer.value)}
    if answer.kind == "graph":
        header, rows = ("subject", "predicate", "object"), answer.value
    else:
        header, rows = answer.variables, answer.value.rows
    return {
        "kind": answer.kind,
        "noun": "row" if answer.kind == "select" else "triple",
        "count": len(rows),
        "truncated": answer.truncated,
        "header": list(header),
        "rows": [[cell(t) for t in row] for row in rows],
    }


def cell(term: Term | None) -> dict | None:
    """One value for the page: IRIs of this dataset link to their pages on this server, other
    http(s) IRIs link out, anything else (``javascript:``, ``data:``, …) is shown as text only."""
    if term is None:
        return None
    if type(term) is pyoxigraph.NamedNode:
        iri = term.value
        shown = shorten(iri)
        try:
            path = site_path(iri)
        except SitePathError:
            path = None
        if path:
            return {"kind": "link", "href": "/" + path, "text": shown, "outside": False}
        if iri.lower().startswith(("http://", "https://")):
            return {"kind": "link", "href": iri, "text": shown, "outside": True}
        return {"kind": "text", "text": shown}
    if type(term) is pyoxigraph.BlankNode:
        return {"kind": "text", "text": str(term)}  # _:label
    if term.language:
        return {"kind": "lang", "lang": term.language, "text": term.value}
    return {"kind": "text", "text": term.value}
