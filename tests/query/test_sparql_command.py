"""`wegokg sparql`: any query form on any engine, in the formats of `query run` plus Turtle,
N-Triples and JSON-LD for graphs; syntax errors located by line and column; UPDATE refused."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from wegokg.cli.main import main
from wegokg.core.terms import to_rdflib
from wegokg.query.engines import (
    EndpointEngine,
    OxigraphEngine,
    QuerySyntaxError,
    RdflibEngine,
    UpdateRefusedError,
    query_form,
)

SEONGNAM = URIRef("https://w3id.org/wegokg/id/city/seongnam")
PREFIXES = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
LABELS = PREFIXES + f"SELECT ?label WHERE {{ <{SEONGNAM}> rdfs:label ?label }} ORDER BY ?label"
CONSTRUCT_LABELS = (
    PREFIXES + f"CONSTRUCT {{ <{SEONGNAM}> rdfs:label ?l }} WHERE {{ <{SEONGNAM}> rdfs:label ?l }}"
)
BROKEN = "SELECT ?x WHERE {\n  ?x ?p }"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def seongnam_labels(dataset) -> set[Literal]:
    return set(dataset.objects(SEONGNAM, RDFS.label))


@pytest.fixture(scope="module")
def engines(dataset):
    return [RdflibEngine(dataset), OxigraphEngine.from_dataset(dataset)]


# -- Query forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT"),
        ("# ask whether it holds\nPREFIX x: <http://x.org/a#>\nask { ?s ?p ?o }", "ASK"),
        ("BASE <http://x.org/#>\nPREFIX : <#b>\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://x.org/a>", "DESCRIBE"),
        ("PREFIX x: <http://x.org/#>\n# SELECT here\nINSERT DATA { x:a x:b x:c }", "UPDATE"),
        ("DROP SILENT GRAPH <http://x.org/g>", "UPDATE"),
    ],
)
def test_the_query_form_is_read_after_the_prologue(query, form):
    assert query_form(query) == form


# -- Every engine answers every form --------------------------------------------------------


def test_every_engine_answers_ask_with_a_boolean(engines):
    for engine in engines:
        assert engine.query(f"ASK {{ <{SEONGNAM}> ?p ?o }}") is True
        assert engine.query("ASK { <https://w3id.org/wegokg/id/city/atlantis> ?p ?o }") is False


def test_every_engine_answers_construct_with_the_same_graph(engines, dataset):
    expected = {(SEONGNAM, RDFS.label, label) for label in seongnam_labels(dataset)}
    for engine in engines:
        assert set(engine.query(CONSTRUCT_LABELS)) == expected


def test_every_engine_describes_a_resource_by_its_own_statements(engines, dataset):
    for engine in engines:
        graph = engine.query(f"DESCRIBE <{SEONGNAM}>")
        assert isinstance(graph, Graph)
        assert seongnam_labels(dataset) <= set(graph.objects(SEONGNAM, RDFS.label))


def test_select_keeps_working_for_its_callers(engines, dataset):
    for engine in engines:
        rows = engine.select(LABELS).rows
        assert {to_rdflib(row[0]) for row in rows} == seongnam_labels(dataset)


@pytest.mark.parametrize("engine_index", [0, 1], ids=["rdflib", "oxigraph"])
def test_a_syntax_error_gives_its_line_and_column(engines, engine_index):
    with pytest.raises(QuerySyntaxError) as caught:
        engines[engine_index].query(BROKEN)
    assert caught.value.line == 2
    assert 1 <= caught.value.column <= len("  ?x ?p }") + 1  # the end of the line at most
    assert "\n" not in str(caught.value)


def test_every_engine_refuses_update(engines, dataset):
    size = len(dataset)
    for engine in engines:
        with pytest.raises(UpdateRefusedError):
            engine.query(f"INSERT DATA {{ <{SEONGNAM}> <{RDFS.label}> 'x' }}")
    assert len(dataset) == size


# -- The command ----------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_sparql_prints_select_rows_as_csv(capsys, dataset, engine):
    code, out, _ = run(capsys, "sparql", LABELS, "--engine", engine, "--format", "csv")
    assert code == 0
    header, *rows = list(csv.reader(io.StringIO(out)))
    assert header == ["label"]
    assert {row[0] for row in rows} == {str(label) for label in seongnam_labels(dataset)}


def test_sparql_reads_the_query_from_a_file(capsys, tmp_path, dataset):
    query_file = tmp_path / "labels.rq"
    query_file.write_text(LABELS, encoding="utf-8")
    code, out, _ = run(capsys, "sparql", "-f", str(query_file), "--format", "json")
    assert code == 0
    bindings = json.loads(out)["results"]["bindings"]
    labels = {(b["label"]["value"], b["label"]["xml:lang"]) for b in bindings}
    assert labels == {(str(label), label.language) for label in seongnam_labels(dataset)}


def test_sparql_prints_ask_as_true_or_false_and_as_the_json_boolean(capsys):
    assert run(capsys, "sparql", f"ASK {{ <{SEONGNAM}> ?p ?o }}")[1] == "true\n"
    assert run(capsys, "sparql", "ASK { <urn:x:nothing> ?p ?o }")[1] == "false\n"
    code, out, _ = run(capsys, "sparql", "ASK { <urn:x:nothing> ?p ?o }", "--format", "json")
    assert code == 0
    assert json.loads(out) == {"head": {}, "boolean": False}


@pytest.mark.parametrize(("fmt", "parser"), [("turtle", "turtle"), ("ntriples", "nt")])
def test_sparql_prints_a_constructed_graph_that_parses_back(capsys, dataset, fmt, parser):
    code, out, _ = run(capsys, "sparql", CONSTRUCT_LABELS, "--format", fmt)
    assert code == 0
    parsed = Graph().parse(data=out, format=parser)
    assert set(parsed) == {(SEONGNAM, RDFS.label, label) for label in seongnam_labels(dataset)}


def test_sparql_prints_json_ld_with_its_context_inline(capsys, dataset):
    code, out, _ = run(capsys, "sparql", f"DESCRIBE <{SEONGNAM}>", "--format", "jsonld")
    assert code == 0
    document = json.loads(out)
    assert isinstance(document["@context"], dict)  # inline, so reading it fetches nothing
    parsed = Graph().parse(data=out, format="json-ld")
    assert seongnam_labels(dataset) <= set(parsed.objects(SEONGNAM, RDFS.label))


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_sparql_shows_a_syntax_error_on_one_line_and_exits_2(capsys, engine):
    code, out, err = run(capsys, "sparql", BROKEN, "--engine", engine)
    assert code == 2
    assert out == ""
    assert "syntax error at line 2, column" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_sparql_refuses_update_with_a_clear_message(capsys):
    code, _, err = run(capsys, "sparql", "DELETE WHERE { ?s ?p ?o }")
    assert code == 2
    assert "UPDATE" in err and "only runs queries" in err


def test_sparql_refuses_a_format_that_does_not_fit_the_query(capsys):
    code, _, err = run(capsys, "sparql", LABELS, "--format", "turtle")
    assert code == 2
    assert "table, csv, tsv, json or xml" in err
    code, _, err = run(capsys, "sparql", CONSTRUCT_LABELS, "--format", "csv")
    assert code == 2
    assert "turtle, ntriples or jsonld" in err


def test_sparql_needs_exactly_one_query(capsys, tmp_path):
    assert run(capsys, "sparql")[0] == 2
    assert run(capsys, "sparql", "ASK {}", "-f", str(tmp_path / "q.rq"))[0] == 2
    code, _, err = run(capsys, "sparql", "-f", str(tmp_path / "missing.rq"))
    assert code == 3  # an unreadable file: the README's exit-code table
    assert "missing.rq" in err


# -- Through a real endpoint ----------------------------------------------------------------


@pytest.mark.server
def test_an_endpoint_answers_every_form_like_the_embedded_engine(oxigraph_endpoint, engines):
    remote, local = EndpointEngine(oxigraph_endpoint), engines[0]
    assert remote.query(f"ASK {{ <{SEONGNAM}> ?p ?o }}") is True
    assert set(remote.query(CONSTRUCT_LABELS)) == set(local.query(CONSTRUCT_LABELS))
    assert remote.query(LABELS) == local.query(LABELS)


@pytest.mark.server
def test_an_endpoint_syntax_error_is_one_line_with_its_message(capsys, oxigraph_endpoint):
    code, _, err = run(capsys, "sparql", BROKEN, "--endpoint", oxigraph_endpoint)
    assert code == 2
    assert oxigraph_endpoint in err
    assert len(err.strip().splitlines()) == 1


def test_the_default_engine_is_pyoxigraph_at_every_size():
    """--engine auto runs on pyoxigraph even for data as small as this repository's (issue 13,
    target 6(a)); the rows are the same on every engine (tests/data/test_queries.py)."""
    from wegokg.core.repository import Repository
    from wegokg.query.engines import choose_engine, make_engine

    repository = Repository.find()
    assert choose_engine(repository) == "oxigraph"
    engine = make_engine("auto", repository=repository)
    assert isinstance(engine, OxigraphEngine)
    assert engine.select(LABELS).rows
