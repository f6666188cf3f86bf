"""What every engine answers, and in which spelling: the Results of a SELECT, a term in one
spelling whichever engine gave it (``normalize``, ``from_oxigraph``), and the errors an engine
raises."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from wegokg.core.errors import ToolError, UsageError

Term = URIRef | Literal | BNode


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


def normalize(term: Term | None) -> Term | None:
    """One spelling for each term: simple literals carry no xsd:string datatype."""
    if isinstance(term, Literal):
        if term.language:
            return Literal(str(term), lang=term.language.lower())
        if term.datatype in (None, XSD.string):
            return Literal(str(term))
        return Literal(str(term), datatype=term.datatype)
    return term


def from_oxigraph(term: object) -> Term | None:
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
