"""The compiled SHACL path takes a shapes graph only when it understands all of it, and when it
does not, every report says that pySHACL validated it, which shape forced that, and why."""

from __future__ import annotations

import json

import pyoxigraph
import pytest
from conftest import ROOT
from rdflib import Graph

from wegokg.validation.shacl import Route, Unsupported, compile_shapes, shacl_results

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <urn:ex:> .
"""


def shapes(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def store(text: str):
    data = pyoxigraph.Store()
    data.load(
        (PREFIXES + text).encode(),
        format=pyoxigraph.RdfFormat.TURTLE,
        to_graph=pyoxigraph.NamedNode("urn:g"),
    )
    return data


def test_a_shape_that_is_also_a_class_goes_to_pyshacl_and_finds_the_violation():
    # An implicit class target (SHACL 1.0 2.1.3.3): the old compiler made no query for it, so
    # the instance "conformed" (W3C core/property/minLength-001 and 14 more).
    graph = shapes(
        "ex:Person a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minLength 3 ] ."
    )
    route = Route.of(graph)
    assert not route.compiled
    assert route.shape == "urn:ex:Person" and "implicit class target" in route.reason
    results = list(shacl_results(graph, store('ex:bob a ex:Person ; ex:name "Bo" .'), route))
    assert [(r.focus, r.component) for r in results] == [
        ("urn:ex:bob", "http://www.w3.org/ns/shacl#MinLengthConstraintComponent")
    ]


@pytest.mark.parametrize(
    "text, reason",
    [
        (
            "ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:lang ] .",
            "constraint component",
        ),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:T ; ex:unknown 1 .", "<urn:ex:unknown>"),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:closed true .", "closed"),
        ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:class ex:T .", "targetNode"),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property [ sh:path ex:p ; "
            "ex:lang 'en' ] .",
            "<urn:ex:lang>",
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:sparql [ sh:select "
            '"SELECT $this WHERE { BIND (1 AS ?value) }" ] .',
            "MINUS, VALUES",
        ),
    ],
)
def test_what_the_compiler_does_not_list_is_refused(text, reason):
    with pytest.raises(Unsupported, match=reason):
        compile_shapes(shapes(text))


def test_annotations_and_the_projects_own_shapes_stay_on_the_fast_path():
    graph = shapes(
        'ex:S a sh:NodeShape ; rdfs:label "S" ; sh:targetClass ex:T ; '
        'sh:property [ sh:path ex:p ; sh:minCount 1 ; rdfs:comment "why" ] .'
    )
    assert Route.of(graph).compiled
    from wegokg.core.repository import Repository

    assert Route.of(Repository.at(ROOT).shapes).compiled


def validated(shapes_text: str, data_text: str):
    """The report ``validate`` builds from the SHACL checker alone, over a small repository
    (a stand-in with only what the checker reads: pySHACL over the real data takes 12 s)."""
    from types import SimpleNamespace

    from wegokg.validation.context import ValidationContext
    from wegokg.validation.report import ValidationReport
    from wegokg.validation.shacl import ShaclChecker

    index = SimpleNamespace(locate=lambda focus, graph=None: ("data/curated/x.ttl", 1))
    context = ValidationContext(SimpleNamespace(shapes=shapes(shapes_text), source_index=index))
    context.__dict__["store"] = store(data_text)
    violations = list(ShaclChecker().check(context))
    return ValidationReport(violations, checks=("shacl",), notes=tuple(context.notes))


IMPLICIT = 'ex:Gadget a rdfs:Class, sh:NodeShape ; rdfs:label "gadget" ; sh:minLength 1 .'


@pytest.mark.parametrize("format", ["text", "json", "shacl", "github", "junit", "sarif"])
def test_every_report_format_says_pyshacl_validated_and_why(format):
    from wegokg.validation.report_formats import render

    report = validated(IMPLICIT, "ex:a a ex:Gadget .")
    assert report.conforms and not report.violations
    text = render(report, format, ROOT)
    lines = [line for line in text.splitlines() if "validated by pySHACL" in line]
    assert len(lines) == 1, text
    assert "urn:ex:Gadget" in lines[0] and "implicit class target" in lines[0]
    assert "INFO" in lines[0] or format in ("github", "sarif", "json")
    if format == "json":
        assert json.loads(text)["notes"][0].startswith("shacl: ")


def test_the_fast_path_adds_no_note():
    report = validated("ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:minLength 1 .", "")
    assert report.notes == ()


def test_verbose_says_which_route_the_shapes_took():
    from support.inprocess import wegokg

    fast = wegokg("--root", str(ROOT), "-v", "validate", "--format", "json")
    assert "wegokg: shacl: the SHACL shapes are compiled into SPARQL" in fast.stderr
    assert json.loads(fast.stdout)["notes"] == []


def test_verbose_names_the_shape_that_sent_the_shapes_to_pyshacl():
    from wegokg.cli.validation_commands import say_how_validated
    from wegokg.validation.report import ValidationReport

    report = ValidationReport([], checks=("shacl",), notes=validated(IMPLICIT, "").notes)
    said = []
    say_how_validated(report, notice=said.append)
    assert len(said) == 1 and "pySHACL" in said[0] and "urn:ex:Gadget" in said[0]
