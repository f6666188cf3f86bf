"""The HTML pages of the site: one per resource, the home page, class indexes, the ontology's
documentation, the query catalog and the search page. Each function gathers what its page shows
and renders a template of templates/; the markup lives there, none of it here.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from wegokg.core.loading import ONTOLOGY_GRAPH
from wegokg.core.namespaces import shorten
from wegokg.core.terms import to_rdflib
from wegokg.publish.site.layout import DOCUMENT_TYPES, RDF_DOCUMENTS, Page, document, is_web_link
from wegokg.publish.site.render import render_page, script_json, static_file
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
# The search page's script (static/search.js); a test runs its normalize() beside Python's.
SEARCH_SCRIPT = static_file("search.js").decode("utf-8")


class Renderer:
    """Describes terms for one page's template, linking our resources relative to that page.

    A term becomes a dict that the ``term`` macro of templates/macros.html shows: one of our
    resources (a link to its page), an outside IRI (a link only when it is http(s)), or a literal.
    """

    def __init__(self, view: DatasetView, page: Page) -> None:
        self.view = view
        self.page = page

    def href(self, iri: URIRef) -> str | None:
        path = self.view.paths.get(iri)
        return None if path is None else self.page.href(document(path, "html"))

    def term(self, term) -> dict:
        if isinstance(term, URIRef):
            href = self.href(term)
            en, ko = self.view.names(term)
            if href is not None:
                return {"kind": "ours", "href": href, "en": en, "ko": ko}
            iri = str(term)
            if not is_web_link(iri):
                return {"kind": "code", "text": iri}
            named = bool(self.view.labels.get(term))
            shown = {"en": en, "ko": ko, "text": shorten(iri), "named": named}
            return {"kind": "outside", "href": iri, **shown}
        if isinstance(term, Literal):
            if term.language:
                return {"kind": "lang", "lang": term.language, "text": str(term)}
            if term.datatype not in (None, XSD.string):
                return {"kind": "typed", "text": str(term), "type": shorten(str(term.datatype))}
            return {"kind": "plain", "text": str(term)}
        return {"kind": "code", "text": str(term)}

    def terms(self, terms) -> list[dict]:
        return [self.term(t) for t in terms]

    def types(self, iri: URIRef) -> list[dict]:
        return self.terms(self.view.types.get(iri, []))

    def quote(self, quote: URIRef) -> dict:
        source = self.view.value(quote, QUOTED_FROM)
        return {
            "exact": str(self.view.value(quote, OA_EXACT) or ""),
            "lang": self.view.quote_language(quote),
            "source": self.term(source) if source is not None else None,
            "href": self.href(quote),
            "start": self.view.value(quote, OA_START),
            "end": self.view.value(quote, OA_END),
        }

    def dispute_notes(self, claim: URIRef, predicate: URIRef) -> list[dict]:
        notes = []
        for dispute in self.view.disputes.get(claim, []):
            if predicate not in dispute.properties:
                continue
            sides = [
                {
                    "claim": self.term(other),
                    "objects": [
                        self.term(v)
                        for p in sorted(dispute.properties, key=str)
                        for v in self.view.values(other, p)
                    ],
                }
                for other in dispute.claims
                if other != claim
            ]
            notes.append({"href": self.href(dispute.disagreement) or "#", "sides": sides})
        return notes

    def claim(self, claim: URIRef, role: URIRef | None) -> dict:
        """A claim with its qualifiers, its sources and its quotes, inline in another page."""
        view = self.view
        return {
            "term": self.term(claim),
            "types": self.types(claim),
            "role": self.term(role) if role is not None else None,
            "qualifiers": [
                {
                    "predicate": self.term(s.predicate),
                    "value": self.term(s.value),
                    "notes": self.dispute_notes(claim, s.predicate),
                }
                for s in view.statements(claim)
                if s.predicate not in CLAIM_HOUSEKEEPING
            ],
            "evidence": [
                {
                    "source": self.term(source),
                    "quotes": [self.quote(q) for q in view.quotes(claim, source)],
                }
                for source in view.values(claim, DERIVED_FROM)
            ],
        }


# -- Resource pages -------------------------------------------------------------------------


def resource_page(view: DatasetView, iri: URIRef, json_ld: dict, extras: dict | None = None) -> str:
    """A resource's page; ``extras`` is the ontology's documentation (``ontology_extras``)."""
    path = view.paths[iri]
    page = Page(document(path, "html"))
    r = Renderer(view, page)
    en, ko = view.names(iri)
    forms = [
        {"ext": ext, "type": DOCUMENT_TYPES[ext], "href": page.href(document(path, ext))}
        for ext in RDF_DOCUMENTS
    ]
    sides = None
    if any(d.disagreement == iri for ds in view.disputes.values() for d in ds):
        sides = {
            "properties": r.terms(sorted(view.dataset.objects(iri, DISPUTED_PROPERTY), key=str)),
            "claims": [r.claim(c, None) for c in view.values(iri, CLAIM)],
        }
    return render_page(
        "resource.html",
        page,
        en or ko or "",
        ko,
        en=en,
        ko=ko,
        iri=str(iri),
        types=r.types(iri),
        forms=forms,
        json_ld=script_json(json_ld),
        ontology=extras,
        source_quotes=_source_quotes(r, iri) if view.is_source(iri) else [],
        sides=sides,
        facts=_facts(r, iri),
        incoming=_incoming(r, iri),
    )


def _facts(r: Renderer, iri: URIRef) -> list[dict]:
    by_graph: dict[URIRef, list] = defaultdict(list)
    for statement in r.view.statements(iri):
        if statement.predicate in HIDDEN_FACTS:
            continue
        for graph in statement.graphs:
            by_graph[graph].append(statement)
    words = {"curated": "curated_names_no_single", "ontology": "the_vocabulary"}
    words["imports"] = "imported_vocabularies"
    groups = []
    for graph in sorted(by_graph, key=lambda g: (r.view.graph_kind(g) != "curated", str(g))):
        word = words.get(r.view.graph_kind(graph))
        rows = [
            {
                "predicate": r.term(s.predicate),
                "value": r.term(s.value),
                "notes": r.dispute_notes(iri, s.predicate),
            }
            for s in by_graph[graph]
        ]
        groups.append(
            {
                "word": word,
                "source": None if word else r.term(graph),
                "rows": rows,
                "quotes": [r.quote(q) for q in r.view.quotes(iri, graph)],
            }
        )
    return groups


def _incoming(r: Renderer, iri: URIRef) -> list[dict]:
    skip = {RDF.type, QUOTED_FROM, CLAIM} if r.view.is_source(iri) else {RDF.type, CLAIM}
    items = []
    for statement in r.view.incoming_links(iri):
        if statement.predicate in skip:
            continue
        subject = statement.value
        if r.view.is_claim(subject):
            items.append({"claim": r.claim(subject, statement.predicate)})
        else:
            predicate = r.term(statement.predicate)
            items.append({"claim": None, "subject": r.term(subject), "predicate": predicate})
    return items


def _source_quotes(r: Renderer, source: URIRef) -> list[dict]:
    quotes = [s.value for s in r.view.incoming_links(source) if s.predicate == QUOTED_FROM]
    ordered = sorted(quotes, key=lambda q: (int(r.view.value(q, OA_START) or 0), str(q)))
    return [r.quote(q) for q in ordered]


# -- Ontology -------------------------------------------------------------------------------


def ontology_extras(view: DatasetView, ontology: URIRef, diagram: str | None) -> dict:
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
    return {
        "diagram": page.href(diagram) if diagram else None,
        "classes": [_term_summary(r, c) for c in classes],
        "properties": [_term_summary(r, p) for p in properties],
        "others": [_term_summary(r, o) for o in others],
    }


def _term_summary(r: Renderer, term: URIRef) -> dict:
    view = r.view
    labels = view.labels.get(term, {})
    comments = {
        c.language: str(c)
        for c in view.dataset.objects(term, RDFS.comment)
        if isinstance(c, Literal)
    }
    rows = []
    for prop, en, ko in ((RDFS.domain, "Domain", "정의역"), (RDFS.range, "Range", "치역")):
        values = view.values(term, prop)
        if values:
            rows.append({"word": (en, ko), "objects": r.terms(values)})
    for prop in ALIGNMENTS:
        values = view.values(term, prop)
        if values:
            rows.append({"word": None, "property": r.term(prop), "objects": r.terms(values)})
    count = len(view.instances(term)) if view.is_class(term) else 0
    return {
        "anchor": str(term).rsplit("#", 1)[-1],
        "href": r.href(term) or "#",
        "en": labels.get("en"),
        "ko": labels.get("ko"),
        "short": shorten(str(term)),
        "comments": sorted(comments.items()),
        "types": r.types(term),
        "rows": rows,
        "instances": count,
        "instances_href": r.page.href(f"classes/{_class_slug(term)}.html"),
    }


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
        pages[file] = render_page(
            "class_index.html",
            page,
            f"{en} ({number}/{len(files)})",
            ko,
            en=en,
            ko=ko,
            count=len(members),
            about=r.href(cls),
            pages=list(enumerate(files, 1)),
            number=number,
            members=r.terms(chunk),
        )
    return pages


def _class_rows(r: Renderer, classes: list[URIRef]) -> list[dict]:
    rows = []
    for c in classes:
        en, ko = r.view.names(c)
        href = r.page.href(f"classes/{_class_slug(c)}.html")
        count = len(r.view.instances(c))
        rows.append({"href": href, "en": en, "ko": ko, "short": shorten(str(c)), "count": count})
    return rows


def classes_page(view: DatasetView, classes: list[URIRef]) -> str:
    page = Page("classes.html")
    rows = _class_rows(Renderer(view, page), classes)
    return render_page("classes.html", page, "Classes", "클래스", classes=rows)


# -- Queries --------------------------------------------------------------------------------


def queries_page(view: DatasetView, runs: list) -> str:
    """``runs``: (StoredQuery, Results or an error message) for each stored query."""
    page = Page("queries.html")
    r = Renderer(view, page)
    shown_runs = []
    for stored, results in runs:
        run = {"query": stored, "error": results if isinstance(results, str) else None}
        if run["error"] is None:
            shown = results.rows[:200]
            run.update(
                variables=results.variables,
                count=len(results.rows),
                rows=[[None if t is None else r.term(to_rdflib(t)) for t in row] for row in shown],
                hidden=len(results.rows) - len(shown),
            )
        shown_runs.append(run)
    return render_page("queries.html", page, "Query catalog", "질의 목록", runs=shown_runs)


# -- Home and search ------------------------------------------------------------------------


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
    return render_page(
        "home.html",
        page,
        "WeGO Knowledge Graph",
        "WeGO 지식 그래프",
        version=version,
        counts=counts,
        classes=_class_rows(Renderer(view, page), classes),
        downloads=downloads,
        releases=list(releases),
    )


def search_page(view: DatasetView, documents: list[dict]) -> str:
    page = Page("search.html")
    entries = sorted(documents, key=lambda d: ((d["en"] or d["ko"]).casefold(), d["path"]))
    return render_page(
        "search.html", page, "Find a name", "이름 찾기", entries=entries, index=script_json(entries)
    )
