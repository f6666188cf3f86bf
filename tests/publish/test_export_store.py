"""Exports from a pyoxigraph store: pyoxigraph writes every format but compacted JSON-LD, with no
rdflib Dataset on the way, and the bytes are those of an export from an rdflib Dataset."""

from __future__ import annotations

import pyoxigraph
import pytest
import rdflib
from conftest import ROOT

from wegokg.core.loading import load_store
from wegokg.core.namespaces import PREFIXES
from wegokg.core.repository import Repository
from wegokg.publish.exports import FORMATS, ExportError, export

WRITTEN_BY_PYOXIGRAPH = ["ntriples", "nquads", "trig", "turtle", "rdfxml"]


@pytest.fixture(scope="module")
def store():
    return load_store(Repository(ROOT))


def test_the_store_exports_without_building_an_rdflib_dataset(store, tmp_path, monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("an rdflib Dataset was built")

    monkeypatch.setattr(rdflib.Dataset, "__init__", refused)
    written = export(store, tmp_path / "out", WRITTEN_BY_PYOXIGRAPH, "0.1.0")
    names = {path.name for path in written}
    assert {FORMATS[f].filename for f in WRITTEN_BY_PYOXIGRAPH} <= names
    assert all(path.stat().st_size > 1000 for path in written)


def test_a_store_and_a_dataset_export_the_same_bytes(store, dataset, tmp_path):
    from_store = export(store, tmp_path / "store", ["all"], "0.1.0")
    from_dataset = export(dataset, tmp_path / "dataset", ["all"], "0.1.0")
    assert [p.name for p in from_store] == [p.name for p in from_dataset]
    for mine, theirs in zip(from_store, from_dataset, strict=True):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name


def test_the_line_formats_are_sorted_and_hold_each_statement_once(store, tmp_path):
    export(store, tmp_path, ["ntriples", "nquads"], "0.1.0")
    for name in ("wegokg.nt", "wegokg.nq"):
        lines = (tmp_path / name).read_bytes().split(b"\n")
        assert lines[-1] == b"", name  # ends with a newline
        assert lines[:-1] == sorted(set(lines[:-1])), name


def test_prefixes_are_declared_once_each_in_alphabetical_order(store, tmp_path):
    export(store, tmp_path, ["turtle", "trig", "rdfxml"], "0.1.0")
    for name in ("wegokg.ttl", "wegokg.trig"):
        lines = (tmp_path / name).read_text(encoding="utf-8").splitlines()
        declared = [line.split()[1][:-1] for line in lines if line.startswith("@prefix ")]
        assert declared == sorted(PREFIXES), name
    head = (tmp_path / "wegokg.rdf").read_text(encoding="utf-8").split(">", 2)[1]
    declared = [part.split("=")[0] for part in head.split(" xmlns:")[1:]]
    assert declared == sorted(declared) and set(PREFIXES) <= set(declared)


def test_turtle_is_written_with_the_project_prefixes_and_grouped_by_subject(store, tmp_path):
    export(store, tmp_path, ["turtle"], "0.1.0")
    text = (tmp_path / "wegokg.ttl").read_text(encoding="utf-8")
    assert "\ncity:seoul a wego:City ;\n" in text
    assert text.count("\ncity:seoul ") == 1
    assert "<https://w3id.org/wegokg/id/city/seoul>" not in text


def test_a_blank_node_in_a_published_graph_is_refused(tmp_path):
    graph = pyoxigraph.NamedNode(PREFIXES["source"] + "odd")
    store = pyoxigraph.Store()
    store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(PREFIXES["city"] + "seoul"),
            pyoxigraph.NamedNode(PREFIXES["rdfs"] + "seeAlso"),
            pyoxigraph.BlankNode(),
            graph,
        )
    )
    with pytest.raises(ExportError, match=f"graph {graph.value} holds blank nodes"):
        export(store, tmp_path / "out", ["ntriples"], "0.1.0")
    assert not (tmp_path / "out").exists()


def test_a_property_that_is_no_xml_name_is_refused_in_rdf_xml_only(tmp_path):
    store = pyoxigraph.Store()
    store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(PREFIXES["city"] + "seoul"),
            pyoxigraph.NamedNode("https://example.org/property/"),
            pyoxigraph.Literal("x"),
            pyoxigraph.NamedNode(PREFIXES["source"] + "odd"),
        )
    )
    with pytest.raises(ExportError, match="RDF/XML cannot write the property"):
        export(store, tmp_path / "out", ["rdfxml"], "0.1.0")
    assert not (tmp_path / "out").exists()
    export(store, tmp_path / "out", ["ntriples"], "0.1.0")
    assert b"<https://example.org/property/>" in (tmp_path / "out" / "wegokg.nt").read_bytes()


def test_the_one_n_triples_writer_writes_canonical_n_triples_as_the_export_does(tmp_path):
    """dumps.ntriples_lines, which the site's .nt pages and load's bodies use: control
    characters escaped, the language tag in lower case, xsd:string implicit, as in the export."""
    from wegokg.publish.dumps import ntriples_document, ntriples_lines

    s, p = rdflib.URIRef("urn:x:s"), rdflib.URIRef("urn:x:p")
    xsd_string = rdflib.URIRef("http://www.w3.org/2001/XMLSchema#string")
    dataset = rdflib.Dataset()
    graph = dataset.graph(rdflib.URIRef("urn:x:g"))
    graph.add((s, p, rdflib.Literal('a\x01b\x7f\tc"\\', lang="EN-GB")))
    graph.add((s, p, rdflib.Literal("plain", datatype=xsd_string)))
    lines = ntriples_lines(graph)
    # What pyoxigraph's own parser reads back is the same statements.
    parsed = pyoxigraph.parse(ntriples_document(lines), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert sorted(str(t).encode() + b" ." for t in parsed) == lines
    assert b'"a\\u0001b\\u007F\\tc\\"\\\\"@en-gb' in lines[0] and lines[1].endswith(b'"plain" .')
    export(dataset, tmp_path / "out", ["ntriples"], "0.1.0")
    assert (tmp_path / "out" / "wegokg.nt").read_bytes() == ntriples_document(lines)
