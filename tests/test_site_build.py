"""How the site build treats its output folder: it replaces an earlier site whole, refuses to
overwrite a folder that is not a site, and a failed build leaves nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset

from wegokg.catalog import QueryCatalog
from wegokg.site import OutputFolderError, SiteError, build
from wegokg.site import build_site as build_site_function

FIXTURES = Path(__file__).parent / "fixtures" / "site"


@pytest.fixture
def small():
    dataset = Dataset(default_union=True)
    dataset.parse(FIXTURES / "hostile.trig", format="trig")
    return dataset, QueryCatalog.from_folder(FIXTURES / "queries")


def build_site(dataset, out, catalog):
    return build_site_function(dataset, out, catalog=catalog, version="0.0.0")


def test_a_second_build_replaces_the_first(small, tmp_path):
    dataset, catalog = small
    out = tmp_path / "site"
    build_site(dataset, out, catalog)
    (out / "id" / "city" / "stale.html").write_text("left from an older build")
    summary = build_site(dataset, out, catalog)
    assert summary.pages > 5
    assert (out / "index.html").is_file()
    assert not (out / "id" / "city" / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_folder_that_is_not_a_site_is_never_overwritten(small, tmp_path):
    dataset, catalog = small
    out = tmp_path / "notes"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(OutputFolderError, match="not empty"):
        build_site(dataset, out, catalog)
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_a_failed_build_leaves_the_previous_site_and_no_scratch_files(small, tmp_path, monkeypatch):
    dataset, catalog = small
    out = tmp_path / "site"
    build_site(dataset, out, catalog)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(build, "_sitemap", broken)
    with pytest.raises(OSError, match="disk full"):
        build_site(dataset, out, catalog)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_iri_that_cannot_be_a_path_is_refused_with_its_name(small, tmp_path):
    dataset, catalog = small
    dataset.parse(
        data="<https://w3id.org/wegokg/id/city/../../etc> "
        "<http://www.w3.org/2000/01/rdf-schema#label> 'x' .",
        format="turtle",
    )
    with pytest.raises(SiteError, match=r"id/city/\.\./\.\./etc"):
        build_site(dataset, tmp_path / "site", catalog)
    assert not (tmp_path / "site").exists()


def test_the_command_refuses_a_foreign_folder_as_a_usage_error(tmp_path, capsys):
    from wegokg.cli import USAGE, main

    (tmp_path / "mine.txt").write_text("keep me")
    assert main(["site", "-o", str(tmp_path)]) == USAGE
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_void_names_an_endpoint_only_when_one_is_given(small, tmp_path):
    from rdflib import Graph, URIRef

    dataset, catalog = small
    endpoint = URIRef("http://127.0.0.1:8000/sparql")
    sparql_endpoint = URIRef("http://rdfs.org/ns/void#sparqlEndpoint")
    build_site(dataset, tmp_path / "plain", catalog)
    void = Graph().parse(tmp_path / "plain" / ".well-known" / "void", format="turtle")
    assert (None, sparql_endpoint, None) not in void
    build_site_function(
        dataset, tmp_path / "served", catalog=catalog, version="0", endpoint=str(endpoint)
    )
    void = Graph().parse(tmp_path / "served" / ".well-known" / "void", format="turtle")
    assert (None, sparql_endpoint, endpoint) in void
    examples = Graph().parse(tmp_path / "served" / "queries" / "catalog.ttl", format="turtle")
    assert (None, URIRef("https://schema.org/target"), endpoint) in examples
