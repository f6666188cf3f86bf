"""Bad input gets a clear message that says where the problem is, never a Python traceback, and
nothing passes silently (issue 9, section 1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from rdflib import Graph, Literal, URIRef
from support.inprocess import wegokg

from wegokg.core.loading import LoadError, parse_turtle
from wegokg.core.namespaces import PREFIXES
from wegokg.query.catalog import CatalogError, QueryCatalog
from wegokg.validation.evidence import check_quotes

OA = PREFIXES["oa"]
QUOTE = URIRef(PREFIXES["quote"] + "seongnam-lead")
ARTICLE_TEXT = "data/sources/004_5b0afd051804e015.txt"


def in_a_process(*args: str, cwd=ROOT, env=None, timeout: int = 120) -> subprocess.CompletedProcess:
    """The command in a process of its own: for what only a real process shows (what a library
    logs to stderr, a read that could hang); the other tests run it in this process."""
    return subprocess.run(
        [sys.executable, "-m", "wegokg.cli.main", *args],
        cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env,
    )  # fmt: skip


def no_traceback(done) -> bool:
    return "Traceback" not in done.stdout + done.stderr


# -- fmt ------------------------------------------------------------------------------------


@pytest.mark.parametrize("check", [False, True], ids=["fmt", "fmt --check"])
def test_fmt_names_the_line_of_a_byte_that_is_not_utf8(checkout_copy, check):
    path = checkout_copy / "data" / "curated" / "cities.ttl"
    lines = path.read_bytes().split(b"\n")
    lines[5] += b" # caf\xe9"
    path.write_bytes(b"\n".join(lines))
    done = wegokg("fmt", *(["--check"] if check else []), str(path), cwd=checkout_copy)
    assert done.returncode == 1
    assert f"{path}:6: " in done.stderr and "not UTF-8" in done.stderr
    assert "0xe9" in done.stderr
    assert no_traceback(done)


def test_fmt_check_finding_no_files_is_an_error(tmp_path):
    (tmp_path / "ontology").mkdir()
    (tmp_path / "data").mkdir()
    done = wegokg("fmt", "--check", env={**os.environ, "WEGOKG_ROOT": str(tmp_path)})
    assert done.returncode != 0
    # An empty layout is not a repository: the error names what is missing.
    assert "not a complete wegokg repository" in done.stderr and "ontology/wego.ttl" in done.stderr
    assert no_traceback(done)


# -- diagram --------------------------------------------------------------------------------


def test_diagram_on_a_broken_ontology_names_file_and_line(checkout_copy):
    ontology = checkout_copy / "ontology" / "wego.ttl"
    ontology.write_text(ontology.read_text(encoding="utf-8") + "\nwego:Broken a \n", "utf-8")
    done = wegokg("diagram", "-o", str(checkout_copy / "out"), cwd=checkout_copy)
    assert done.returncode == 1
    assert "ontology/wego.ttl:" in done.stderr and "Turtle syntax error" in done.stderr
    assert no_traceback(done)


def test_diagram_without_an_ontology_says_which_file_is_missing(checkout_copy):
    from wegokg.publish.diagram import DiagramError, write_diagram

    (checkout_copy / "ontology" / "wego.ttl").unlink()
    with pytest.raises(DiagramError, match="wego.ttl"):
        write_diagram(checkout_copy, checkout_copy / "out")


# -- query ----------------------------------------------------------------------------------


def test_query_list_with_an_empty_catalog_says_so(checkout_copy):
    for path in (checkout_copy / "queries").glob("*.rq"):
        path.unlink()
    done = wegokg("query", "list", cwd=checkout_copy)
    assert done.returncode == 1
    assert "no stored queries" in done.stderr
    assert no_traceback(done)


def test_a_repeated_param_is_refused():
    done = wegokg(
        "query", "run", "city-profile", "--param", "city=city:goyang", "--param",
        "city=city:seongnam",
    )  # fmt: skip
    assert done.returncode == 2
    assert "--param city is given twice" in done.stderr


@pytest.mark.parametrize(
    "value",
    ["https://w3id.org/wegokg/id/city/\x01x", "city:se\x7fongnam", "https://x/a b", "https://x/%zz",
     "https://x/a\u200b\ufffe"],
)  # fmt: skip
def test_an_iri_parameter_outside_the_iri_grammar_is_refused(value):
    query = QueryCatalog.from_repository(ROOT).get("city-profile")
    with pytest.raises(CatalogError, match="takes an IRI"):
        query.render({"city": value})


def test_an_iri_with_a_control_character_is_refused_on_the_command_line():
    done = wegokg("query", "run", "city-profile", "--param", "city=city:seong\x01nam")
    assert done.returncode == 2
    assert "U+0001" in done.stderr and no_traceback(done)


def test_an_iri_that_occurs_nowhere_in_the_data_is_warned_about():
    done = wegokg("query", "run", "city-profile", "--param", "city=city:atlantis")
    assert done.returncode == 0
    assert "warning:" in done.stderr and "does not occur in the data" in done.stderr
    assert "city/atlantis" in done.stderr


def test_a_language_the_data_does_not_have_is_warned_about():
    done = wegokg("query", "run", "aims-and-themes", "--param", "lang=fr")
    assert done.returncode == 0
    assert "warning:" in done.stderr and "'fr'" in done.stderr and "en, ko" in done.stderr


def test_a_known_value_gives_no_warning():
    done = wegokg("query", "run", "aims-and-themes", "--param", "lang=ko", "--format", "csv")
    assert done.returncode == 0 and "warning" not in done.stderr


# -- endpoints ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["export", "-o", "out"], ["query", "run", "award-winners"]], ids=["export", "query"]
)
@pytest.mark.parametrize(
    "url,reason",
    [
        ("http://x y/", "not a valid IRI"),
        ("sparql", "not a valid IRI"),
        ("file:///etc/passwd", "not an http(s) URL"),
        ("http:///sparql", "names no host"),
    ],
)
def test_an_endpoint_must_be_an_absolute_http_url(tmp_path, command, url, reason):
    done = wegokg(
        *command, "--endpoint", url, cwd=tmp_path, env={**os.environ, "WEGOKG_ROOT": str(ROOT)}
    )
    assert done.returncode == 2
    assert reason in done.stderr and no_traceback(done)
    assert not (tmp_path / "out").exists()


def test_export_as_a_library_refuses_a_relative_endpoint(dataset, tmp_path):
    from wegokg.publish.exports import ExportError, export

    with pytest.raises(ExportError, match="not a valid IRI"):
        export(dataset, tmp_path / "out", ["turtle"], "1", endpoint="sparql")
    assert not (tmp_path / "out").exists()


# -- ill-typed literals ---------------------------------------------------------------------


@pytest.fixture
def ill_typed_copy(checkout_copy) -> Path:
    path = checkout_copy / "data" / "articles" / "seongnam-2021-10-20.ttl"
    text = path.read_text(encoding="utf-8")
    assert text.count('"2021-10-18"^^xsd:date') >= 1
    path.write_text(text.replace('"2021-10-18"^^xsd:date', '"2021-13-45"^^xsd:date', 1), "utf-8")
    return checkout_copy


@pytest.mark.parametrize(
    "command,status",
    [(["validate"], 1), (["query", "run", "executive-committee"], 0), (["stats"], 0)],
    ids=["validate", "query run", "stats"],
)
def test_an_ill_typed_literal_prints_no_rdflib_traceback(ill_typed_copy, command, status):
    done = in_a_process(*command, cwd=ill_typed_copy)
    assert done.returncode == status, done.stderr
    assert "Failed to convert Literal" not in done.stderr and no_traceback(done)
    if command == ["validate"]:
        assert "2021-13-45" in done.stdout


# -- quote ----------------------------------------------------------------------------------


def test_quote_refuses_a_file_outside_the_stored_sources():
    done = in_a_process("quote", "/dev/zero", "위고", timeout=60)
    assert done.returncode == 2
    assert "data/sources" in done.stderr and no_traceback(done)


def test_quote_refuses_a_fifo_inside_the_stored_sources(checkout_copy):
    fifo = checkout_copy / "data" / "sources" / "pipe.txt"
    os.mkfifo(fifo)
    done = in_a_process("quote", str(fifo), "위고", cwd=checkout_copy, timeout=60)
    assert done.returncode == 2
    assert "not a regular file" in done.stderr and no_traceback(done)


def test_quote_still_reads_a_stored_source():
    done = wegokg("quote", ARTICLE_TEXT, "제6기 집행위원도시")
    assert done.returncode == 0 and "oa:start" in done.stdout


# -- Turtle syntax errors -------------------------------------------------------------------


def test_a_syntax_error_shows_korean_as_text(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text('<https://x/a> <https://x/b> "성남시" <https://x/c> 세계 .\n', "utf-8")
    with pytest.raises(LoadError) as caught:
        parse_turtle(path)
    assert "\\x" not in str(caught.value)
    assert "성남시" in str(caught.value) or "세계" in str(caught.value)


def test_a_byte_order_mark_is_named_as_the_cause(tmp_path):
    path = tmp_path / "bom.ttl"
    path.write_bytes(b"\xef\xbb\xbf<https://x/a> <https://x/b> <https://x/c> .\n")
    with pytest.raises(LoadError, match="byte-order mark"):
        parse_turtle(path)


def test_a_deeply_nested_collection_is_a_clear_error(tmp_path):
    path = tmp_path / "deep.ttl"
    path.write_text("<https://x/a> <https://x/b> " + "(" * 100_000 + ")" * 100_000 + " .\n")
    with pytest.raises(LoadError, match="nested too deeply"):
        parse_turtle(path)


# -- evidence -------------------------------------------------------------------------------


def test_a_quote_differing_by_an_invisible_character_names_the_code_point(dataset):
    data = Graph()
    for triple in dataset.triples((None, None, None)):
        data.add(triple)
    exact = str(data.value(QUOTE, URIRef(OA + "exact")))
    position = exact.index(" ")
    altered = exact[:position] + "\u00a0" + exact[position + 1 :]
    data.set((QUOTE, URIRef(OA + "exact"), Literal(altered)))
    [problem] = check_quotes(data, ROOT / "data")
    assert f"character {position + 1}" in problem.message
    assert "U+00A0 NO-BREAK SPACE" in problem.message and "U+0020 SPACE" in problem.message
