"""Validation on two cores (``wegokg.validation.run``): the checkers that read only the files run in
a worker while the store loads, the SHACL checker here and the other store checkers in a second
worker. Nothing reported depends on it: the same violations, notes and errors as one checker after
the other; and an export writes from the store that validation loaded, not from a second load."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from conftest import ROOT

import wegokg.core.loading
import wegokg.validation.run as run
from wegokg.core.errors import DataError, LocatedDataError
from wegokg.core.repository import Repository
from wegokg.service.workspace import Workspace
from wegokg.validation.checker_registry import CHECKERS, reads_files
from wegokg.validation.context import ValidationContext
from wegokg.validation.report import Violation

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "invalid").glob("*.ttl"))


def validated(two_cores: bool, monkeypatch, checkers=None):
    """The report of the dataset with every invalid fixture, and the violations streamed."""
    monkeypatch.setattr(run, "_two_cores", lambda: two_cores)
    monkeypatch.setattr(run, "TWO_CORES_FROM", 0)  # the dataset is small: two cores all the same
    streamed: list[Violation] = []
    report = run.validate(
        Repository.at(ROOT, extra_files=FIXTURES), checkers=checkers, on_violation=streamed.append
    )
    return report, streamed


def test_the_registry_has_checkers_for_each_lane():
    # Else the two-core path would not be taken by `wegokg validate`, and these tests prove little.
    lanes = [reads_files(checker) for checker in CHECKERS.classes()]
    assert lanes.count(True) >= 1 and lanes.count(False) >= 3


def test_two_cores_report_what_one_does(monkeypatch):
    one, one_streamed = validated(False, monkeypatch)
    two, two_streamed = validated(True, monkeypatch)
    assert two == one
    assert {v.check for v in two.violations} >= {"shacl", "evidence", "quality", "terms"}
    assert len(two_streamed) == len(set(two_streamed)) and set(two_streamed) == set(one_streamed)


class Failing:
    """A checker that finds one violation, then fails, after ``delay`` seconds."""

    severity = "ERROR"
    help = "Fails, for the test. Fix: none."

    def __init__(self, name: str, reads: str, delay: float, error: Exception) -> None:
        self.name, self.reads, self.delay, self.error = name, reads, delay, error

    def check(self, context: ValidationContext) -> Iterator[Violation]:
        yield Violation("x.ttl", 1, f"urn:{self.name}", "ERROR", self.name, self.name, "found")
        time.sleep(self.delay)
        raise self.error


@pytest.mark.parametrize("two_cores", [False, True])
def test_the_error_raised_is_that_of_the_first_checker_that_fails_in_run_order(
    two_cores, monkeypatch
):
    # The first checker (files: in a worker) fails late, the second (in this process) at once:
    # the first one's error is raised all the same, with its place in the file kept.
    first = Failing("first", "files", 0.5, LocatedDataError("data/a.ttl", 7, "first fails"))
    second = Failing("second", "store", 0.0, DataError("second fails"))
    with pytest.raises(LocatedDataError) as raised:
        validated(two_cores, monkeypatch, [first, second, *CHECKERS.checkers()[1:3]])
    assert (raised.value.path, raised.value.line, raised.value.message) == (
        "data/a.ttl",
        7,
        "first fails",
    )


def test_an_export_writes_from_the_store_that_validation_loaded(monkeypatch, tmp_path):
    loads = []
    load_store = wegokg.core.loading.load_store

    def counted(repository):
        loads.append(repository)
        return load_store(repository)

    monkeypatch.setattr(wegokg.core.loading, "load_store", counted)
    work = Workspace(ROOT)
    work.export(tmp_path / "out", ["ntriples"])
    assert len(loads) == 1
    # A workspace that had validated before (without keeping the store) loads it for the export.
    work.export(tmp_path / "again", ["ntriples"])
    assert len(loads) == 2
    assert (tmp_path / "out" / "wegokg.nt").read_bytes() == (
        tmp_path / "again" / "wegokg.nt"
    ).read_bytes()


def test_small_data_is_validated_in_this_process_alone(monkeypatch):
    """Under a megabyte of Turtle, forking two workers costs more than it saves."""
    from wegokg.query import worker_process

    started = []
    monkeypatch.setattr(run, "_two_cores", lambda: True)
    monkeypatch.setattr(
        worker_process.ForkedWorker, "_start", lambda self: started.append(self) or 1 / 0
    )
    report = run.validate(ROOT)
    assert report.conforms and not started


def test_the_files_lane_hands_over_the_source_index_it_built(monkeypatch):
    """The worker that reads the files also sends where each subject is written, so that the
    first violation found here can be located without building the index again; whichever
    process built the index, the report is the same."""
    from wegokg.core.source_index import SourceIndex

    repository = Repository.at(ROOT, extra_files=FIXTURES)
    checkers = CHECKERS.checkers()
    files = [i for i, checker in enumerate(checkers) if reads_files(checker)]
    lane = run._Checkers(ValidationContext(repository), checkers).run_then_index(files)
    *_, (index, kind, handed) = list(lane)
    assert (index, kind) == (files[-1], "source_index")
    assert handed == SourceIndex.build(repository.file_graphs())

    one, _ = validated(False, monkeypatch)
    two, _ = validated(True, monkeypatch)
    assert [(v.file, v.line) for v in two.violations] == [(v.file, v.line) for v in one.violations]
