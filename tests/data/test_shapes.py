"""Every SHACL shape has a small invalid example that fails with the expected shape and focus node.

Each file in tests/fixtures/invalid/ is added to the repository's own (valid) data with
``validate(ROOT, extra_files=[fixture])``. Its header comment says in plain words what it breaks,
and one or more lines

    # expect: SHAPE FOCUS

name, as prefixed names (prefixes as in wegokg.core.namespaces.PREFIXES), the shape that must report
the focus node. A check that is not SHACL (a quality check of shapes/checks/, or the evidence check)
is named the same way by a line

    # expect-check: CHECK FOCUS

with the check's name (``claim-beyond-source``, ``evidence``). The fixture must break only what it
says: every ERROR of the report concerns one of its expected focus nodes, and every problem is
located in the fixture itself. A fixture whose expected checks all have a milder severity than
ERROR in shapes/checks/profile.tsv (such as ``orphan-quote``, a WARN) leaves the data conforming:
it must report those checks, and nothing else, of any severity.

Validating a fixture takes about 1.7 s of CPU, most of it the same for every fixture, and there are
dozens of them; so the selected fixtures are validated one after the other in a process of its
own, started as soon as the tests are collected (conftest.py calls `start_in_background`), and
each test reads its fixture's report from there.
"""

from __future__ import annotations

import functools
import multiprocessing
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from support.invalid_fixtures import (
    EXPECT,
    FIXTURES,
    INVALID,
    check_expectations,
    expectations,
    fixture_id,
)

from wegokg.core.loading import load_shapes, parse_turtle
from wegokg.validation.checks import load_checks
from wegokg.validation.report import ValidationReport
from wegokg.validation.run import validate

NON_SHACL_CHECKS = {p.stem for p in (ROOT / "shapes" / "checks").glob("*.rq")} | {"evidence"}


@functools.cache
def _shapes() -> Graph:
    return load_shapes(ROOT)


@functools.cache
def check_severities() -> dict[str, str]:
    """Each quality check's severity in shapes/checks/profile.tsv (the others report ERRORs)."""
    return {check.name: check.severity for check in load_checks(ROOT / "shapes" / "checks")}


def breaks_only_milder_checks(path: Path) -> bool:
    """Whether the fixture expects no shape, and only checks milder than ERROR."""
    checks = check_expectations(path)
    severities = check_severities()
    return not expectations(path) and all(severities.get(c, "ERROR") != "ERROR" for c, _ in checks)


def targeted_shapes() -> set[str]:
    """IRIs of the shapes in shapes/*.ttl that have a target (sh:targetClass)."""
    return {str(s) for s in _shapes().subjects(SH.targetClass, None) if isinstance(s, URIRef)}


def named_node_shapes() -> set[str]:
    """IRIs of all node shapes in shapes/*.ttl, with or without a target."""
    return {str(s) for s in _shapes().subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}


_reports: dict[Path, Future[ValidationReport]] = {}
_pools: list[ProcessPoolExecutor] = []


def start_in_background(items: Iterable[pytest.Item]) -> None:
    """Validate, in a process of its own, each fixture whose expectation test is selected."""
    paths = [
        item.callspec.params["path"]
        for item in items
        if getattr(item, "function", None)
        is test_invalid_fixture_fails_with_expected_shape_and_focus
    ]
    if not paths:
        return
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    for path in paths:
        _reports[path] = pool.submit(validate, ROOT, extra_files=[path])
    _pools.append(pool)


def stop_in_background() -> None:
    for pool in _pools:
        pool.shutdown(wait=False, cancel_futures=True)


def validate_fixture(path: Path) -> ValidationReport:
    """``validate(ROOT, extra_files=[path])``, from the background process if it was started."""
    future = _reports.get(path)
    if future is not None:
        try:
            return future.result()
        except Exception:  # an error that does not cross processes intact: raise it here instead
            pass
    return validate(ROOT, extra_files=[path])


def test_there_are_invalid_fixtures():
    assert FIXTURES, f"no invalid examples in {INVALID}"


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_fixture_is_documented(path: Path):
    """A header comment in plain words, expect lines naming real shapes, and new focus nodes."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines and lines[0].startswith("# ") and not EXPECT.match(lines[0]), (
        f"{path.name} must start with a comment that says in plain words what it breaks"
    )
    expected, checks = expectations(path), check_expectations(path)
    assert expected or checks, f"{path.name} has no '# expect: SHAPE FOCUS' line"
    unknown = sorted({shape for shape, _ in expected} - named_node_shapes())
    assert not unknown, f"{path.name} expects shapes that shapes/*.ttl does not define: {unknown}"
    unknown = sorted({check for check, _ in checks} - NON_SHACL_CHECKS)
    assert not unknown, f"{path.name} expects checks that do not exist: {unknown}"
    graph: Graph = parse_turtle(path)
    subjects = {str(s) for s in graph.subjects()}
    absent = sorted({focus for _, focus in expected + checks} - subjects)
    assert not absent, f"{path.name} expects focus nodes that it does not describe: {absent}"


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_invalid_fixture_fails_with_expected_shape_and_focus(path: Path):
    report = validate_fixture(path)
    text = report.to_text()
    expected, checks = expectations(path), check_expectations(path)
    milder = breaks_only_milder_checks(path)
    if milder:
        assert report.conforms, f"{path.name} expects only WARN or INFO checks, yet fails:\n{text}"
    else:
        assert not report.conforms, f"{path.name} should not conform:\n{text}"

    found = {(v.shape, v.focus_node) for v in report.violations if v.check == "shacl"}
    missing = [pair for pair in expected if pair not in found]
    assert not missing, f"{path.name}: expected (shape, focus) not reported: {missing}\n{text}"
    found = {(v.shape, v.focus_node) for v in report.violations if v.check != "shacl"}
    missing = [pair for pair in checks if pair not in found]
    assert not missing, f"{path.name}: expected (check, focus) not reported: {missing}\n{text}"

    foci = {focus for _, focus in expected + checks}
    stray = [v for v in report.violations if v.severity == "ERROR" and v.focus_node not in foci]
    nested = sorted({v.shape for v in stray if v.check == "shacl"} - targeted_shapes())
    hint = (
        f"\n(results of {nested}, which have no target, can only come from an sh:node check: "
        "the report lists pyshacl's nested sh:detail results as top-level results)"
        if nested
        else ""
    )
    assert not stray, f"{path.name} breaks more than it says (ERRORs on other nodes):\n{text}{hint}"
    if milder:
        others = [v for v in report.violations if (v.shape, v.focus_node) not in checks]
        assert not others, f"{path.name} reports more than its expected checks:\n{text}"

    unlocated = [
        v for v in report.violations if Path(v.file).resolve() != path.resolve() or v.line <= 0
    ]
    assert not unlocated, f"{path.name}: problems not located in the fixture:\n{text}"


def test_every_targeted_shape_has_an_invalid_example():
    covered = {shape for path in FIXTURES for shape, _ in expectations(path)}
    missing = sorted(targeted_shapes() - covered)
    assert not missing, (
        f"these shapes have no invalid example in {INVALID.relative_to(ROOT)}: add a fixture "
        f"with a '# expect: SHAPE FOCUS' line for each: {missing}"
    )


def test_repository_data_conforms_without_warnings():
    report = validate(ROOT)
    text = report.to_text()
    assert report.conforms, text
    assert report.count("WARN") == 0, text
