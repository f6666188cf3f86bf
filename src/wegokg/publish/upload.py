"""Push the dataset into a remote triple store, each published named graph as a graph of its own.

Two ways in, both idempotent (a second load replaces each graph, so nothing is duplicated):

- the SPARQL 1.1 Graph Store HTTP Protocol, one ``PUT ?graph=IRI`` per graph (section 5.3: PUT
  replaces the graph's content);
- SPARQL 1.1 Update where that is all the store offers: ``DROP SILENT GRAPH``, then ``INSERT DATA``
  in chunks, so that no request grows too large for the store's parser.

The graphs are those ``wegokg export`` publishes (the imported vocabulary extracts are left out), so
the store then answers every stored query. Requests use HTTP basic or digest authentication (as the
server asks) and each has a total deadline, through the one HTTP client, wegokg.core.remote.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

from wegokg.core.errors import ToolError, UsageError
from wegokg.core.remote import Credentials, RemoteError, send
from wegokg.publish.dumps import ntriples_lines
from wegokg.publish.formats import LOAD_METHODS

if TYPE_CHECKING:
    from rdflib import Dataset

    from wegokg.query.engines import QueryEngine

METHODS = LOAD_METHODS
Notice = Callable[[str], None]
# Media type of the bodies sent through the Graph Store Protocol. The bodies are N-Triples, which
# are also Turtle; every store takes Turtle, not every one takes application/n-triples.
GSP_MEDIA_TYPE = "text/turtle; charset=utf-8"


class UploadError(ToolError, RuntimeError):
    """The store could not be reached or refused the data."""


@dataclass(frozen=True)
class Store:
    """Where the data goes: a Graph Store Protocol URL (method gsp) or an update endpoint."""

    url: str
    method: str = "gsp"
    credentials: Credentials | None = None
    timeout: float = 120.0  # seconds, for each request as a whole
    chunk_size: int = 1000  # triples per INSERT DATA request (method update)
    default_graph: bool = False  # also store the graphs' set union as the default graph

    def __post_init__(self) -> None:
        from wegokg.core.iri import endpoint_problem

        if problem := endpoint_problem(self.url, "the store's URL"):
            raise UsageError(problem)


@dataclass(frozen=True)
class LoadedGraph:
    graph: str
    triples: int


def graphs_to_load(dataset: Dataset) -> list[tuple[URIRef, Graph]]:
    """The named graphs ``wegokg export`` publishes, sorted by IRI."""
    from wegokg.publish.exports import published

    out = published(dataset)
    graphs = [(g.identifier, g) for g in out.graphs() if len(g)]
    return sorted(graphs, key=lambda pair: str(pair[0]))


def upload(dataset: Dataset, store: Store, notice: Notice | None = None) -> list[LoadedGraph]:
    """Replace each published graph in the store with its current content. ``notice`` is told,
    in a sentence, what a request that takes more than a couple of seconds is waiting for."""
    if store.method not in METHODS:
        raise UploadError(f"unknown method {store.method!r}; choose gsp or update")
    loaded = []
    for iri, graph in graphs_to_load(dataset):
        lines = _ntriples(graph)
        if store.method == "gsp":
            put_graph(store, str(iri), "".join(lines).encode("utf-8"), notice)
        else:
            for statement in update_requests(str(iri), lines, store.chunk_size):
                post_update(store, statement, notice)
        loaded.append(LoadedGraph(str(iri), len(lines)))
    if store.default_graph:
        load_default_graph(store, [graph for _, graph in graphs_to_load(dataset)])
    return loaded


def load_default_graph(store: Store, graphs: list[Graph]) -> int:
    """Replace the store's default graph with the set union of ``graphs``, each statement once:
    then a store that keeps a real default graph (Oxigraph without --union-default-graph)
    answers a query over the default graph as the embedded engines do (wegokg.query.query_dataset).
    Its pyoxigraph-style union of the named graphs would repeat a statement two graphs share."""
    lines = _ntriples(chain.from_iterable(graphs))
    if store.method == "gsp":
        separator = "&" if "?" in store.url else "?"
        url = f"{store.url}{separator}default"
        _send(store, "PUT", url, "".join(lines).encode("utf-8"), GSP_MEDIA_TYPE,
              "replacing the default graph")  # fmt: skip
    else:
        for start in range(0, max(len(lines), 1), store.chunk_size):
            insert = f"INSERT DATA {{\n{''.join(lines[start : start + store.chunk_size])}}}"
            post_update(store, f"DROP SILENT DEFAULT ;\n{insert}" if start == 0 else insert)
    return len(lines)


def prune(
    store: Store, engine: QueryEngine, kept: list[str], notice: Notice | None = None
) -> list[str]:
    """Delete the store's graphs under the dataset's own graph namespace (``BASE``) that no
    source of the repository holds any more (not in ``kept``); the graphs deleted. Graphs of
    other datasets in the same store are never touched."""
    from wegokg.core.namespaces import BASE

    rows = engine.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").as_dicts()
    stale = sorted(
        row["g"].value
        for row in rows
        if row["g"].value.startswith(BASE) and row["g"].value not in kept
    )
    for graph in stale:
        if store.method == "gsp":
            separator = "&" if "?" in store.url else "?"
            url = f"{store.url}{separator}{urllib.parse.urlencode({'graph': graph})}"
            _send(store, "DELETE", url, None, None, f"deleting graph <{graph}>", notice)
        else:
            post_update(store, f"DROP SILENT GRAPH <{graph}>", notice)
    return stale


def update_requests(graph: str, lines: list[str], chunk_size: int) -> list[str]:
    """The SPARQL Update requests that replace ``graph`` with these N-Triples lines: the first
    one drops the graph, then each inserts at most ``chunk_size`` triples."""
    requests = []
    for start in range(0, max(len(lines), 1), chunk_size):
        chunk = "".join(lines[start : start + chunk_size])
        insert = f"INSERT DATA {{ GRAPH <{graph}> {{\n{chunk}}} }}"
        requests.append(f"DROP SILENT GRAPH <{graph}> ;\n{insert}" if start == 0 else insert)
    return requests


def put_graph(store: Store, graph: str, body: bytes, notice: Notice | None = None) -> None:
    separator = "&" if "?" in store.url else "?"
    url = f"{store.url}{separator}{urllib.parse.urlencode({'graph': graph})}"
    _send(store, "PUT", url, body, GSP_MEDIA_TYPE, f"replacing graph <{graph}>", notice)


def post_update(store: Store, update: str, notice: Notice | None = None) -> None:
    body = update.encode("utf-8")
    media_type = "application/sparql-update; charset=utf-8"
    _send(store, "POST", store.url, body, media_type, "running an update", notice)


def count_triples(engine: QueryEngine, graphs: list[str]) -> dict[str, int]:
    """How many triples each of these graphs holds, as the store's SPARQL endpoint answers."""
    if not graphs:
        return {}
    values = " ".join(f"<{g}>" for g in graphs)
    query = (
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        " GROUP BY ?g"
    )
    counts = {g: 0 for g in graphs}
    for row in engine.select(query).as_dicts():
        counts[row["g"].value] = int(row["n"].value)
    return counts


def _ntriples(triples) -> list[str]:
    """The sorted N-Triples lines of ``triples``, each once and ended (wegokg.publish.dumps)."""
    return [f"{line.decode('utf-8')}\n" for line in ntriples_lines(triples)]


def _send(
    store: Store,
    method: str,
    url: str,
    body: bytes | None,
    media_type: str | None,
    what: str,
    notice: Notice | None = None,
) -> None:
    headers = {"Content-Type": media_type} if media_type else {}
    headers["User-Agent"] = "wegokg"
    try:
        send(
            method, url, body, headers,
            timeout=store.timeout, notice=notice, what=what,
            credentials=store.credentials, denied_hint=_DENIED_HINT, name=store.url,
        )  # fmt: skip
    except RemoteError as error:
        raise UploadError(str(error)) from None


_DENIED_HINT = " (check --user and the password variable; the store may refuse writes)"
