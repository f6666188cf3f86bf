"""An independent SHACL engine (shacl-engine, run by Node) agrees with pyshacl on this dataset.

The data files are every Turtle file that ``wegokg.load.read_graph_files`` reads (ontology,
imports, curated data, sources), plus one invalid fixture from tests/fixtures/invalid/; the
engines see them merged into one graph. The shapes are shapes/*.ttl.

Timing. shacl-engine needs about 11 s per run over this dataset (almost all of it in the
Comunica SPARQL engine that runs the rules of shapes/rules.ttl once per focus node), and the
harness's `validate_pyshacl` (pyshacl over an in-memory rdflib graph) about 14 s. So:

* the shacl-engine runs for the selected fixtures are all queued when the module's first test
  starts, and run in as many Node processes as there are CPUs (at most 4); each fixture's test
  waits only for its own run;
* per fixture, pyshacl runs the way wegokg.validate runs it (over a pyoxigraph store, about
  1 s), and its results are normalized with the harness's own functions (top-level sh:result
  only, shapes named by `owning_shape`, terms by `term_to_str`), as `validate_pyshacl` does;
* `validate_pyshacl` itself runs on the dataset and on one fixture, to show that the two ways
  of running pyshacl give the same keys.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SH
from support.shacl_js import (
    JsReport,
    owning_shape,
    require_shacl_js,
    term_to_str,
    validate_js,
    validate_pyshacl,
)
from test_shapes import FIXTURES, INVALID, ROOT, expectations, fixture_id

from wegokg.load import read_graph_files

pytestmark = pytest.mark.node

SHAPES = sorted((ROOT / "shapes").glob("*.ttl"))
MAX_NODE_PROCESSES = 4  # each takes about 0.6 GB of memory
CALIBRATION_FIXTURE = INVALID / "speech-type-from-wrong-scheme.ttl"


@functools.cache
def _dataset_files() -> tuple[Path, ...]:
    return tuple(item.path for item, _ in read_graph_files(ROOT))


def data_files(extra: Path | None = None) -> list[Path]:
    """The Turtle files of the dataset, in the order wegokg reads them, then the fixture.

    read_graph_files(ROOT, [extra]) returns the same list; this reads the dataset only once.
    """
    return [*_dataset_files(), *([extra] if extra else [])]


def focus_shape_keys(report: JsReport) -> set[tuple[str, str]]:
    return {(r.focus_node, r.shape) for r in report.results}


@functools.cache
def _shapes_graph() -> Graph:
    graph = Graph()
    for path in SHAPES:
        graph.parse(path, format="turtle")
    return graph


def pyshacl_keys(data: list[Path]) -> set[tuple[str, str]]:
    """(focus node, shape) of pyshacl's top-level results, normalized like validate_pyshacl.

    pyshacl runs as in wegokg.validate (advanced=True, inference="none", over a pyoxigraph
    store), which is about ten times faster than over the rdflib graph validate_pyshacl uses.
    """
    import pyoxigraph
    import pyshacl

    merged = Graph()
    for path in data:
        merged.parse(path, format="turtle")
    store = pyoxigraph.Store()
    store.load(
        merged.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES
    )
    shapes = _shapes_graph()
    _, results, text = pyshacl.validate(store, shacl_graph=shapes, inference="none", advanced=True)
    if not isinstance(results, Graph):
        raise RuntimeError(f"pyshacl failed: {text}")
    return {
        (
            term_to_str(results.value(result, SH.focusNode)),
            owning_shape(results.value(result, SH.sourceShape), shapes),
        )
        for result in results.objects(None, SH.result)
    }


@pytest.fixture(scope="module")
def js() -> None:
    require_shacl_js()


@pytest.fixture(scope="module")
def js_reports(js, request) -> Iterator[dict[Path, Future[JsReport]]]:
    """shacl-engine's report for each selected fixture, computed in parallel Node processes."""
    selected = [
        item.callspec.params["path"]
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_engines_agree_on_invalid_fixture"
        and item.module is request.module
    ]
    workers = max(1, min(os.cpu_count() or 1, MAX_NODE_PROCESSES))
    with ThreadPoolExecutor(max_workers=workers) as executor:
        futures = {
            path: executor.submit(validate_js, SHAPES, data_files(path)) for path in selected
        }
        try:
            yield futures
        finally:
            for future in futures.values():
                future.cancel()


# The two tests below ask for js_reports only to start the fixtures' shacl-engine runs early, so
# that they proceed while these tests run.


def test_shacl_engine_says_the_dataset_conforms(js, js_reports):
    data = data_files()
    js_report = validate_js(SHAPES, data)
    assert js_report.conforms, sorted(js_report.keys())
    assert js_report.results == []
    py_report = validate_pyshacl(SHAPES, data)
    assert py_report.conforms, sorted(py_report.keys())


def test_fast_pyshacl_run_agrees_with_the_harness(js, js_reports):
    """The pyshacl keys used below equal validate_pyshacl's, here on a fixture with sh:node."""
    data = data_files(CALIBRATION_FIXTURE)
    assert data == [item.path for item, _ in read_graph_files(ROOT, [CALIBRATION_FIXTURE])]
    assert pyshacl_keys(data) == focus_shape_keys(validate_pyshacl(SHAPES, data))


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_engines_agree_on_invalid_fixture(js_reports, path: Path):
    future = js_reports.get(path)
    js_report = future.result() if future else validate_js(SHAPES, data_files(path))
    js_keys = focus_shape_keys(js_report)
    expected = expectations(path)
    # A fixture that breaks only a non-SHACL check (expect-check lines) conforms to the shapes.
    assert js_report.conforms != bool(expected)
    missing = [(shape, focus) for shape, focus in expected if (focus, shape) not in js_keys]
    assert not missing, f"shacl-engine does not report {missing}; it reports {sorted(js_keys)}"
    py_keys = pyshacl_keys(data_files(path))
    assert js_keys == py_keys, (
        f"shacl-engine only: {sorted(js_keys - py_keys)}; pyshacl only: {sorted(py_keys - js_keys)}"
    )
