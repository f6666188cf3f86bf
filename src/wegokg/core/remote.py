"""The one HTTP client of wegokg: every outgoing request (queries to an endpoint, Graph Store
writes and deletes, SPARQL updates) goes through ``send``, under one total deadline.

A socket timeout bounds each read, not the whole answer: a server that sends one byte every few
seconds would keep a plain client waiting forever. So every call here runs under a watchdog that
shuts the socket down when the deadline passes, whatever the client is doing at that moment
(connecting, sending, reading headers or the body), and the body is read in chunks with the
remaining time checked after each one. A second timer tells the user, once, what is being waited
for when an answer is slow. Every failure (no connection, too slow, an HTTP error status, bytes
that are not HTTP) becomes one RemoteError of one line. HTTP basic and digest authentication are
answered as the server asks (wegokg.core.http_auth), so that a body is sent once where it can be.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from wegokg.core import http_auth
from wegokg.core.errors import ToolError
from wegokg.core.http_auth import Credentials
from wegokg.core.iri import DEFAULT_TIMEOUT, endpoint_problem

if TYPE_CHECKING:
    import http.client

# http.client, ssl and socket (some 30 ms of imports) are imported by the functions that talk to a
# server: a command that never does (a query on the embedded engine) does not load them.
__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_ROWS",
    "BindingCounter",
    "Credentials",
    "RefusedError",
    "RemoteError",
    "check_endpoint",
    "check_timeout",
    "send",
]
NOTICE_AFTER = 2.0  # seconds of silence before the user is told what is being waited for
MAX_ANSWER_BYTES = 512 * 1024 * 1024
MAX_ROWS = 100_000  # rows of a SELECT answer read from an endpoint; the rest is cut, with a notice
_CHUNK = 64 * 1024


class RemoteError(ToolError, RuntimeError):
    """A remote call that failed: bad URL, no connection, no complete answer in time."""


class RefusedError(RemoteError):
    """The server answered with an error status (``status``), its message in the error's text."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Answer:
    status: int
    reason: str
    content_type: str
    body: bytes
    cut_at_rows: int | None = None  # the SELECT answer was cut after this many rows
    location: str = ""  # the Location header, for a redirect


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


def send(
    method: str,
    url: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    notice: Callable[[str], None] | None = None,
    what: str | None = None,
    credentials: Credentials | None = None,
    denied_hint: str = "",
    max_rows: int | None = None,
    name: str | None = None,
) -> Answer:
    """Send one request and read the whole answer within ``timeout`` seconds in total (sending
    the body included: at the deadline the connection is shut, whatever it is doing).

    ``what`` says in a few words what the request does (``replacing graph <…>``), for the notice
    and the errors. ``notice`` is called once, with a sentence, if nothing complete has arrived
    after a couple of seconds (the CLI prints it on stderr). With ``credentials``, a 401 with a
    Basic or Digest challenge is answered once, within the same deadline; ``denied_hint`` is
    added to the message of a 401 or 403. With ``max_rows``, a SPARQL JSON SELECT answer is read
    only up to that many rows and closed there (``Answer.cut_at_rows`` says so). A status other
    than 2xx is a RefusedError. ``name`` is the URL to show in the notice and the errors (the
    store's, not each graph's), ``url`` by default."""
    check_endpoint(url)
    timeout = check_timeout(timeout)
    shown = name or url
    call = _Call(url, shown, what, timeout)
    reminder = None
    if notice is not None and timeout > NOTICE_AFTER:
        doing = f"{what}; " if what else ""
        message = f"waiting for {shown} ({doing}timeout {timeout:g} s)"
        reminder = threading.Timer(NOTICE_AFTER, notice, [message])
        reminder.daemon = True
        reminder.start()
    watchdog = threading.Timer(timeout, call.cut_off)
    watchdog.daemon = True
    watchdog.start()
    headers = dict(headers or {})
    try:
        answered = False  # whether the Authorization sent answers a challenge of this call
        if credentials is not None:
            sent = http_auth.remembered(url, credentials)  # Basic, if it was asked for before
            if sent is None and body is not None and http_auth.worth_probing(url, credentials):
                sent = _probe(call, method, body, headers, credentials)
                answered = sent is not None
            if sent:
                headers["Authorization"] = sent
        answer, challenges = call.exchange(method, body, headers, max_rows)
        if answer.status == 401 and credentials and challenges and not answered:
            authorization = http_auth.answer(method, url, body, credentials, challenges)
            if authorization:
                headers["Authorization"] = authorization
                answer, _ = call.exchange(method, body, headers, max_rows)
        if credentials is not None and answer.status != 401:
            http_auth.remember(url, credentials, headers.get("Authorization", ""), answered)
    finally:
        watchdog.cancel()
        if reminder:
            reminder.cancel()
    if not 200 <= answer.status < 300:
        raise _refused(shown, what, answer, denied_hint)
    return answer


class _Call:
    """The connections of one call, all under the one deadline that ``cut_off`` enforces."""

    def __init__(self, url: str, shown: str, what: str | None, timeout: float) -> None:
        self.url, self.what, self.timeout = shown, what, timeout
        self.target, self.parts = url, urlsplit(url)
        self.deadline = time.monotonic() + timeout
        self.expired = threading.Event()
        self.connection: http.client.HTTPConnection | None = None

    def cut_off(self) -> None:
        import socket

        self.expired.set()
        sock = self.connection.sock if self.connection is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)

    def late(self) -> bool:
        return self.expired.is_set() or time.monotonic() > self.deadline

    def exchange(
        self, method: str, body: bytes | None, headers: dict[str, str], max_rows: int | None
    ) -> tuple[Answer, list[str]]:
        """One request and its answer, on a connection of its own."""
        import http.client
        import ssl

        parts = self.parts
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection_type = (
            http.client.HTTPSConnection
            if parts.scheme.lower() == "https"
            else http.client.HTTPConnection
        )
        remaining = self.deadline - time.monotonic()
        if remaining <= 0 or self.expired.is_set():
            raise self.too_slow()
        connection = connection_type(parts.hostname, parts.port, timeout=remaining)
        self.connection = connection
        try:
            try:
                connection.connect()
            except (OSError, ssl.SSLError) as error:
                if self.late():
                    raise self.too_slow() from None
                raise self.failed(f"cannot reach it ({_reason(error)})") from None
            if self.expired.is_set():  # the watchdog fired while connecting
                raise self.too_slow()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = self.read(response, max_rows if response.status == 200 else None)
            challenges = response.headers.get_all("WWW-Authenticate") or []
            return Answer(
                response.status,
                response.reason,
                response.getheader("Content-Type", ""),
                *content,
                location=response.getheader("Location", ""),
            ), challenges
        except (OSError, http.client.HTTPException, ssl.SSLError) as error:
            if self.late():
                raise self.too_slow() from None
            if isinstance(error, http.client.HTTPException) and not isinstance(
                error, http.client.IncompleteRead
            ):
                raise self.failed(f"what it sent is not HTTP ({_reason(error)})") from None
            raise self.failed(_reason(error)) from None
        finally:
            connection.close()

    def read(self, response: http.client.HTTPResponse, max_rows: int | None):
        chunks, size, cut = [], 0, None
        counter = BindingCounter(max_rows) if max_rows else None
        while chunk := response.read1(_CHUNK):
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise RemoteError(
                    f"the answer from {self.url} is larger than {MAX_ANSWER_BYTES} bytes"
                )
            if time.monotonic() > self.deadline:
                break
            if counter is not None and (end := counter.feed(chunk)) is not None:
                chunks.append(chunk[:end] + b"]}}")  # close bindings, results and the document
                cut = max_rows
                break
            chunks.append(chunk)
        if self.late():
            raise self.too_slow()
        return b"".join(chunks), cut

    def doing(self) -> str:
        return f" ({self.what})" if self.what else ""

    def too_slow(self) -> RemoteError:
        return RemoteError(
            f"{self.url} sent no complete answer within {self.timeout:g} s{self.doing()}; "
            "try again later or raise --timeout"
        )

    def failed(self, reason: str) -> RemoteError:
        reason = " ".join(reason.split())  # what a server sent may hold line breaks
        reason = reason if len(reason) <= 200 else reason[:199] + "…"
        return RemoteError(f"{self.url} did not answer{self.doing()}: {reason}")


def _refused(url: str, what: str | None, answer: Answer, denied_hint: str) -> RefusedError:
    """The one message for an error status: the status, and the server's message in one line."""
    doing = f" ({what})" if what else ""
    hint = denied_hint if answer.status in (401, 403) else ""
    if 300 <= answer.status < 400 and answer.location:
        hint = f" (to {answer.location}; use that URL)"
    # The server's message (often a multi-line HTML or text page, or one with escaped newlines)
    # as one readable line.
    text = answer.body[:4000].decode("utf-8", errors="replace").replace("\\n", " ")
    detail = " ".join(text.split())
    detail = detail if len(detail) <= 400 else detail[:399] + "…"
    return RefusedError(
        f"{url} refused the request{doing}: HTTP {answer.status} {answer.reason}{hint}"
        + (f": {detail}" if detail else ""),
        answer.status,
    )


def _probe(
    call: _Call, method: str, body: bytes, headers: dict[str, str], credentials: Credentials
) -> str | None:
    """The answer to the challenge of a bodiless HEAD to the same URL, for the request that
    follows with its body; None if the HEAD is not challenged (or the server cannot take one)."""
    bodiless = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    try:
        probe, challenges = call.exchange("HEAD", None, bodiless, None)
    except RemoteError:
        if call.late():
            raise
        return None
    if probe.status != 401 or not challenges:
        return None
    return http_auth.answer(method, call.target, body, credentials, challenges)


def _reason(error: BaseException) -> str:
    import http.client
    import socket

    if isinstance(error, socket.gaierror):
        return f"the host name cannot be resolved: {error.strerror}"
    if isinstance(error, ConnectionRefusedError):
        return "the connection was refused; is the server running?"
    if isinstance(error, http.client.IncompleteRead):
        return "the answer was cut off"
    return str(error) or type(error).__name__
