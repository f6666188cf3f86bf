"""The independent SHACL engine harness (tests/shacl_js, shacl-engine) agrees with pyshacl.

Each case lists, by hand, the results both engines must report as
(focus_node, shape, path, component) tuples.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from conftest import ROOT
from rdflib.namespace import RDFS, SH, Namespace
from support import shacl_js
from support.shacl_js import (
    JsReport,
    require_shacl_js,
    run_validate_mjs,
    validate_js,
    validate_pyshacl,
)

FIXTURES = ROOT / "tests" / "fixtures" / "shacl_js"
EX = Namespace("http://example.org/")
CITY = Namespace("http://example.org/city/")


@pytest.fixture
def js() -> None:
    require_shacl_js()


def f(*names: str) -> list[Path]:
    return [FIXTURES / name for name in names]


@functools.cache
def _validate_js_once(shapes: tuple[Path, ...], data: tuple[Path, ...], *extra: str) -> JsReport:
    return validate_js(shapes, data, *extra)


def validate_js_shared(shapes: list[Path], data: list[Path], *extra: str) -> JsReport:
    """validate_js, run once per distinct input: several tests below read the SPARQL case."""
    return _validate_js_once(tuple(shapes), tuple(data), *extra)


def key(focus, shape, path, component) -> tuple[str, str, str | None, str]:
    return (str(focus), str(shape), None if path is None else str(path), str(component))


CASES = [
    pytest.param(
        f("person.shapes.ttl"),
        f("person-ok.data.ttl"),
        True,
        set(),
        id="conforming",
    ),
    pytest.param(
        f("person.shapes.ttl"),
        f("person-mincount.data.ttl"),
        False,
        # the sh:minCount sits on a blank property shape: reported as its node shape
        {key(EX.bob, EX.PersonShape, EX.name, SH.MinCountConstraintComponent)},
        id="minCount-blank-property-shape",
    ),
    pytest.param(
        f("person.shapes.ttl"),
        f("person-datatype.data.ttl"),
        False,
        {key(EX.carol, EX.PersonShape, EX.name, SH.DatatypeConstraintComponent)},
        id="datatype",
    ),
    pytest.param(
        f("label.shapes.ttl"),
        f("label.data.ttl"),
        False,
        {
            key(EX.busan, EX.CityLabelShape, RDFS.label, SH.UniqueLangConstraintComponent),
            key(EX.daegu, EX.CityLabelShape, RDFS.label, SH.LanguageInConstraintComponent),
        },
        id="languageIn-uniqueLang",
    ),
    pytest.param(
        f("pattern.shapes.ttl"),
        f("pattern.data.ttl"),
        False,
        {
            key(EX.Daegu, EX.CityIriShape, None, SH.PatternConstraintComponent),
            key(CITY.busan, EX.HomepageShape, EX.homepage, SH.PatternConstraintComponent),
        },
        id="pattern-on-IRIs",
    ),
    pytest.param(
        f("class.shapes.ttl"),
        f("class.ontology.ttl", "class.data.ttl"),
        False,
        # ex:Festival ⊑ ex:Event makes both festivals targets; ex:City ⊑ ex:LocalGovernment ⊑
        # ex:Organization makes ex:seoul a valid organizer, ex:kim (a Person) is not.
        {key(EX.kimchiFestival, EX.EventShape, EX.organizer, SH.ClassConstraintComponent)},
        id="class-via-subClassOf-in-data",
    ),
    pytest.param(
        f("class.shapes.ttl"),
        f("class.data.ttl"),
        True,
        # without the ontology no festival is an ex:Event, so nothing is targeted
        set(),
        id="class-without-ontology",
    ),
    pytest.param(
        f("sparql-prefixes.shapes.ttl", "sparql.shapes.ttl"),
        f("sparql.data.ttl"),
        False,
        {
            key(EX.oldtown, EX.MemberShape, None, SH.SPARQLConstraintComponent),
            # the $PATH constraint sits on a blank property shape
            key(EX.x, EX.MemberShape, EX.name, SH.SPARQLConstraintComponent),
        },
        id="sparql-prefixes-declare-this",
    ),
]


@pytest.mark.node
@pytest.mark.parametrize(("shapes", "data", "conforms", "expected"), CASES)
def test_engines_agree(js, shapes, data, conforms, expected):
    js_report = validate_js_shared(shapes, data)
    py_report = validate_pyshacl(shapes, data)

    assert js_report.keys() == expected
    assert py_report.keys() == expected
    assert js_report.conforms is conforms
    assert py_report.conforms is conforms
    assert len(js_report.results) >= len(expected)
    assert {r.severity for r in js_report.results} <= {str(SH.Violation)}


@pytest.mark.node
def test_sparql_message_and_value(js):
    shapes = f("sparql-prefixes.shapes.ttl", "sparql.shapes.ttl")
    report = validate_js_shared(shapes, f("sparql.data.ttl"))
    [old] = [r for r in report.results if r.focus_node == str(EX.oldtown)]
    assert old.messages == ("Member joined before WeGO was founded (2010)",)
    assert old.value == "1999"


@pytest.mark.node
def test_shared_sparql_engine_matches_stock_plugin(js):
    """validate.mjs shares one Comunica engine; --stock-sparql runs shacl-engine unmodified."""
    shapes = f("sparql-prefixes.shapes.ttl", "sparql.shapes.ttl")
    data = f("sparql.data.ttl")
    assert validate_js_shared(shapes, data) == validate_js(shapes, data, "--stock-sparql")


@pytest.mark.node
def test_output_is_one_sorted_json_object(js):
    proc = run_validate_mjs(f("label.shapes.ttl"), f("label.data.ttl"))
    assert proc.returncode == 1
    assert proc.stderr == ""
    payload = json.loads(proc.stdout)
    assert set(payload) == {"conforms", "results"}
    assert payload["conforms"] is False
    focus = [r["focusNode"] for r in payload["results"]]
    assert focus == sorted(focus)
    for result in payload["results"]:
        assert {"focusNode", "shape", "path", "component", "severity", "message"} <= set(result)
        assert isinstance(result["message"], list)


@pytest.mark.node
def test_conforming_exit_code_is_0(js):
    proc = run_validate_mjs(f("person.shapes.ttl"), f("person-ok.data.ttl"))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"conforms": True, "results": []}


@pytest.mark.node
def test_unparsable_turtle_exits_2_naming_file_and_line(js):
    proc = run_validate_mjs(f("person.shapes.ttl"), f("broken.ttl"))
    assert proc.returncode == 2
    assert proc.stdout == ""
    message = proc.stderr.strip()
    assert "\n" not in message
    assert "broken.ttl" in message
    assert "line 3" in message
    with pytest.raises(RuntimeError, match=r"broken\.ttl"):
        validate_js(f("person.shapes.ttl"), f("broken.ttl"))


@pytest.mark.node
def test_unreadable_file_and_bad_arguments_exit_2(js):
    proc = run_validate_mjs(f("no-such-file.ttl"), f("person-ok.data.ttl"))
    assert proc.returncode == 2
    assert "no-such-file.ttl" in proc.stderr
    proc = run_validate_mjs(f("person.shapes.ttl"), [])
    assert proc.returncode == 2
    assert "--data" in proc.stderr
    proc = run_validate_mjs(f("person.shapes.ttl"), f("person-ok.data.ttl"), "--bogus")
    assert proc.returncode == 2
    assert "--bogus" in proc.stderr


@pytest.mark.node
def test_refuses_shapes_shacl_engine_would_misvalidate(js):
    proc = run_validate_mjs(f("multi-pattern.shapes.ttl"), f("person-ok.data.ttl"))
    assert proc.returncode == 2
    assert "sh:pattern" in proc.stderr
    assert str(EX.CodeShape) in proc.stderr


def test_validate_pyshacl_without_node():
    report = validate_pyshacl(f("person.shapes.ttl"), f("person-mincount.data.ttl"))
    assert report.keys() == {key(EX.bob, EX.PersonShape, EX.name, SH.MinCountConstraintComponent)}


def test_require_shacl_js_skips_locally_and_fails_in_ci(monkeypatch):
    monkeypatch.setattr(shacl_js, "install_shacl_js", lambda: "node not found")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="node not found"):
        require_shacl_js()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="node not found"):
        require_shacl_js()


def test_shacl_js_available_reports_missing_node_modules(monkeypatch, tmp_path):
    monkeypatch.setattr(shacl_js, "HARNESS_DIR", tmp_path)
    monkeypatch.setattr(shacl_js, "_node_path", lambda: "/usr/bin/node")
    monkeypatch.setattr(shacl_js, "_node_version", lambda node: (20, 11, 0))
    reason = shacl_js.shacl_js_available()
    assert reason is not None
    assert "npm ci --prefix tests/shacl_js" in reason
    monkeypatch.setattr(shacl_js, "_node_version", lambda node: (18, 19, 0))
    assert "18.19.0" in shacl_js.shacl_js_available()
    monkeypatch.setattr(shacl_js, "_node_path", lambda: None)
    assert "node not found" in shacl_js.shacl_js_available()
