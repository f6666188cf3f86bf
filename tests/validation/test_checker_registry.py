"""The checker registry is the one list of checkers: every checker declares its name, help and
default severity, validation runs exactly the registered ones in their order, and a checker
registered here (one class and one line) shows in every report format and in ``--list-checks``
with nothing else changed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import jsonschema
import pytest
from conftest import ROOT
from rdflib import Graph, Literal, URIRef
from support.inprocess import wegokg

from wegokg.core.namespaces import WEGO
from wegokg.validation.checker_registry import CHECKERS, CheckerRegistry, write_table
from wegokg.validation.context import ValidationContext
from wegokg.validation.report import LOAD, SEVERITIES, ValidationReport, Violation
from wegokg.validation.report_formats import FORMATS, render
from wegokg.validation.run import validate

SARIF_SCHEMA = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text())
SEONGNAM = "https://w3id.org/wegokg/id/city/seongnam"
REGISTERED = CHECKERS.names()  # as the package registers them, before any test adds one


class SeongnamChecker:
    """A checker of this test's own: it warns once, about Seongnam, where Seongnam is written."""

    name = "seongnam"
    severity = "WARN"
    help = "Says that Seongnam is in the data, to show a new checker in every format. Fix: none."

    def check(self, context: ValidationContext) -> Iterator[Violation]:
        file, line = context.locate(SEONGNAM)
        yield Violation(
            file=file,
            line=line,
            focus_node=SEONGNAM,
            severity=self.severity,
            check=self.name,
            shape=self.name,
            message="Seongnam is here",
        )


@pytest.fixture
def registered() -> Iterator[type]:
    """SeongnamChecker registered after the others, for the test only: the one registration line."""
    CHECKERS.register(SeongnamChecker)
    try:
        yield SeongnamChecker
    finally:
        CHECKERS.unregister(SeongnamChecker.name)


def sarif_rules(text: str) -> dict[str, dict]:
    log = json.loads(text)
    jsonschema.validate(log, SARIF_SCHEMA, cls=jsonschema.Draft4Validator)
    return {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}


def junit_help(text: str) -> dict[str, str]:
    """Each test suite's help property, by suite name."""
    return {
        suite.get("name"): prop.get("value")
        for suite in ET.fromstring(text).iter("testsuite")
        for prop in suite.iter("property")
        if prop.get("name") == "help"
    }


# -- What every registered checker declares ----------------------------------------------------


@pytest.mark.parametrize("checker", CHECKERS.classes(), ids=CHECKERS.names())
def test_every_registered_checker_declares_its_name_help_and_severity(checker):
    assert checker.name and checker.name == checker.name.lower()
    assert checker.severity in SEVERITIES
    description, fix = checker.help.split("Fix:", 1)
    assert description.strip() and fix.strip()


@pytest.mark.parametrize("checker", CHECKERS.classes(), ids=CHECKERS.names())
def test_every_registered_checker_has_its_help_in_sarif_and_junit(checker):
    found = Violation(
        file="data/curated/cities.ttl", line=3, focus_node=SEONGNAM, severity=checker.severity,
        check=checker.name, shape=checker.name, message="found",
    )  # fmt: skip
    report = ValidationReport([found], checks=tuple(CHECKERS.names()))
    rule = sarif_rules(render(report, "sarif", ROOT))[checker.name]
    assert rule["help"]["text"] == checker.help
    assert junit_help(render(report, "junit", ROOT))[checker.name] == checker.help


def test_a_file_that_cannot_be_loaded_has_help_too():
    report = ValidationReport.from_load_error("data/x.ttl", 3, "Turtle syntax error")
    assert sarif_rules(render(report, "sarif", ROOT))["load"]["help"]["text"] == LOAD.help
    assert junit_help(render(report, "junit", ROOT)) == {"load": LOAD.help}


def test_a_rule_of_a_checkers_own_says_what_its_result_says_then_the_checkers_help():
    orphan = Violation(
        file="data/a.ttl", line=1, focus_node=SEONGNAM, severity="WARN", check="quality",
        shape="orphan-quote", message="A quote no claim cites. Fix: cite it or remove it",
    )  # fmt: skip
    rule = sarif_rules(render(ValidationReport([orphan]), "sarif", ROOT))["quality/orphan-quote"]
    quality = CHECKERS.describe("quality")
    assert rule["help"]["text"] == f"{orphan.message}\n\n{quality.help}"


def test_validation_runs_the_registered_checkers_in_their_order():
    assert validate(ROOT).checks == tuple(CHECKERS.names())


# -- A new checker: one class and one line -------------------------------------------------------


def test_a_registered_checker_runs_and_shows_in_every_report_format(registered):
    report = validate(ROOT)
    assert report.checks == (*CHECKERS.names()[:-1], "seongnam")
    (found,) = [v for v in report.violations if v.check == "seongnam"]
    assert found.file == "data/curated/cities.ttl" and found.line > 0
    assert report.conforms  # a warning

    texts = {fmt: render(report, fmt, ROOT, "1") for fmt in FORMATS}
    assert all("seongnam" in text for text in texts.values())
    assert f"{found.file}:{found.line}: city:seongnam" in texts["text"]
    assert "WARN seongnam: Seongnam is here" in texts["text"]
    (listed,) = json.loads(texts["json"])["violations"]
    assert listed["check"] == "seongnam" and listed["severity"] == "WARN"
    shacl = Graph().parse(data=texts["shacl"], format="turtle")
    assert set(shacl.subjects(URIRef(WEGO + "check"), Literal("seongnam")))
    (annotation,) = [line for line in texts["github"].splitlines() if line.startswith("::")]
    assert annotation.startswith(f"::warning file={found.file},line={found.line},title=wegokg ")
    assert annotation.endswith("title=wegokg seongnam::city:seongnam: Seongnam is here")
    suites = {suite.get("name"): suite for suite in ET.fromstring(texts["junit"])}
    assert list(suites) == CHECKERS.names()
    (case,) = suites["seongnam"].iter("testcase")
    assert case.find("failure") is None and "Seongnam is here" in case.find("system-out").text
    assert junit_help(texts["junit"])["seongnam"] == SeongnamChecker.help
    rule = sarif_rules(texts["sarif"])["seongnam"]
    assert rule["help"]["text"] == SeongnamChecker.help
    assert rule["defaultConfiguration"]["level"] == "warning"


def test_a_registered_checker_shows_in_the_command_line(registered):
    listed = wegokg("validate", "--list-checks")
    assert listed.returncode == 0, listed.stderr
    names = [line.split(" (")[0] for line in listed.stdout.splitlines() if line[:1].isalpha()]
    assert names == CHECKERS.names() and names[-1] == "seongnam"
    assert "seongnam (WARN)\n  Says that Seongnam is in the data" in listed.stdout

    done = wegokg("validate", "--format", "sarif")
    assert done.returncode == 0, done.stderr
    assert sarif_rules(done.stdout)["seongnam"]["help"]["text"] == SeongnamChecker.help


def test_unregistering_leaves_the_registry_as_it_was():
    CHECKERS.register(SeongnamChecker)
    assert CHECKERS.names() == [*REGISTERED, "seongnam"]
    CHECKERS.unregister("seongnam")
    assert CHECKERS.names() == REGISTERED


# -- What the registry refuses --------------------------------------------------------------------


def declared(**fields) -> type:
    values = {"name": "tiny", "severity": "INFO", "help": "Finds nothing. Fix: nothing."}
    values.update(fields)
    return type("Tiny", (), {**values, "check": lambda self, context: iter(())})


@pytest.mark.parametrize(
    "checker, complaint",
    [
        (declared(name="Tiny Check"), "must be a lower-case word"),
        (declared(name="load"), "other than 'load'"),
        (declared(help=""), "help must be one paragraph"),
        (declared(help="Finds nothing, and says not how to fix it."), "then 'Fix:'"),
        (declared(help="Finds nothing.\n\nFix: nothing."), "one paragraph"),
        (declared(severity="FATAL"), "severity must be one of ERROR, WARN, INFO"),
        (type("NoCheck", (), {"name": "x", "severity": "INFO", "help": "x. Fix: x"}), "check("),
    ],
    ids=["name", "load", "no-help", "no-fix", "two-paragraphs", "severity", "no-check"],
)
def test_the_registry_refuses_a_checker_that_does_not_declare_itself(checker, complaint):
    registry = CheckerRegistry([declared(name="fine")])
    with pytest.raises(ValueError, match=complaint.replace("(", r"\(")):
        registry.register(checker)
    assert registry.names() == ["fine"]


def test_the_registry_refuses_two_checkers_of_one_name():
    registry = CheckerRegistry([declared(), declared()])
    with pytest.raises(ValueError, match="registered twice under one name: tiny"):
        registry.classes()


def test_an_entry_is_imported_only_when_the_registry_is_read():
    registry = CheckerRegistry(["wegokg.no_such_module:Checker"])
    assert len(registry) == 1
    with pytest.raises(ModuleNotFoundError):
        registry.names()
    with pytest.raises(ValueError, match="'module:Class'"):
        CheckerRegistry(["wegokg.validation.terms.TermChecker"]).names()


def test_unregistering_an_unknown_checker_is_an_error():
    with pytest.raises(ValueError, match="no checker is registered as 'nothing'"):
        CheckerRegistry([declared()]).unregister("nothing")


def test_the_readme_table_is_written_again_from_the_registry(tmp_path, registered):
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Title\n\n<!-- checkers: generated -->\n| old | table |\n<!-- /checkers -->\n\nMore.\n",
        encoding="utf-8",
    )
    assert write_table(readme)
    text = readme.read_text(encoding="utf-8")
    table = f"<!-- checkers: generated -->\n{CHECKERS.table()}<!-- /checkers -->"
    assert text == f"# Title\n\n{table}\n\nMore.\n"
    assert "| `seongnam` | WARN | Says that Seongnam is in the data" in text
    assert not write_table(readme)  # up to date: left as it is
    readme.write_text("# No table\n", encoding="utf-8")
    with pytest.raises(ValueError, match="has no <!-- checkers"):
        write_table(readme)
