"""An independent SHACL engine (shacl-engine, run by Node) agrees with pyshacl on this dataset.

The data files are every Turtle file that ``wegokg.core.loading.read_graph_files`` reads (ontology,
imports, curated data, sources); the engines see them merged into one graph. The shapes are
shapes/*.ttl. Each engine validates two graphs:

* the dataset alone, which both engines must find conforming;
* the dataset plus every invalid fixture of tests/fixtures/invalid/ at once, on which the two
  engines must report the same (focus node, shape) pairs, and every fixture's expected pairs.

Why all fixtures at once. shacl-engine spends about 15 s of CPU on any graph of this size (almost
all of it in the Comunica SPARQL engine that runs the rules of shapes/rules.ttl once per focus
node), however little a fixture adds: validating each fixture on its own took seven minutes of
the suite. The fixtures describe distinct new nodes, and each still has a test of its own below,
which compares the two engines' results on the nodes that fixture describes, so a disagreement
names its fixture. A fixture that hid another's violation would fail that other fixture's test
(its expected pair would be missing); tests/data/test_shapes.py validates each fixture on its own.

pyshacl runs the way wegokg.validate runs it (over a pyoxigraph store, about ten times faster),
normalized with the harness's own functions (`pyshacl_focus_shape_keys`). `validate_pyshacl`
(pyshacl over an rdflib graph) runs once, on the fixtures without the dataset (about 90 results),
to show that the two ways of running pyshacl give the same keys: over the dataset it takes 18 s,
ten times as long as everything else on the Python side.

Timing. All of this takes about half a minute of CPU (20 s of it in the two Node processes), in
one Python process of its own besides. In one pytest process it starts in the background as soon
as the tests are collected (conftest.py calls `start_in_background`) and overlaps with the tests
that run before this module; under pytest-xdist it runs when the first of its tests asks.
"""

from __future__ import annotations

import functools
import multiprocessing
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT
from rdflib import Graph, URIRef
from support.invalid_fixtures import FIXTURES, expectations, fixture_id
from support.shacl_js import (
    JsReport,
    install_shacl_js,
    pyshacl_focus_shape_keys,
    require_shacl_js,
    validate_js,
    validate_pyshacl,
)

from wegokg.core.loading import read_graph_files

pytestmark = pytest.mark.node

SHAPES = sorted((ROOT / "shapes").glob("*.ttl"))

Key = tuple[str, str]  # (focus node, shape)


@functools.cache
def _dataset_files() -> tuple[Path, ...]:
    return tuple(item.path for item, _ in read_graph_files(ROOT))


def data_files(extra: list[Path] | None = None) -> list[Path]:
    """The Turtle files of the dataset, in the order wegokg reads them, then the fixtures.

    read_graph_files(ROOT, extra) returns the same list; this reads the dataset only once.
    """
    return [*_dataset_files(), *(extra or [])]


def focus_shape_keys(report: JsReport) -> set[Key]:
    return {(r.focus_node, r.shape) for r in report.results}


@functools.cache
def described_nodes(path: Path) -> frozenset[str]:
    """The IRIs a fixture says something about, or points to: where its violations can be."""
    graph = Graph().parse(path, format="turtle")
    return frozenset(
        str(term) for triple in graph for term in (triple[0], triple[2]) if isinstance(term, URIRef)
    )


def disagreement(js_keys: set[Key], py_keys: set[Key]) -> str:
    """The keys only one engine reports, one per line, ready for an assertion message."""
    lines = [f"  shacl-engine only: {focus}  {shape}" for focus, shape in sorted(js_keys - py_keys)]
    lines += [f"  pyshacl only: {focus}  {shape}" for focus, shape in sorted(py_keys - js_keys)]
    return "the engines disagree on (focus node, shape):\n" + "\n".join(lines)


@dataclass(frozen=True)
class Reports:
    """Both engines' results on the dataset alone and on the dataset with every fixture."""

    js_dataset: JsReport
    py_dataset: set[Key]
    js_fixtures: JsReport
    py_fixtures: set[Key]
    py_fixtures_alone: set[Key]  # the fixtures without the dataset: pyshacl over a store...
    harness_fixtures_alone: JsReport  # ...and validate_pyshacl's, over an rdflib graph


def _run_everything() -> Reports | None:
    """Install shacl-engine if needed, then run both engines; None if shacl-engine cannot run."""
    if install_shacl_js() is not None:
        return None
    dataset, with_fixtures = data_files(), data_files(FIXTURES)
    # pyshacl holds the GIL for about 25 s: a process of its own keeps it off the tests' thread.
    spawn = multiprocessing.get_context("spawn")
    with (
        ThreadPoolExecutor(max_workers=2) as node,
        ProcessPoolExecutor(max_workers=1, mp_context=spawn) as python,
    ):
        js_dataset = node.submit(validate_js, SHAPES, dataset)
        js_fixtures = node.submit(validate_js, SHAPES, with_fixtures)
        py_dataset = python.submit(pyshacl_focus_shape_keys, SHAPES, dataset)
        py_fixtures = python.submit(pyshacl_focus_shape_keys, SHAPES, with_fixtures)
        py_alone = python.submit(pyshacl_focus_shape_keys, SHAPES, FIXTURES)
        harness_alone = python.submit(validate_pyshacl, SHAPES, FIXTURES)
        return Reports(
            js_dataset.result(),
            py_dataset.result(),
            js_fixtures.result(),
            py_fixtures.result(),
            py_alone.result(),
            harness_alone.result(),
        )


@functools.cache
def _cross_check() -> Future[Reports | None]:
    starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shacl-engine")
    future = starter.submit(_run_everything)
    starter.shutdown(wait=False)
    return future


def start_in_background(items: Iterable[pytest.Item]) -> None:
    """Start the cross-check now if a selected test needs it (conftest.py calls this)."""
    if any("reports" in getattr(item, "fixturenames", ()) for item in items):
        _cross_check()


@pytest.fixture(scope="module")
def reports() -> Reports:
    future = _cross_check()
    result = future.result()
    require_shacl_js()  # skips (or fails in CI) with the reason if shacl-engine could not run
    assert result is not None
    return result


def test_both_engines_say_the_dataset_conforms(reports):
    assert reports.js_dataset.conforms, sorted(reports.js_dataset.keys())
    assert reports.js_dataset.results == []
    assert reports.py_dataset == set()


def test_engines_agree_on_all_invalid_fixtures_together(reports):
    assert not reports.js_fixtures.conforms
    js_keys = focus_shape_keys(reports.js_fixtures)
    assert js_keys == reports.py_fixtures, disagreement(js_keys, reports.py_fixtures)


def test_every_result_is_on_a_node_a_fixture_describes(reports):
    """So that the per-fixture tests below see every result between them."""
    described = set().union(*(described_nodes(path) for path in FIXTURES))
    keys = focus_shape_keys(reports.js_fixtures) | reports.py_fixtures
    elsewhere = sorted(key for key in keys if key[0] not in described)
    assert not elsewhere, f"results on nodes no fixture describes: {elsewhere}"


def test_fast_pyshacl_run_agrees_with_the_harness(reports):
    """The pyshacl keys used here equal validate_pyshacl's, on the fixtures by themselves."""
    assert data_files(FIXTURES) == [item.path for item, _ in read_graph_files(ROOT, FIXTURES)]
    harness_keys = focus_shape_keys(reports.harness_fixtures_alone)
    assert len(harness_keys) > len(FIXTURES), "too few results for the comparison to mean much"
    assert reports.py_fixtures_alone == harness_keys, disagreement(
        reports.py_fixtures_alone, harness_keys
    )


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_engines_agree_on_invalid_fixture(reports, path: Path):
    js_all = focus_shape_keys(reports.js_fixtures)
    mine = described_nodes(path)
    expected = [(focus, shape) for shape, focus in expectations(path)]
    missing = [key for key in expected if key not in js_all]
    assert not missing, (
        f"shacl-engine does not report {missing}; on {path.name}'s nodes it reports "
        f"{sorted(key for key in js_all if key[0] in mine)}"
    )
    js_keys = {key for key in js_all if key[0] in mine}
    py_keys = {key for key in reports.py_fixtures if key[0] in mine}
    assert js_keys == py_keys, f"on the nodes {path.name} describes, " + disagreement(
        js_keys, py_keys
    )
