"""`wegokg load` without a real store: its update requests, its usage errors, its refusal to load
invalid data, and its HTTP side against small servers on 127.0.0.1 that behave as a store's edges
do (one asks for HTTP basic authentication and records each Graph Store PUT, one accepts the
connection but never answers). The real stores are in test_store_load.py."""

from __future__ import annotations

import base64
import socket
import subprocess
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import free_port
from rdflib import Graph

from wegokg.cli.main import main
from wegokg.publish.upload import (
    Credentials,
    Store,
    UploadError,
    graphs_to_load,
    update_requests,
    upload,
)

USER, PASSWORD = "loader", "s3cret:with colon"


class BasicAuthGraphStore(BaseHTTPRequestHandler):
    """Answers 401 with a Basic challenge unless the right credentials come, then 201; counts
    the bodies it is sent. A HEAD is challenged too if the server's ``challenge_head`` says so
    (else it is not allowed: 501, as http.server answers a method it has no handler for)."""

    received: dict[str, bytes]

    def challenge(self) -> bool:
        expected = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if self.headers.get("Authorization") == f"Basic {expected}":
            return False
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="store"')
        self.send_header("Content-Length", "0")
        self.end_headers()
        return True

    def do_HEAD(self):  # noqa: N802 (the name http.server calls)
        if not self.server.challenge_head:
            self.send_error(501)
        elif not self.challenge():
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def do_PUT(self):  # noqa: N802 (the name http.server calls)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.bodies += 1 if body else 0
        if self.challenge():
            return
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
        self.server.received[graph] = (self.headers["Content-Type"], body)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def basic_auth_store():
    server = ThreadingHTTPServer(("127.0.0.1", 0), BasicAuthGraphStore)
    server.received, server.bodies, server.challenge_head = {}, 0, False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_graph_store_puts_carry_basic_credentials_and_each_published_graph(
    basic_auth_store, dataset
):
    url = f"http://127.0.0.1:{basic_auth_store.server_address[1]}/store"
    loaded = upload(dataset, Store(url, "gsp", Credentials(USER, PASSWORD), timeout=30))
    published = dict(graphs_to_load(dataset))
    assert {g.graph for g in loaded} == set(basic_auth_store.received) == set(map(str, published))
    for iri, graph in published.items():
        media_type, body = basic_auth_store.received[str(iri)]
        assert media_type.startswith("text/turtle")
        assert set(Graph().parse(data=body, format="turtle")) == set(graph)


@pytest.mark.parametrize("challenge_head", [True, False], ids=["HEAD challenged", "no HEAD"])
def test_each_graph_is_sent_once_to_a_store_that_asks_for_basic(
    basic_auth_store, dataset, challenge_head
):
    """A store that challenges a HEAD gets no body before the credentials; one that does not
    refuses the first body (its 401 says Basic), and every later request carries them at once."""
    basic_auth_store.challenge_head = challenge_head
    url = f"http://127.0.0.1:{basic_auth_store.server_address[1]}/store"
    loaded = upload(dataset, Store(url, "gsp", Credentials(USER, PASSWORD), timeout=30))
    assert len(loaded) == len(basic_auth_store.received) > 1
    assert basic_auth_store.bodies == len(loaded) + (0 if challenge_head else 1)


def test_wrong_basic_credentials_are_refused_with_a_hint(basic_auth_store, dataset):
    url = f"http://127.0.0.1:{basic_auth_store.server_address[1]}/store"
    with pytest.raises(UploadError) as caught:
        upload(dataset, Store(url, "gsp", Credentials(USER, "wrong"), timeout=30))
    assert "HTTP 401" in str(caught.value) and "--user" in str(caught.value)
    assert basic_auth_store.received == {}


def test_a_store_that_never_answers_is_given_up_at_the_deadline(dataset):
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) but never reads
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/store"
        with pytest.raises(UploadError) as caught:
            upload(dataset, Store(url, "gsp", timeout=0.5))
    assert "within 0.5 s" in str(caught.value)


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
    assert code == 3  # the tool could not run
    assert "cannot reach" in err and "Traceback" not in err


def test_a_user_without_a_password_in_the_environment_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.delenv("WEGOKG_PASSWORD", raising=False)
    code = main(["load", "--endpoint", "http://127.0.0.1:1/q", "--graph-store",
                 "http://127.0.0.1:1/s", "--user", "dba"])  # fmt: skip
    assert code == 2
    assert "WEGOKG_PASSWORD" in capsys.readouterr().err


def test_data_that_does_not_validate_is_not_loaded(checkout_copy):
    copy = checkout_copy
    people = copy / "data" / "curated" / "people.ttl"
    text = people.read_text(encoding="utf-8")
    assert '"오세훈"@ko' in text
    people.write_text(text.replace('"오세훈"@ko', '"오세훈"@ja'), encoding="utf-8")
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens: loading must stop before it
    done = subprocess.run(
        [sys.executable, "-m", "wegokg.cli.main", "load", "--endpoint", f"{url}/query",
         "--graph-store", f"{url}/store"],
        cwd=copy, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    assert "nothing was loaded" in done.stderr
    assert "cannot reach" not in done.stderr


def test_gsp_needs_a_graph_store_url(capsys):
    assert main(["load", "--endpoint", "http://127.0.0.1:1/q", "--method", "gsp"]) == 2
    assert "--graph-store" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("virtuoso", "xsd"),
    [("12", "P1Y"), ("14", "P1Y2M"), ("2", "P2M"), ("86400.0", "P1D"), ("3600.0", "PT1H"),
     ("90061.5", "P1DT1H1M1.5S"), ("P1Y2M3DT4H", "P1Y2M3DT4H")],
)  # fmt: skip
def test_virtuoso_durations_are_read_back_in_xsd_form(virtuoso, xsd):
    import json

    from wegokg.query.engines import results_from_json

    duration = "http://www.w3.org/2001/XMLSchema#duration"
    value = {"type": "typed-literal", "datatype": duration, "value": virtuoso}
    document = {"head": {"vars": ["d"]}, "results": {"bindings": [{"d": value}]}}
    ((term,),) = results_from_json(json.dumps(document).encode(), "").rows
    assert (term.value, term.datatype.value) == (xsd, duration)


def test_virtuosos_json_quirks_are_read_through_pyoxigraphs_parser():
    """typed-literal, upper-case language tags, nodeID:// blank nodes and a binding of an
    undeclared variable: pyoxigraph's parser refuses the last two, so they are normalized."""
    import json

    from pyoxigraph import BlankNode, Literal, NamedNode

    from wegokg.query.engines import results_from_json

    integer = "http://www.w3.org/2001/XMLSchema#integer"
    document = {
        "head": {"vars": ["n", "label", "node"]},
        "results": {"bindings": [{
            "n": {"type": "typed-literal", "datatype": integer, "value": "158"},
            "label": {"type": "literal", "xml:lang": "KO", "value": "성남시"},
            "node": {"type": "bnode", "value": "nodeID://b1001"},
            "extra": {"type": "literal", "value": "ignored"},
        }]},
    }  # fmt: skip
    results = results_from_json(json.dumps(document).encode(), "http://virtuoso.example/sparql")
    ((n, label, node),) = results.rows
    assert n == Literal("158", datatype=NamedNode(integer))
    assert label == Literal("성남시", language="ko")
    assert isinstance(node, BlankNode)
    other = dict(
        document, results={"bindings": [{"node": {"type": "bnode", "value": "nodeID://b1002"}}]}
    )
    ((_, _, second),) = results_from_json(json.dumps(other).encode(), "").rows
    assert second != node
