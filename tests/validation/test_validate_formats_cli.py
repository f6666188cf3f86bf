"""``wegokg validate --format … --max-violations N -o FILE``: machine-readable reports that stay
well-formed when the data is broken, a cap that does not change the exit code, and atomic files."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import jsonschema
from conftest import ROOT
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from support.inprocess import wegokg as run_wegokg

from wegokg.core.namespaces import WEGO

SARIF_SCHEMA = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text())


def wegokg(*args: str, cwd=ROOT):
    """``wegokg validate ARGS``, run in this process (support/inprocess.py)."""
    return run_wegokg("validate", *args, cwd=cwd)


def line_of(path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_a_sarif_report_of_the_repository_is_written_to_a_file(tmp_path):
    out = tmp_path / "wegokg.sarif"
    done = wegokg("--format", "sarif", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    log = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(log, SARIF_SCHEMA, cls=jsonschema.Draft4Validator)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["properties"]["conforms"] is True


def test_a_file_that_cannot_be_loaded_is_one_located_violation_in_every_machine_format(
    checkout_copy,
):
    countries = checkout_copy / "data" / "curated" / "countries.ttl"
    lines = countries.read_text(encoding="utf-8").splitlines()
    number = lines.index("country:malaysia") + 2  # the line after the subject
    lines[number - 1] = lines[number - 1].replace(" ;", "")
    countries.write_text("\n".join(lines) + "\n", encoding="utf-8")
    where = "data/curated/countries.ttl"

    formats = ("json", "shacl", "github", "junit", "sarif")
    reports = {fmt: wegokg("--format", fmt, cwd=checkout_copy) for fmt in formats}
    for fmt, done in reports.items():
        assert done.returncode == 1, fmt
        assert "Traceback" not in done.stdout + done.stderr, fmt

    (failure,) = json.loads(reports["json"].stdout)["violations"]
    assert failure["check"] == "load" and failure["file"] == where
    assert "Turtle syntax error" in failure["message"]
    line = failure["line"]
    assert number - 1 <= line <= number + 1  # the parser stops on or next to the broken line

    shacl = Graph().parse(data=reports["shacl"].stdout, format="turtle")
    assert set(shacl.objects(None, SH.conforms)) == {Literal(False)}
    assert set(shacl.objects(None, SH.resultSeverity)) == {SH.Violation}
    assert set(shacl.objects(None, URIRef(WEGO + "file"))) == {Literal(where)}

    assert reports["github"].stdout.startswith(
        f"::error file={where},line={line},title=wegokg load::"
    )

    suites = ET.fromstring(reports["junit"].stdout)
    (case,) = suites.iter("testcase")
    assert case.get("classname") == "wegokg.load" and case.get("file") == where
    assert case.find("failure").get("message").startswith(f"{where}:{line}: Turtle syntax error")

    log = json.loads(reports["sarif"].stdout)
    jsonschema.validate(log, SARIF_SCHEMA, cls=jsonschema.Draft4Validator)
    (result,) = log["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert result["ruleId"] == "load" and result["level"] == "error"
    assert location["artifactLocation"]["uri"] == where
    assert location["region"]["startLine"] == line


def test_the_cap_lists_fewer_violations_but_keeps_the_exit_code(checkout_copy):
    cities = checkout_copy / "data" / "curated" / "cities.ttl"
    text = cities.read_text(encoding="utf-8")
    for english in ("Seongnam", "Seoul"):
        labelled = next(row for row in text.splitlines() if f'rdfs:label "{english}"@en, ' in row)
        text = text.replace(labelled, labelled.split(", ")[0] + " ;")
    cities.write_text(text, encoding="utf-8")

    everything = json.loads(wegokg("--format", "json", cwd=checkout_copy).stdout)
    assert everything["counts"]["ERROR"] >= 2
    done = wegokg("--format", "github", "--max-violations", "1", cwd=checkout_copy)
    assert done.returncode == 1
    annotations = [row for row in done.stdout.splitlines() if row.startswith("::error")]
    assert len(annotations) == 1
    first = everything["violations"][0]
    assert f"file={first['file']},line={first['line']}," in annotations[0]
    hidden = len(everything["violations"]) - 1
    assert f"::notice title=wegokg::{hidden} more violation(s) not shown" in done.stdout


def test_the_cap_must_be_at_least_one():
    done = wegokg("--max-violations", "0")
    assert done.returncode == 2
    assert "at least 1" in done.stderr


def test_a_report_that_cannot_be_written_is_an_error_without_a_traceback(tmp_path):
    done = wegokg("--format", "junit", "-o", str(tmp_path / "missing" / "report.xml"))
    assert done.returncode == 3  # the tool could not write
    assert "cannot write the report to" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "missing").exists()
