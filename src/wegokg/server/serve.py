"""``wegokg serve``: the graph on the web. One ASGI application (Starlette, on uvicorn) serves

- ``/sparql``: a read-only SPARQL 1.1 Protocol endpoint over pyoxigraph, with a time limit per
  query and a cap on result size (see sparql_workers), and its service description;
- ``/query``: an HTML page for running a query by hand, with the stored queries as examples
  (``/query.css`` is its stylesheet);
- everything else: the static site, with content negotiation on resource IRIs (see site_files).

The served data is rebuilt from the repository's files at every start; nothing is written back.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from wegokg.core.errors import UsageError
from wegokg.core.iri import DEFAULT_MAX_MEMORY_MB
from wegokg.core.leftovers import remove_leftovers, scratch_prefix
from wegokg.publish.site_files import SiteFolder
from wegokg.query.sparql_jobs import PYTHON, Answer, Job
from wegokg.query.sparql_workers import QueryPool
from wegokg.server.query_page import (
    CONTENT_SECURITY_POLICY,
    STYLESHEET_PATH,
    render_page,
    stylesheet,
)
from wegokg.server.serve_guard import guarded_protocol, refuse_large_bodies
from wegokg.server.sparql_protocol import (
    MAX_QUERY_BYTES,
    ProtocolError,
    make_job,
    read_request,
    service_description,
)

if TYPE_CHECKING:
    from wegokg.core.repository import Repository

READ_METHODS = ("GET", "HEAD", "OPTIONS")
QUERY_PATHS = ("/sparql", "/query")


@dataclass
class ServerSettings:
    """What ``wegokg serve`` was asked for; the defaults are the command's."""

    host: str = "127.0.0.1"
    port: int = 8000
    site: Path | None = None
    workers: int = 2
    time_limit: float = 10.0
    max_rows: int = 10_000
    header_timeout: float = 10.0  # seconds a client has to send a request's headers
    max_connections: int = 256  # open connections; one more is closed at once
    max_memory: int | None = DEFAULT_MAX_MEMORY_MB * 2**20
    lane_limit: float = 0.5


def create_app(dataset, catalog, settings: ServerSettings, scratch: Path) -> Starlette:
    """The application over a loaded Dataset; ``scratch`` receives the N-Quads snapshot that
    the query workers load."""
    from wegokg.core.loading import dataset_nquads

    snapshot = scratch / "wegokg.nq"
    snapshot.write_bytes(dataset_nquads(dataset))  # the default graph: the graphs' set union
    named_graphs = sorted(str(g.identifier) for g in dataset.graphs() if g.identifier)
    pool = QueryPool(
        snapshot,
        size=settings.workers,
        time_limit=settings.time_limit,
        max_rows=settings.max_rows,
        max_memory=settings.max_memory,
        lane_limit=settings.lane_limit,
    )
    site = SiteFolder(settings.site) if settings.site else None

    async def sparql(request: Request) -> Response:
        try:
            params, query = await _read(request)
            if query is None:
                if request.method == "POST":
                    raise ProtocolError(400, "the request has no query parameter")
                endpoint = str(request.url.replace(query=""))
                return Response(
                    service_description(endpoint, named_graphs),
                    media_type="text/turtle; charset=utf-8",
                )
            job = make_job(params, query, request.headers.get("accept"))
        except ProtocolError as error:
            return _plain(error.status, error.message)
        return _answer_response(await pool.run(job, _client(request)), settings.max_rows)

    async def query_page(request: Request) -> Response:
        query, answer, error, status = None, None, None, 200
        try:
            params, query = await _read(request)
            if query is not None:
                job = make_job(params, query, None)
                answer = await pool.run(Job(job.query, PYTHON, PYTHON,
                                            job.default_graphs, job.named_graphs),
                                        _client(request))  # fmt: skip
                if answer.status != 200:
                    status, error, answer = answer.status, answer.body.decode(), None
        except ProtocolError as refused:
            status, error = refused.status, refused.message
        html = render_page(catalog, query, answer, error, settings.max_rows)
        return Response(
            html,
            status_code=200 if error is None else status,
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY},
        )

    async def query_style(request: Request) -> Response:
        return Response(stylesheet(), media_type="text/css; charset=utf-8")

    async def site_file(request: Request) -> Response:
        if site is None:
            if request.url.path == "/":
                return RedirectResponse("/query", status_code=303)
            return _plain(404, f"nothing at {request.url.path}: no site is served (see --site)")
        status, target, media_type = site.find(request.url.path, request.headers.get("accept"))
        vary = {"Vary": "Accept"}
        if status == 303:
            return RedirectResponse(str(target), status_code=303, headers=vary)
        if status == 406:
            refusal = _plain(406, str(target))
            refusal.headers.update(vary)
            return refusal
        if status == 404:
            if request.url.path == "/favicon.ico":  # browsers ask for it unbidden; say "none"
                return Response(status_code=204)
            return _plain(404, f"nothing at {request.url.path}")
        return FileResponse(target, media_type=media_type, headers=vary)

    async def refuse_write(request: Request) -> Response:
        return _plain(
            403,
            f"this server is read-only: {request.method} is refused. SPARQL UPDATE and Graph "
            "Store writes are not served; the data comes from the repository's files.",
        )

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await pool.start()
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()

    # The W3C Reconciliation API at /reconcile (OpenRefine), over an index of the same snapshot.
    from wegokg.server.reconcile.http import reconcile_routes
    from wegokg.server.reconcile.service import ReconcileService

    reconcile = reconcile_routes(ReconcileService.from_snapshot(snapshot))

    routes = [
        Route("/sparql", sparql, methods=["GET", "HEAD", "POST"]),
        Route("/query", query_page, methods=["GET", "HEAD", "POST"]),
        Route(STYLESHEET_PATH, query_style, methods=["GET", "HEAD"]),
        *reconcile,
        Route("/{path:path}", site_file, methods=["GET", "HEAD"]),
        Route("/{path:path}", refuse_write, methods=["POST", "PUT", "DELETE", "PATCH"]),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=["X-SPARQL-MaxRows", "X-Result-Truncated", "Vary"],
            max_age=3600,
        )
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def _answer_response(answer: Answer, max_rows: int) -> Response:
    if answer.status != 200:
        return Response(answer.body, status_code=answer.status, media_type=answer.media_type)
    headers = {"Vary": "Accept"}
    if answer.truncated:
        # The body stays a valid document; the headers say it is not the whole answer (the
        # first header is Virtuoso's, which clients already look for).
        headers["X-SPARQL-MaxRows"] = str(max_rows)
        headers["X-Result-Truncated"] = "true"
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def _client(request: Request) -> str:
    """Who asked: the client's address (the short lane serves those with fewest queries first)."""
    return request.client.host if request.client else ""


async def _read(request: Request):
    """The protocol parameters and the query of a GET or POST request (ProtocolError if bad)."""
    try:
        body = await request.body() if request.method == "POST" else b""
    except ClientDisconnect:
        # Nobody is left to answer: one line in the log, not a traceback.
        client = f"{request.client.host}:{request.client.port}" if request.client else "a client"
        logging.getLogger("wegokg.server.serve").warning(
            "%s disconnected before sending the whole request body", client
        )
        raise ProtocolError(400, "the client disconnected") from None
    return read_request(
        request.method,
        request.query_params.multi_items(),
        request.headers.get("content-type", ""),
        body,
    )


def _plain(status: int, message: str) -> Response:
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status)


class ServeError(UsageError):
    """The server cannot start (address in use, no permission to bind)."""


def serve(settings: ServerSettings, repository: Repository | None = None) -> None:
    """Load the repository, bind, and serve until Ctrl-C, SIGTERM, SIGHUP or SIGQUIT; the
    workers are reaped and the scratch folder removed on the way out."""
    from wegokg.core.repository import Repository

    # Until the server runs, SIGTERM, SIGHUP and SIGQUIT end the start-up through the code
    # below, so that the scratch folder is removed; a SIGKILL's leftovers are recognised by the
    # process number in their name and removed by the next start.
    main = threading.current_thread() is threading.main_thread()  # only it can take signals
    previous = {sig: signal.signal(sig, _stop_on_signal) for sig in STOP_SIGNALS} if main else {}
    try:
        _serve(settings, repository or Repository.find())
    except _Stopped as stopped:
        print(f"wegokg: stopped by {stopped.args[0]}", file=sys.stderr, flush=True)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def _serve(settings: ServerSettings, repository: Repository) -> None:
    import uvicorn

    for path in remove_leftovers(Path(tempfile.gettempdir()), "serve"):
        print(f"wegokg: removed {path}, left by a server that was killed", file=sys.stderr)
    listener = _bind(settings.host, settings.port)
    host, port = listener.getsockname()[:2]
    dataset = repository.dataset
    from wegokg.query.catalog import QueryCatalog

    catalog = QueryCatalog.from_repository(repository)
    # The folder is made with the stop signals held back, so that one arriving then finds it
    # named here and removed by the ``finally`` below.
    scratch_folder = None
    try:
        with _signals_held_back(STOP_SIGNALS):
            scratch_folder = tempfile.TemporaryDirectory(prefix=scratch_prefix("serve"))
        scratch = scratch_folder.name
        if settings.site is None:
            shown = f"[{host}]" if ":" in host else host
            endpoint = f"http://{shown}:{port}/sparql"
            print("wegokg: building the site of the data (--site DIR serves a built one)…",
                  file=sys.stderr, flush=True)  # fmt: skip
            settings.site = _build_site(repository, Path(scratch) / "site", endpoint)
        app = create_app(dataset, catalog, settings, Path(scratch))
        # On Ctrl-C, open requests get a few seconds to finish; a query still running after
        # that is cut off with its worker rather than holding the shutdown to its time limit.
        config = uvicorn.Config(
            refuse_large_bodies(app, MAX_QUERY_BYTES),
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=3,
            http=guarded_protocol(settings.header_timeout, settings.max_connections),
        )
        server = uvicorn.Server(config)
        shown = f"[{host}]" if ":" in host else host
        print(
            f"wegokg: serving http://{shown}:{port}/ (SPARQL endpoint: /sparql, query page: "
            f"/query; {settings.time_limit:g} s and {settings.max_rows} rows per query). "
            "Ctrl-C stops.",
            flush=True,
        )
        if not _is_loopback(host):
            print(f"wegokg: listening on {host}, not only on this machine: anyone who can reach "
                  "it can query the graph", file=sys.stderr, flush=True)  # fmt: skip
        # uvicorn stops on SIGTERM as on Ctrl-C, then raises the signal again for whatever
        # handler was there before: _stop_on_signal, which ends the command normally instead of
        # letting the default action kill it before the scratch folder is removed. SIGHUP and
        # SIGQUIT stop it the same graceful way.
        main = threading.current_thread() is threading.main_thread()
        for sig in (signal.SIGHUP, signal.SIGQUIT) if main else ():
            signal.signal(sig, server.handle_exit)
        try:
            server.run(sockets=[listener])
        finally:
            for sig in (signal.SIGHUP, signal.SIGQUIT) if main else ():
                signal.signal(sig, signal.SIG_IGN)  # the scratch folder is being removed
    finally:
        if scratch_folder is not None:
            scratch_folder.cleanup()


@contextlib.contextmanager
def _signals_held_back(signals):
    """Block ``signals`` in this block; one that arrived takes effect at its end."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


class _Stopped(BaseException):
    """A stop signal, raised like KeyboardInterrupt so that no ``except Exception`` on the way
    (a parser's, a builder's) takes it for an error of its own."""


def _stop_on_signal(signum, frame) -> None:
    raise _Stopped(signal.Signals(signum).name)


def _build_site(repository: Repository, folder: Path, endpoint: str) -> Path:
    """The site of the data being served, built at start when no --site is given."""
    from wegokg.core.repository import package_version
    from wegokg.publish.site import build_site
    from wegokg.query.catalog import QueryCatalog

    build_site(
        repository.dataset,
        folder,
        catalog=QueryCatalog.from_repository(repository),
        version=package_version(),
        shapes=repository.shapes,
        diagram=repository.diagram_file,
        endpoint=endpoint,
    )
    return folder


def _is_loopback(host: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise ServeError(f"cannot resolve the host {host!r}: {error}") from None
    family, _, _, _, address = infos[0]
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(address)
    except OSError as error:
        listener.close()
        raise ServeError(
            f"cannot listen on {host}:{port}: {error.strerror}"
            + (" (another server uses it; choose another --port)" if error.errno == 98 else "")
        ) from None
    listener.listen(128)
    listener.set_inheritable(True)
    return listener
