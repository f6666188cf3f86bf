"""Exports: every format reloads to a graph isomorphic to the source, the same input gives the
same bytes, the quad formats keep the named graphs, and a failed export writes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from wegokg.core.namespaces import DATASET_IRI, PREFIXES
from wegokg.publish import exports as export_module
from wegokg.publish.exports import FORMATS, ExportError, export, published, union

PARSERS = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "nquads": "nquads",
           "trig": "trig", "jsonld": "json-ld"}  # fmt: skip


@pytest.fixture(scope="module")
def exported(dataset, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    export(dataset, out, ["all"], "0.1.0", endpoint="http://127.0.0.1:7878/query")
    return out


@pytest.mark.parametrize("fmt", [f for f in FORMATS if not FORMATS[f].quads])
def test_triple_formats_reload_to_the_same_graph(fmt, exported, dataset):
    graph = Graph().parse(exported / FORMATS[fmt].filename, format=PARSERS[fmt])
    assert isomorphic(graph, union(published(dataset)))


@pytest.mark.parametrize("fmt", [f for f in FORMATS if FORMATS[f].quads])
def test_quad_formats_keep_every_named_graph(fmt, exported, dataset):
    reloaded = Dataset()
    reloaded.parse(exported / FORMATS[fmt].filename, format=PARSERS[fmt])
    got = {str(g.identifier): g for g in reloaded.graphs() if len(g)}
    want = {str(g.identifier): g for g in published(dataset).graphs() if len(g)}
    assert set(got) == set(want)
    assert PREFIXES["source"] + "newspim-2021-10-13" in got
    for name, graph in want.items():
        assert isomorphic(got[name], graph), name


def test_the_vocabulary_extracts_are_not_published(exported):
    text = (exported / "wegokg.nq").read_text(encoding="utf-8")
    assert "https://w3id.org/wegokg/graph/imports" not in text


def test_exporting_twice_gives_identical_bytes_whatever_the_hash_seed(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "wegokg.cli.main", "export", "-o", str(out)],
            cwd=ROOT, env=env, check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0].keys() == {f.filename for f in FORMATS.values()} | {
        "void.ttl",
        "context.jsonld",
    }
    assert outputs[0] == outputs[1]


def test_json_ld_carries_its_context_inline_and_reads_without_network(exported):
    document = json.loads((exported / "wegokg.jsonld").read_text(encoding="utf-8"))
    shipped = json.loads((exported / "context.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == shipped["@context"]
    assert shipped["@context"]["speaker"] == {"@id": PREFIXES["wego"] + "speaker", "@type": "@id"}
    assert shipped["@context"]["label"]["@container"] == "@language"


def test_the_description_counts_the_triples_and_names_the_endpoint(exported, dataset):
    void = Graph().parse(exported / "void.ttl")
    me = URIRef(DATASET_IRI)
    v = PREFIXES["void"]
    assert int(void.value(me, URIRef(v + "triples"))) == len(union(published(dataset)))
    assert void.value(me, URIRef(v + "sparqlEndpoint")) == URIRef("http://127.0.0.1:7878/query")
    assert str(void.value(me, URIRef(PREFIXES["dct"] + "license"))).startswith(
        "https://creativecommons.org/licenses/by/4.0"
    )
    sizes = {
        str(void.value(d, URIRef(PREFIXES["dcat"] + "downloadURL"))).rsplit("/", 1)[-1]: int(
            void.value(d, URIRef(PREFIXES["dcat"] + "byteSize"))
        )
        for d in void.objects(me, URIRef(PREFIXES["dcat"] + "distribution"))
    }
    assert sizes["wegokg.ttl"] == (exported / "wegokg.ttl").stat().st_size


def test_a_failed_export_leaves_no_file_behind(dataset, tmp_path, monkeypatch):
    def broken(data, fmt):
        if fmt == "rdfxml":
            raise ExportError("boom")
        return b"partial"

    monkeypatch.setattr(export_module, "serialize", broken)
    with pytest.raises(ExportError):
        export(dataset, tmp_path / "out", ["turtle", "rdfxml"], "0.1.0")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_an_unknown_format_is_refused(dataset, tmp_path):
    with pytest.raises(ExportError, match="unknown format"):
        export(dataset, tmp_path, ["yaml"], "0.1.0")
    assert list(tmp_path.iterdir()) == []


def test_exports_publish_quotes_but_never_an_article_text(exported):
    article = (ROOT / "data/sources/000_fa9aa0f98d6df127.txt").read_text(encoding="utf-8")
    unquoted = "민주당은 4일 오전 서울 여의도 국회에서 의원총회를 열고"
    quoted = "코로나19 확산으로 취소되고 1년 연기돼"
    assert unquoted in article and quoted in article
    for path in exported.iterdir():
        text = path.read_text(encoding="utf-8")
        assert unquoted not in text, path.name
    assert quoted in (exported / "wegokg.ttl").read_text(encoding="utf-8")


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_exported_files_get_the_mode_the_umask_allows(dataset, tmp_path, umask):
    previous = os.umask(umask)
    try:
        written = export(dataset, tmp_path, ["turtle", "jsonld"], "0.1.0")
    finally:
        os.umask(previous)
    for path in written:
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path.name
