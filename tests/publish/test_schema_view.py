"""The schema.org view: every page of a named thing gives its resource a schema.org type and a
schema:name in Korean and English, the union of the pages' JSON-LD conforms to schema.org's own
SHACL shapes (release 30.0, vendored in shapes/schemaorg/), and the view is derived from the
ontology's alignments, adding to the full graph and never replacing it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from wegokg.core.repository import Repository
from wegokg.publish.exports import VIEW_FILES, export
from wegokg.publish.schema_view import SchemaMapping, check_against_schemaorg

SCHEMA = "https://schema.org/"
NAMED_KINDS = ("city", "country", "organization", "person", "place", "event", "award", "source")


def _page_graph(path: Path) -> Graph:
    return Graph().parse(data=path.read_text(encoding="utf-8"), format="json-ld")


def _resource(path: Path, site: Path) -> URIRef:
    return URIRef("https://w3id.org/wegokg/" + str(path.relative_to(site).with_suffix("")))


@pytest.fixture(scope="module")
def shapes_folder() -> Path:
    return Repository.find(ROOT).schemaorg_shapes_folder


def test_every_page_of_a_named_thing_gives_a_schema_type_and_names_in_ko_and_en(built_site):
    pages = sorted(p for kind in NAMED_KINDS for p in (built_site / "id" / kind).glob("*.jsonld"))
    assert len(pages) >= 48
    lacking = []
    for page in pages:
        graph, resource = _page_graph(page), _resource(page, built_site)
        types = [t for t in graph.objects(resource, RDF.type) if str(t).startswith(SCHEMA)]
        names = {n.language for n in graph.objects(resource, URIRef(SCHEMA + "name"))}
        if not types or not {"ko", "en"} <= names:
            lacking.append((page.relative_to(built_site).as_posix(), types, sorted(names)))
    assert lacking == []


def test_the_html_page_embeds_the_same_json_ld(built_site):
    page = built_site / "id" / "event" / "wego-general-assembly-5.html"
    html = page.read_text(encoding="utf-8")
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    embedded = json.loads(html[start : html.index("</script>", start)])
    resource = URIRef("https://w3id.org/wegokg/id/event/wego-general-assembly-5")
    graph = Graph().parse(data=json.dumps(embedded), format="json-ld")
    assert URIRef(SCHEMA + "Event") in set(graph.objects(resource, RDF.type))
    assert URIRef(SCHEMA + "location") in set(graph.predicates(resource))
    assert URIRef(SCHEMA + "subjectOf") in set(graph.predicates(resource))


def test_a_city_page_links_wikidata_and_geonames(built_site):
    page = built_site / "id" / "city" / "seoul.jsonld"
    graph = _page_graph(page)
    same = {str(o) for o in graph.objects(_resource(page, built_site), URIRef(SCHEMA + "sameAs"))}
    assert any(o.startswith("http://www.wikidata.org/entity/") for o in same), same
    assert any(o.startswith("https://sws.geonames.org/") for o in same), same


def test_the_union_of_the_pages_json_ld_conforms_to_schemaorg_shapes(built_site, shapes_folder):
    union = Graph()
    for page in (built_site / "id").rglob("*.jsonld"):
        union += _page_graph(page)
    report = check_against_schemaorg(union, shapes_folder)
    assert report.conforms, report.text[:4000]


def test_the_shapes_check_finds_what_schemaorg_forbids(shapes_folder):
    """Not vacuous: the https terms are read against the http shapes, and a name must be text."""
    graph = Graph()
    city = URIRef("https://w3id.org/wegokg/id/city/nowhere")
    graph.add((city, RDF.type, URIRef(SCHEMA + "City")))
    graph.add((city, URIRef(SCHEMA + "name"), Literal("Nowhere", lang="en")))
    assert check_against_schemaorg(graph, shapes_folder).conforms
    graph.add((city, URIRef(SCHEMA + "name"), BNode()))
    report = check_against_schemaorg(graph, shapes_folder)
    assert not report.conforms
    assert "http://schema.org/name" in report.text or "schema1:name" in report.text


def test_the_view_follows_the_alignments_and_not_a_close_match():
    vocabulary = Graph().parse(
        data="""
        @prefix wego: <https://w3id.org/wegokg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix schema: <https://schema.org/> .
        wego:Gala rdfs:subClassOf wego:Party . wego:Party rdfs:subClassOf schema:SocialEvent .
        schema:SocialEvent rdfs:subClassOf schema:Event .
        wego:Nation owl:equivalentClass schema:Country .
        wego:Note skos:closeMatch schema:Comment .
        wego:venue rdfs:subPropertyOf schema:location .
        wego:near skos:closeMatch schema:location .
        schema:name rdfs:subPropertyOf rdfs:label .
        """,
        format="turtle",
    )
    mapping = SchemaMapping(vocabulary)
    wego = "https://w3id.org/wegokg/ontology#"
    assert mapping.types([URIRef(wego + "Gala")]) == {URIRef(SCHEMA + "SocialEvent")}
    assert mapping.types([URIRef(wego + "Nation")]) == {URIRef(SCHEMA + "Country")}
    assert mapping.types([URIRef(wego + "Note")]) == set()
    assert mapping.properties(URIRef(wego + "venue")) == {URIRef(SCHEMA + "location")}
    assert mapping.properties(URIRef(wego + "near")) == set()
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert mapping.properties(label) == {URIRef(SCHEMA + "name")}


def test_export_writes_the_schema_view_beside_the_full_graph(dataset, tmp_path, shapes_folder):
    export(dataset, tmp_path / "one", ["turtle"], "0.0.0", views=["schema"])
    export(dataset, tmp_path / "two", ["turtle"], "0.0.0", views=["schema"])
    name = VIEW_FILES["schema"]
    first = (tmp_path / "one" / name).read_bytes()
    assert first == (tmp_path / "two" / name).read_bytes()
    view = Graph().parse(data=first.decode("utf-8"), format="json-ld")
    seoul = URIRef("https://w3id.org/wegokg/id/city/seoul")
    assert URIRef(SCHEMA + "City") in set(view.objects(seoul, RDF.type))
    same = {str(o) for o in view.objects(seoul, URIRef(SCHEMA + "sameAs"))}
    assert any(o.startswith("http://www.wikidata.org/entity/") for o in same)
    assert any(o.startswith("https://sws.geonames.org/") for o in same)
    assert check_against_schemaorg(view, shapes_folder).conforms
    full = Graph().parse(tmp_path / "one" / "wegokg.ttl")
    wego_types = {o for o in full.objects(seoul, RDF.type) if "wegokg/ontology" in str(o)}
    assert wego_types, "the full graph keeps its own vocabulary"


def test_an_unknown_view_is_refused(dataset, tmp_path):
    from wegokg.publish.exports import ExportError

    with pytest.raises(ExportError, match="unknown view"):
        export(dataset, tmp_path / "out", ["turtle"], "0.0.0", views=["dublin-core"])
    assert not (tmp_path / "out").exists()


def test_the_export_command_writes_the_view_when_asked(tmp_path):
    from support.inprocess import wegokg

    done = wegokg("export", "--format", "turtle", "--view", "schema", "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / VIEW_FILES["schema"]).is_file()
    done = wegokg("export", "--format", "turtle", "-o", str(tmp_path / "plain"))
    assert not (tmp_path / "plain" / VIEW_FILES["schema"]).exists()
