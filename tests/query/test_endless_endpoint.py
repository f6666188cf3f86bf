"""An endpoint that streams a SELECT answer without end is cut at the row cap, as the bytes
arrive, not read into memory until a byte limit (issue 16, §3)."""

from __future__ import annotations

import json
import socketserver
import threading

import pytest

import wegokg.query.endpoint
from wegokg.core.remote import BindingCounter
from wegokg.query.engines import EndpointEngine

ROW = b'{"x": {"type": "literal", "value": "a \\" } ] { [ \\\\"}},'


class Endless(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = self.request.recv(65536)
            if not chunk:
                return
            request += chunk
        self.request.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
            b'Connection: close\r\n\r\n{"head": {"vars": ["x"]}, "results": {"bindings": ['
        )
        try:
            while not self.server.stop.is_set():  # type: ignore[attr-defined]
                self.request.sendall(ROW * 500)
        except OSError:
            return  # the client has read enough


@pytest.fixture
def endless():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Endless)
    server.daemon_threads = True
    server.stop = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.stop.set()
    server.shutdown()
    server.server_close()


def test_an_endless_answer_is_cut_at_the_row_cap(endless, monkeypatch):
    monkeypatch.setattr(wegokg.query.endpoint, "MAX_ROWS", 2000)
    notices: list[str] = []
    results = EndpointEngine(endless, timeout=10, notice=notices.append).select("SELECT ?x {}")
    assert len(results.rows) == 2000
    assert results.rows[-1][0].value == 'a " } ] { [ \\'
    assert any("cut at 2000 rows" in notice for notice in notices)


@pytest.mark.parametrize("size", [1, 2, 5, 64])
def test_the_counter_finds_the_bindings_in_any_chunks(size):
    rows = [{"x": {"type": "literal", "value": f'"}}]{{[\\{n}'}} for n in range(7)]
    document = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": rows}}).encode()
    counter, seen, end = BindingCounter(5), 0, None
    for start in range(0, len(document), size):
        chunk = document[start : start + size]
        if (at := counter.feed(chunk)) is not None:
            end = seen + at
            break
        seen += len(chunk)
    cut = json.loads(document[:end] + b"]}}")
    assert cut["results"]["bindings"] == rows[:5]
