"""`wegokg load` into two independent real stores, Oxigraph and Virtuoso, each started on
127.0.0.1 in a scratch folder: every published graph arrives as its own graph, every stored query
then gives the embedded engine's rows through the store's endpoint, and loading again (by either
method) replaces the graphs instead of adding to them."""

from __future__ import annotations

import dataclasses
import os
import secrets

import pytest

from wegokg.cli.main import main
from wegokg.publish.upload import Credentials, Store, graphs_to_load, upload
from wegokg.query.catalog import QueryCatalog
from wegokg.query.engines import EndpointEngine, RdflibEngine

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
    return {
        r["g"].value: int(r["n"].value)
        for r in rows
        if r["g"].value.startswith("https://w3id.org/")
    }


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
    assert code == 2  # the query is at fault
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
    assert code == 3  # the tool could not run
    assert "HTTP 401" in err and "--user" in err
    assert "Traceback" not in err


def upload_one(writer: Store, update: str) -> None:
    from wegokg.publish.upload import post_update

    post_update(writer, update)


def _credentials(remote) -> Credentials | None:
    return Credentials(remote.user, remote.password) if remote.user else None
