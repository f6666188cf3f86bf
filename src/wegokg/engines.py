"""Where SPARQL runs: rdflib in-process (the default), pyoxigraph in-process, or any SPARQL 1.1
endpoint over HTTP. Every engine returns the same Results, with terms normalized so that the same
query gives the same rows everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

import wegokg.rdflib_quiet  # noqa: F401 (ill-typed literals in answers are kept without a traceback)
from wegokg.remote import DEFAULT_TIMEOUT, RemoteError, check_endpoint, check_timeout, post

if TYPE_CHECKING:
    from rdflib import Dataset

Term = URIRef | Literal | BNode
ENGINES = ("rdflib", "oxigraph")


class EngineError(RuntimeError):
    """A query that an engine could not run (bad query, unreachable endpoint, bad answer)."""


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


class QueryEngine(Protocol):
    name: str

    def select(self, query: str) -> Results: ...


def normalize(term: Term | None) -> Term | None:
    """One spelling for each term: simple literals carry no xsd:string datatype."""
    if isinstance(term, Literal):
        if term.language:
            return Literal(str(term), lang=term.language.lower())
        if term.datatype in (None, XSD.string):
            return Literal(str(term))
        return Literal(str(term), datatype=term.datatype)
    return term


class RdflibEngine:
    """rdflib, in-process, over the loaded Dataset (default graph = union of named graphs)."""

    name = "rdflib"

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def select(self, query: str) -> Results:
        try:
            result = self.dataset.query(query)
        except Exception as error:  # rdflib raises parser and evaluation errors of many types
            raise EngineError(f"rdflib could not run the query: {error}") from None
        if result.type != "SELECT":
            raise EngineError("only SELECT queries return rows")
        variables = tuple(str(v) for v in result.vars)
        rows = tuple(tuple(normalize(row[i]) for i in range(len(variables))) for row in result)
        return Results(variables, rows)


class OxigraphEngine:
    """pyoxigraph, in-process, over an in-memory store holding the same quads."""

    name = "oxigraph"

    def __init__(self, store: object) -> None:
        self.store = store

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> OxigraphEngine:
        import pyoxigraph

        store = pyoxigraph.Store()
        data = dataset.serialize(format="nquads", encoding="utf-8")
        store.load(data, format=pyoxigraph.RdfFormat.N_QUADS)
        return cls(store)

    def select(self, query: str) -> Results:
        import pyoxigraph

        try:
            solutions = self.store.query(query, use_default_graph_as_union=True)
        except (SyntaxError, ValueError, OSError) as error:
            raise EngineError(f"oxigraph could not run the query: {error}") from None
        if not isinstance(solutions, pyoxigraph.QuerySolutions):
            raise EngineError("only SELECT queries return rows")
        variables = tuple(v.value for v in solutions.variables)
        rows = tuple(
            tuple(_from_oxigraph(solution[v]) for v in variables) for solution in solutions
        )
        return Results(variables, rows)


class EndpointEngine:
    """Any SPARQL 1.1 endpoint, over HTTP POST and the JSON results format, with a total deadline
    for each query (see wegokg.remote)."""

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

    def select(self, query: str) -> Results:
        headers = {
            "Content-Type": "application/sparql-query; charset=utf-8",
            "Accept": "application/sparql-results+json",
            "User-Agent": "wegokg",
        }
        try:
            answer = post(self.url, query.encode("utf-8"), headers, self.timeout, self.notice)
        except RemoteError as error:
            raise EngineError(str(error)) from None
        if answer.status != 200:
            detail = answer.body[:300].decode("utf-8", errors="replace").strip()
            raise EngineError(
                f"the endpoint {self.url} did not answer the query: HTTP {answer.status} "
                f"{answer.reason}" + (f": {detail}" if detail else "")
            )
        try:
            document = json.loads(answer.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            raise EngineError(
                f"the endpoint {self.url} sent an unreadable answer (not SPARQL JSON results): "
                f"{error}"
            ) from None
        return results_from_json(document, self.url)


def results_from_json(document: object, url: str) -> Results:
    """Results from a parsed SPARQL 1.1 JSON results document, checking its shape as it goes."""

    def bad(what: str) -> EngineError:
        return EngineError(f"the endpoint {url} sent no valid SELECT results: {what}")

    if not isinstance(document, dict):
        raise bad(f"the answer is a JSON {type(document).__name__}, not an object")
    head, results = document.get("head"), document.get("results")
    if not isinstance(head, dict) or not isinstance(head.get("vars", []), list):
        raise bad("it has no 'head' object with a 'vars' list")
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        raise bad("it has no 'results' object with a 'bindings' list")
    variables = tuple(head.get("vars", []))
    if not all(isinstance(v, str) for v in variables):
        raise bad("a variable name in 'head.vars' is not a string")
    rows = []
    for number, binding in enumerate(results["bindings"], 1):
        if not isinstance(binding, dict):
            raise bad(f"binding {number} is a JSON {type(binding).__name__}, not an object")
        rows.append(tuple(_from_json(binding.get(v), url) for v in variables))
    return Results(variables, tuple(rows))


def _from_oxigraph(term: object) -> Term | None:
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return normalize(Literal(term.value, lang=term.language))
        return normalize(Literal(term.value, datatype=URIRef(term.datatype.value)))
    raise EngineError(f"oxigraph returned a term this tool cannot read: {term!r}")


def _from_json(value: object, url: str = "") -> Term | None:
    """A term from the W3C SPARQL 1.1 JSON results format (Virtuoso's "typed-literal" too)."""
    if value is None:
        return None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("value"), str)
        or not all(isinstance(value.get(k, ""), str) for k in ("xml:lang", "datatype"))
    ):
        raise EngineError(
            f"the endpoint {url} sent a term that is not a SPARQL JSON term: {value!r:.100}"
        )
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return normalize(Literal(value["value"], lang=value["xml:lang"]))
        datatype = value.get("datatype")
        return normalize(Literal(value["value"], datatype=URIRef(datatype) if datatype else None))
    raise EngineError(f"the endpoint {url} returned a term of unknown type {kind!r}")


def make_engine(
    name: str = "rdflib",
    endpoint: str | None = None,
    dataset: Dataset | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    notice: Callable[[str], None] | None = None,
) -> QueryEngine:
    """The engine the user asked for. ``endpoint`` wins over ``name``; the embedded engines load
    the repository's data when no dataset is given. ``timeout`` and ``notice`` apply to an
    endpoint: the total seconds a query may take, and where to say what is being waited for."""
    if endpoint is not None:
        return EndpointEngine(endpoint, timeout, notice)
    if name not in ENGINES:
        raise EngineError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    if dataset is None:
        from wegokg.load import load

        dataset = load()
    return RdflibEngine(dataset) if name == "rdflib" else OxigraphEngine.from_dataset(dataset)
