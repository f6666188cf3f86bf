"""wegokg serve against slow, oversized and vanishing clients, and the protocol's refusals
(issue 16, §4). One server, with a 1 s header timeout and room for six connections."""

from __future__ import annotations

import contextlib
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import free_port

from wegokg.server.sparql_protocol import ProtocolError, check_query

HEADER_TIMEOUT = 1
MAX_CONNECTIONS = 6


@pytest.fixture(scope="module")
def guarded(tiny_site, tmp_path_factory):
    from support.wegokg_server import running

    scratch = tmp_path_factory.mktemp("guarded")
    limits = ("--header-timeout", str(HEADER_TIMEOUT), "--max-connections", str(MAX_CONNECTIONS))
    with running(free_port(), scratch, "--site", str(tiny_site), *limits) as server:
        yield server


def connect(server) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    return sock


def closed_by_server(sock: socket.socket) -> bool:
    """True if the server closes the socket (within the socket's timeout) without answering."""
    try:
        return sock.recv(100) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def get(server, query: str, **params: str) -> tuple[int, str]:
    url = f"{server.endpoint}?{urllib.parse.urlencode({'query': query, **params})}"
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_slow_headers_are_cut_off_while_other_clients_are_answered(guarded):
    slow = [connect(guarded) for _ in range(3)]
    for sock in slow:
        sock.sendall(b"GET /sparql HTTP/1.1\r\n")
    for _ in range(3):  # a header byte now and then, as slowloris sends them
        time.sleep(HEADER_TIMEOUT / 3)
        for sock in slow:
            with contextlib.suppress(OSError):
                sock.sendall(b"X")
        assert get(guarded, "ASK {}")[0] == 200
    assert all(closed_by_server(sock) for sock in slow)
    for sock in slow:
        sock.close()


def test_a_connection_beyond_the_limit_is_closed_at_once(guarded):
    held = [connect(guarded) for _ in range(MAX_CONNECTIONS + 2)]
    try:
        time.sleep(0.2)
        for sock in held:
            sock.settimeout(0.1)
        refused = [sock for sock in held if closed_by_server(sock)]
        assert len(refused) >= 2
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.2)
    assert get(guarded, "ASK {}")[0] == 200
    assert "the limit" in guarded.log.read_text()


def test_a_declared_body_over_the_limit_is_refused_before_it_arrives(guarded):
    with connect(guarded) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 999999999999\r\n\r\nASK{}\n"
        )
        sock.settimeout(5)
        assert sock.recv(100).startswith(b"HTTP/1.1 413 ")


def test_a_client_that_leaves_mid_body_is_one_line_in_the_log(guarded):
    with connect(guarded) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nASK"
        )
        time.sleep(0.3)
    time.sleep(0.5)
    log = guarded.log.read_text()
    assert "disconnected before sending the whole request body" in log
    assert "Traceback" not in log and "ClientDisconnect" not in log


@pytest.mark.parametrize("fmt", ["bogus", "turtle"])
def test_a_format_that_cannot_answer_a_select_is_406(guarded, fmt):
    status, body = get(guarded, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", format=fmt)
    assert status == 406, body


def test_a_format_that_fits_is_used(guarded):
    status, body = get(guarded, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", format="csv")
    assert status == 200 and set(body.splitlines()[0].split(",")) == {"s", "p", "o"}, body
    status, body = get(guarded, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", format="ntriples")
    assert status == 200 and body.rstrip().endswith(".")


@pytest.mark.parametrize(
    "query",
    [
        "PREFIX service: <https://x/> SELECT * WHERE { ?s service:p ?o }",
        "SELECT ?service WHERE { ?service ?p ?o }",
        "PREFIX ex: <https://x/> SELECT * WHERE { ?s ex:SERVICE ?o } # SERVICE <https://y/>",
        'SELECT * WHERE { ?s ?p "SERVICE <https://y/> {}" }',
        "SELECT * WHERE { ?s <https://x/SERVICE> ?o }",
        "SELECT * WHERE { _:service ?p ?o }",
    ],
)
def test_the_word_service_outside_the_keyword_is_not_refused(query):
    check_query(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <https://x/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service SILENT ?where { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o .SERVICE<https://x/>{ ?s ?p ?o } }",
    ],
)
def test_the_service_keyword_is_refused(query):
    with pytest.raises(ProtocolError) as refused:
        check_query(query)
    assert refused.value.status == 403


def test_a_prefix_named_service_is_served(guarded):
    query = "PREFIX service: <https://x/> SELECT * WHERE { ?s service:p ?o }"
    assert get(guarded, query)[0] == 200


def test_a_body_sent_a_byte_at_a_time_is_cut_off_too(guarded):
    with connect(guarded) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nA"
        )
        for _ in range(3):
            time.sleep(HEADER_TIMEOUT / 2)
            with contextlib.suppress(OSError):
                sock.sendall(b"S")
        assert closed_by_server(sock)
    assert get(guarded, "ASK {}")[0] == 200
