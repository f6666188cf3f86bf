"""How the site build treats its output folder: it replaces an earlier site whole, refuses to
overwrite a folder that is not a site, and a failed build leaves nothing half-written."""

from __future__ import annotations

import pytest
from conftest import ROOT
from rdflib import Dataset

from wegokg.publish.site import OutputFolderError, SiteError, build
from wegokg.publish.site import build_site as build_site_function
from wegokg.query.catalog import QueryCatalog

FIXTURES = ROOT / "tests" / "fixtures" / "site"


@pytest.fixture
def small():
    dataset = Dataset(default_union=True)
    dataset.parse(FIXTURES / "hostile.trig", format="trig")
    return dataset, QueryCatalog.from_folder(FIXTURES / "queries")


def build_site(dataset, out, catalog):
    return build_site_function(dataset, out, catalog=catalog, version="0.0.0")


def test_a_second_build_replaces_the_first(small, tmp_path):
    # The page of a resource that is gone from the data goes with it. (Before issue 13 this test
    # wrote stale.html by hand; a file the build did not write is now kept, as a .htaccess is.)
    dataset, catalog = small
    out = tmp_path / "site"
    older = Dataset(default_union=True)
    older.parse(FIXTURES / "hostile.trig", format="trig")
    older.parse(data=STALE, format="trig")
    build_site(older, out, catalog)
    assert (out / "id" / "city" / "stale.html").is_file()
    summary = build_site(dataset, out, catalog)
    assert summary.pages > 5
    assert (out / "index.html").is_file()
    assert not (out / "id" / "city" / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


STALE = """
<https://w3id.org/wegokg/graph/curated> {
    <https://w3id.org/wegokg/id/city/stale> a <https://w3id.org/wegokg/ontology#City> ;
        <http://www.w3.org/2000/01/rdf-schema#label> "Stale"@en .
}
"""


def test_files_of_yours_in_a_site_are_kept_and_the_site_replaced(small, tmp_path):
    # The README says to put deploy/apache.conf into the site as .htaccess: a rebuild keeps it,
    # and any other file the build did not write, with its permissions.
    dataset, catalog = small
    out = tmp_path / "site"
    build_site(dataset, out, catalog)
    (out / ".htaccess").write_text("RewriteEngine On\n")
    (out / "robots.txt").write_text("User-agent: *\n")
    (out / "robots.txt").chmod(0o600)
    (out / "id" / "city" / "notes.md").write_text("mine")
    (out / "index.html").write_text("edited by hand")  # the build's own: replaced
    build_site(dataset, out, catalog)
    assert (out / ".htaccess").read_text() == "RewriteEngine On\n"
    assert (out / "robots.txt").stat().st_mode & 0o777 == 0o600
    assert (out / "id" / "city" / "notes.md").read_text() == "mine"
    assert "edited by hand" not in (out / "index.html").read_text()
    build_site(dataset, out, catalog)  # kept again: a kept file never becomes the build's own
    assert (out / ".htaccess").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_file_of_yours_that_the_site_would_write_over_is_refused(small, tmp_path):
    dataset, catalog = small
    out = tmp_path / "site"
    build_site(dataset, out, catalog)
    (out / "search.html").unlink()
    marker = out / ".wegokg-site"
    lines = marker.read_text().splitlines()
    marker.write_text("".join(f"{line}\n" for line in lines if line != "search.html"))
    (out / "search.html").write_text("mine")
    with pytest.raises(OutputFolderError, match="search.html"):
        build_site(dataset, out, catalog)
    assert (out / "search.html").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_site_through_a_symbolic_link_keeps_the_link(small, tmp_path):
    dataset, catalog = small
    (tmp_path / "real").mkdir()
    (tmp_path / "site").symlink_to("real")
    build_site(dataset, tmp_path / "site", catalog)
    build_site(dataset, tmp_path / "site", catalog)
    assert (tmp_path / "site").is_symlink()
    assert (tmp_path / "real" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real", "site"]


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
    from wegokg.cli.main import USAGE, main

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


def test_a_site_from_before_the_file_list_keeps_only_its_hidden_files_at_the_top(small, tmp_path):
    # A marker holding only the version, as sites were built before issue 13: a .htaccess at the
    # top is kept, a page the build no longer writes is not.
    dataset, catalog = small
    out = tmp_path / "site"
    build_site(dataset, out, catalog)
    (out / ".wegokg-site").write_text("wegokg site 0.0.0\n")
    (out / ".htaccess").write_text("RewriteEngine On\n")
    (out / "id" / "city" / "stale.html").write_text("from an older build")
    build_site(dataset, out, catalog)
    assert (out / ".htaccess").is_file()
    assert not (out / "id" / "city" / "stale.html").exists()
