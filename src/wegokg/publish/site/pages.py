"""The HTML pages of the site: one per resource, the home page, class indexes, the ontology's
documentation, the query catalog and the search page. Each function returns a whole document.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from wegokg.core.loading import ONTOLOGY_GRAPH
from wegokg.core.namespaces import shorten
from wegokg.publish.site.layout import DOCUMENT_TYPES, RDF_DOCUMENTS, Page, document, is_web_link
from wegokg.publish.site.markup import attr, bi, frame, link, say, script_json, text
from wegokg.publish.site.view import (
    CLAIM,
    DERIVED_FROM,
    DISPUTED_PROPERTY,
    EVIDENCE,
    OA_END,
    OA_EXACT,
    OA_START,
    QUOTED_FROM,
    DatasetView,
)

PAGE_SIZE = 50
HIDDEN_FACTS = {RDFS.label, RDF.type, EVIDENCE}
# Properties shown as a claim's own link rather than among its qualifiers.
CLAIM_HOUSEKEEPING = {RDFS.label, RDF.type, EVIDENCE, DERIVED_FROM}
ALIGNMENTS = (
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.inverseOf,
)


class Renderer:
    """Turns terms into HTML for one page, linking our resources relative to that page."""

    def __init__(self, view: DatasetView, page: Page) -> None:
        self.view = view
        self.page = page

    def name(self, iri: URIRef) -> str:
        en, ko = self.view.names(iri)
        return bi(en, ko)

    def href(self, iri: URIRef, fragment: str = "") -> str | None:
        path = self.view.paths.get(iri)
        if path is None:
            return None
        return self.page.href(document(path, "html")) + fragment

    def term(self, term) -> str:
        if isinstance(term, URIRef):
            href = self.href(term)
            if href is not None:
                return link(href, self.name(term))
            iri = str(term)
            labels = self.view.labels.get(term)
            shown = self.name(term) if labels else text(shorten(iri))
            return (
                link(iri, shown, outside=True) if is_web_link(iri) else f"<code>{text(iri)}</code>"
            )
        if isinstance(term, Literal):
            if term.language:
                return f"<span lang={attr(term.language)}>{text(term)}</span>"
            if term.datatype not in (None, XSD.string):
                kind = shorten(str(term.datatype))
                return f'{text(term)} <span class="iri">({text(kind)})</span>'
            return text(term)
        return f"<code>{text(term)}</code>"

    def types(self, iri: URIRef) -> str:
        found = self.view.types.get(iri, [])
        return ", ".join(self.term(t) for t in found)

    def quote(self, quote: URIRef) -> str:
        exact = self.view.value(quote, OA_EXACT)
        lang = self.view.quote_language(quote)
        lang_attr = f" lang={attr(lang)}" if lang else ""
        source = self.view.value(quote, QUOTED_FROM)
        start, end = self.view.value(quote, OA_START), self.view.value(quote, OA_END)
        where = bi(f"characters {start}–{end}", f"{start}–{end}번째 글자")
        cite = self.term(source) if source is not None else ""
        quote_link = link(self.href(quote) or "#", where) if self.href(quote) else where
        return (
            f"<blockquote{lang_attr}><p>{text(exact or '')}</p>"
            f'<footer lang="en">{cite} · {quote_link}</footer></blockquote>'
        )

    def source_of(self, graph: URIRef) -> str:
        kind = self.view.graph_kind(graph)
        if kind == "curated":
            return say("curated_names_no_single")
        if kind == "ontology":
            return say("the_vocabulary")
        if kind == "imports":
            return say("imported_vocabularies")
        return self.term(graph)

    def dispute_note(self, claim: URIRef, predicate: URIRef) -> str:
        notes = []
        for dispute in self.view.disputes.get(claim, []):
            if predicate not in dispute.properties:
                continue
            others = []
            for other in dispute.claims:
                if other == claim:
                    continue
                values = [
                    self.term(v)
                    for p in sorted(dispute.properties, key=str)
                    for v in self.view.values(other, p)
                ]
                others.append(f"{self.term(other)}: {', '.join(values) or '—'}")
            sides = "; ".join(others)
            notes.append(
                f' <span class="disputed">{say("disputed")}</span> '
                f"({link(self.href(dispute.disagreement) or '#', say('see_the_disagreement'))}"
                f"{'; ' + say('other_side') + ': ' + sides if sides else ''})"
            )
        return "".join(notes)


# -- Resource pages -------------------------------------------------------------------------


def resource_page(view: DatasetView, iri: URIRef, json_ld: dict, extras: str = "") -> str:
    path = view.paths[iri]
    page = Page(document(path, "html"))
    r = Renderer(view, page)
    en, ko = view.names(iri)
    parts = [f"<h1>{bi(en, ko)}</h1>", f'<p class="iri">{text(iri)}</p>']
    if view.types.get(iri):
        parts.append(f'<p class="types">{say("type")}: {r.types(iri)}</p>')
    parts.append(_downloads_line(page, path))
    parts.append(extras)
    if view.is_source(iri):
        parts.append(_source_quotes(r, iri))
    if any(d.disagreement == iri for ds in view.disputes.values() for d in ds):
        parts.append(_disagreement_sides(r, iri))
    parts.append(_facts(r, iri))
    parts.append(_incoming(r, iri))
    head = _alternates(page, path) + _embedded_json_ld(json_ld)
    return frame(page, en or ko or "", ko, "\n".join(p for p in parts if p), head_extra=head)


def _downloads_line(page: Page, path: str) -> str:
    forms = " · ".join(
        link(page.href(document(path, ext)), text(f"{ext} ({DOCUMENT_TYPES[ext]})"))
        for ext in RDF_DOCUMENTS
    )
    return f'<p class="forms">{say("this_description_as")}: {forms}</p>'


def _alternates(page: Page, path: str) -> str:
    return "".join(
        f'<link rel="alternate" type={attr(DOCUMENT_TYPES[ext])} '
        f"href={attr(page.href(document(path, ext)))}>\n"
        for ext in RDF_DOCUMENTS
    )


def _embedded_json_ld(data: dict) -> str:
    return f'<script type="application/ld+json">\n{script_json(data)}\n</script>\n'


def _facts(r: Renderer, iri: URIRef) -> str:
    by_graph: dict[URIRef, list] = defaultdict(list)
    for statement in r.view.statements(iri):
        if statement.predicate in HIDDEN_FACTS:
            continue
        for graph in statement.graphs:
            by_graph[graph].append(statement)
    if not by_graph:
        return ""
    out = [f"<h2>{say('facts')}</h2>"]
    for graph in sorted(by_graph, key=lambda g: (r.view.graph_kind(g) != "curated", str(g))):
        out.append(f"<h3>{say('according_to')}: {r.source_of(graph)}</h3>")
        rows = []
        for statement in by_graph[graph]:
            note = r.dispute_note(iri, statement.predicate)
            rows.append(
                f'<tr><th scope="row">{r.term(statement.predicate)}</th>'
                f"<td>{r.term(statement.value)}{note}</td></tr>"
            )
        out.append(
            f'<table><thead><tr><th scope="col">{say("property")}</th>'
            f'<th scope="col">{say("value")}</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        quotes = r.view.quotes(iri, graph)
        if quotes:
            out.append(
                f'<div class="evidence"><p>{say("evidence")}:</p>'
                + "".join(r.quote(q) for q in quotes)
                + "</div>"
            )
    return "\n".join(out)


def _incoming(r: Renderer, iri: URIRef) -> str:
    skip = {RDF.type, QUOTED_FROM, CLAIM} if r.view.is_source(iri) else {RDF.type, CLAIM}
    items = []
    for statement in r.view.incoming_links(iri):
        if statement.predicate in skip:
            continue
        subject = statement.value
        if r.view.is_claim(subject):
            items.append(_claim_inline(r, subject, statement.predicate))
        else:
            items.append(f"<li>{r.term(subject)} — {r.term(statement.predicate)}</li>")
    if not items:
        return ""
    return f'<h2>{say("referenced_by")}</h2>\n<ul class="incoming">{"".join(items)}</ul>'


def _claim_inline(r: Renderer, claim: URIRef, role: URIRef | None) -> str:
    """A claim with its qualifiers, its sources and its quotes, inline in another page."""
    view = r.view
    kind = f' <span class="types">({r.types(claim)})</span>' if view.types.get(claim) else ""
    as_what = f" — {r.term(role)}" if role is not None else ""
    qualifiers = []
    for statement in view.statements(claim):
        if statement.predicate in CLAIM_HOUSEKEEPING:
            continue
        qualifiers.append(
            f"<dt>{r.term(statement.predicate)}</dt><dd>{r.term(statement.value)}"
            f"{r.dispute_note(claim, statement.predicate)}</dd>"
        )
    evidence = []
    for source in view.values(claim, DERIVED_FROM):
        quotes = "".join(r.quote(q) for q in view.quotes(claim, source))
        evidence.append(f"<p>{say('source')}: {r.term(source)}</p>{quotes}")
    return (
        f"<li>{r.term(claim)}{kind}{as_what}"
        f'<dl class="qualifiers">{"".join(qualifiers)}</dl>'
        f'<div class="evidence">{"".join(evidence)}</div></li>'
    )


def _source_quotes(r: Renderer, source: URIRef) -> str:
    quotes = [s.value for s in r.view.incoming_links(source) if s.predicate == QUOTED_FROM]
    if not quotes:
        return ""
    ordered = sorted(quotes, key=lambda q: (int(r.view.value(q, OA_START) or 0), str(q)))
    note = bi(
        "The quotes this graph takes from the source. The full text is not published.",
        "이 그래프가 출처에서 인용한 구절. 원문 전체는 공개하지 않는다.",
        "p",
    )
    return f"<h2>{say('quotes')}</h2>\n{note}\n" + "".join(r.quote(q) for q in ordered)


def _disagreement_sides(r: Renderer, disagreement: URIRef) -> str:
    view = r.view
    properties = sorted(view.dataset.objects(disagreement, DISPUTED_PROPERTY), key=str)
    out = [
        f"<h2>{say('the_sides')}</h2>",
        f"<p>{say('disputed_properties')}: " + ", ".join(r.term(p) for p in properties) + "</p>",
        '<ul class="sides">',
    ]
    for claim in view.values(disagreement, CLAIM):
        out.append(_claim_inline(r, claim, None))
    out.append("</ul>")
    return "\n".join(out)


# -- Ontology -------------------------------------------------------------------------------


def ontology_extras(view: DatasetView, ontology: URIRef, diagram: str | None) -> str:
    """The documentation part of the ontology's page: diagram, classes, properties, and the
    vocabulary's other terms (such as the constraint component of the validation reports)."""
    page = Page(document(view.paths[ontology], "html"))
    r = Renderer(view, page)
    ours = sorted(
        (s for s, sts in view.out.items() if any(ONTOLOGY_GRAPH in st.graphs for st in sts.values())
         and s != ontology and isinstance(s, URIRef) and s in view.paths),
        key=str,
    )  # fmt: skip
    classes = [s for s in ours if view.is_class(s)]
    properties = [s for s in ours if view.is_property(s)]
    others = [s for s in ours if s not in classes and s not in properties and view.labels.get(s)]
    out = []
    if diagram:
        out.append(f"<h2>{say('the_data_model')}</h2>")
        alt = "The data model: the classes of the wego vocabulary and the relations between them"
        out.append(f"<p><img src={attr(page.href(diagram))} alt={attr(alt)}></p>")
    out.append(f'<h2 id="classes">{say("classes")}</h2>')
    out += [_term_summary(r, c) for c in classes]
    out.append(f'<h2 id="properties">{say("properties")}</h2>')
    out += [_term_summary(r, p) for p in properties]
    if others:
        out.append(f'<h2 id="other-terms">{bi("Other terms", "그 밖의 용어")}</h2>')
        out += [_term_summary(r, o) for o in others]
    return "\n".join(out)


def _term_summary(r: Renderer, term: URIRef) -> str:
    view = r.view
    anchor = str(term).rsplit("#", 1)[-1]
    labels = {lang: t for lang, t in view.labels.get(term, {}).items()}
    comments = {
        c.language: str(c)
        for c in view.dataset.objects(term, RDFS.comment)
        if isinstance(c, Literal)
    }
    rows = [(say("type"), r.types(term))]
    for prop, en, ko in ((RDFS.domain, "Domain", "정의역"), (RDFS.range, "Range", "치역")):
        values = view.values(term, prop)
        if values:
            rows.append((bi(en, ko), ", ".join(r.term(v) for v in values)))
    for prop in ALIGNMENTS:
        values = view.values(term, prop)
        if values:
            rows.append((r.term(prop), ", ".join(r.term(v) for v in values)))
    if view.is_class(term):
        count = len(view.instances(term))
        if count:
            index = r.page.href(f"classes/{_class_slug(term)}.html")
            rows.append((say("instances"), link(index, text(count))))
    table = "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in rows)
    comment = "".join(
        f'<p class="bi" lang={attr(lang)}>{text(c)}</p>' for lang, c in sorted(comments.items())
    )
    heading = link(r.href(term) or "#", bi(labels.get("en"), labels.get("ko")))
    return (
        f"<section id={attr(anchor)}><h3>{heading}"
        f' <span class="iri">{text(shorten(str(term)))}</span></h3>{comment}'
        f"<table><tbody>{table}</tbody></table></section>"
    )


def _class_slug(cls: URIRef) -> str:
    return shorten(str(cls)).replace(":", "-")


# -- Class indexes --------------------------------------------------------------------------


def class_index_pages(view: DatasetView, cls: URIRef) -> dict[str, str]:
    """One or more pages listing the instances of a class, PAGE_SIZE to a page."""
    members = view.instances(cls)
    slug = _class_slug(cls)
    files = [f"classes/{slug}.html"] + [
        f"classes/{slug}-{n}.html" for n in range(2, (len(members) - 1) // PAGE_SIZE + 2)
    ]
    en, ko = view.names(cls)
    pages = {}
    for number, file in enumerate(files, 1):
        page = Page(file)
        r = Renderer(view, page)
        chunk = members[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        items = "".join(f"<li>{r.term(m)}</li>" for m in chunk)
        pager = ""
        if len(files) > 1:
            pager = (
                '<nav class="pager" aria-label="pages">'
                + "".join(
                    f'<span aria-current="page">{n}</span>'
                    if n == number
                    else link(page.href(f), text(n))
                    for n, f in enumerate(files, 1)
                )
                + "</nav>"
            )
        about = link(r.href(cls), say("about_this_class")) if r.href(cls) else ""
        body = (
            f"<h1>{bi(en, ko)}</h1><p>{bi(f'{len(members)} instances', f'인스턴스 {len(members)}개')}"  # noqa: E501
            f" · {about}</p>{pager}<ul>{items}</ul>{pager}"
        )
        pages[file] = frame(page, f"{en} ({number}/{len(files)})", ko, body)
    return pages


def classes_page(view: DatasetView, classes: list[URIRef]) -> str:
    page = Page("classes.html")
    r = Renderer(view, page)
    rows = "".join(
        f"<tr><td>{link(page.href(f'classes/{_class_slug(c)}.html'), r.name(c))}</td>"
        f'<td class="iri">{text(shorten(str(c)))}</td><td>{len(view.instances(c))}</td></tr>'
        for c in classes
    )
    body = (
        f"<h1>{say('classes_and_their_instances')}</h1>"
        f'<table><thead><tr><th scope="col">{say("class")}</th><th scope="col">IRI</th>'
        f'<th scope="col">{say("instances")}</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    return frame(page, "Classes", "클래스", body)


# -- Queries --------------------------------------------------------------------------------


def queries_page(view: DatasetView, runs: list) -> str:
    """``runs``: (StoredQuery, Results or an error message) for each stored query."""
    page = Page("queries.html")
    r = Renderer(view, page)
    toc = "".join(f"<li>{link('#' + q.name, bi(q.title, q.title_ko))}</li>" for q, _ in runs)
    out = [
        f"<h1>{say('the_query_catalog')}</h1>",
        f"<p>{say('each_stored_question_with')} "
        f"{link(page.href('queries/catalog.ttl'), say('the_catalog_as_rdf'))}</p>",
        f"<ul>{toc}</ul>",
    ]
    for stored, results in runs:
        out.append(f"<section id={attr(stored.name)}><h2>{bi(stored.title, stored.title_ko)}</h2>")
        out.append(f"<p>{text(stored.description)}</p>")
        if stored.keywords:
            out.append(f"<p>{say('keywords')}: {text(', '.join(stored.keywords))}</p>")
        if stored.parameters:
            params = "".join(
                f"<li><code>{text(p.name)}</code> ({text(p.type)}"
                f"{', default ' + text(p.default) if p.default else ''}): "
                f"{text(p.description)}</li>"
                for p in stored.parameters
            )
            out.append(f"<p>{say('parameters_the_results_use')}:</p><ul>{params}</ul>")
        rq = f"queries/{stored.name}.rq"
        out.append(
            f"<details><summary>SPARQL ({link(rq, text(stored.name + '.rq'))})</summary>"
            f"<pre><code>{text(stored.text)}</code></pre></details>"
        )
        out.append(_results_table(r, results))
        out.append("</section>")
    return frame(page, "Query catalog", "질의 목록", "\n".join(out))


def _results_table(r: Renderer, results) -> str:
    if isinstance(results, str):
        return f'<p class="disputed">{text(results)}</p>'
    shown = results.rows[:200]
    head = "".join(f'<th scope="col">{text(v)}</th>' for v in results.variables)
    body = "".join(
        "<tr>" + "".join(f"<td>{'' if t is None else r.term(t)}</td>" for t in row) + "</tr>"
        for row in shown
    )
    more = ""
    if len(results.rows) > len(shown):
        more = f"<p>{text(len(results.rows) - len(shown))} more rows not shown.</p>"
    count = bi(f"{len(results.rows)} rows", f"{len(results.rows)}행")
    return f"<p>{count}</p><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


LICENSE_LINK = (
    '<a href="https://creativecommons.org/licenses/by/4.0/" rel="external license">CC BY 4.0</a>'
)


def header(keys: tuple[str, ...]) -> str:
    return "".join(f'<th scope="col">{say(k)}</th>' for k in keys)


# -- Home and search ------------------------------------------------------------------------


def search_form(page: Page) -> str:
    return (
        f'<form action={attr(page.href("search.html"))} method="get" role="search">'
        f'<label for="q">{say("find_a_name")}</label> '
        '<input type="search" id="q" name="q" placeholder="성남, Seongnam, São Paulo…">'
        f' <button type="submit">{say("search")}</button></form>'
    )


def home_page(
    view: DatasetView,
    *,
    version: str,
    counts: dict[str, int],
    classes: list[URIRef],
    downloads: list[tuple[str, str, int, str]],
    releases: list[tuple[str, str | None]] = (),
) -> str:
    page = Page("index.html")
    r = Renderer(view, page)
    class_rows = "".join(
        f"<tr><td>{link(page.href(f'classes/{_class_slug(c)}.html'), r.name(c))}</td>"
        f"<td>{len(view.instances(c))}</td></tr>"
        for c in classes
    )
    download_rows = "".join(
        f"<tr><td>{link(page.href(path), text(path.rsplit('/', 1)[-1]))}</td><td>{text(what)}</td>"
        f'<td>{size:,}</td><td class="iri">{text(digest)}</td></tr>'
        for path, what, size, digest in downloads
    )
    release_rows = "".join(
        f"<tr><td>{link(page.href(f'releases/{number}/release.ttl'), text(number))}</td>"
        f"<td>{text(date or '')}</td></tr>"
        for number, date in releases
    )
    release_table = (
        f'<h2 id="releases">{say("releases")}</h2>\n<p>{say("releases_are_listed")}</p>\n'
        f"<table><thead><tr>{header(('version', 'date'))}</tr></thead>"
        f"<tbody>{release_rows}</tbody></table>\n"
        if releases
        else ""
    )
    void_link = link(page.href(".well-known/void"), text("/.well-known/void"))
    sitemap_link = link(page.href("sitemap.xml"), text("sitemap.xml"))
    count_rows = "".join(f"<tr><td>{text(k)}</td><td>{v:,}</td></tr>" for k, v in counts.items())
    body = f"""<h1>{say("wego_knowledge_graph")}</h1>
<p class="bi" lang="en">An open, bilingual (Korean and English) knowledge graph about WeGO, the
World Smart Sustainable Cities Organization: its member cities, its governance, its 5th General
Assembly and the 4th WeGO Smart Sustainable City Awards. Every fact names its source and carries a
verbatim quote from it.</p>
<p class="bi" lang="ko">세계스마트시티기구(WeGO)에 관한 한국어·영어 공개 지식 그래프.
회원 도시, 운영 구조, 제5회 총회, 제4회 WeGO 스마트 지속가능 도시 어워즈를 다룬다.
모든 사실은 출처와 원문 인용을 가진다.</p>
{search_form(page)}
<h2>{say("about_this_release")}</h2>
<table><tbody>
<tr><th scope="row">{say("version")}</th><td>{text(version)}</td></tr>
<tr><th scope="row">{say("license")}</th><td>{LICENSE_LINK}</td></tr>
<tr><th scope="row">VoID</th><td>{void_link}</td></tr>
<tr><th scope="row">{say("sitemap")}</th><td>{sitemap_link}</td></tr>
</tbody></table>
<h2>{say("counts")}</h2>
<table><tbody>{count_rows}</tbody></table>
<h2>{say("browse_by_class")}</h2>
<table><thead><tr>{header(("class", "instances"))}</tr></thead><tbody>{class_rows}</tbody></table>
<p>{link(page.href("ontology.html"), say("the_vocabulary_and_its"))} ·
{link(page.href("queries.html"), say("the_query_catalog_with"))}</p>
<h2 id="downloads">{say("downloads")}</h2>
<p>{say("sha_256_sums_are")} {link(page.href("download/SHA256SUMS"), text("SHA256SUMS"))}</p>
<table><thead><tr>{header(("file", "what", "bytes"))}<th scope="col">SHA-256</th></tr></thead>
<tbody>{download_rows}</tbody></table>
{release_table}"""
    return frame(page, "WeGO Knowledge Graph", "WeGO 지식 그래프", body)


# The whole client-side search: a few lines, no library. normalize() mirrors search.normalize()
# (NFKD, combining marks dropped, case folded, white space collapsed); exact matches rank above
# prefixes above parts.
SEARCH_SCRIPT = """
(function () {
  var q = new URLSearchParams(location.search).get("q");
  var box = document.getElementById("q");
  if (!q) return;
  box.value = q;
  function normalize(s) {
    return s.normalize("NFKD").replace(/\\p{M}/gu, "").toLowerCase()
      .replace(/\u00df/g, "ss").replace(/\u03c2/g, "\u03c3")  // casefold's extra foldings
      .trim().split(/\\s+/).join(" ");
  }
  var wanted = normalize(q.trim());
  var index = JSON.parse(document.getElementById("search-index").textContent);
  var hits = [];
  index.forEach(function (e) {
    var rank = 9;
    e.names.forEach(function (n) {
      if (n === wanted) rank = Math.min(rank, 0);
      else if (n.indexOf(wanted) === 0) rank = Math.min(rank, 1);
      else if (n.indexOf(wanted) > 0) rank = Math.min(rank, 2);
    });
    if (rank < 9) hits.push([rank, e]);
  });
  hits.sort(function (a, b) { return a[0] - b[0] || a[1].en.localeCompare(b[1].en); });
  var list = document.getElementById("results");
  var heading = document.getElementById("results-heading");
  heading.textContent = hits.length + " / " + q;
  hits.forEach(function (hit) {
    var e = hit[1], item = document.createElement("li"), a = document.createElement("a");
    a.href = e.path;
    a.textContent = [e.en, e.ko].filter(Boolean).join(" / ");
    item.appendChild(a);
    item.appendChild(document.createTextNode(" (" + e.type + ")"));
    list.appendChild(item);
  });
  document.getElementById("results-section").hidden = false;
  document.getElementById("all-names").hidden = true;
})();
"""


def search_page(view: DatasetView, documents: list[dict]) -> str:
    page = Page("search.html")
    entries = sorted(documents, key=lambda d: ((d["en"] or d["ko"]).casefold(), d["path"]))
    items = "".join(
        f"<li>{link(page.href(d['path']), bi(d['en'] or None, d['ko'] or None))}"
        f' <span class="types">({text(d["type"])})</span></li>'
        for d in entries
    )
    body = f"""<h1>{say("find_a_name")}</h1>
{search_form(page)}
<section id="results-section" hidden>
<h2 id="results-heading">{say("results")}</h2><ul id="results"></ul></section>
<section id="all-names"><h2>{say("all_names")}</h2>
{say("without_javascript", "p")}
<ul>{items}</ul></section>
<script type="application/json" id="search-index">{script_json(entries)}</script>
<script>{SEARCH_SCRIPT}</script>
"""
    return frame(page, "Find a name", "이름 찾기", body)
