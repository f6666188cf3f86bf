"""The text report streams: each violation is shown as soon as a checker finds it, and the streamed
report holds the same violations, locations and verdict as the whole one. Also the quick paths
behind it: the evidence graph answers as an rdflib Graph does, and the source index finds the
same lines as reading every line."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT
from rdflib import Graph

from wegokg.core.repository import GraphFile, Repository, SourceIndex
from wegokg.core.terms import to_rdflib as from_oxigraph
from wegokg.validation.context import EVIDENCE_PREDICATES, ValidationContext
from wegokg.validation.coverage import coverage
from wegokg.validation.evidence import check_quotes
from wegokg.validation.report import TextStream, ValidationReport, Violation
from wegokg.validation.run import validate

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "invalid").glob("*.ttl"))


@pytest.fixture(scope="module")
def streamed() -> tuple[list[Violation], ValidationReport, str]:
    """The dataset with every invalid fixture, validated once with a stream on the side."""
    found: list[Violation] = []
    out = io.StringIO()
    stream = TextStream(out, limit=None)

    def both(violation: Violation) -> None:
        found.append(violation)
        stream(violation)

    report = validate(Repository.at(ROOT, extra_files=FIXTURES), on_violation=both)
    stream.finish(report)
    return found, report, out.getvalue()


def test_each_violation_is_passed_on_once_as_it_is_found(streamed):
    found, report, _ = streamed
    assert len(found) == len(set(found)) > 100
    assert set(found) == set(report.violations)


def test_the_streamed_text_shows_the_same_violations_and_verdict_as_the_whole_report(streamed):
    _, report, text = streamed
    whole = report.to_text().splitlines()
    shown = text.splitlines()

    def violation_lines(lines: list[str]) -> Counter[str]:
        return Counter(line for line in lines if line.startswith("    "))

    assert violation_lines(shown) == violation_lines(whole)
    assert sum(violation_lines(whole).values()) == len(report.violations)
    assert shown[-1] == whole[-1] and shown[-1].startswith("The data does not conform:")
    # Every violation line sits under the file and focus node that the whole report names.
    node = None
    for line in shown:
        if line.startswith("  ") and not line.startswith("    "):
            node = line
        elif line.startswith("    "):
            assert node is not None


def test_violations_found_in_sorted_order_stream_exactly_as_the_grouped_report(streamed):
    _, report, _ = streamed
    out = io.StringIO()
    stream = TextStream(out)
    for violation in report.violations:
        stream(violation)
    stream.finish(report)
    assert out.getvalue() == report.to_text() + "\n"


def test_a_streamed_report_shows_the_first_violations_found_and_counts_the_rest(streamed):
    found, report, _ = streamed
    out = io.StringIO()
    stream = TextStream(out, limit=3)
    for violation in found:
        stream(violation)
    stream.finish(report)
    lines = out.getvalue().splitlines()
    assert [line for line in lines if line.startswith("    ")] == [
        line for line in streamed_lines(found[:3]) if line.startswith("    ")
    ]
    assert f"{len(found) - 3} more violation(s) not shown (" in out.getvalue()
    assert lines[-1] == report.to_text().splitlines()[-1]


def streamed_lines(violations: list[Violation]) -> list[str]:
    out = io.StringIO()
    stream = TextStream(out)
    for violation in violations:
        stream(violation)
    return out.getvalue().splitlines()


def test_the_evidence_graph_gives_the_checks_what_an_rdflib_graph_gives():
    repository = Repository.at(ROOT, extra_files=FIXTURES)
    context = ValidationContext(repository)
    # The same statements in the same order: where a node has two values (a fixture gives an
    # article two wego:bodyEnd), Graph.value answers with the first one added, and so must the
    # evidence graph.
    values = " ".join(f"<{p}>" for p in EVIDENCE_PREDICATES)
    union = Graph()
    for s, p, o in context.store.query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}",
        use_default_graph_as_union=True,
    ):
        union.add((from_oxigraph(s), from_oxigraph(p), from_oxigraph(o)))
    data = repository.data_folder
    expected = check_quotes(union, data)
    assert len(expected) >= 2
    assert sorted(check_quotes(context.evidence, data), key=repr) == sorted(expected, key=repr)
    assert coverage(context.evidence, data) == coverage(union, data)


def test_the_source_index_counts_lines_as_reading_every_line_does(tmp_path):
    # A literal with a line separator (U+2028) counts as a line break for str.splitlines, which
    # the index has always used; a CRLF file counts one line per CRLF.
    prefixes = "@prefix ex: <https://example.org/> .\nPREFIX ey: <https://example.net/>\n"
    body = 'ex:a ex:p "one\u2028two" .\n\nex:b ex:p ey:c .\n<https://example.com/d> ex:p 1 .\n'
    odd = tmp_path / "odd.ttl"
    odd.write_text(prefixes + body, encoding="utf-8")
    crlf = tmp_path / "crlf.ttl"
    crlf.write_bytes((prefixes + body.replace("\u2028", " ")).replace("\n", "\r\n").encode())
    plain = tmp_path / "plain.ttl"
    plain.write_text(prefixes + body.replace("\u2028", " ") + "  ey:indented ex:p 2 .", "utf-8")
    index = SourceIndex.build(GraphFile(p, "urn:g", "extra") for p in (odd, crlf, plain))
    assert index.locate("https://example.org/a") == (odd, 3)
    assert index.locations["https://example.org/b"] == [(odd, 6), (crlf, 5), (plain, 5)]
    assert index.locations["https://example.com/d"] == [(odd, 7), (crlf, 6), (plain, 6)]
    assert "https://example.net/indented" not in index.locations


def test_the_source_index_of_the_dataset_matches_a_line_by_line_reading():
    repository = Repository.at(ROOT, extra_files=FIXTURES)
    expected: dict[str, list[tuple[Path, int]]] = {}
    for item in repository.file_graphs():
        prefixes: dict[str, str] = {}
        text = item.path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if line.startswith("@prefix") or line.upper().startswith("PREFIX"):
                parts = line.split()
                prefixes[parts[1].rstrip(":")] = parts[2].strip("<>")
            elif match := re.match(r"(<[^>]*>|[A-Za-z][\w-]*:[^\s;,]*)", line):
                token = match.group(1)
                prefix, _, local = token.partition(":")
                if token.startswith("<") or prefix in prefixes:
                    iri = token[1:-1] if token.startswith("<") else prefixes[prefix] + local
                    expected.setdefault(iri, []).append((item.path, number))
    assert repository.source_index.locations == expected
    assert sum(len(places) for places in expected.values()) > 500
