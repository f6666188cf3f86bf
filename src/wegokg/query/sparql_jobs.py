"""A SPARQL job and its answer, and what a worker process does with jobs: load its store from the
snapshot, run each job on it, and write the answer in the format asked for, with at most
``max_rows`` rows or triples (``sparql_workers.QueryPool`` runs the workers)."""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
from dataclasses import dataclass, field

from wegokg.query.worker_process import cap_memory, death_reason, die_with_parent

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


def serve_queries(
    connection, snapshot: str, parent_pid: int, max_memory: int | None, stderr: str, warm: bool
) -> None:
    """The main function of a worker process: answer the jobs that come over ``connection``
    until it closes or sends None."""
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    with contextlib.suppress(OSError):  # an abort's message becomes the logged reason
        os.dup2(os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), 2)
    import pyoxigraph

    try:
        store = pyoxigraph.Store()
        store.load(path=snapshot, format=pyoxigraph.RdfFormat.N_QUADS)
    except (OSError, SyntaxError, ValueError) as error:
        connection.send(f"{snapshot}: {error}")
        return
    if warm:  # the short lane's: import now what a first query would spend 0.4 s importing
        import wegokg.query.results  # noqa: F401

    cap_memory(max_memory)
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
        except MemoryError:
            reason = death_reason(None, b"MemoryError", max_memory)
            answer = Answer(
                503, body=message_body(f"the query stopped: {reason}; narrow the query")
            )
        except Exception as error:  # never let one query take the worker down
            answer = Answer(500, body=message_body(f"the query failed inside the server: {error}"))
        connection.send(answer)


def _answer(store, job: Job, max_rows: int) -> Answer:
    import pyoxigraph

    from wegokg.query.engines import EngineError

    try:
        # The snapshot's default graph is the set union of its named graphs (see serve), and
        # the protocol refuses any other dataset (see wegokg.query.query_dataset).
        solutions = store.query(job.query)
    except SyntaxError as error:
        return Answer(400, body=message_body(f"the query is not valid SPARQL 1.1: {error}"))
    except (ValueError, OSError) as error:
        return Answer(400, body=message_body(f"the query could not run: {error}"))
    try:
        if isinstance(solutions, pyoxigraph.QueryBoolean):
            return _boolean(bool(solutions), job)
        if isinstance(solutions, pyoxigraph.QuerySolutions):
            return _select(solutions, job, max_rows)
        return _graph(solutions, job, max_rows)
    except (ValueError, OSError, EngineError) as error:  # raised while the answer streams
        return Answer(400, body=message_body(f"the query failed while it ran: {error}"))


def _boolean(value: bool, job: Job) -> Answer:
    from wegokg.query.results import boolean_to

    if job.result_format == PYTHON:
        return Answer(200, kind="ask", value=value)
    if job.result_format is None:
        return _not_acceptable("an ASK query", RESULT_TYPES)
    body = boolean_to(value, job.result_format).encode()  # pyoxigraph's own writer
    return Answer(200, RESULT_TYPES[job.result_format], body, kind="ask")


def _select(solutions, job: Job, max_rows: int) -> Answer:
    from wegokg.query.results import first_rows, serialize

    if job.result_format is None:
        return _not_acceptable("a SELECT query", RESULT_TYPES)
    if job.result_format == PYTHON:
        return _python_rows(solutions, max_rows)
    kept, truncated = first_rows(solutions, max_rows)
    body = serialize(kept, job.result_format)  # pyoxigraph's own writer
    return Answer(200, RESULT_TYPES[job.result_format], body, truncated, "select")


def _python_rows(solutions, max_rows: int) -> Answer:
    from wegokg.query.answers import Results, normalize

    variables = tuple(v.value for v in solutions.variables)
    rows = []
    for solution in itertools.islice(solutions, max_rows + 1):
        rows.append(tuple(normalize(solution[v]) for v in variables))
    truncated = len(rows) > max_rows
    results = Results(variables, tuple(rows[:max_rows]))
    return Answer(200, kind="select", value=results, truncated=truncated, variables=variables)


def _graph(triples, job: Job, max_rows: int) -> Answer:
    import pyoxigraph

    from wegokg.core.namespaces import PREFIXES

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
    """Triples as tuples of terms (spelt as ``normalize`` spells them), which cross the process
    boundary (pyoxigraph's Triple does not)."""
    from wegokg.query.answers import normalize

    return [tuple(normalize(term) for term in triple) for triple in triples]


def _not_acceptable(what: str, types: dict[str, str]) -> Answer:
    offered = ", ".join(t.split(";")[0] for t in types.values())
    return Answer(
        406, body=message_body(f"{what} can answer only in: {offered} (see the Accept header)")
    )


def message_body(message: str) -> bytes:
    return (message + "\n").encode()
