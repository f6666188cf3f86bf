"""The static site: every page and link resolves, pages are accessible HTML, every resource has
its page and RDF documents, the downloads and catalog are published, and disputes show every side.

The site of the repository's data is built once per session (conftest.built_site)."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import stat
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS
from support.site_pages import parse_site

from wegokg.core.namespaces import BASE, PREFIXES
from wegokg.publish.site import site_path
from wegokg.publish.site.names import normalize
from wegokg.query.catalog import QueryCatalog

SH = PREFIXES["sh"]
SCHEMA = PREFIXES["schema"]


@pytest.fixture(scope="module")
def pages(built_site):
    return parse_site(built_site)


def our_iris(dataset) -> set[URIRef]:
    return {
        t
        for triple in dataset.triples((None, None, None))
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(BASE)
    }


# -- Links and assets -----------------------------------------------------------------------


def test_no_internal_link_is_broken_and_no_asset_is_missing(built_site, pages):
    broken = []
    for name, page in pages.items():
        for tag, attribute, value in page.links:
            parts = urlsplit(value)
            if parts.scheme:
                continue
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(name), unquote(parts.path))
            ) if parts.path else name  # fmt: skip
            if target.startswith("..") or not (built_site / target).is_file():
                broken.append(f"{name}: <{tag} {attribute}={value!r}> -> {target}")
                continue
            anchored = parts.fragment and target.endswith(".html")
            if anchored and parts.fragment not in pages[target].ids:
                broken.append(f"{name}: {value!r} names no id in {target}")
    assert not broken, "\n".join(broken[:20])
    assert len(pages) > 300


def test_every_link_is_relative_or_http(pages):
    outside = {
        value
        for page in pages.values()
        for _, _, value in page.links
        if urlsplit(value).scheme not in ("", "http", "https")
    }
    assert not outside


# -- Accessibility basics -------------------------------------------------------------------


def test_every_page_has_a_language_one_h1_headings_in_order_and_unique_ids(pages):
    problems = []
    for name, page in pages.items():
        if page.html_lang not in ("en", "ko"):
            problems.append(f"{name}: <html lang={page.html_lang!r}>")
        if page.headings.count(1) != 1 or page.headings[0] != 1:
            problems.append(
                f"{name}: {page.headings.count(1)} h1, first heading h{page.headings[0]}"
            )
        if page.duplicate_ids:
            problems.append(f"{name}: ids used twice: {sorted(page.duplicate_ids)}")
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            if after > before + 1:
                problems.append(f"{name}: h{before} is followed by h{after}")
    assert not problems, "\n".join(problems[:20])


def test_every_image_has_a_text_alternative_and_every_page_a_viewport(pages):
    for name, page in pages.items():
        for tag, attributes in page.tags:
            if tag == "img":
                assert attributes.get("alt"), name
        assert any(tag == "meta" and a.get("name") == "viewport" for tag, a in page.tags), name


def test_no_page_loads_anything_from_outside(pages):
    for name, page in pages.items():
        for tag, attribute, value in page.links:
            if attribute == "src" or (tag == "link" and attribute == "href"):
                assert not urlsplit(value).scheme, f"{name} loads {value}"


# -- Every resource, its page and its RDF ---------------------------------------------------


def test_every_resource_of_the_dataset_has_its_page_and_documents(dataset, built_site):
    missing = []
    for iri in our_iris(dataset):
        path = site_path(str(iri))
        for extension in ("html", "ttl", "jsonld", "nt"):
            if not (built_site / f"{path}.{extension}").is_file():
                missing.append(f"{path}.{extension}")
    assert not missing, missing[:20]


@pytest.mark.parametrize(
    "iri",
    [
        BASE + "id/city/seongnam",
        BASE + "id/fact/seongnam-executive-committee-6th-term",
        BASE + "id/quote/seongnam-lead",
        BASE + "ontology#City",
    ],
)
def test_turtle_and_json_ld_of_a_resource_hold_its_statements(dataset, built_site, iri):
    """Its own statements, and for a resource of the data the schema.org view of it, which adds
    statements with schema.org terms only (tests/publish/test_schema_view.py)."""
    from wegokg.publish.schema_view import describe, mapping_of, source_documents

    path = site_path(iri)
    expected = Graph()
    for triple in dataset.triples((URIRef(iri), None, None)):
        expected.add(triple)
    own = len(expected)
    if "/id/" in iri:
        for triple in describe(
            dataset, URIRef(iri), mapping_of(dataset), source_documents(dataset)
        ):
            expected.add(triple)
        added = [t for t in expected if t not in set(dataset.triples((URIRef(iri), None, None)))]
        assert added and all(
            str(p).startswith("https://schema.org/") or str(o).startswith("https://schema.org/")
            for _, p, o in added
        )
    else:
        assert len(expected) == own
    turtle = Graph().parse(built_site / f"{path}.ttl", format="turtle")
    json_ld = Graph().parse(built_site / f"{path}.jsonld", format="json-ld")
    ntriples = Graph().parse(built_site / f"{path}.nt", format="nt")
    assert len(expected) > 3
    assert isomorphic(turtle, expected)
    assert isomorphic(json_ld, expected)
    assert isomorphic(ntriples, expected)


def test_a_page_embeds_its_json_ld_and_links_every_rdf_form(built_site, pages):
    page = pages["id/city/seongnam.html"]
    embedded = [content for kind, content in page.scripts if kind == "application/ld+json"]
    assert len(embedded) == 1
    on_disk = json.loads((built_site / "id/city/seongnam.jsonld").read_text(encoding="utf-8"))
    assert json.loads(embedded[0]) == on_disk
    assert isinstance(on_disk["@context"], dict)  # inline: reading it fetches nothing
    alternates = {
        (a.get("type"), a.get("href"))
        for tag, a in page.tags
        if tag == "link" and a.get("rel") == "alternate"
    }
    assert alternates == {
        ("text/turtle", "seongnam.ttl"),
        ("application/ld+json", "seongnam.jsonld"),
        ("application/n-triples", "seongnam.nt"),
    }


def test_a_page_shows_both_labels_in_their_languages(built_site):
    html = (built_site / "id/city/seongnam.html").read_text(encoding="utf-8")
    assert '<span class="bi" lang="en">Seongnam</span>' in html
    assert '<span class="bi" lang="ko">성남시</span>' in html
    assert 'id="show-ko"' in html  # the switch, without script


def test_a_city_page_shows_claims_with_qualifiers_and_their_quotes(built_site, dataset):
    page = (built_site / "id/city/seongnam.html").read_text(encoding="utf-8")
    claim = BASE + "id/fact/seongnam-executive-committee-6th-term"
    assert 'href="../fact/seongnam-executive-committee-6th-term.html"' in page
    assert "2023-12-31" in page  # schema:endDate, a qualifier of the membership
    quote = dataset.value(URIRef(claim), URIRef(PREFIXES["wego"] + "evidence"))
    exact = str(dataset.value(quote, URIRef(PREFIXES["oa"] + "exact")))
    assert exact in page


def test_disputed_values_are_marked_with_every_side(built_site, pages):
    claim = "id/fact/seongnam-executive-committee-6th-term.html"
    html = (built_site / claim).read_text(encoding="utf-8")
    assert 'class="disputed"' in html
    assert "wego-general-assembly-5-election.html" in html  # the other side
    assert "disagreement-executive-committee-term.html" in html
    disagreement = pages["id/fact/disagreement-executive-committee-term.html"]
    hrefs = {value for _, _, value in disagreement.links}
    assert "seongnam-executive-committee-6th-term.html" in hrefs
    assert "wego-general-assembly-5-election.html" in hrefs


def test_a_source_page_shows_its_quotes_but_never_the_article(built_site, dataset):
    source = URIRef(BASE + "id/source/seongnam-2021-10-20")
    page = (built_site / "id/source/seongnam-2021-10-20.html").read_text(encoding="utf-8")
    exact = URIRef(PREFIXES["oa"] + "exact")
    quoted_from = URIRef(PREFIXES["prov"] + "wasQuotedFrom")
    quotes = [str(dataset.value(q, exact)) for q in dataset.subjects(quoted_from, source)]
    assert quotes
    for text in quotes:
        assert text in page.replace("&quot;", '"').replace("&#x27;", "'")
    article = ROOT / "data" / str(dataset.value(source, URIRef(PREFIXES["wego"] + "textFile")))
    unquoted = [
        line.strip()
        for line in article.read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 40 and not any(line.strip() in q for q in quotes)
    ]
    assert unquoted
    for line in unquoted:
        assert line not in page


# -- Indexes, search, ontology, queries -----------------------------------------------------


def test_class_indexes_are_paged_and_list_every_instance(built_site, pages, dataset):
    quotes = {str(q) for q in dataset.subjects(RDF.type, URIRef(PREFIXES["wego"] + "Quote"))}
    assert len(quotes) > 50
    listed = set()
    for name in ("classes/wego-Quote.html", "classes/wego-Quote-2.html"):
        for _, _, href in pages[name].links:
            if href.startswith("../id/quote/"):
                listed.add(BASE + href[3:].removesuffix(".html"))
    assert listed == quotes
    assert not (built_site / "classes/wego-Quote-3.html").exists()


def test_the_search_index_finds_names_without_accents_or_case(built_site):
    index = json.loads((built_site / "search-index.json").read_text(encoding="utf-8"))
    by_path = {entry["path"]: entry for entry in index}
    seongnam = by_path["id/city/seongnam.html"]["names"]
    assert normalize("성남시") in seongnam and normalize("SEONGNAM") in seongnam
    assert normalize("Sao Paulo") in by_path["id/city/sao-paulo.html"]["names"]
    assert normalize("Sao Paulo") == normalize("São Paulo")


def test_the_search_page_works_without_script_by_listing_every_name(pages, built_site):
    search = pages["search.html"]
    index = json.loads((built_site / "search-index.json").read_text(encoding="utf-8"))
    hrefs = {value for _, _, value in search.links}
    assert {entry["path"] for entry in index} <= hrefs
    home = pages["index.html"]
    forms = [a for tag, a in home.tags if tag == "form"]
    assert forms and forms[0]["action"] == "search.html"


def test_the_ontology_page_documents_every_class_and_property(pages, dataset):
    page = pages["ontology.html"]
    wego = PREFIXES["wego"]
    ontology = dataset.graph(URIRef(BASE + "ontology"))
    terms = {
        str(s)[len(wego) :] for s in ontology.subjects(RDFS.label, None) if str(s).startswith(wego)
    }
    assert terms - page.ids == set()
    assert any(tag == "img" and a["src"] == "data-model.svg" for tag, a in page.tags)


def test_the_query_page_shows_every_stored_query_with_its_results(pages, built_site):
    catalog = QueryCatalog.from_repository(ROOT)
    page = pages["queries.html"]
    for stored in catalog:
        assert stored.name in page.ids
        assert (built_site / "queries" / f"{stored.name}.rq").read_text() == stored.text
    assert "Mexico City" in page.text  # a bidder, in the host-city-bids results


# -- Downloads, VoID, the catalog as RDF ----------------------------------------------------


def test_the_query_catalog_is_published_as_sparql_examples(built_site):
    from rdflib.plugins.sparql import prepareQuery

    catalog = QueryCatalog.from_repository(ROOT)
    graph = Graph().parse(built_site / "queries" / "catalog.ttl", format="turtle")
    executables = set(graph.subjects(RDF.type, URIRef(SH + "SPARQLExecutable")))
    assert len(executables) == len(catalog)
    for example in executables:
        labels = {label.language for label in graph.objects(example, RDFS.label)}
        assert labels == {"en", "ko"}
        assert graph.value(example, RDFS.comment)
        assert list(graph.objects(example, URIRef(SCHEMA + "keywords")))
        assert isinstance(graph.value(example, URIRef(SCHEMA + "target")), URIRef)
        prepareQuery(str(graph.value(example, URIRef(SH + "select"))))


def test_void_links_the_downloads_and_the_query_catalog(built_site):
    void = Graph().parse(built_site / ".well-known" / "void", format="turtle")
    dcat = PREFIXES["dcat"]
    urls = {str(u) for u in void.objects(None, URIRef(dcat + "downloadURL"))}
    for name in ("wegokg.ttl", "wegokg.nq", "wego.ttl", "wego-with-imports.ttl", "shapes.ttl"):
        assert BASE + "download/" + name in urls
        assert (built_site / "download" / name).is_file()
    assert BASE + "queries/catalog.ttl" in urls


def test_downloads_match_their_sha256_sums(built_site):
    sums = (built_site / "download" / "SHA256SUMS").read_text().splitlines()
    assert len(sums) >= 10
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((built_site / "download" / name).read_bytes()).hexdigest() == digest


def test_the_ontology_with_its_imports_holds_more_than_the_ontology(built_site):
    alone = Graph().parse(built_site / "download" / "wego.ttl", format="turtle")
    full = Graph().parse(built_site / "download" / "wego-with-imports.ttl", format="turtle")
    assert len(alone) > 100
    assert set(alone) < set(full)
    shapes = Graph().parse(built_site / "download" / "shapes.ttl", format="turtle")
    assert (None, RDF.type, URIRef(SH + "NodeShape")) in shapes


def test_every_file_of_the_site_is_readable_by_everyone(built_site):
    for path in [built_site, *built_site.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        wanted = 0o555 if path.is_dir() else 0o444
        assert mode & wanted == wanted, f"{path} has mode {mode:o}"


def test_the_sitemap_lists_every_page(built_site, pages):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    assert {BASE + name for name in pages if name != "index.html"} <= listed
    assert BASE in listed


def test_the_full_text_of_a_source_is_in_no_file_of_the_site(built_site):
    article = (ROOT / "data" / "sources" / "004_5b0afd051804e015.txt").read_text(encoding="utf-8")
    # The longest line of the article, which no quote covers whole, appears nowhere.
    longest = max(article.splitlines(), key=len).strip()
    assert len(longest) > 100
    for path in built_site.rglob("*"):
        if path.is_file() and path.suffix not in (".svg",):
            assert longest not in path.read_text(encoding="utf-8", errors="replace"), path


def test_a_quote_is_marked_with_the_language_of_its_source(pages):
    page = pages["id/quote/seongnam-lead.html"]
    assert ("blockquote", {"lang": "ko"}) in page.tags
