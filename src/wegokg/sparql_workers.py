"""Run SPARQL queries in worker processes, so that a query can be stopped at its deadline.

pyoxigraph cannot cancel a query that runs in a thread, and a cross product over the graph with
ORDER BY runs for minutes. So each query runs in one of a few worker processes, each holding its
own in-memory store loaded from an N-Quads snapshot of the repository's files. A worker that
passes its deadline is killed (SIGKILL) and replaced; the other workers keep answering.

Workers serialize the answer themselves, with at most ``max_rows`` rows or triples, so that the
cost of writing a huge answer is bounded by the same deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# SELECT and ASK answers, by format name, and CONSTRUCT and DESCRIBE answers.
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
GRAPH_TYPES = {
    "turtle": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
}
PYTHON = "python"  # the answer as Python values, for the HTML query page


@dataclass(frozen=True)
class Job:
    """One query to run. ``result_format``/``graph_format`` name the format wanted for each kind
    of answer (None: the client accepts none of that kind)."""

    query: str
    result_format: str | None = "json"
    graph_format: str | None = "turtle"
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass
class Answer:
    """What came back: a body and its media type, or an error with an HTTP status.

    ``truncated`` is set when the answer was cut at the row cap; ``value`` carries the rows, the
    boolean or the triples for PYTHON jobs."""

    status: int
    media_type: str = "text/plain; charset=utf-8"
    body: bytes = b""
    truncated: bool = False
    kind: str = ""  # "select", "ask" or "graph"
    value: object = None
    variables: tuple[str, ...] = field(default_factory=tuple)


class QueryPool:
    """A fixed number of worker processes; each query takes one for its duration."""

    def __init__(
        self,
        snapshot: Path,
        size: int = 2,
        time_limit: float = 10.0,
        max_rows: int = 10_000,
        queue_limit: float = 30.0,
    ) -> None:
        self.snapshot = snapshot
        self.size = size
        self.time_limit = time_limit
        self.max_rows = max_rows
        self.queue_limit = queue_limit
        self._context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: set[_Worker] = set()
        self._closing = False

    async def start(self) -> None:
        workers = [self._spawn() for _ in range(self.size)]
        for worker in workers:
            await asyncio.to_thread(worker.wait_ready)
            self._idle.put_nowait(worker)

    async def run(self, job: Job) -> Answer:
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_limit)
        except TimeoutError:
            return Answer(
                503,
                body=_text(
                    f"the server is busy: no query worker became free within "
                    f"{self.queue_limit:g} s; try again later"
                ),
            )
        try:
            answer = await asyncio.to_thread(worker.ask, (job, self.max_rows), self.time_limit)
        except _DeadlineExceeded:
            self._retire(worker)
            return Answer(
                503,
                body=_text(
                    f"the query ran longer than the time limit of {self.time_limit:g} s and was "
                    "stopped; narrow it (fewer patterns, a LIMIT, no ORDER BY over a cross "
                    "product) or run it on your own copy of the data"
                ),
            )
        except (EOFError, OSError):
            self._retire(worker)
            return Answer(500, body=_text("the query worker stopped unexpectedly; try again"))
        except asyncio.CancelledError:
            # The server is shutting down and did not wait for this query: its worker is
            # mid-query and cannot be reused. Answering (rather than re-raising) ends the
            # request quietly instead of with a logged traceback.
            worker.kill()
            self._workers.discard(worker)
            return Answer(503, body=_text("the server is shutting down; the query was stopped"))
        self._idle.put_nowait(worker)
        return answer

    def worker_pids(self) -> list[int]:
        return sorted(w.process.pid for w in self._workers if w.process.pid)

    async def close(self) -> None:
        self._closing = True
        for worker in list(self._workers):
            worker.stop()
        self._workers.clear()

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve_queries,
            args=(child, str(self.snapshot), os.getpid()),
            name="wegokg-query-worker",
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker that overran or died, and start its replacement."""
        worker.kill()
        self._workers.discard(worker)
        if not self._closing:
            replacement = self._spawn()
            asyncio.get_running_loop().create_task(self._enlist(replacement))

    async def _enlist(self, worker: _Worker) -> None:
        try:
            await asyncio.to_thread(worker.wait_ready)
        except (EOFError, OSError, _DeadlineExceeded):
            self._retire(worker)
            return
        if self._closing:
            worker.stop()
        else:
            self._idle.put_nowait(worker)


class _DeadlineExceeded(Exception):
    pass


class _Worker:
    def __init__(self, process, connection) -> None:
        self.process = process
        self.connection = connection

    def wait_ready(self, timeout: float = 60.0) -> None:
        if not self.connection.poll(timeout):
            raise _DeadlineExceeded
        message = self.connection.recv()
        if message != "ready":
            raise OSError(f"the query worker could not load the data: {message}")

    def ask(self, request: tuple, time_limit: float) -> Answer:
        self.connection.send(request)
        if not self.connection.poll(time_limit):
            raise _DeadlineExceeded
        return self.connection.recv()

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(5)
        self.connection.close()

    def stop(self) -> None:
        """Ask an idle worker to exit; kill it if it is busy or does not go."""
        with contextlib.suppress(OSError, ValueError):
            self.connection.send(None)
        self.process.join(1)
        if self.process.is_alive():
            self.kill()
        else:
            self.connection.close()


# -- Inside a worker process ----------------------------------------------------------------


def _serve_queries(connection, snapshot: str, parent_pid: int) -> None:
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    import pyoxigraph

    try:
        store = pyoxigraph.Store()
        store.load(path=snapshot, format=pyoxigraph.RdfFormat.N_QUADS)
    except (OSError, SyntaxError, ValueError) as error:
        connection.send(f"{snapshot}: {error}")
        return
    connection.send("ready")
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        job, max_rows = request
        try:
            answer = _answer(store, job, max_rows)
        except Exception as error:  # never let one query take the worker down
            answer = Answer(500, body=_text(f"the query failed inside the server: {error}"))
        connection.send(answer)


def _die_with_parent(parent_pid: int) -> None:
    """A worker busy with a runaway query must not outlive a server killed with SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:
        os._exit(0)

    def watch() -> None:  # elsewhere, or if prctl failed: notice within a second
        while os.getppid() == parent_pid:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _answer(store, job: Job, max_rows: int) -> Answer:
    import pyoxigraph

    from wegokg.engines import EngineError

    try:
        # The snapshot's default graph is the set union of its named graphs (see serve), and
        # the protocol refuses any other dataset (see wegokg.query_dataset).
        solutions = store.query(job.query)
    except SyntaxError as error:
        return Answer(400, body=_text(f"the query is not valid SPARQL 1.1: {error}"))
    except (ValueError, OSError) as error:
        return Answer(400, body=_text(f"the query could not run: {error}"))
    try:
        if isinstance(solutions, pyoxigraph.QueryBoolean):
            return _boolean(bool(solutions), job)
        if isinstance(solutions, pyoxigraph.QuerySolutions):
            return _select(solutions, job, max_rows)
        return _graph(solutions, job, max_rows)
    except (ValueError, OSError, EngineError) as error:  # raised while the answer streams
        return Answer(400, body=_text(f"the query failed while it ran: {error}"))


def _boolean(value: bool, job: Job) -> Answer:
    from wegokg.results import boolean_to

    if job.result_format == PYTHON:
        return Answer(200, kind="ask", value=value)
    if job.result_format is None:
        return _not_acceptable("an ASK query", RESULT_TYPES)
    body = boolean_to(value, job.result_format).encode()
    return Answer(200, RESULT_TYPES[job.result_format], body, kind="ask")


def _select(solutions, job: Job, max_rows: int) -> Answer:
    from wegokg.engines import Results, from_oxigraph
    from wegokg.results import render

    if job.result_format is None:
        return _not_acceptable("a SELECT query", RESULT_TYPES)
    variables = tuple(v.value for v in solutions.variables)
    rows = []
    for solution in itertools.islice(solutions, max_rows + 1):
        rows.append(tuple(from_oxigraph(solution[v]) for v in variables))
    truncated = len(rows) > max_rows
    results = Results(variables, tuple(rows[:max_rows]))
    if job.result_format == PYTHON:
        return Answer(200, kind="select", value=results, truncated=truncated, variables=variables)
    body = render(results, job.result_format).encode()
    return Answer(200, RESULT_TYPES[job.result_format], body, truncated, "select")


def _graph(triples, job: Job, max_rows: int) -> Answer:
    import pyoxigraph

    from wegokg.namespaces import PREFIXES

    if job.graph_format is None and job.result_format != PYTHON:
        return _not_acceptable("a CONSTRUCT or DESCRIBE query", GRAPH_TYPES)
    kept = list(itertools.islice(triples, max_rows + 1))
    truncated = len(kept) > max_rows
    kept = kept[:max_rows]
    if job.result_format == PYTHON:
        value = [(t.subject, t.predicate, t.object) for t in kept]
        return Answer(200, kind="graph", value=_plain_triples(value), truncated=truncated)
    formats = {
        "turtle": pyoxigraph.RdfFormat.TURTLE,
        "jsonld": pyoxigraph.RdfFormat.JSON_LD,
        "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    }
    prefixes = PREFIXES if job.graph_format == "turtle" else None
    body = pyoxigraph.serialize(kept, format=formats[job.graph_format], prefixes=prefixes)
    return Answer(200, GRAPH_TYPES[job.graph_format], body or b"", truncated, "graph")


def _plain_triples(triples: list) -> list[tuple]:
    """Triples as rdflib terms, which can cross the process boundary (pyoxigraph's cannot)."""
    from wegokg.engines import from_oxigraph

    return [tuple(from_oxigraph(term) for term in triple) for triple in triples]


def _not_acceptable(what: str, types: dict[str, str]) -> Answer:
    offered = ", ".join(t.split(";")[0] for t in types.values())
    return Answer(406, body=_text(f"{what} can answer only in: {offered} (see the Accept header)"))


def _text(message: str) -> bytes:
    return (message + "\n").encode()
