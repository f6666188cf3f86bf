"""The Repository owns the layout: which dataset a command uses is always the one it names, and a
folder that is only part of a repository is an error, never a reason to use another dataset."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from support.inprocess import wegokg as run_wegokg

from wegokg.core.errors import CANNOT_RUN, RepositoryError
from wegokg.core.repository import REQUIRED, Repository


def wegokg(*args: str, cwd: Path, env: dict | None = None):
    """The command run in this process (support/inprocess.py), without $WEGOKG_ROOT unless
    ``env`` sets it."""
    environment = {k: v for k, v in os.environ.items() if k != "WEGOKG_ROOT"}
    environment.update(env or {})
    return run_wegokg(*args, cwd=cwd, env=environment)


def test_the_checkout_around_the_current_folder_is_used(dataset_copy):
    inner = dataset_copy / "data" / "curated"
    assert Repository.find(start=inner).root == dataset_copy
    assert Repository.find(start=inner).origin == "checkout"


def test_a_copy_without_data_is_refused_and_names_what_is_missing(dataset_copy):
    shutil.rmtree(dataset_copy / "data")
    with pytest.raises(RepositoryError) as caught:
        Repository.find(start=dataset_copy)
    assert "data/curated" in str(caught.value) and "data/sources" in str(caught.value)


def test_a_command_in_an_incomplete_copy_reports_on_nothing_else(dataset_copy):
    # The bug this guards against: the tool fell back to the checkout it was installed from,
    # validated that other dataset and exited 0.
    shutil.rmtree(dataset_copy / "data")
    done = wegokg("validate", cwd=dataset_copy)
    assert done.returncode == CANNOT_RUN
    assert "not a complete wegokg repository" in done.stderr
    assert "data/curated" in done.stderr
    assert "conforms" not in done.stdout
    assert "Traceback" not in done.stderr


def test_a_root_from_the_environment_is_named_in_its_error(tmp_path):
    done = wegokg("stats", cwd=tmp_path, env={"WEGOKG_ROOT": str(tmp_path / "nowhere")})
    assert done.returncode == CANNOT_RUN
    assert "$WEGOKG_ROOT" in done.stderr and "nowhere" in done.stderr


def test_the_root_option_chooses_the_dataset(dataset_copy, tmp_path):
    done = wegokg("--root", str(dataset_copy), "-v", "query", "run", "host-city-bids", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"--root {dataset_copy}" in done.stderr
    assert "Mexico City" in done.stdout


def test_outside_any_checkout_the_bundled_dataset_is_used_and_said(tmp_path):
    done = wegokg("query", "run", "host-city-bids", "--format", "csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "dataset: bundled" in done.stderr
    assert "city/mexico-city" in done.stdout


def test_fmt_and_diagram_refuse_the_bundled_dataset(tmp_path):
    for command in ("fmt", "diagram"):
        done = wegokg(command, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert "works only on a checkout" in done.stderr


def test_every_required_part_of_the_layout_is_in_the_checkout():
    assert all((ROOT / part).exists() for part in REQUIRED)
    repository = Repository.at(ROOT)
    assert repository.ontology_file in repository.turtle_files()
    assert set(repository.source_files()) == set((ROOT / "data").glob("*/*.ttl")) - set(
        repository.curated_files()
    )


def test_the_shapes_are_parsed_once_for_the_same_bytes_and_again_when_they_change(dataset_copy):
    first = Repository.at(dataset_copy).shapes
    assert (
        Repository.at(dataset_copy).shapes is first
    )  # a second Repository shares the parsed graph
    rules = dataset_copy / "shapes" / "rules.ttl"
    rules.write_text(
        rules.read_text(encoding="utf-8") + "\n<urn:added> a <urn:Marker> .\n", encoding="utf-8"
    )
    changed = Repository.at(dataset_copy).shapes
    assert changed is not first and len(changed) == len(first) + 1


def test_pyshacl_leaves_the_shared_shapes_graph_as_it_was():
    import pyoxigraph

    from wegokg.validation.shacl import pyshacl_results

    repository = Repository.at(ROOT)
    before = set(repository.shapes)
    list(pyshacl_results(repository.shapes, pyoxigraph.Store()))
    assert set(repository.shapes) == before  # pySHACL adds OWL terms to the graph it is given
