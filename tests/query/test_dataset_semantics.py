"""One dataset on every engine: ad-hoc queries give the same rows on rdflib, pyoxigraph (from the
files and from a Dataset), `wegokg serve` and an Oxigraph server. The default graph is the set
union of the named graphs, so a statement two sources share is one row; FROM, FROM NAMED and
SERVICE are refused everywhere with one message, and nothing is fetched for them."""

from __future__ import annotations

import http.server
import socketserver
import threading
from urllib.parse import urlencode

import pytest
from conftest import ROOT, free_port
from support.inprocess import wegokg as run_wegokg

from wegokg.core.errors import UsageError
from wegokg.query.engines import EndpointEngine, OxigraphEngine, RdflibEngine, make_engine
from wegokg.query.query_dataset import FROM_REFUSED, SERVICE_REFUSED

WEGO = "PREFIX wego: <https://w3id.org/wegokg/ontology#>\n"
ASSEMBLY_5 = "<https://w3id.org/wegokg/id/event/wego-general-assembly-5>"
NOTES = "https://w3id.org/wegokg/id/source/reference-notes"

# Each ad-hoc query, with every engine required to give the same rows (sorted: no ORDER BY).
BATTERY = {
    "every statement": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "every statement, distinct": "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }",
    "count of statements": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "count over shared statements": WEGO
    + "SELECT (COUNT(?x) AS ?n) WHERE { ?x wego:editionNumber ?e }",
    "shared statements, no distinct": WEGO + "SELECT ?x ?e WHERE { ?x wego:editionNumber ?e }",
    "shared statements, distinct": WEGO
    + "SELECT DISTINCT ?x ?e WHERE { ?x wego:editionNumber ?e }",
    "graphs of a shared statement": WEGO
    + f"SELECT ?g WHERE {{ GRAPH ?g {{ {ASSEMBLY_5} wego:editionNumber ?e }} }}",
    "statements per graph": (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    ),
    "statements in named graphs": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "ask for a shared statement": WEGO + f"ASK {{ {ASSEMBLY_5} wego:editionNumber 5 }}",
}
REFUSED = {
    "FROM": f"SELECT * FROM <{NOTES}> WHERE {{ ?s ?p ?o }}",
    "FROM NAMED": f"SELECT * FROM NAMED <{NOTES}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "FROM in lower case": f"select * from <{NOTES}> where {{ ?s ?p ?o }}",
    "SERVICE": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
}


@pytest.fixture(scope="module")
def embedded(dataset) -> dict:
    return {
        "rdflib": RdflibEngine(dataset),
        "oxigraph": make_engine("oxigraph", repository=_repository()),
        "oxigraph from a Dataset": OxigraphEngine.from_dataset(dataset),
    }


def _repository():
    from wegokg.core.repository import Repository

    return Repository(ROOT)


@pytest.fixture(scope="module")
def whole_server(tiny_site, tmp_path_factory):
    """`wegokg serve` with a row cap above the dataset's size (the shared one caps at 100)."""
    from support.wegokg_server import running

    scratch = tmp_path_factory.mktemp("serve-whole")
    with running(free_port(), scratch, "--site", str(tiny_site), "--max-rows", "100000") as server:
        yield server


@pytest.fixture(scope="module")
def every_engine(embedded, whole_server, oxigraph_endpoint) -> dict:
    """The embedded engines, `wegokg serve` and an Oxigraph server loaded as the tests load it."""
    return {
        **embedded,
        "wegokg serve": EndpointEngine(whole_server.endpoint),
        "oxigraph server": EndpointEngine(oxigraph_endpoint),
    }


def answers(engine, query):
    answer = engine.query(query)
    if isinstance(answer, bool):
        return answer
    return answer.variables, sorted(answer.rows, key=lambda row: [repr(t) for t in row])


@pytest.mark.server
@pytest.mark.parametrize("name", list(BATTERY))
def test_every_engine_gives_the_same_rows(every_engine, name):
    query = BATTERY[name]
    reference = answers(every_engine["rdflib"], query)
    for engine_name, engine in every_engine.items():
        assert answers(engine, query) == reference, engine_name


def test_a_statement_two_sources_share_is_one_row_of_the_default_graph(embedded, dataset):
    union = len(set(dataset.triples((None, None, None))))
    shared_count = BATTERY["count over shared statements"]
    for name, engine in embedded.items():
        assert len(engine.select(BATTERY["every statement"]).rows) == union, name
        assert int(engine.select(shared_count).rows[0][0].value) == 3, name
        assert len(engine.select(BATTERY["graphs of a shared statement"]).rows) == 2, name


def test_the_named_graphs_keep_each_source_s_copy(embedded):
    def count(engine, query):
        return int(engine.select(query).rows[0][0].value)

    named = {count(e, BATTERY["statements in named graphs"]) for e in embedded.values()}
    total = {count(e, BATTERY["count of statements"]) for e in embedded.values()}
    assert len(named) == len(total) == 1
    assert named.pop() > total.pop()  # some statements are in two graphs, and counted once


@pytest.mark.parametrize("name", list(REFUSED))
def test_from_and_service_are_refused_by_every_embedded_engine(embedded, name):
    message = SERVICE_REFUSED if name == "SERVICE" else FROM_REFUSED
    for engine in embedded.values():
        with pytest.raises(ValueError) as refused:
            engine.query(REFUSED[name])
        assert str(refused.value) == message


@pytest.mark.server
@pytest.mark.parametrize("name", list(REFUSED))
def test_from_and_service_are_refused_by_the_server_and_before_any_endpoint(
    name, wegokg_server, oxigraph_endpoint
):
    import urllib.error
    import urllib.request

    message = SERVICE_REFUSED if name == "SERVICE" else FROM_REFUSED
    url = f"{wegokg_server.endpoint}?{urlencode({'query': REFUSED[name]})}"
    with pytest.raises(urllib.error.HTTPError) as answered:
        urllib.request.urlopen(url, timeout=30)
    assert answered.value.code == (403 if name == "SERVICE" else 400)
    assert answered.value.read().decode().strip() == message
    with pytest.raises(ValueError, match=message.split(":")[0]):
        EndpointEngine(oxigraph_endpoint).query(REFUSED[name])


@pytest.mark.server
@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_the_protocol_s_dataset_parameters_are_refused_like_from(wegokg_server, parameter):
    import urllib.error
    import urllib.request

    query = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", parameter: NOTES}
    with pytest.raises(urllib.error.HTTPError) as answered:
        urllib.request.urlopen(f"{wegokg_server.endpoint}?{urlencode(query)}", timeout=30)
    assert answered.value.code == 400
    assert "default-graph-uri and named-graph-uri are refused" in answered.value.read().decode()


@pytest.fixture
def listener():
    """A local HTTP server that records every request: nothing may reach it."""
    requests: list[str] = []

    class Record(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()
            self.wfile.write(b"<urn:x:fetched> <urn:x:p> <urn:x:o> .\n")

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = socketserver.TCPServer(("127.0.0.1", 0), Record)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/data.ttl", requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_from_a_local_file_reads_nothing(tmp_path, engine):
    secret = tmp_path / "secret.nt"
    secret.write_text("<urn:x:secret> <urn:x:password> 'hunter2' .\n")
    query = f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}"
    done = run_wegokg("sparql", "--engine", engine, "--format", "csv", query)
    assert done.returncode == 2
    assert "hunter2" not in done.stdout + done.stderr
    assert done.stderr.strip() == f"wegokg: {FROM_REFUSED}"


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("form", ["FROM <{url}>", "FROM NAMED <{url}>", "SERVICE"])
def test_no_command_fetches_anything_for_from_or_service(listener, engine, form):
    url, requests = listener
    if form == "SERVICE":
        query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    else:
        query = f"SELECT * {form.format(url=url)} WHERE {{ ?s ?p ?o }}"
    done = run_wegokg("sparql", "--engine", engine, query)
    assert done.returncode == 2
    assert requests == []


def test_load_is_refused_by_every_engine(embedded):
    for engine in embedded.values():
        with pytest.raises(UsageError, match="UPDATE"):
            engine.query("LOAD <http://127.0.0.1:1/data.ttl>")


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory):
    """An Oxigraph server with a default graph of its own, filled by `wegokg load`."""
    from conftest import oxigraph_binary, require
    from support.stores import start_oxigraph

    binary = oxigraph_binary()
    require(binary is not None, "the oxigraph server (pip install oxigraph)")
    folder = tmp_path_factory.mktemp("oxigraph-loaded")
    server, store = start_oxigraph(binary, folder, free_port(), union_default_graph=False)
    try:
        yield store
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.server
@pytest.mark.parametrize("method", ["gsp", "update"])
def test_an_oxigraph_server_loaded_by_wegokg_load_gives_the_same_rows(
    loaded_store, dataset, method
):
    from wegokg.publish.exports import published

    target = ["--graph-store", loaded_store.graph_store_url] if method == "gsp" else []
    target += ["--method", method, "--update", loaded_store.update_url]
    done = run_wegokg("load", "--endpoint", loaded_store.query_url, "--default-graph", *target)
    assert done.returncode == 0, done.stderr
    remote, embedded = EndpointEngine(loaded_store.query_url), RdflibEngine(published(dataset))
    for name, query in BATTERY.items():
        assert answers(remote, query) == answers(embedded, query), name


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?from ?service WHERE { ?from ?p "FROM <urn:x> SERVICE" } # FROM <urn:x>',
        "PREFIX from: <urn:from:> PREFIX ex: <urn:ex:> SELECT * { from:x ex:FROM ex:a.SERVICE }",
        "SELECT * { <http://example.org/FROM> ?p 'SERVICE'@en . _:from ?q ?o }",
    ],
)
def test_from_and_service_as_names_strings_or_iris_are_not_refused(embedded, query):
    for engine in embedded.values():
        engine.query(query)  # no error


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize(
    "form", ["SELECT * WHERE {{ GRAPH <{url}> {{ ?s ?p ?o }} }}", "DESCRIBE <{url}>"]
)
def test_naming_a_document_in_graph_or_describe_fetches_nothing(listener, engine, form):
    url, requests = listener
    done = run_wegokg("sparql", "--engine", engine, "--format", "ntriples" if "DESCRIBE" in form
                      else "csv", form.format(url=url))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "fetched" not in done.stdout
    assert requests == []
