"""The benchmark's scale generator: deterministic, close to the requested size, and valid except
for exactly the violations it was asked to plant. No timing is asserted here: speed belongs to
benchmarks/run.py, which prints figures."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

from wegokg.core.loading import IMPORTS_GRAPH, ONTOLOGY_GRAPH, load  # noqa: E402
from wegokg.query.catalog import QueryCatalog  # noqa: E402
from wegokg.query.engines import RdflibEngine  # noqa: E402
from wegokg.validation.run import validate  # noqa: E402


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> tuple[Path, dict]:
    """A small generated repository in which a fifth of the cities carry a violation."""
    folder = tmp_path_factory.mktemp("generated") / "repo"
    return folder, generate.generate(1500, folder, seed=7, fraction=0.2)


def test_same_arguments_give_the_same_bytes(tmp_path):
    generate.generate(800, tmp_path / "first", seed=3, fraction=0.25)
    generate.generate(800, tmp_path / "second", seed=3, fraction=0.25)
    first, second = files_of(tmp_path / "first"), files_of(tmp_path / "second")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_another_seed_gives_other_data(tmp_path):
    generate.generate(800, tmp_path / "first", seed=3)
    generate.generate(800, tmp_path / "second", seed=4)
    first, second = files_of(tmp_path / "first"), files_of(tmp_path / "second")
    assert any(first[name] != second.get(name) for name in first if name.startswith("data/"))


def test_data_triples_are_within_five_percent_of_the_request(planted):
    folder, manifest = planted
    dataset = load(folder)
    data = sum(
        len(graph)
        for graph in dataset.graphs()
        if graph.identifier not in (ONTOLOGY_GRAPH, IMPORTS_GRAPH)
    )
    assert abs(data - 1500) <= 0.05 * 1500
    assert manifest["triples"] == data


def test_generated_data_fails_validation_only_on_the_planted_violations(planted):
    folder, manifest = planted
    report = validate(folder)
    assert min(manifest["violations"].values()) >= 1, "both kinds should be planted"
    found = Counter(v.shape for v in report.violations)
    expected = Counter(
        {generate.VIOLATION_SHAPES[kind]: count for kind, count in manifest["violations"].items()}
    )
    assert found == expected


def test_planted_violations_are_a_fraction_of_the_cities(planted):
    _, manifest = planted
    assert sum(manifest["violations"].values()) == int(manifest["cities"] * 0.2)


def test_a_repository_without_planted_violations_conforms(tmp_path):
    generate.generate(1000, tmp_path / "clean", seed=1, fraction=0.0)
    report = validate(tmp_path / "clean")
    assert [(v.shape, v.focus_node) for v in report.violations] == []
    assert report.conforms


def test_every_stored_query_runs_on_the_generated_data(planted):
    folder, manifest = planted
    engine = RdflibEngine(load(folder))
    rows = {}
    for query in QueryCatalog.from_folder(folder / "queries"):
        declared = {p.name for p in query.parameters}
        values = {k: v for k, v in manifest["query_parameters"].items() if k in declared}
        rows[query.name] = len(engine.select(query.render(values)).rows)
    # The generated content answers the questions it was built for.
    assert rows["award-winners"] > 0
    assert rows["members-by-country"] > 0
    assert rows["participants"] > 0
    assert rows["speakers"] > 0


def test_an_existing_output_folder_is_refused(tmp_path):
    (tmp_path / "taken").mkdir()
    with pytest.raises(generate.GenerationError, match="already exists"):
        generate.generate(1000, tmp_path / "taken")


def test_the_issue_13_plot_is_drawn_from_the_committed_figures(tmp_path):
    """docs/performance/issue13.png comes from issue13.json by benchmarks/issue13.py plot: the
    JSON holds every figure the plot reads, and the same JSON gives the same picture."""
    if os.environ.get("CI") != "true":  # .ci/run installs the bench extra; elsewhere it may lack
        pytest.importorskip(
            "matplotlib", reason="the plot needs the bench extra: pip install -e '.[bench]'"
        )
    script = ROOT / "benchmarks" / "issue13.py"
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    for out in (first, second):
        subprocess.run([sys.executable, str(script), "plot", "--out", str(out)], check=True)
    assert first.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert first.read_bytes() == second.read_bytes()
