"""Where SPARQL runs: rdflib in-process (the default), pyoxigraph in-process, or any SPARQL 1.1
endpoint over HTTP. Every engine returns the same Results, with terms normalized so that the same
query gives the same rows everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

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
    """Any SPARQL 1.1 endpoint, through SPARQLWrapper and the JSON results format."""

    name = "endpoint"

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url
        self.timeout = timeout

    def select(self, query: str) -> Results:
        from urllib.error import URLError

        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = SPARQLWrapper(self.url)
        client.setQuery(query)
        client.queryType = "SELECT"  # its own guess can be misled by words in comments
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setTimeout(int(self.timeout))
        try:
            answer = client.queryAndConvert()
        except (URLError, OSError, SPARQLWrapperException) as error:
            raise EngineError(
                f"the endpoint {self.url} did not answer the query: {error}"
            ) from None
        except ValueError as error:  # a truncated or non-JSON body
            raise EngineError(
                f"the endpoint {self.url} sent an unreadable answer: {error}"
            ) from None
        if not isinstance(answer, dict) or "results" not in answer:
            raise EngineError(f"the endpoint {self.url} sent no SELECT results")
        variables = tuple(answer["head"]["vars"])
        rows = tuple(
            tuple(_from_json(binding.get(v)) for v in variables)
            for binding in answer["results"]["bindings"]
        )
        return Results(variables, rows)


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


# The server's query workers read pyoxigraph's answers the same way.
from_oxigraph = _from_oxigraph


def _from_json(value: dict | None) -> Term | None:
    """A term from the W3C SPARQL 1.1 JSON results format (Virtuoso's "typed-literal" too)."""
    if value is None:
        return None
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
    raise EngineError(f"the endpoint returned a term of unknown type {kind!r}")


def make_engine(
    name: str = "rdflib", endpoint: str | None = None, dataset: Dataset | None = None
) -> QueryEngine:
    """The engine the user asked for. ``endpoint`` wins over ``name``; the embedded engines load
    the repository's data when no dataset is given."""
    if endpoint:
        return EndpointEngine(endpoint)
    if name not in ENGINES:
        raise EngineError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    if dataset is None:
        from wegokg.load import load

        dataset = load()
    return RdflibEngine(dataset) if name == "rdflib" else OxigraphEngine.from_dataset(dataset)
