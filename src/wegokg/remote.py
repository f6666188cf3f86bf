"""HTTP calls to remote SPARQL endpoints, each bounded by one total deadline.

A socket timeout bounds each read, not the whole answer: a server that sends one byte every few
seconds would keep a plain client waiting forever. So every call here runs under a watchdog that
shuts the socket down when the deadline passes, whatever the client is doing at that moment
(connecting, sending, reading headers or the body), and the body is read in chunks with the
remaining time checked after each one. A second timer tells the user, once, what is being waited
for when an answer is slow.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from wegokg.errors import ToolError
from wegokg.iri import DEFAULT_TIMEOUT, endpoint_problem

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_ROWS",
    "BindingCounter",
    "RemoteError",
    "check_endpoint",
    "check_timeout",
    "post",
]
NOTICE_AFTER = 2.0  # seconds of silence before the user is told what is being waited for
MAX_ANSWER_BYTES = 512 * 1024 * 1024
MAX_ROWS = 100_000  # rows of a SELECT answer read from an endpoint; the rest is cut, with a notice
_CHUNK = 64 * 1024


class RemoteError(ToolError, RuntimeError):
    """A remote call that failed: bad URL, no connection, no complete answer in time."""


@dataclass(frozen=True)
class Answer:
    status: int
    reason: str
    content_type: str
    body: bytes
    cut_at_rows: int | None = None  # the SELECT answer was cut after this many rows


class BindingCounter:
    """Counts the bindings of a SPARQL JSON results document as its bytes arrive, so that an
    endpoint that streams without end is cut at a row cap, not read into memory until a byte
    limit. A binding is an object two levels inside the top one (``results.bindings[i]``)."""

    _TOKEN = re.compile(rb'["\\{}\[\]]')

    def __init__(self, limit: int) -> None:
        self.limit, self.count, self.depth = limit, 0, 0
        self.in_string = False
        self.escaped_at: int | None = None  # offset of the byte a backslash escapes

    def feed(self, chunk: bytes) -> int | None:
        """The offset in ``chunk`` just after the binding that reaches the limit, or None."""
        escaped_at, self.escaped_at = self.escaped_at, None
        for match in self._TOKEN.finditer(chunk):
            token = match.group()
            if self.in_string:
                if match.start() == escaped_at:
                    continue
                if token == b"\\":
                    escaped_at = match.end()
                elif token == b'"':
                    self.in_string = False
                continue
            if token == b'"':
                self.in_string = True
            elif token in (b"{", b"["):
                self.depth += 1
            else:
                self.depth -= 1
                if token == b"}" and self.depth == 3:
                    self.count += 1
                    if self.count >= self.limit:
                        return match.end()
        if escaped_at == len(chunk):
            self.escaped_at = 0  # the backslash ended the chunk: it escapes the next one's first
        return None


def check_endpoint(url: str) -> str:
    """``url`` if it is an absolute http(s) URL that is a valid IRI; else RemoteError."""
    if problem := endpoint_problem(url):
        raise RemoteError(problem)
    return url


def check_timeout(seconds: float) -> float:
    if not seconds > 0 or seconds == float("inf"):
        raise RemoteError(f"the timeout must be a positive number of seconds, not {seconds}")
    return float(seconds)


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout: float = DEFAULT_TIMEOUT,
    notice: Callable[[str], None] | None = None,
    max_rows: int | None = None,
) -> Answer:
    """POST ``body`` to ``url`` and read the whole answer within ``timeout`` seconds in total.

    ``notice`` is called once, with a sentence, if nothing complete has arrived after a couple of
    seconds (the CLI prints it on stderr). With ``max_rows``, a SPARQL JSON SELECT answer is
    read only up to that many rows and closed there (``Answer.cut_at_rows`` says so)."""
    check_endpoint(url)
    timeout = check_timeout(timeout)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_type = (
        http.client.HTTPSConnection
        if parts.scheme.lower() == "https"
        else http.client.HTTPConnection
    )
    connection = connection_type(parts.hostname, parts.port, timeout=timeout)
    deadline = time.monotonic() + timeout
    expired = threading.Event()

    def cut_off() -> None:
        expired.set()
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(timeout, cut_off)
    watchdog.daemon = True
    reminder = None
    if notice is not None and timeout > NOTICE_AFTER:
        reminder = threading.Timer(
            NOTICE_AFTER, notice, [f"waiting for {url} (timeout {timeout:g} s)"]
        )
        reminder.daemon = True
    watchdog.start()
    if reminder:
        reminder.start()
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        chunks, size, cut = [], 0, None
        counter = BindingCounter(max_rows) if max_rows and response.status == 200 else None
        while chunk := response.read1(_CHUNK):
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise RemoteError(f"the answer from {url} is larger than {MAX_ANSWER_BYTES} bytes")
            if time.monotonic() > deadline:
                break
            if counter is not None and (end := counter.feed(chunk)) is not None:
                chunks.append(chunk[:end] + b"]}}")  # close bindings, results and the document
                cut = max_rows
                break
            chunks.append(chunk)
        if expired.is_set() or time.monotonic() > deadline:
            raise _too_slow(url, timeout)
        return Answer(
            response.status,
            response.reason,
            response.getheader("Content-Type", ""),
            b"".join(chunks),
            cut,
        )
    except (OSError, http.client.HTTPException, ssl.SSLError) as error:
        if expired.is_set() or time.monotonic() > deadline:
            raise _too_slow(url, timeout) from None
        raise RemoteError(f"{url} did not answer: {_reason(error)}") from None
    finally:
        watchdog.cancel()
        if reminder:
            reminder.cancel()
        connection.close()


def _too_slow(url: str, timeout: float) -> RemoteError:
    return RemoteError(
        f"{url} sent no complete answer within {timeout:g} s; try again later or raise --timeout"
    )


def _reason(error: BaseException) -> str:
    if isinstance(error, socket.gaierror):
        return f"the host name cannot be resolved ({error.strerror})"
    if isinstance(error, ConnectionRefusedError):
        return "the connection was refused (is the server running?)"
    if isinstance(error, http.client.IncompleteRead):
        return "the answer was cut off"
    return str(error) or type(error).__name__
