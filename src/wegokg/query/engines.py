"""Where SPARQL runs: rdflib in-process (the default), pyoxigraph in-process, or any SPARQL 1.1
endpoint over HTTP. Every engine returns the same Results, with terms normalized so that the same
query gives the same rows everywhere.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlencode

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

import wegokg.core.rdflib_quiet  # noqa: F401 (ill-typed literals in answers are kept without a traceback)
from wegokg.core.errors import ToolError, UsageError
from wegokg.core.remote import (
    DEFAULT_TIMEOUT,
    MAX_ROWS,
    RefusedError,
    RemoteError,
    check_endpoint,
    check_timeout,
    send,
)
from wegokg.core.sparql_text import (  # noqa: F401 (re-exported: the engines check these)
    MAX_NESTING,
    QUERY_FORMS,
    QueryTooDeepError,
    check_nesting,
    query_form,
)
from wegokg.query.formats import ENGINES
from wegokg.query.query_binding import _to_oxigraph, oxigraph_bindings, with_values
from wegokg.query.query_dataset import check_dataset

if TYPE_CHECKING:
    from rdflib import Dataset

    from wegokg.core.repository import Repository

Term = URIRef | Literal | BNode
# Above this many bytes of Turtle, data counts as large (the command line then reports progress):
# rdflib parses about 10^5 triples (some 3 MB) in 4 s, where pyoxigraph takes 0.2 s.
AUTO_OXIGRAPH_BYTES = 2_000_000


class EngineError(ToolError, RuntimeError):
    """A query that an engine could not run (bad query, unreachable endpoint, bad answer)."""


class QuerySyntaxError(UsageError, EngineError):
    """A query that does not parse; ``line`` and ``column`` count from 1."""

    def __init__(self, engine: str, line: int, column: int, problem: str) -> None:
        self.line, self.column, self.problem = line, column, problem
        super().__init__(
            f"{engine}: syntax error at line {line}, column {column}: {' '.join(problem.split())}"
        )
        self.engine = engine

    def __reduce__(self):  # crosses back from a query worker
        return type(self), (self.engine, self.line, self.column, self.problem)


class QueryRefusedError(UsageError, EngineError):
    """A query an endpoint answers 400 Bad Request: the query is at fault, not the endpoint."""


class UpdateRefusedError(UsageError, EngineError):
    """An UPDATE sent where only queries are run."""

    def __init__(self) -> None:
        super().__init__(
            "this is a SPARQL UPDATE; wegokg only runs queries (SELECT, ASK, CONSTRUCT, DESCRIBE) "
            "and never changes the data: edit the Turtle files instead"
        )

    def __reduce__(self):
        return type(self), ()


@dataclass(frozen=True)
class Results:
    """A SELECT result: the projected variables and one tuple of terms (or None) per row."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]

    def as_dicts(self) -> list[dict[str, Term]]:
        return [
            {v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]


Answer = Results | bool | Graph
"""What a query gives: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT and DESCRIBE."""


Bindings = Mapping[str, URIRef | Literal]
"""Values for a query's variables (a stored query's parameters), by variable name."""


class QueryEngine(Protocol):
    """Runs a query over the repository's dataset (see wegokg.query.query_dataset), with
    ``bindings`` bound by the engine's own mechanism."""

    name: str

    def select(self, query: str, bindings: Bindings | None = None) -> Results: ...

    def query(self, query: str, bindings: Bindings | None = None) -> Answer: ...


def normalize(term: Term | None) -> Term | None:
    """One spelling for each term: simple literals carry no xsd:string datatype."""
    if isinstance(term, Literal):
        if term.language:
            return Literal(str(term), lang=term.language.lower())
        if term.datatype in (None, XSD.string):
            return Literal(str(term))
        return Literal(str(term), datatype=term.datatype)
    return term


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
        import multiprocessing

        from wegokg.query.worker_process import ForkedWorker

        if "fork" in multiprocessing.get_all_start_methods():  # not on Windows: no limits there
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

        if query_form(query) == "UPDATE":
            raise UpdateRefusedError()
        check_dataset(query)
        try:
            result = self.dataset.query(query, initBindings=dict(bindings or {}))
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
        if result.type == "ASK":
            return bool(result.askAnswer)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            for triple in result.graph or ():
                graph.add(tuple(normalize(t) for t in triple))
            return graph
        variables = tuple(str(v) for v in result.vars)
        rows = tuple(tuple(normalize(row[i]) for i in range(len(variables))) for row in result)
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
            return query, {pyoxigraph.Variable(name): _to_oxigraph(term)
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
            graph = Graph()
            for triple in solutions:
                graph.add(
                    (_from_oxigraph(triple.subject), _from_oxigraph(triple.predicate),
                     _from_oxigraph(triple.object))
                )  # fmt: skip
            return graph
        variables = tuple(v.value for v in solutions.variables)
        rows = tuple(
            tuple(_from_oxigraph(solution[v]) for v in variables) for solution in solutions
        )
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


class EndpointEngine:
    """Any SPARQL 1.1 endpoint, over HTTP POST with a total deadline for each query (see
    wegokg.core.remote): JSON results for SELECT and ASK, Turtle or N-Triples for CONSTRUCT and
    DESCRIBE. Answers are checked for shape before they are read."""

    name = "endpoint"

    def __init__(
        self,
        url: str,
        timeout: float = DEFAULT_TIMEOUT,
        notice: Callable[[str], None] | None = None,
    ) -> None:
        try:
            self.url = check_endpoint(url)
            self.timeout = check_timeout(timeout)
        except RemoteError as error:
            raise EngineError(str(error)) from None
        self.notice = notice

    def select(self, query: str, bindings: Bindings | None = None) -> Results:
        check_nesting(query)
        check_dataset(query)
        query = with_values(query, bindings)
        # Read at most MAX_ROWS rows: an endpoint that streams without end is cut there, not
        # read until memory runs out.
        answer = self._post(query, _RESULTS_JSON, MAX_ROWS)
        if answer.cut_at_rows and self.notice is not None:
            self.notice(
                f"warning: the answer from {self.url} was cut at {answer.cut_at_rows} rows; "
                "add a LIMIT, or narrow the query"
            )
        return results_from_json(answer.body, self.url)

    def query(self, query: str, bindings: Bindings | None = None) -> Answer:
        check_nesting(query)
        form = query_form(query)
        if form == "UPDATE":
            raise UpdateRefusedError()
        check_dataset(query)
        query = with_values(query, bindings)
        if form == "SELECT":
            return self.select(query)
        if form == "ASK":
            answer = _parse_results(self._post(query, _RESULTS_JSON).body, self.url, "ASK answer")
            if isinstance(answer, bool):
                return answer
            raise EngineError(f"the endpoint {self.url} sent no ASK answer")
        answer = self._post(query, _GRAPH_ACCEPT)
        try:
            return _read_graph(answer.body, answer.content_type or "text/turtle")
        except ValueError as error:
            raise EngineError(
                f"the endpoint {self.url} sent an unreadable answer: {error}"
            ) from None

    def _post(self, query: str, accept: str, max_rows: int | None = None):
        # The form-encoded POST of the SPARQL 1.1 Protocol: every store takes it (Virtuoso 7
        # does not answer a bare application/sparql-query body).
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": accept,
            "User-Agent": "wegokg",
        }
        body = urlencode({"query": query}).encode("ascii")
        try:
            return send(
                "POST", self.url, body, headers,
                timeout=self.timeout, notice=self.notice, max_rows=max_rows,
            )  # fmt: skip
        except RefusedError as error:
            if error.status == 400:
                raise QueryRefusedError(f"the endpoint {error}") from None
            raise EngineError(f"the endpoint {error}") from None
        except RemoteError as error:
            raise EngineError(f"the endpoint {error}") from None


_RESULTS_JSON = "application/sparql-results+json"
# Only line- and Turtle-based formats: RDF/XML from a stranger could carry entity expansions.
_GRAPH_ACCEPT = "text/turtle, application/n-triples;q=0.9"


def results_from_json(data: bytes, url: str) -> Results:
    """Results from a SPARQL 1.1 JSON results document, read by pyoxigraph's parser (which checks
    its shape), with Virtuoso's quirks undone: see ``_parse_results`` and ``_from_endpoint``."""
    solutions = _parse_results(data, url, "SELECT results")
    if isinstance(solutions, bool):
        raise EngineError(f"the endpoint {url} sent no valid SELECT results: an ASK answer")
    variables = tuple(v.value for v in solutions.variables)
    seen: dict = {}  # each distinct term is converted once

    def term(value):
        if value is None:
            return None
        found = seen.get(value)
        if found is None:
            found = seen[value] = _from_endpoint(value)
        return found

    rows = tuple(tuple(term(solution[v]) for v in variables) for solution in solutions)
    return Results(variables, rows)


def _parse_results(data: bytes, url: str, what: str):
    """pyoxigraph's ``QuerySolutions``, or a bool for an ASK answer. What its parser refuses is
    normalized once and read again: blank node labels that are not Turtle's (Virtuoso's
    ``nodeID://b1001``), and bindings of variables the head does not declare (which the SPARQL
    JSON format leaves to the reader; they are ignored)."""
    try:
        return _read_results(data)
    except SyntaxError as error:
        try:
            return _read_results(_normalized_json(data))
        except (SyntaxError, ValueError, RecursionError):
            raise EngineError(f"the endpoint {url} sent no valid {what}: {error}") from None


def _read_results(data: bytes):
    import pyoxigraph

    answer = pyoxigraph.parse_query_results(data, pyoxigraph.QueryResultsFormat.JSON)
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return bool(answer)
    return _Rows(answer.variables, list(answer))  # the bindings are read (and checked) here


@dataclass(frozen=True)
class _Rows:
    variables: list
    solutions: list

    def __iter__(self):
        return iter(self.solutions)


_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?<!\.)")


def _normalized_json(data: bytes) -> bytes:
    document = json.loads(data.decode("utf-8"))
    head = document.get("head") if isinstance(document, dict) else None
    results = document.get("results") if isinstance(document, dict) else None
    if not isinstance(head, dict) or not isinstance(results, dict):
        return data
    declared = set(head.get("vars") or ())
    bindings = results.get("bindings")
    for binding in bindings if isinstance(bindings, list) else ():
        if not isinstance(binding, dict):
            continue
        for name in [n for n in binding if n not in declared]:
            del binding[name]
        for term in binding.values():
            if isinstance(term, dict) and term.get("type") == "bnode":
                label = str(term.get("value"))
                if not _BLANK_LABEL.fullmatch(label):
                    term["value"] = "x" + label.encode().hex()
    return json.dumps(document).encode()


_GRAPH_PARSERS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
}


def _read_graph(data: bytes, media_type: str) -> Graph:
    kind = media_type.split(";")[0].strip().lower()
    if kind not in _GRAPH_PARSERS:
        raise ValueError(f"a graph came back as {kind!r}, which this tool does not read")
    parsed = Graph()
    try:
        parsed.parse(data=data, format=_GRAPH_PARSERS[kind])
    except Exception as error:  # rdflib's parsers raise errors of many types
        raise ValueError(f"the {kind} graph does not parse: {error}") from None
    graph = Graph()
    for triple in parsed:
        graph.add(tuple(normalize(t) for t in triple))
    return graph


def _from_oxigraph(term: object) -> Term | None:
    """A pyoxigraph term as an rdflib term, spelt as ``normalize`` spells it."""
    import pyoxigraph

    if term is None:
        return None
    kind = type(term)
    if kind is pyoxigraph.Literal:
        if term.language:
            return Literal(term.value, lang=term.language.lower())
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=_iri(datatype))
    if kind is pyoxigraph.NamedNode:
        return URIRef(term.value)
    if kind is pyoxigraph.BlankNode:
        return BNode(term.value)
    raise EngineError(f"oxigraph returned a term this tool cannot read: {term!r}")


_XSD_STRING = str(XSD.string)
_XSD_DURATION = str(XSD.duration)


@functools.lru_cache(maxsize=256)
def _iri(value: str) -> URIRef:
    return URIRef(value)


# The server's query workers read pyoxigraph's answers the same way.
from_oxigraph = _from_oxigraph


def _from_endpoint(term: object) -> Term | None:
    """A term an endpoint sent, in this tool's spelling (``normalize``: language tags, which
    Virtuoso sends lower-cased, are compared lower-cased), with Virtuoso's xsd:duration values
    undone (see _duration_from_virtuoso)."""
    import pyoxigraph

    if type(term) is pyoxigraph.Literal and term.datatype.value == _XSD_DURATION:
        text = _duration_from_virtuoso(term.value)
        return Literal(text, datatype=XSD.duration)
    return _from_oxigraph(term)


def _from_json(value: object, url: str = "") -> Term | None:
    """One term of the SPARQL 1.1 JSON results format, read as ``results_from_json`` reads it."""
    if value is None:
        return None
    document = {"head": {"vars": ["term"]}, "results": {"bindings": [{"term": value}]}}
    return results_from_json(json.dumps(document).encode(), url).rows[0][0]


_MONTHS = re.compile(r"-?[0-9]+")
_SECONDS = re.compile(r"-?[0-9]+\.[0-9]*")


def _duration_from_virtuoso(text: str) -> str:
    """Virtuoso 7 answers a duration of only years and months ("P1Y") as its number of months
    ("12"), and one of only days and time ("PT1H") as seconds ("3600.0"); turn them back into
    their canonical XSD form. A bare number is never a valid xsd:duration, so nothing else is
    touched. (Durations written in a non-canonical form, like "P12M", come back canonical.)"""
    if _MONTHS.fullmatch(text):
        sign, months = ("-", -int(text)) if text.startswith("-") else ("", int(text))
        years, months = divmod(months, 12)
        body = (f"{years}Y" if years else "") + (f"{months}M" if months or not years else "")
        return f"{sign}P{body}"
    if _SECONDS.fullmatch(text):
        from decimal import Decimal

        total = Decimal(text)
        sign, total = ("-", -total) if total < 0 else ("", total)
        days, rest = divmod(total, 86400)
        hours, rest = divmod(rest, 3600)
        minutes, seconds = divmod(rest, 60)
        time = "".join(
            f"{amount.normalize():f}{unit}"
            for amount, unit in ((hours, "H"), (minutes, "M"), (seconds, "S"))
            if amount
        )
        body = (f"{int(days)}D" if days else "") + (f"T{time}" if time else "")
        return f"{sign}P{body or 'T0S'}"
    return text


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
    of docs/performance.md); the rows are the same on every engine (tests/test_queries.py)."""
    return "oxigraph"
