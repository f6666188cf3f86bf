"""The one HTTP client (wegokg.core.remote.send), which queries and `wegokg load` share: its total
deadline really stops an upload, it answers a Digest challenge, and every failure is one line
(issue 13, §4). The servers are small ones on 127.0.0.1, started here."""

from __future__ import annotations

import hashlib
import socket
import threading
import time

import pytest

from wegokg.core.remote import Credentials, RefusedError, RemoteError, send
from wegokg.publish.upload import Store, UploadError, put_graph
from wegokg.query.engines import EndpointEngine, EngineError

USER, PASSWORD = "dba", "pass word"


class RawServer:
    """Accepts one connection at a time and hands each to ``handle(connection)``."""

    def __init__(self, handle, receive_buffer: int | None = None) -> None:
        self.listener = socket.socket()
        if receive_buffer:  # inherited by accepted sockets, so the kernel buffers little
            self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/store"
        self.handle = handle
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                self.handle(connection)

    def close(self) -> None:
        self.listener.close()


def read_head(connection: socket.socket) -> tuple[bytes, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def test_the_deadline_stops_an_upload_that_the_store_reads_slowly():
    seen: dict[str, float] = {}
    timeout, body = 1.0, b"<urn:x:s> <urn:x:p> 'o' .\n" * (64 * 2**20 // 26)

    def slow_reader(connection: socket.socket) -> None:
        started, received = time.monotonic(), 0
        while time.monotonic() < started + timeout + 0.5:  # slowly, but never stalling
            received += len(connection.recv(65536))
            time.sleep(0.1)
        connection.settimeout(10)  # then drain: a client still uploading would fill this up
        try:
            while chunk := connection.recv(2**20):
                received += len(chunk)
        except (ConnectionResetError, TimeoutError):
            pass
        seen["closed after"] = time.monotonic() - started
        seen["received"] = received

    server = RawServer(slow_reader)
    try:
        store = Store(server.url, "gsp", timeout=timeout)
        with pytest.raises(UploadError, match=f"no complete answer within {timeout:g} s"):
            put_graph(store, "urn:x:g", body)
        for _ in range(200):
            if "received" in seen:
                break
            time.sleep(0.1)
    finally:
        server.close()
    # The connection was closed by the client (the server reads its end), with most of the body
    # never sent, soon after the deadline: no thread is left uploading.
    assert seen["received"] < len(body) / 2
    assert seen["closed after"] < timeout + 5


def test_the_deadline_closes_a_connection_whose_answer_trickles():
    # Each byte comes within a socket timeout, so only a total deadline stops this; a client
    # thread abandoned at the deadline would keep the connection open, reading.
    seen: dict[str, float] = {}
    timeout = 1.0

    def trickler(connection: socket.socket) -> None:
        started = time.monotonic()
        read_head(connection)
        try:
            for byte in b"HTTP/1.1 201 Created\r\n" + b"X: " + b"x" * 1000:
                connection.sendall(bytes([byte]))
                time.sleep(0.2)
        except OSError:  # the client closed the connection
            seen["closed after"] = time.monotonic() - started

    server = RawServer(trickler)
    try:
        with pytest.raises(UploadError, match=f"no complete answer within {timeout:g} s"):
            put_graph(Store(server.url, "gsp", timeout=timeout), "urn:x:g", b"x")
        for _ in range(100):
            if seen:
                break
            time.sleep(0.1)
    finally:
        server.close()
    assert seen["closed after"] < timeout + 3


def digest_store(
    connection: socket.socket, requests: list[tuple[str, int]] | None = None, head: bool = True
) -> None:
    """Answers 401 with a Digest challenge (qop=auth) unless the response is right, then 201.
    Each request's method and body size go into ``requests``; with ``head`` False a HEAD is not
    allowed (405) rather than challenged."""
    head_bytes, rest = read_head(connection)
    length = next(
        (int(line.split(b":")[1]) for line in head_bytes.split(b"\r\n")
         if line.lower().startswith(b"content-length:")), 0,
    )  # fmt: skip
    while len(rest) < length:
        rest += connection.recv(65536)
    request_line, *lines = head_bytes.decode().split("\r\n")
    method, uri, _ = request_line.split(" ")
    if requests is not None:
        requests.append((method, len(rest)))
    if method == "HEAD" and not head:
        connection.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
        return
    fields = {}
    for line in lines:
        if line.lower().startswith("authorization: digest "):
            for part in line[len("authorization: digest ") :].split(", "):
                key, _, value = part.partition("=")
                fields[key] = value.strip('"')

    def h(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    nonce = "n0nce"
    ha1, ha2 = h(f"{USER}:store:{PASSWORD}"), h(f"{method}:{uri}")
    expected = h(f"{ha1}:{nonce}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
    if fields.get("response") == expected and fields.get("uri") == uri:
        connection.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
        return
    connection.sendall(
        b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n"
        + f'WWW-Authenticate: Digest realm="store", nonce="{nonce}", qop="auth"\r\n\r\n'.encode()
    )


@pytest.mark.parametrize(("password", "status"), [(PASSWORD, 201), ("wrong", 401)])
def test_a_digest_challenge_is_answered_once(password, status):
    server = RawServer(digest_store)
    try:
        if status == 201:
            answer = send("PUT", f"{server.url}?graph=urn%3Ax%3Ag", b"x", timeout=10,
                          credentials=Credentials(USER, password))  # fmt: skip
            assert answer.status == 201
        else:
            with pytest.raises(RefusedError) as caught:
                send("PUT", f"{server.url}?graph=urn%3Ax%3Ag", b"x", timeout=10,
                     credentials=Credentials(USER, password),
                     denied_hint=" (check --user)")  # fmt: skip
            assert caught.value.status == 401 and "HTTP 401 Unauthorized (check --user)" in str(
                caught.value
            )
    finally:
        server.close()


@pytest.mark.parametrize("head", [True, False], ids=["HEAD challenged", "HEAD not allowed"])
def test_a_digest_login_sends_the_body_once_where_a_head_brings_the_challenge(head):
    """A bodiless HEAD fetches each nonce, so the body goes once, with its answer. A store that
    does not challenge the HEAD gets the body twice (the nonce comes with the refusal of the
    first), and is not probed again."""
    requests: list[tuple[str, int]] = []
    server = RawServer(lambda connection: digest_store(connection, requests, head))
    try:
        for graph in ("a", "b"):
            url = f"{server.url}?graph=urn%3Ax%3A{graph}"
            answer = send("PUT", url, b"<urn:x:s> .", timeout=10,
                          credentials=Credentials(USER, PASSWORD))  # fmt: skip
            assert answer.status == 201
    finally:
        server.close()
    bodies = [size for method, size in requests if method == "PUT"]
    heads = [method for method, _ in requests if method == "HEAD"]
    assert all(size == len(b"<urn:x:s> .") for size in bodies)
    assert (len(bodies), len(heads)) == ((2, 2) if head else (4, 1))


def garbage(connection: socket.socket) -> None:
    read_head(connection)
    connection.sendall(b"this is not HTTP at all\r\n\r\n")


def server_error(connection: socket.socket) -> None:
    read_head(connection)
    body = b"<html>\n<h1>Internal error</h1>\n<p>the disk\nis full</p>\n</html>\n"
    connection.sendall(
        b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )


@pytest.mark.parametrize(
    ("handler", "says"),
    [(garbage, "what it sent is not HTTP"),
     (server_error,
      "HTTP 500 Internal Server Error: <html> <h1>Internal error</h1> <p>the disk is full")],
)  # fmt: skip
def test_queries_and_loads_report_a_failure_in_the_same_one_line(handler, says):
    server = RawServer(handler)
    try:
        with pytest.raises(EngineError) as query:
            EndpointEngine(server.url, timeout=10).select("SELECT * { ?s ?p ?o }")
        with pytest.raises(UploadError) as load:
            put_graph(Store(server.url, "gsp", timeout=10), "urn:x:g", b"x")
    finally:
        server.close()
    for error in (query.value, load.value):
        assert says in str(error) and "\n" not in str(error)
    assert str(query.value).startswith(f"the endpoint {server.url} ")
    assert str(load.value).startswith(f"{server.url} ") and "(replacing graph <urn:x:g>)" in str(
        load.value
    )


def test_an_unusable_url_or_timeout_is_refused_before_any_connection():
    with pytest.raises(RemoteError, match="positive number"):
        send("GET", "http://127.0.0.1:9/", timeout=0)
    with pytest.raises(RemoteError):
        send("GET", "ftp://127.0.0.1/x")
