"""Guards of ``wegokg serve`` at the HTTP layer, below the application: a client must send a
request's headers within a time limit, and the server holds at most so many connections.

uvicorn times out idle keep-alive connections but not a request's headers: a client that sends
one header byte a second (slowloris) holds its socket for ever, and 3,000 of them hold 3,000
sockets. This protocol, uvicorn's own h11 protocol with two additions, closes a connection
whose headers are not complete ``header_timeout`` seconds after it opened (or after its previous
answer), or whose body is not complete ``header_timeout`` seconds after its headers, and closes
at once a connection beyond ``max_connections``. A request whose declared
body is over the limit is answered 413 before its body is read (``refuse_large_bodies``).
"""

from __future__ import annotations

import logging

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("wegokg.server.serve")


def guarded_protocol(header_timeout: float, max_connections: int) -> type[H11Protocol]:
    """uvicorn's h11 protocol with a header timeout and a connection limit."""

    class GuardedProtocol(H11Protocol):
        _header_timer = None

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            if len(self.connections) > max_connections:
                log.warning(
                    "refused a connection from %s: %d connections are open (the limit)",
                    _peer(self.client),
                    max_connections,
                )
                transport.abort()
                return
            self._arm()

        def data_received(self, data: bytes) -> None:
            before = self.conn.their_state
            super().data_received(data)
            state = self.conn.their_state
            if state is h11.SEND_BODY and before is not h11.SEND_BODY:
                self._arm()  # the headers are in; the body gets the same time of its own
            elif state not in (h11.IDLE, h11.SEND_BODY):
                self._disarm()  # the request is complete

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()  # the next request's headers get the same time

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(header_timeout, self._headers_too_slow)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            state = self.conn.their_state
            if state in (h11.IDLE, h11.SEND_BODY) and not self.transport.is_closing():
                log.info(
                    "closed a connection from %s: no complete request %s within %g s",
                    _peer(self.client),
                    "headers" if state is h11.IDLE else "body",
                    header_timeout,
                )
                self.transport.abort()

    return GuardedProtocol


def refuse_large_bodies(app, max_bytes: int):
    """ASGI middleware: a request whose Content-Length is over ``max_bytes`` is answered 413 at
    once, without reading (or waiting for) its body."""

    async def guarded(scope, receive, send) -> None:
        if scope["type"] == "http":
            declared = dict(scope["headers"]).get(b"content-length", b"")
            if declared.isdigit() and int(declared) > max_bytes:
                body = f"the request body is over {max_bytes} bytes\n".encode()
                await send({
                    "type": "http.response.start",
                    "status": 413,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close"),
                    ],
                })  # fmt: skip
                await send({"type": "http.response.body", "body": body})
                return
        await app(scope, receive, send)

    return guarded


def _peer(client) -> str:
    return f"{client[0]}:{client[1]}" if client else "a client"
