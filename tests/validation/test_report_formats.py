"""The validation report in the formats that CI systems read, each checked by a real consumer or
against its schema: the SHACL report by pyshacl against the rules of SHACL 3.6, JUnit by junitparser
and against pytest's own JUnit output, SARIF by the official SARIF 2.1.0 JSON schema.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import jsonschema
import pyshacl
import pytest
from conftest import ROOT
from junitparser import Failure, JUnitXml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from wegokg.core.namespaces import WEGO
from wegokg.validation.report import ValidationReport, Violation
from wegokg.validation.report_formats import (
    escape_data,
    escape_property,
    render,
    to_github,
    to_junit,
    to_sarif,
    to_shacl,
)

SCHEMAS = ROOT / "tests" / "schemas"
CITY = "https://w3id.org/wegokg/id/city/seoul"
LABEL_SHAPE = "https://w3id.org/wegokg/shapes#LabelShape"


def violation(**fields) -> Violation:
    values = dict(
        file="data/curated/cities.ttl", line=12, focus_node=CITY, severity="ERROR",
        check="shacl", shape=LABEL_SHAPE, message="needs a Korean label",
        path=str(RDFS.label), component=str(SH.MinCountConstraintComponent),
    )  # fmt: skip
    values.update(fields)
    return Violation(**values)


@pytest.fixture
def report() -> ValidationReport:
    """Three checks found something, one (terms) found nothing."""
    return ValidationReport(
        [
            violation(),
            violation(
                line=13, severity="WARN", path=str(RDFS.comment), value="too short", message="short"
            ),
            violation(
                file="data/articles/000.ttl",
                line=40,
                focus_node="https://w3id.org/wegokg/id/fact/f1",
                check="evidence",
                shape="evidence",
                message="the quote is not at offsets 10-20",
                path=None,
                component=None,
            ),
            violation(
                file="queries/x.rq",
                line=1,
                focus_node=CITY,
                severity="INFO",
                check="quality",
                shape="missing-website",
                message="No website. Fix: add one",
                path=None,
                component=None,
            ),
        ],  # fmt: skip
        checks=("shacl", "evidence", "terms", "quality"),
    )


# -- SHACL validation report --------------------------------------------------------------------


def parse_shacl(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def conforms_to_shacl_report_rules(graph: Graph) -> tuple[bool, str]:
    shapes = Graph().parse(SCHEMAS / "shacl-validation-report.ttl")
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    return conforms, text


def test_the_shacl_report_follows_the_rules_of_a_validation_report(report):
    graph = parse_shacl(to_shacl(report, ROOT))
    conforms, text = conforms_to_shacl_report_rules(graph)
    assert conforms, text
    (node,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms) == Literal(False)
    assert len(list(graph.objects(node, SH.result))) == 4


def test_each_shacl_result_carries_the_violation_with_its_file_and_line(report):
    graph = parse_shacl(to_shacl(report, ROOT))
    (label,) = graph.subjects(SH.resultPath, RDFS.label)
    assert graph.value(label, SH.focusNode) == URIRef(CITY)
    assert graph.value(label, SH.sourceShape) == URIRef(LABEL_SHAPE)
    assert graph.value(label, SH.sourceConstraintComponent) == SH.MinCountConstraintComponent
    assert graph.value(label, SH.resultSeverity) == SH.Violation
    assert graph.value(label, SH.resultMessage) == Literal("needs a Korean label")
    assert graph.value(label, URIRef(WEGO + "file")) == Literal("data/curated/cities.ttl")
    assert graph.value(label, URIRef(WEGO + "line")) == Literal(12)  # xsd:integer
    (comment,) = graph.subjects(SH.resultPath, RDFS.comment)
    assert graph.value(comment, SH.resultSeverity) == SH.Warning
    assert graph.value(comment, SH.value) == Literal("too short")


def test_a_result_found_outside_shacl_names_its_check_and_no_shape(report):
    graph = parse_shacl(to_shacl(report, ROOT))
    (evidence,) = graph.subjects(URIRef(WEGO + "check"), Literal("evidence"))
    assert graph.value(evidence, SH.sourceShape) is None
    assert graph.value(evidence, SH.sourceConstraintComponent) == URIRef(
        WEGO + "ToolkitCheckComponent"
    )
    (quality,) = graph.subjects(URIRef(WEGO + "check"), Literal("quality/missing-website"))
    assert graph.value(quality, SH.resultSeverity) == SH.Info


def test_a_report_with_only_warnings_does_not_conform_in_shacl_terms():
    warning = ValidationReport([violation(severity="WARN")])
    graph = parse_shacl(to_shacl(warning, ROOT))
    assert warning.conforms  # the exit code fails on errors only
    assert set(graph.objects(None, SH.conforms)) == {Literal(False)}
    assert conforms_to_shacl_report_rules(graph)[0]


def test_an_empty_shacl_report_conforms_and_follows_the_rules():
    graph = parse_shacl(to_shacl(ValidationReport([]), ROOT))
    assert set(graph.objects(None, SH.conforms)) == {Literal(True)}
    assert not list(graph.objects(None, SH.result))
    assert conforms_to_shacl_report_rules(graph)[0]


def test_the_rules_catch_a_result_without_its_severity(report):
    """The shapes that check our report can fail: a result missing a required property does."""
    graph = parse_shacl(to_shacl(report, ROOT))
    graph.remove((next(graph.subjects(SH.resultPath, RDFS.label)), SH.resultSeverity, None))
    conforms, text = conforms_to_shacl_report_rules(graph)
    assert not conforms and "resultSeverity" in text


# -- GitHub Actions workflow commands ---------------------------------------------------------


def test_workflow_command_messages_escape_percent_and_line_breaks():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_data("a%0Ab") == "a%250Ab"  # a literal %0A stays literal


def test_workflow_command_properties_also_escape_comma_and_colon():
    assert escape_property("data/a,b:c.ttl") == "data/a%2Cb%3Ac.ttl"
    assert escape_property("50%\n") == "50%25%0A"


def parse_workflow_command(line: str) -> tuple[str, dict[str, str], str]:
    """Read a workflow command the way the Actions runner does: split, then unescape."""

    def unescape(text: str) -> str:
        for escaped, plain in (
            ("%0D", "\r"),
            ("%0A", "\n"),
            ("%3A", ":"),
            ("%2C", ","),
            ("%25", "%"),
        ):
            text = text.replace(escaped, plain)
        return text

    assert line.startswith("::")
    head, _, message = line[2:].partition("::")
    command, _, listed = head.partition(" ")
    properties = dict(item.split("=", 1) for item in listed.split(",")) if listed else {}
    return command, {k: unescape(v) for k, v in properties.items()}, unescape(message)


def test_each_violation_is_one_annotation_of_its_severity_on_its_file_and_line(report):
    lines = to_github(report, ROOT).splitlines()
    commands = [parse_workflow_command(line) for line in lines if line.startswith("::")]
    assert [c for c, _, _ in commands] == ["error", "error", "warning", "notice"]
    by_line = {(p["file"], p["line"]): (c, p, m) for c, p, m in commands}
    command, properties, message = by_line[("data/curated/cities.ttl", "12")]
    assert command == "error" and properties["title"] == "wegokg shape:LabelShape"
    assert message == "city:seoul [rdfs:label]: needs a Korean label"
    assert lines[-1] == "The data does not conform: 2 error(s), 1 warning(s)."


def test_an_annotation_survives_commas_colons_and_line_breaks():
    tricky = violation(file="data/a,b:c.ttl", message="line one\nline two, 100% sure")
    line = to_github(ValidationReport([tricky]), ROOT).splitlines()[0]
    assert "\n" not in line
    _, properties, message = parse_workflow_command(line)
    assert properties["file"] == "data/a,b:c.ttl" and properties["line"] == "12"
    assert message.endswith("line one\nline two, 100% sure")


# -- JUnit XML --------------------------------------------------------------------------------


def read_junit(text: str, tmp_path) -> JUnitXml:
    path = tmp_path / "report.xml"
    path.write_text(text, encoding="utf-8")
    return JUnitXml.fromfile(str(path))


def test_junit_has_a_suite_per_check_and_a_case_per_focus_node(report, tmp_path):
    suites = {suite.name: suite for suite in read_junit(to_junit(report, ROOT), tmp_path)}
    assert list(suites) == ["shacl", "evidence", "terms", "quality"]
    assert [case.name for case in suites["shacl"]] == ["city:seoul"]  # two violations, one node
    assert [case.name for case in suites["terms"]] == ["terms"]  # found nothing: one passing case
    assert suites["terms"].failures == 0 and next(iter(suites["terms"])).is_passed
    assert suites["shacl"].tests == 1 and suites["shacl"].failures == 1


def test_a_junit_failure_carries_the_message_file_and_line(report, tmp_path):
    suites = {suite.name: suite for suite in read_junit(to_junit(report, ROOT), tmp_path)}
    (case,) = suites["shacl"]
    (failure,) = case.result
    assert isinstance(failure, Failure)
    assert failure.message == "data/curated/cities.ttl:12: needs a Korean label (and 1 more)"
    assert "data/curated/cities.ttl:13: WARN" in failure.text  # every violation of the node
    assert case.classname == "wegokg.shacl"
    assert case._elem.get("file") == "data/curated/cities.ttl" and case._elem.get("line") == "12"


def test_a_junit_case_with_only_warnings_or_notes_passes_and_says_why(report, tmp_path):
    suites = {suite.name: suite for suite in read_junit(to_junit(report, ROOT), tmp_path)}
    (case,) = suites["quality"]
    assert case.is_passed
    assert "queries/x.rq:1: INFO quality/missing-website" in case.system_out


def test_junit_uses_only_elements_and_attributes_that_pytest_itself_writes(report, tmp_path):
    """pytest's JUnit output (legacy xunit1 family, which keeps file and line) is the reference;
    its suite properties (a check's help, how it ran) are those of record_testsuite_property."""
    (tmp_path / "test_sample.py").write_text(
        "def test_passes():\n    pass\n\ndef test_fails():\n    assert False, 'no'\n\n"
        "def test_prints():\n    print('out')\n\n"
        "def test_records(record_testsuite_property):\n"
        "    record_testsuite_property('help', 'what it finds')\n"
    )
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "-o", "junit_family=xunit1", "-o", "junit_logging=system-out",
         "--junitxml=pytest.xml", "test_sample.py"],
        cwd=tmp_path, capture_output=True, timeout=120,
    )  # fmt: skip

    def vocabulary(root: ET.Element) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for element in root.iter():
            found.setdefault(element.tag, set()).update(element.attrib)
        return found

    theirs = vocabulary(ET.parse(tmp_path / "pytest.xml").getroot())
    ours = vocabulary(ET.fromstring(to_junit(report, ROOT)))
    assert set(ours) <= set(theirs)
    for tag, attributes in ours.items():
        assert attributes <= theirs[tag], tag


def test_junit_keeps_characters_xml_cannot_hold_out_of_the_file(tmp_path):
    odd = violation(message="bad \x00 byte \x1b[0m")
    (case,) = next(iter(read_junit(to_junit(ValidationReport([odd]), ROOT), tmp_path)))
    assert "bad \ufffd byte" in case.result[0].message


# -- SARIF 2.1.0 ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_schema() -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator
    return validator(schema, format_checker=validator.FORMAT_CHECKER)


def test_sarif_is_valid_against_the_official_schema(report, sarif_schema):
    log = json.loads(to_sarif(report, ROOT, "1.2.3"))
    errors = [f"{list(e.path)}: {e.message}" for e in sarif_schema.iter_errors(log)]
    assert errors == []


def test_the_schema_check_can_fail(report, sarif_schema):
    log = json.loads(to_sarif(report, ROOT, "1.2.3"))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert not sarif_schema.is_valid(log)


def test_sarif_has_a_rule_per_shape_or_check_and_a_result_per_violation(report):
    (run,) = json.loads(to_sarif(report, ROOT, "1.2.3"))["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [
        "evidence", "shape:LabelShape", "quality/missing-website",
    ]  # fmt: skip
    assert all(rule["help"]["text"] for rule in rules)
    assert run["tool"]["driver"]["version"] == "1.2.3"
    levels = [(r["ruleId"], r["level"]) for r in run["results"]]
    assert levels == [
        ("evidence", "error"), ("shape:LabelShape", "error"), ("shape:LabelShape", "warning"),
        ("quality/missing-website", "note"),
    ]  # fmt: skip
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_a_sarif_location_is_relative_to_the_repository_with_its_line(report):
    (run,) = json.loads(to_sarif(report, ROOT, "1.2.3"))["runs"]
    location = run["results"][1]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "data/curated/cities.ttl",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {"startLine": 12}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"


def test_a_violation_in_no_file_has_no_sarif_location(sarif_schema):
    nowhere = violation(file="<unknown file>", line=0)
    log = json.loads(to_sarif(ValidationReport([nowhere]), ROOT, "1"))
    assert "locations" not in log["runs"][0]["results"][0]
    assert sarif_schema.is_valid(log)


# -- The cap on violations --------------------------------------------------------------------


def many_violations() -> ValidationReport:
    errors = [violation(line=n, focus_node=f"{CITY}{n}") for n in range(1, 8)]
    warnings = [
        violation(line=100 + n, severity="WARN", check="quality", shape="q") for n in (1, 2)
    ]
    return ValidationReport(errors + warnings, checks=("shacl", "quality"))


def test_the_cap_keeps_the_first_violations_in_order_and_counts_the_rest():
    full = many_violations()
    capped = full.capped(3)
    assert capped.violations == full.violations[:3]
    assert capped.omitted == {("quality", "WARN"): 2, ("shacl", "ERROR"): 4}
    assert capped.count("ERROR") == full.count("ERROR") == 7
    assert "6 more violation(s) not shown (quality WARN 2, shacl ERROR 4)" in capped.to_text()


def test_the_cap_never_makes_failing_data_pass():
    only_errors_omitted = ValidationReport(
        [violation(line=1, severity="WARN"), violation(line=2)]
    ).capped(1)
    assert [v.severity for v in only_errors_omitted.violations] == ["WARN"]
    assert not only_errors_omitted.conforms


@pytest.mark.parametrize("fmt", ["json", "shacl", "github", "junit", "sarif"])
def test_every_format_summarizes_what_the_cap_left_out(fmt, sarif_schema, tmp_path):
    capped = many_violations().capped(3)
    text = render(capped, fmt, ROOT, "1")
    if fmt == "json":
        data = json.loads(text)
        assert len(data["violations"]) == 3 and data["counts"]["ERROR"] == 7
        assert {"check": "shacl", "severity": "ERROR", "count": 4} in data["omitted"]
    elif fmt == "shacl":
        graph = parse_shacl(text)
        assert len(list(graph.objects(None, SH.result))) == 3
        (summary,) = graph.objects(None, RDFS.comment)
        assert str(summary).startswith("6 more violation(s) not shown")
        assert conforms_to_shacl_report_rules(graph)[0]
    elif fmt == "github":
        assert "::notice title=wegokg::6 more violation(s) not shown" in text
    elif fmt == "junit":
        suites = {suite.name: suite for suite in read_junit(text, tmp_path)}
        omitted = [case for case in suites["shacl"] if case.name == "4 more not shown"]
        assert len(omitted) == 1 and not omitted[0].is_passed  # errors were left out
        assert [case.name for case in suites["quality"]] == ["2 more not shown"]
        assert next(iter(suites["quality"])).is_passed  # only warnings were left out
    else:
        log = json.loads(text)
        assert sarif_schema.is_valid(log)
        (run,) = log["runs"]
        assert len(run["results"]) == 3
        (note,) = run["invocations"][0]["toolExecutionNotifications"]
        assert note["message"]["text"].startswith("6 more violation(s) not shown")


def test_a_sarif_uri_percent_encodes_what_a_uri_cannot_hold(sarif_schema):
    korean = violation(file="data/sources/000_성남 시.txt")
    log = json.loads(to_sarif(ValidationReport([korean]), ROOT, "1"))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    uri = location["artifactLocation"]["uri"]
    assert uri.isascii() and " " not in uri
    assert unquote(uri) == "data/sources/000_성남 시.txt"


def test_the_text_report_shows_an_invisible_character_in_a_value():
    nbsp = violation(value="https://w3id.org/wegokg\u00a0/ontology#Person")
    text = ValidationReport([nbsp], checks=("quality",)).to_text()
    assert "https://w3id.org/wegokg<U+00A0>/ontology#Person" in text
    plain = violation(value="a value with ordinary spaces")
    assert "(value: a value with ordinary spaces)" in ValidationReport([plain]).to_text()
