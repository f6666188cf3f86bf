"""The HTTP side of `wegokg load`, against small servers on 127.0.0.1 that behave as a store's
edges do: one that asks for HTTP basic authentication and records each Graph Store PUT, and one
that accepts the connection but never answers."""

from __future__ import annotations

import base64
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rdflib import Graph

from wegokg.upload import Credentials, Store, UploadError, graphs_to_load, upload

USER, PASSWORD = "loader", "s3cret:with colon"


class BasicAuthGraphStore(BaseHTTPRequestHandler):
    """Answers 401 with a Basic challenge unless the right credentials come, then 201."""

    received: dict[str, bytes]

    def do_PUT(self):  # noqa: N802 (the name http.server calls)
        expected = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Authorization") != f"Basic {expected}":
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.send_header("Content-Length", "0")
            self.end_headers()
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
    server.received = {}
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
