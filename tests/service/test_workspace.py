"""``wegokg.Workspace``: what the command line does, for a library user, without a command line."""

from __future__ import annotations

import pytest

import wegokg
from wegokg.core.errors import INVALID, USAGE, DataError, UsageError
from wegokg.service.workspace import NotValidError, Workspace

SEONGNAM = "https://w3id.org/wegokg/id/city/seongnam"


@pytest.fixture(scope="module")
def work(root):
    return Workspace(root)


def drop_seongnams_korean_label(repository):
    cities = repository / "data" / "curated" / "cities.ttl"
    text = cities.read_text(encoding="utf-8")
    cities.write_text(text.replace('"성남시"@ko', '"성남시"@xx', 1), encoding="utf-8")


def test_workspace_and_repository_are_public(root):
    assert wegokg.Workspace is Workspace
    repository = wegokg.Repository.find(root)
    assert Workspace(repository).repository is repository
    assert Workspace(root).repository.root == repository.root


def test_the_report_is_made_once_and_kept(work):
    report = work.report()
    assert report.conforms and work.report() is report


def test_require_valid_gives_the_report_of_valid_data(work):
    assert work.require_valid("nothing was exported") is work.report()


def test_require_valid_refuses_invalid_data_with_its_report(checkout_copy):
    drop_seongnams_korean_label(checkout_copy)
    with pytest.raises(NotValidError) as refused:
        Workspace(checkout_copy).require_valid("nothing was exported")
    assert isinstance(refused.value, DataError) and refused.value.exit_code == INVALID
    assert str(refused.value) == "the data does not validate, so nothing was exported"
    assert not refused.value.report.conforms


def test_export_of_invalid_data_writes_nothing(checkout_copy, tmp_path):
    drop_seongnams_korean_label(checkout_copy)
    with pytest.raises(NotValidError, match="nothing was exported"):
        Workspace(checkout_copy).export(tmp_path / "out", ["ntriples"])
    assert not (tmp_path / "out").exists()


def test_export_writes_the_chosen_formats(work, tmp_path):
    written = work.export(tmp_path / "out", ["ntriples"])
    assert tmp_path / "out" / "wegokg.nt" in written
    assert (tmp_path / "out" / "wegokg.nt").stat().st_size > 0


def test_resolve_finds_one_resource_by_name_in_either_language(work):
    assert work.resolve("성남") == SEONGNAM
    assert work.resolve("SEONGNAM-SI") == SEONGNAM


def test_resolve_refuses_an_unknown_name(work):
    with pytest.raises(UsageError):
        work.resolve("Atlantis")


def test_search_says_the_nearest_names_when_nothing_matches(work):
    assert work.search("Seongnam")[0].entry.iri == SEONGNAM
    with pytest.raises(DataError, match="no resource is named like"):
        work.search("Qqqqqq")


def test_run_stored_resolves_names_in_its_parameters(work):
    by_name = work.run_stored("city-profile", {"city": "Goyang"}, engine="oxigraph")
    by_iri = work.run_stored("city-profile", {"city": "city:goyang"}, engine="oxigraph")
    assert by_name.results.rows and by_name.results.rows == by_iri.results.rows
    assert by_name.warnings == []


def test_run_stored_refuses_a_name_of_nothing(work):
    with pytest.raises(UsageError, match="parameter 'city'") as refused:
        work.run_stored("city-profile", {"city": "Atlantis"})
    assert refused.value.exit_code == USAGE


def test_engine_by_name_and_by_endpoint(work):
    from wegokg.query.engines import EndpointEngine

    assert work.engine("oxigraph").select("SELECT (1 AS ?one) {}").rows
    assert isinstance(work.engine(endpoint="http://127.0.0.1:9/sparql"), EndpointEngine)


def test_load_into_needs_a_graph_store_for_gsp(work):
    with pytest.raises(UsageError, match="--graph-store"):
        work.load_into("http://127.0.0.1:9/sparql", method="gsp")


def test_load_into_takes_the_password_from_the_environment_only(work, monkeypatch):
    monkeypatch.delenv("WEGOKG_PASSWORD", raising=False)
    with pytest.raises(UsageError, match="WEGOKG_PASSWORD"):
        work.load_into("http://127.0.0.1:9/sparql", user="admin")


def test_report_for_machines_turns_an_unparsable_file_into_one_violation(checkout_copy):
    cities = checkout_copy / "data" / "curated" / "cities.ttl"
    cities.write_text(cities.read_text(encoding="utf-8") + "\nthis is not turtle", "utf-8")
    report, failure = Workspace(checkout_copy).report_for_machines()
    assert failure is not None and failure.exit_code != 0
    assert not report.conforms and len(report.violations) == 1
    assert report.violations[0].file.endswith("cities.ttl")


def test_report_for_machines_of_valid_data_is_the_report(work):
    assert work.report_for_machines() == (work.report(), None)
