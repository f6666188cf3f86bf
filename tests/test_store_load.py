"""`wegokg load` into two independent real stores, Oxigraph and Virtuoso, each started on
127.0.0.1 in a scratch folder: every published graph arrives as its own graph, every stored query
then gives the embedded engine's rows through the store's endpoint, and loading again (by either
method) replaces the graphs instead of adding to them."""

from __future__ import annotations

import dataclasses
import os
import secrets

import pytest
from conftest import free_port

from wegokg.catalog import QueryCatalog
from wegokg.cli import main
from wegokg.engines import EndpointEngine, RdflibEngine
from wegokg.upload import Credentials, Store, graphs_to_load, update_requests, upload

pytestmark = pytest.mark.server

CATALOG = QueryCatalog.from_repository()
STORES = ["oxigraph_store", "virtuoso_store"]
ALL_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@pytest.fixture(scope="module", params=STORES)
def store(request, dataset):
    """A store of each kind, loaded once through `wegokg load` (Graph Store Protocol)."""
    remote = request.getfixturevalue(request.param)
    code, _ = load_command(remote)
    assert code == 0
    return remote


@pytest.fixture(scope="module")
def published(dataset) -> dict[str, int]:
    return {str(iri): len(graph) for iri, graph in graphs_to_load(dataset)}


@pytest.fixture(scope="module")
def embedded(dataset):
    return RdflibEngine(dataset)


def load_command(remote, *extra: str) -> tuple[int, str]:
    """Run `wegokg load` on the store, the password passed through the environment."""
    args = ["load", "--endpoint", remote.query_url, *extra]
    if "--method" not in extra:
        args += ["--graph-store", remote.graph_store_url]
    variable = f"WEGOKG_TEST_PASSWORD_{secrets.token_hex(4)}"
    if remote.user:
        args += ["--user", remote.user, "--password-env", variable]
        os.environ[variable] = remote.password
    try:
        return main(args), variable
    finally:
        os.environ.pop(variable, None)


def graph_sizes(remote) -> dict[str, int]:
    """Every graph the store holds that is one of ours, with its number of triples."""
    rows = EndpointEngine(remote.query_url).select(ALL_GRAPHS).as_dicts()
    return {str(r["g"]): int(r["n"]) for r in rows if str(r["g"]).startswith("https://w3id.org/")}


def test_each_published_graph_arrives_as_a_graph_of_its_own(store, published):
    assert graph_sizes(store) == published


@pytest.mark.parametrize("name", [q.name for q in CATALOG])
def test_every_stored_query_gives_the_embedded_rows_through_the_store(store, embedded, name):
    query = CATALOG.get(name).render()
    assert EndpointEngine(store.query_url).select(query) == embedded.select(query)


def test_query_run_with_endpoint_gives_the_embedded_rows(store, capsys):
    assert main(["query", "run", "city-profile", "--param", "city=성남", "--format", "csv"]) == 0
    embedded_csv = capsys.readouterr().out
    args = ["query", "run", "city-profile", "--param", "city=성남", "--format", "csv"]
    assert main([*args, "--endpoint", store.query_url]) == 0
    assert capsys.readouterr().out == embedded_csv


def test_the_store_answers_every_query_form_like_the_embedded_engine(store, embedded):
    remote = EndpointEngine(store.query_url)
    seongnam = "https://w3id.org/wegokg/id/city/seongnam"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    assert remote.query(f"ASK {{ <{seongnam}> {label} ?l }}") is True
    assert remote.query(f"ASK {{ <{seongnam}> {label} 'no such name' }}") is False
    construct = f"CONSTRUCT {{ <{seongnam}> {label} ?l }} WHERE {{ <{seongnam}> {label} ?l }}"
    assert set(remote.query(construct)) == set(embedded.query(construct))
    described = remote.query(f"DESCRIBE <{seongnam}>")
    assert set(embedded.query(construct)) <= set(described)


def test_a_syntax_error_from_the_store_is_one_line_with_its_message(store, capsys):
    code = main(["sparql", "SELECT ?x WHERE {\n  ?x ?p }", "--endpoint", store.query_url])
    err = capsys.readouterr().err
    assert code == 1
    assert store.query_url in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_loading_twice_changes_nothing(store, published, capsys):
    before = graph_sizes(store)
    assert load_command(store)[0] == 0
    assert graph_sizes(store) == before == published
    assert "stored" in capsys.readouterr().out


def test_loading_replaces_what_a_graph_held_before(store, published, dataset):
    graph = next(iter(published))
    stray = f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:stray> <urn:x:p> 'left over' }} }}"
    writer = Store(store.update_url, "update", _credentials(store))
    upload_one(writer, stray)
    assert graph_sizes(store)[graph] == published[graph] + 1
    assert load_command(store)[0] == 0
    assert graph_sizes(store) == published


def test_the_update_method_replaces_the_graphs_in_chunks(store, published, dataset, embedded):
    writer = Store(store.update_url, "update", _credentials(store), chunk_size=100)
    loaded = upload(dataset, writer)
    assert {g.graph: g.triples for g in loaded} == published
    assert graph_sizes(store) == published
    query = CATALOG.get("award-winners").render()
    assert EndpointEngine(store.query_url).select(query) == embedded.select(query)


def test_the_command_loads_by_update_too(store, published):
    assert load_command(store, "--method", "update", "--update", store.update_url)[0] == 0
    assert graph_sizes(store) == published


def test_a_wrong_password_is_refused_with_a_clear_message(virtuoso_store, capsys):
    # Only the Virtuoso instance asks for a login (the Oxigraph server has no authentication).
    wrong = dataclasses.replace(virtuoso_store, password="not-the-password")
    code, _ = load_command(wrong)
    err = capsys.readouterr().err
    assert code == 1
    assert "HTTP 401" in err and "--user" in err
    assert "Traceback" not in err


def upload_one(writer: Store, update: str) -> None:
    from wegokg.upload import post_update

    post_update(writer, update)


def _credentials(remote) -> Credentials | None:
    return Credentials(remote.user, remote.password) if remote.user else None


# -- Without a store ------------------------------------------------------------------------


def test_update_requests_drop_the_graph_first_then_insert_in_chunks():
    lines = [f"<urn:x:s{i}> <urn:x:p> <urn:x:o> .\n" for i in range(5)]
    requests = update_requests("urn:x:g", lines, chunk_size=2)
    assert len(requests) == 3
    assert requests[0].startswith("DROP SILENT GRAPH <urn:x:g> ;\nINSERT DATA")
    assert not any("DROP" in r for r in requests[1:])
    assert sum(r.count("<urn:x:p>") for r in requests) == 5


def test_an_unreachable_store_is_a_clear_error(capsys):
    url = f"http://127.0.0.1:{free_port()}"
    code = main(["load", "--endpoint", f"{url}/query", "--graph-store", f"{url}/store"])
    err = capsys.readouterr().err
    assert code == 1
    assert "cannot reach" in err and "Traceback" not in err


def test_a_user_without_a_password_in_the_environment_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.delenv("WEGOKG_PASSWORD", raising=False)
    code = main(["load", "--endpoint", "http://127.0.0.1:1/q", "--graph-store",
                 "http://127.0.0.1:1/s", "--user", "dba"])  # fmt: skip
    assert code == 2
    assert "WEGOKG_PASSWORD" in capsys.readouterr().err


def test_gsp_needs_a_graph_store_url(capsys):
    assert main(["load", "--endpoint", "http://127.0.0.1:1/q", "--method", "gsp"]) == 2
    assert "--graph-store" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("virtuoso", "xsd"),
    [("12", "P1Y"), ("14", "P1Y2M"), ("2", "P2M"), ("86400.0", "P1D"), ("3600.0", "PT1H"),
     ("90061.5", "P1DT1H1M1.5S"), ("P1Y2M3DT4H", "P1Y2M3DT4H")],
)  # fmt: skip
def test_virtuoso_durations_are_read_back_in_xsd_form(virtuoso, xsd):
    from wegokg.engines import _from_json

    duration = "http://www.w3.org/2001/XMLSchema#duration"
    term = _from_json({"type": "typed-literal", "datatype": duration, "value": virtuoso})
    assert str(term) == xsd
