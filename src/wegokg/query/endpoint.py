"""The endpoint engine: any SPARQL 1.1 endpoint over HTTP, and the reader of its answers
(SPARQL JSON results through pyoxigraph's parser, Turtle or N-Triples graphs), with Virtuoso's
quirks undone."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from wegokg.core.remote import (
    DEFAULT_TIMEOUT,
    MAX_ROWS,
    RefusedError,
    RemoteError,
    check_endpoint,
    check_timeout,
    send,
)
from wegokg.core.sparql_text import check_nesting, query_form
from wegokg.core.terms import to_oxigraph, to_rdflib
from wegokg.query.answers import (
    Answer,
    Bindings,
    EngineError,
    QueryRefusedError,
    Results,
    Term,
    UpdateRefusedError,
    normalize,
)
from wegokg.query.query_binding import with_values
from wegokg.query.query_dataset import check_dataset

if TYPE_CHECKING:
    from rdflib import Graph


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
    from rdflib import Graph

    import wegokg.core.rdflib_quiet  # noqa: F401 (ill-typed literals are kept without a traceback)

    kind = media_type.split(";")[0].strip().lower()
    if kind not in _GRAPH_PARSERS:
        raise ValueError(f"a graph came back as {kind!r}, which this tool does not read")
    parsed = Graph()
    try:
        parsed.parse(data=data, format=_GRAPH_PARSERS[kind])
    except Exception as error:  # rdflib's parsers raise errors of many types
        raise ValueError(f"the {kind} graph does not parse: {error}") from None
    graph = Graph()
    for triple in parsed:  # spelt as the embedded engines' graphs are
        graph.add(tuple(to_rdflib(to_oxigraph(t)) for t in triple))
    return graph


_XSD_DURATION = "http://www.w3.org/2001/XMLSchema#duration"


def _from_endpoint(term: object) -> Term | None:
    """A term an endpoint sent, in this tool's spelling (``normalize``: language tags, which
    Virtuoso sends lower-cased, are compared lower-cased), with Virtuoso's xsd:duration values
    undone (see _duration_from_virtuoso)."""
    import pyoxigraph

    if type(term) is pyoxigraph.Literal and term.datatype.value == _XSD_DURATION:
        text = _duration_from_virtuoso(term.value)
        return pyoxigraph.Literal(text, datatype=term.datatype)
    if not isinstance(term, pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal):
        raise EngineError(f"the endpoint returned a term this tool cannot read: {term!r}")
    return normalize(term)


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
