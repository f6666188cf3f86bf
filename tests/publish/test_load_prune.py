"""`wegokg load --prune` against a real Oxigraph server: graphs under the dataset's namespace
that no source holds any more are deleted and reported, other datasets' graphs are kept; and a
slow store is named after two seconds (issue 16, §3 and §5)."""

from __future__ import annotations

import http.server
import threading
import time
import urllib.error
import urllib.request

import pytest
from conftest import free_port
from support.inprocess import wegokg

from wegokg.query.engines import EndpointEngine

pytestmark = pytest.mark.server

REMOVED = "https://w3id.org/wegokg/id/source/removed-2020-01-01"
FOREIGN = "https://example.org/another-dataset"


def put(store, graph: str) -> None:
    request = urllib.request.Request(
        f"{store.graph_store_url}?graph={graph}",
        data=b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n",
        method="PUT",
        headers={"Content-Type": "text/turtle"},
    )
    urllib.request.urlopen(request, timeout=10).read()


@pytest.fixture
def store(oxigraph_store):
    """The session's Oxigraph server, rid of this file's extra graphs afterwards: the other tests
    that load into it count its graphs."""
    yield oxigraph_store
    for graph in (REMOVED, FOREIGN):
        request = urllib.request.Request(
            f"{oxigraph_store.graph_store_url}?graph={graph}", method="DELETE"
        )
        try:
            urllib.request.urlopen(request, timeout=10).read()
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise


def graphs(store) -> set[str]:
    rows = EndpointEngine(store.query_url).select(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    return {row["g"].value for row in rows.as_dicts()}


@pytest.mark.parametrize("method", ["gsp", "update"])
def test_prune_deletes_only_our_graphs_that_no_source_holds(store, method):
    oxigraph_store = store
    put(oxigraph_store, REMOVED)
    put(oxigraph_store, FOREIGN)
    how = ["--graph-store", oxigraph_store.graph_store_url]
    if method == "update":
        how = ["--method", "update", "--update", oxigraph_store.update_url]
    done = wegokg("load", "--endpoint", oxigraph_store.query_url, *how, "--prune")
    assert done.returncode == 0, done.stderr
    held = graphs(oxigraph_store)
    assert REMOVED not in held and FOREIGN in held
    assert "https://w3id.org/wegokg/id/source/newspim-2021-10-13" in held
    pruned = [line for line in done.stdout.splitlines() if "deleted" in line]
    assert len(pruned) == 1 and "removed-2020-01-01" in pruned[0]


def test_without_prune_nothing_is_deleted(store):
    oxigraph_store = store
    put(oxigraph_store, REMOVED)
    done = wegokg("load", "--endpoint", oxigraph_store.query_url,
                  "--graph-store", oxigraph_store.graph_store_url)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert REMOVED in graphs(oxigraph_store)


class SlowStore(http.server.BaseHTTPRequestHandler):
    """Takes 2.5 s over its first write, then answers at once (SELECTs find nothing)."""

    slow = True

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if SlowStore.slow:
            SlowStore.slow = False
            time.sleep(2.5)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_load_says_what_it_waits_for_after_two_seconds():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), SlowStore)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        done = wegokg("load", "--endpoint", f"{url}/query", "--graph-store", f"{url}/store",
                      "--timeout", "10")  # fmt: skip
    finally:
        server.shutdown()
    assert f"waiting for {url}/store (replacing graph <" in done.stderr
