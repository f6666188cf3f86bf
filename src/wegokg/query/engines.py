"""Where SPARQL runs: pyoxigraph in-process (the default), rdflib in-process, or any SPARQL 1.1
endpoint over HTTP. Every engine returns the same Results, of pyoxigraph terms normalized so that
the same query gives the same rows everywhere. rdflib is imported only by the rdflib engine and
for the graph of a CONSTRUCT or DESCRIBE.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from wegokg.core.iri import DEFAULT_TIMEOUT
from wegokg.core.sparql_text import (  # noqa: F401 (re-exported: the engines check these)
    MAX_NESTING,
    QUERY_FORMS,
    QueryTooDeepError,
    check_nesting,
    query_form,
)
from wegokg.core.terms import to_oxigraph, to_rdflib
from wegokg.query.answers import (  # noqa: F401 (re-exported: every engine answers these)
    Answer,
    Bindings,
    EngineError,
    QueryRefusedError,
    QuerySyntaxError,
    Results,
    Term,
    UpdateRefusedError,
    normalize,
)
from wegokg.query.formats import ENGINES
from wegokg.query.query_binding import oxigraph_bindings
from wegokg.query.query_dataset import check_dataset

if TYPE_CHECKING:
    from rdflib import Dataset

    from wegokg.core.repository import Repository
    from wegokg.query.endpoint import EndpointEngine, results_from_json  # noqa: F401

# Above this many bytes of Turtle, data counts as large (the command line then reports progress):
# rdflib parses about 10^5 triples (some 3 MB) in 4 s, where pyoxigraph takes 0.2 s.
AUTO_OXIGRAPH_BYTES = 2_000_000


class QueryEngine(Protocol):
    """Runs a query over the repository's dataset (see wegokg.query.query_dataset), with
    ``bindings`` bound by the engine's own mechanism."""

    name: str

    def select(self, query: str, bindings: Bindings | None = None) -> Results: ...

    def query(self, query: str, bindings: Bindings | None = None) -> Answer: ...


def limited(method: Callable) -> Callable:
    """For an embedded engine's ``query``: refuse a query nested too deep before anything parses
    it, then run it in the engine's worker process if it has one (see ``run_in_worker``), which
    enforces the time limit and the memory cap. Every argument is passed through."""

    @functools.wraps(method)
    def run(self, query: str, *args, **kwargs):
        check_nesting(query)
        if self.worker is not None:
            return self.worker.call(method.__name__, query, *args, **kwargs)
        return method(self, query, *args, **kwargs)

    return run


class _RunsInWorker:
    worker = None

    def run_in_worker(self, time_limit: float | None, max_memory: int | None) -> None:
        """Run every query from now on in a worker process forked from this one (it shares the
        loaded data), stopped after ``time_limit`` seconds or when it needs more than
        ``max_memory`` bytes beyond the data; Ctrl-C stops it too (see worker_process)."""
        import os

        from wegokg.query.worker_process import ForkedWorker

        if hasattr(os, "fork"):  # not on Windows: no limits there
            self.worker = ForkedWorker(self, time_limit, max_memory)

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()


class _SelectThroughQuery:
    """``select`` for an engine whose ``query`` answers every query form."""

    def select(self, query: str, bindings: Bindings | None = None) -> Results:
        answer = self.query(query, bindings)
        if not isinstance(answer, Results):
            raise EngineError("only SELECT queries return rows")
        return answer


class RdflibEngine(_SelectThroughQuery, _RunsInWorker):
    """rdflib, in-process, over the loaded Dataset (default graph = union of named graphs, a
    set). Parameters are bound with rdflib's ``initBindings``."""

    name = "rdflib"

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    @limited
    def query(self, query: str, bindings: Bindings | None = None) -> Answer:
        from pyparsing import ParseException

        import wegokg.core.rdflib_quiet  # noqa: F401 (ill-typed literals in answers: no traceback)

        if query_form(query) == "UPDATE":
            raise UpdateRefusedError()
        check_dataset(query)
        initial = {name: to_rdflib(to_oxigraph(term)) for name, term in (bindings or {}).items()}
        try:
            result = self.dataset.query(query, initBindings=initial)
            return self._answer(result)
        except ParseException as error:
            problem = re.sub(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)$", "", str(error))
            raise QuerySyntaxError("rdflib", error.lineno, error.col, problem) from None
        except RecursionError:
            raise QueryRefusedError(
                "rdflib: the query nests too deeply for rdflib's parser; flatten it, or use "
                "--engine oxigraph"
            ) from None
        except Exception as error:  # rdflib raises evaluation errors of many types, lazily too
            raise EngineError(f"rdflib could not run the query: {error}") from None

    @staticmethod
    def _answer(result) -> Answer:
        from rdflib import Graph

        if result.type == "ASK":
            return bool(result.askAnswer)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            for triple in result.graph or ():  # spelt as the other engines' graphs are
                graph.add(tuple(to_rdflib(to_oxigraph(t)) for t in triple))
            return graph
        variables = tuple(str(v) for v in result.vars)
        rows = tuple(
            tuple(None if row[i] is None else normalize(to_oxigraph(row[i]))
                  for i in range(len(variables)))
            for row in result
        )  # fmt: skip
        return Results(variables, rows)


class OxigraphEngine(_SelectThroughQuery, _RunsInWorker):
    """pyoxigraph, in-process, over an in-memory store holding the same quads, with the set union
    of its named graphs as its default graph (``loading.load_query_store``). Parameters are bound
    with pyoxigraph's ``substitutions`` where it allows them (see ``oxigraph_bindings``).

    ``bag_union`` is for a store whose default graph is empty (the validator's): queries then
    read pyoxigraph's own union of the named graphs, where a shared statement comes twice."""

    name = "oxigraph"

    def __init__(self, store: object, bag_union: bool = False) -> None:
        self.store = store
        self.bag_union = bag_union

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> OxigraphEngine:
        import pyoxigraph

        from wegokg.core.loading import dataset_nquads

        store = pyoxigraph.Store()
        store.load(dataset_nquads(dataset), format=pyoxigraph.RdfFormat.N_QUADS)
        return cls(store)

    def _bound(self, query: str, bindings: Bindings | None) -> tuple[str, dict | None]:
        """``oxigraph_bindings``, with pyoxigraph itself telling the variables a SELECT projects
        (its answer's ``variables``, known before any row is computed): binding them needs no
        parse by rdflib's grammar, which costs more than the whole query on this data. Anything
        else (a variable not projected, CONSTRUCT, a query that does not parse) goes the
        general way."""
        import pyoxigraph

        if not bindings:
            return query, None
        try:
            probe = self.store.query(query, use_default_graph_as_union=self.bag_union)
        except (SyntaxError, ValueError, OSError):
            return oxigraph_bindings(query, bindings)
        if isinstance(probe, pyoxigraph.QueryBoolean) or (
            isinstance(probe, pyoxigraph.QuerySolutions)
            and set(bindings) <= {v.value for v in probe.variables}
        ):
            return query, {pyoxigraph.Variable(name): to_oxigraph(term)
                           for name, term in bindings.items()}  # fmt: skip
        if isinstance(probe, pyoxigraph.QuerySolutions) and (
            bound := _values_in_outer_where(query, bindings)
        ):
            try:  # a check of the placement: it must still parse
                self.store.query(bound, use_default_graph_as_union=self.bag_union)
                return bound, None
            except (SyntaxError, ValueError, OSError):
                pass
        return oxigraph_bindings(query, bindings)

    @limited
    def query(self, query: str, bindings: Bindings | None = None) -> Answer:
        import pyoxigraph

        if query_form(query) == "UPDATE":
            raise UpdateRefusedError()
        check_dataset(query)
        query, substitutions = self._bound(query, bindings)
        try:
            solutions = self.store.query(
                query, use_default_graph_as_union=self.bag_union, substitutions=substitutions
            )
        except SyntaxError as error:
            located = re.match(r"error at (\d+):(\d+): (.*)", str(error), re.DOTALL)
            if located:
                line, column, problem = located.groups()
                raise QuerySyntaxError("oxigraph", int(line), int(column), problem) from None
            raise EngineError(f"oxigraph could not parse the query: {error}") from None
        except (ValueError, OSError) as error:
            raise EngineError(f"oxigraph could not run the query: {error}") from None
        if isinstance(solutions, pyoxigraph.QueryBoolean):
            return bool(solutions)
        if isinstance(solutions, pyoxigraph.QueryTriples):
            from rdflib import Graph

            graph = Graph()
            for triple in solutions:
                graph.add(
                    (to_rdflib(triple.subject), to_rdflib(triple.predicate),
                     to_rdflib(triple.object))
                )  # fmt: skip
            return graph
        variables = tuple(v.value for v in solutions.variables)
        rows = tuple(tuple(normalize(solution[v]) for v in variables) for solution in solutions)
        return Results(variables, rows)


def _values_in_outer_where(query: str, bindings: Bindings) -> str | None:
    """A SELECT with a VALUES block for ``bindings`` opening its outer WHERE group, found in the
    query's code (``sparql_text.mask``: comments, strings and IRIs set aside) rather than by a
    parse: the first "{" outside parentheses (a "{" in the projection sits in an expression's
    parentheses). None where the scan cannot be sure (\\u escapes, an outer group that opens with
    a group or a subquery), which the parse then handles."""
    from wegokg.core.sparql_text import mask, unmask
    from wegokg.query.query_binding import sparql_term

    if "\\u" in query or "\\U" in query or query_form(query) != "SELECT":
        return None
    try:
        code, pieces = mask(query)
    except ValueError:
        return None
    depth = 0
    for at, char in enumerate(code):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "{" and depth == 0:
            rest = code[at + 1 : at + 200].lstrip()
            if rest.startswith("{") or rest[:6].upper() == "SELECT":
                return None
            names = " ".join(f"?{name}" for name in bindings)
            row = " ".join(sparql_term(term) for term in bindings.values())
            block = f"\n    VALUES ({names}) {{ ({row}) }}\n"
            return unmask(code[: at + 1], pieces) + block + unmask(code[at + 1 :], pieces)
    return None


def make_engine(
    name: str = "rdflib",
    endpoint: str | None = None,
    dataset: Dataset | None = None,
    repository: Repository | None = None,
    timeout: float | None = None,
    notice: Callable[[str], None] | None = None,
    max_memory: int | None = None,
) -> QueryEngine:
    """The engine the user asked for. ``endpoint`` wins over ``name``. The embedded engines run
    over ``dataset`` if given, else over the repository's data (by default the repository that
    ``Repository.find`` finds); pyoxigraph then parses the files itself, without rdflib.
    ``name="auto"`` picks oxigraph (see ``choose_engine``).
    ``timeout`` is the total seconds a query may take (on an endpoint, DEFAULT_TIMEOUT if not
    given); ``notice`` is where to say what an endpoint is waited for. With ``timeout`` or
    ``max_memory`` (bytes a query may use beyond the loaded data), an embedded engine runs its
    queries in a worker process that is stopped at either limit or by Ctrl-C."""
    if endpoint is not None:
        from wegokg.query.endpoint import EndpointEngine

        return EndpointEngine(endpoint, timeout or DEFAULT_TIMEOUT, notice)
    if name not in (*ENGINES, "auto"):
        raise EngineError(f"unknown engine {name!r}; choose one of: auto, {', '.join(ENGINES)}")
    engine = _embedded(name, dataset, repository)
    if timeout is not None or max_memory is not None:
        engine.run_in_worker(timeout, max_memory)
    return engine


def _embedded(name: str, dataset: Dataset | None, repository: Repository | None):
    if dataset is not None:
        if name == "oxigraph":
            return OxigraphEngine.from_dataset(dataset)
        return RdflibEngine(dataset)
    from wegokg.core.repository import Repository

    repository = repository or Repository.find()
    if name == "auto":
        name = choose_engine(repository)
    if name == "oxigraph":
        from wegokg.core.loading import load_query_store

        return OxigraphEngine(load_query_store(repository))
    return RdflibEngine(repository.dataset)


def choose_engine(repository: Repository) -> str:
    """The engine ``auto`` stands for: oxigraph, whatever the data's size. It parses the files
    itself and starts in a fraction of rdflib's time even on small data (issue 13, target 6(a)
    of docs/performance.md); the rows are the same on every engine (tests/data/test_queries.py)."""
    return "oxigraph"


def __getattr__(name: str):
    """The endpoint engine, re-exported here but imported only when asked for: a query on an
    embedded engine does not load the HTTP client."""
    if name in ("EndpointEngine", "results_from_json"):
        from wegokg.query import endpoint

        return getattr(endpoint, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
