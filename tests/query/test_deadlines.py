"""Every call to an endpoint ends within its total deadline, says what it is waiting for, and
turns a malformed answer into a clear error (issue 9). The endpoints here are small misbehaving
servers on 127.0.0.1, started by the fixture."""

from __future__ import annotations

import json
import socketserver
import subprocess
import sys
import threading
import time

import pytest
from conftest import ROOT

from wegokg.query.engines import EndpointEngine, EngineError

QUERY = "SELECT ?x WHERE { ?x ?p ?o } LIMIT 1"
GOOD = {
    "head": {"vars": ["x"]},
    "results": {"bindings": [{"x": {"type": "uri", "value": "https://x/a"}}]},
}
MALFORMED = {
    "no-head": {"results": {"bindings": []}},
    "array": [{"head": {"vars": []}}],
    "binding-not-object": {"head": {"vars": ["x"]}, "results": {"bindings": [1]}},
    "term-not-object": {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": "https://x/a"}]}},
    "vars-not-list": {"head": {"vars": "x"}, "results": {"bindings": []}},
    "deep-json": "[" * 100_000 + "]" * 100_000,
}


class Misbehaving(socketserver.BaseRequestHandler):
    """Answers according to the request path: /good, /trickle-body, /trickle-headers, /silent,
    or one of the MALFORMED answers."""

    def handle(self) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = self.request.recv(65536)
            if not chunk:
                return
            request += chunk
        path = request.split(b" ", 2)[1].decode().strip("/")
        stop = self.server.stop  # type: ignore[attr-defined]
        if path == "silent":
            stop.wait(120)
            return
        if path in ("trickle-body", "trickle-headers"):
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
            head += b"Content-Length: 1000000\r\n\r\n"
            slow = head if path == "trickle-headers" else b"{" + b" " * 999_999
            if path == "trickle-body":
                self.request.sendall(head)
            for byte in slow:
                if stop.wait(0.2):
                    return
                try:
                    self.request.sendall(bytes([byte]))
                except OSError:
                    return  # the client gave up, as it should
            return
        body = MALFORMED.get(path, GOOD)
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.request.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
            + f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode()
            + data
        )


@pytest.fixture(scope="module")
def endpoint():
    """The base URL of a misbehaving SPARQL endpoint on 127.0.0.1."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Misbehaving)
    server.daemon_threads = True
    server.stop = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.stop.set()
    server.shutdown()
    server.server_close()


def select_in_thread(engine: EndpointEngine) -> BaseException | None:
    """Run a query; a hang becomes a test failure after a generous while instead of forever."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            engine.select(QUERY)
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(90)
    assert outcome, "the query was still running long after its deadline"
    return outcome[0]


def test_a_well_formed_answer_is_read(endpoint):
    results = EndpointEngine(f"{endpoint}/good", timeout=10).select(QUERY)
    assert results.variables == ("x",) and results.rows[0][0].value == "https://x/a"


@pytest.mark.parametrize("path", ["trickle-body", "trickle-headers", "silent"])
def test_a_slow_endpoint_is_given_up_on_at_the_total_deadline(endpoint, path):
    error = select_in_thread(EndpointEngine(f"{endpoint}/{path}", timeout=1.5))
    assert isinstance(error, EngineError)
    assert "no complete answer within 1.5 s" in str(error)


@pytest.mark.parametrize("path", sorted(MALFORMED))
def test_a_malformed_answer_is_a_clear_engine_error(endpoint, path):
    with pytest.raises(EngineError, match="endpoint"):
        EndpointEngine(f"{endpoint}/{path}", timeout=10).select(QUERY)


def wegokg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wegokg.cli.main", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_command_says_what_it_waits_for_and_stops_at_its_timeout(endpoint):
    url = f"{endpoint}/silent"
    started = time.monotonic()
    done = wegokg("query", "run", "award-winners", "--endpoint", url, "--timeout", "3")
    print(f"gave up after {time.monotonic() - started:.1f} s")
    assert done.returncode == 3  # the tool could not run
    assert f"waiting for {url} (timeout 3 s)" in done.stderr
    assert "no complete answer within 3 s" in done.stderr and "Traceback" not in done.stderr


def test_a_malformed_answer_exits_3_without_a_traceback(endpoint):
    done = wegokg("query", "run", "award-winners", "--endpoint", f"{endpoint}/binding-not-object")
    assert done.returncode == 3  # the tool could not run
    # pyoxigraph's parser reads the answer now (issue 13), and says what it expected there.
    assert "sent no valid SELECT results: Expecting a new solution object" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("value", ["0", "-1", "abc", "inf", "nan"])
def test_a_timeout_that_is_not_a_positive_number_is_refused(value):
    done = wegokg(
        "query", "run", "award-winners", "--endpoint", "http://127.0.0.1:9/", "--timeout", value
    )  # fmt: skip
    assert done.returncode == 2
    assert "positive number of seconds" in done.stderr
