"""The validation report in the formats that CI systems read, each a view of one ValidationReport.

- ``shacl``: a W3C SHACL ``sh:ValidationReport`` in Turtle, with file and line as ``wego:file`` and
  ``wego:line``;
- ``github``: GitHub Actions workflow commands, which show as annotations on the changed lines;
- ``junit``: JUnit XML, one test case per check and focus node, for test-report viewers;
- ``sarif``: SARIF 2.1.0, for code-scanning tools.

Paths in these formats are relative to the repository root (with ``/``), since that is what the
consumers resolve them against; a file outside the repository keeps its own path.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD, NamespaceManager

from wegokg.core.iri import is_iri
from wegokg.core.namespaces import PREFIXES, WEGO, shorten
from wegokg.validation.checker_registry import CHECKERS
from wegokg.validation.report import REPORT_FORMATS, ValidationReport, Violation

FORMATS = REPORT_FORMATS

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://w3id.org/wegokg/"

SHACL_SEVERITIES = {"ERROR": SH.Violation, "WARN": SH.Warning, "INFO": SH.Info}
GITHUB_COMMANDS = {"ERROR": "error", "WARN": "warning", "INFO": "notice"}
SARIF_LEVELS = {"ERROR": "error", "WARN": "warning", "INFO": "note"}

# The constraint component named by results that no SHACL constraint produced.
TOOLKIT_CHECK_COMPONENT = URIRef(WEGO + "ToolkitCheckComponent")


def render(report: ValidationReport, format: str, root: Path, version: str = "unknown") -> str:
    """The report in one of FORMATS, ending with a newline."""
    renderers: dict[str, Callable[[], str]] = {
        "text": report.to_text,
        "json": report.to_json,
        "shacl": lambda: to_shacl(report, root),
        "github": lambda: to_github(report, root),
        "junit": lambda: to_junit(report, root),
        "sarif": lambda: to_sarif(report, root, version),
    }
    if format not in renderers:
        raise ValueError(f"unknown report format {format!r}; choose one of {', '.join(FORMATS)}")
    text = renderers[format]()
    return text if text.endswith("\n") else text + "\n"


# -- What every format shares ----------------------------------------------------------------


def repository_path(file: str, root: Path) -> str | None:
    """The violation's file relative to the repository root, or None when it names no file."""
    if not file or file.startswith("<"):
        return None
    path = Path(file)
    if not path.is_absolute():
        path = Path.cwd() / path
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def rule_id(violation: Violation) -> str:
    """A stable name for what was broken: the SHACL shape, or the check (and its own name)."""
    if violation.check == "shacl":
        return shorten(violation.shape)
    if violation.shape in ("", violation.check):
        return violation.check
    return f"{violation.check}/{violation.shape}"


def describe(violation: Violation) -> str:
    """One line: the focus node, the property path, the message and the offending value."""
    where = f" [{shorten(violation.path)}]" if violation.path else ""
    value = f" (value: {shorten(violation.value)})" if violation.value else ""
    return f"{shorten(violation.focus_node)}{where}: {violation.message}{value}"


def verdict(report: ValidationReport) -> str:
    errors, warnings = report.count("ERROR"), report.count("WARN")
    conforms = "conforms" if report.conforms else "does not conform"
    return f"The data {conforms}: {errors} error(s), {warnings} warning(s)."


# -- SHACL validation report in Turtle -------------------------------------------------------


def to_shacl(report: ValidationReport, root: Path) -> str:
    """A W3C ``sh:ValidationReport``, results in the report's order (written by hand for that)."""
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix in ("wego", "rdf", "rdfs", "sh", "xsd"):
        names.bind(prefix, PREFIXES[prefix], override=True, replace=True)

    def n3(term: URIRef | Literal | BNode) -> str:
        if term == RDF.type:
            return "a"
        if isinstance(term, Literal) and term.datatype in (XSD.boolean, XSD.integer):
            return str(term)  # Turtle's short forms: true, 42
        return term.n3(names)

    out = [f"@prefix {p}: <{PREFIXES[p]}> ." for p in ("wego", "rdf", "rdfs", "sh", "xsd")]
    # SHACL's sh:conforms is false as soon as there is any result, warnings included (SHACL 3.6.1);
    # the exit code of 'wegokg validate' fails on errors only.
    conforms = not report.violations and not report.omitted
    out += ["", "[] a sh:ValidationReport ;", f"    sh:conforms {n3(Literal(conforms))}"]
    if report.omitted:
        out[-1] += " ;"
        out.append(f"    {n3(RDFS.comment)} {n3(Literal(report.omitted_summary()))}")
    for note in report.notes:
        out[-1] += " ;"
        out.append(f"    {n3(RDFS.comment)} {n3(Literal('INFO ' + note))}")
    results = [_shacl_result(v, root) for v in report.violations]
    if results:
        out[-1] += " ;"
        out.append("    sh:result")
        blocks = []
        for result in results:
            body = " ;\n".join(f"            {n3(p)} {n3(o)}" for p, o in result)
            blocks.append(f"        [\n{body} ;\n        ]")
        out.append(",\n".join(blocks))
    out.append(".")
    return "\n".join(out) + "\n"


def _shacl_result(violation: Violation, root: Path) -> list[tuple[URIRef, object]]:
    component = violation.component or TOOLKIT_CHECK_COMPONENT
    result: list[tuple[URIRef, object]] = [
        (RDF.type, SH.ValidationResult),
        (SH.focusNode, _rdf_term(violation.focus_node)),
    ]
    if violation.path:
        result.append((SH.resultPath, URIRef(violation.path)))
    if violation.value is not None:
        result.append((SH.value, _rdf_term(violation.value)))
    if violation.check == "shacl" and is_iri(violation.shape, allow_invisible=True):
        result.append((SH.sourceShape, URIRef(violation.shape)))
    result += [
        (SH.sourceConstraintComponent, URIRef(component)),
        (SH.resultSeverity, SHACL_SEVERITIES.get(violation.severity, SH.Violation)),
        (SH.resultMessage, Literal(violation.message)),
        (URIRef(WEGO + "check"), Literal(rule_id(violation))),
    ]
    file = repository_path(violation.file, root)
    if file:
        result.append((URIRef(WEGO + "file"), Literal(file)))
    if violation.line > 0:
        result.append((URIRef(WEGO + "line"), Literal(violation.line, datatype=XSD.integer)))
    return result


def _rdf_term(text: str) -> URIRef | BNode | Literal:
    """The RDF term a violation names as text: an IRI, a blank node or else a literal."""
    if text.startswith("_:"):
        return BNode(text[2:])
    return URIRef(text) if is_iri(text, allow_invisible=True) else Literal(text)


# -- GitHub Actions workflow commands --------------------------------------------------------


def escape_data(text: str) -> str:
    """Escape a workflow command's message, as GitHub's actions/toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value: also ``:`` and ``,``, which end it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(report: ValidationReport, root: Path) -> str:
    """``::error file=…,line=…,title=…::message`` lines, shown as annotations on the files."""
    lines = []
    for violation in report.violations:
        properties = {}
        file = repository_path(violation.file, root)
        if file:
            properties["file"] = file
            if violation.line > 0:
                properties["line"] = str(violation.line)
        properties["title"] = f"wegokg {rule_id(violation)}"
        lines.append(
            workflow_command(
                GITHUB_COMMANDS.get(violation.severity, "error"), properties, describe(violation)
            )
        )
    if report.omitted:
        lines.append(workflow_command("notice", {"title": "wegokg"}, report.omitted_summary()))
    for note in report.notes:
        lines.append(workflow_command("notice", {"title": "wegokg"}, note))
    lines.append(verdict(report))
    return "\n".join(lines) + "\n"


def workflow_command(command: str, properties: dict[str, str], message: str) -> str:
    listed = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{command}{' ' + listed if listed else ''}::{escape_data(message)}"


# -- JUnit XML -------------------------------------------------------------------------------


def to_junit(report: ValidationReport, root: Path) -> str:
    """One test suite per check; in it one test case per focus node that has violations, or one
    passing case named after the check when it found nothing.

    A case fails when it has an ERROR; warnings and notes of a passing case are in its
    system-out, so the verdict of the test report is the verdict of ``wegokg validate``.
    """
    suites = ET.Element("testsuites", name="wegokg validate")
    for check in report.all_checks:
        found = [v for v in report.violations if v.check == check]
        cases: dict[str, list[Violation]] = {}
        for violation in found:
            cases.setdefault(violation.focus_node, []).append(violation)
        suite = ET.SubElement(suites, "testsuite", name=check)
        # What the check finds and how to fix it, from the checker registry; then how it ran
        # (the notes), as INFO properties of its suite.
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="help", value=_xml_safe(CHECKERS.help(check)))
        for note in report.notes:
            if note.split(":", 1)[0] == check:
                ET.SubElement(properties, "property", name="INFO", value=_xml_safe(note))
        if not cases and not any(c == check for c, _ in report.omitted):
            ET.SubElement(suite, "testcase", classname=f"wegokg.{check}", name=check)
        for focus_node, violations in cases.items():
            _junit_case(suite, check, shorten(focus_node), violations, root)
        omitted = {s: n for (c, s), n in report.omitted.items() if c == check}
        if omitted:
            _junit_omitted_case(suite, check, omitted)
        cases_in_suite = suite.findall("testcase")
        suite.set("tests", str(len(cases_in_suite)))
        suite.set(
            "failures", str(sum(1 for case in cases_in_suite if case.find("failure") is not None))
        )
        suite.set("errors", "0")
        suite.set("skipped", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode")


def _junit_case(
    suite: ET.Element, check: str, name: str, violations: list[Violation], root: Path
) -> None:
    first = violations[0]
    case = ET.SubElement(suite, "testcase", classname=f"wegokg.{check}", name=_xml_safe(name))
    file = repository_path(first.file, root)
    if file:
        case.set("file", _xml_safe(file))
        if first.line > 0:
            case.set("line", str(first.line))
    lines = [f"{_location(v, root)}: {v.severity} {rule_id(v)}: {describe(v)}" for v in violations]
    errors = [v for v in violations if v.severity == "ERROR"]
    if errors:
        more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
        failure = ET.SubElement(
            case,
            "failure",
            message=_xml_safe(f"{_location(errors[0], root)}: {errors[0].message}{more}"),
        )
        failure.text = _xml_safe("\n".join(lines))
    else:
        ET.SubElement(case, "system-out").text = _xml_safe("\n".join(lines))


def _junit_omitted_case(suite: ET.Element, check: str, omitted: dict[str, int]) -> None:
    total = sum(omitted.values())
    counts = ", ".join(f"{severity} {n}" for severity, n in omitted.items())
    text = f"{total} more violation(s) of {check} not shown ({counts}); raise --max-violations"
    case = ET.SubElement(
        suite, "testcase", classname=f"wegokg.{check}", name=f"{total} more not shown"
    )
    if omitted.get("ERROR"):
        ET.SubElement(case, "failure", message=text).text = text
    else:
        ET.SubElement(case, "system-out").text = text


def _location(violation: Violation, root: Path) -> str:
    file = repository_path(violation.file, root) or violation.file
    return f"{file}:{violation.line}" if violation.line > 0 else file


# Characters that XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


# -- SARIF 2.1.0 -----------------------------------------------------------------------------


def to_sarif(report: ValidationReport, root: Path, version: str) -> str:
    """A SARIF 2.1.0 log with one run: a rule per shape or check, a result per violation."""
    rules: dict[str, dict] = {}
    results = []
    for violation in report.violations:
        rule = rule_id(violation)
        if rule not in rules:
            rules[rule] = _sarif_rule(rule, violation)
        results.append(_sarif_result(violation, rule, list(rules).index(rule), root))
    notifications = []
    if report.omitted:
        notifications.append({"level": "warning", "message": {"text": report.omitted_summary()}})
    notifications += [{"level": "note", "message": {"text": note}} for note in report.notes]
    run = {
        "tool": {
            "driver": {
                "name": "wegokg",
                "version": version,
                "informationUri": INFORMATION_URI,
                "rules": list(rules.values()),
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}},
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "results": results,
        "properties": {
            "conforms": report.conforms,
            "omitted": [
                {"check": check, "severity": severity, "count": n}
                for (check, severity), n in report.omitted.items()
            ],
        },
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _sarif_rule(rule: str, violation: Violation) -> dict:
    """A rule's help is its checker's, from the registry; a rule of a checker's own (a quality
    check, say: ``quality/orphan-quote``) says first what its first result says."""
    help_text = CHECKERS.help(violation.check)
    if rule == f"{violation.check}/{violation.shape}":
        help_text = f"{violation.message}\n\n{help_text}"
    return {
        "id": rule,
        "name": violation.shape if violation.check != "shacl" else shorten(violation.shape),
        "shortDescription": {"text": f"wegokg {violation.check} check: {rule}"},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": SARIF_LEVELS.get(violation.severity, "error")},
        "properties": {"check": violation.check},
    }


def _sarif_result(violation: Violation, rule: str, index: int, root: Path) -> dict:
    result: dict = {
        "ruleId": rule,
        "ruleIndex": index,
        "level": SARIF_LEVELS.get(violation.severity, "error"),
        "message": {"text": describe(violation)},
    }
    file = repository_path(violation.file, root)
    if file:
        location: dict = {"artifactLocation": _artifact(file)}
        if violation.line > 0:
            location["region"] = {"startLine": violation.line}
        result["locations"] = [{"physicalLocation": location}]
    properties = {"focusNode": violation.focus_node, "check": violation.check}
    if violation.path:
        properties["path"] = violation.path
    if violation.value is not None:
        properties["value"] = violation.value
    result["properties"] = properties
    return result


def _artifact(file: str) -> dict:
    if file.startswith("/"):  # outside the repository
        return {"uri": Path(file).as_uri()}
    return {"uri": quote(file, safe="/"), "uriBaseId": "%SRCROOT%"}
