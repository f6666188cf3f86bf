"""What every engine answers, and in which spelling: the Results of a SELECT, whose terms are
pyoxigraph's whichever engine gave them (``normalize`` spells each one way), and the errors an
engine raises. Nothing here imports rdflib: a query on the embedded engine never loads it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

import pyoxigraph

from wegokg.core.errors import ToolError, UsageError

if TYPE_CHECKING:
    from rdflib import Graph

Term = pyoxigraph.NamedNode | pyoxigraph.Literal | pyoxigraph.BlankNode
"""A term of an answer: pyoxigraph's, which its serializers write and its store binds."""


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


Answer = Union[Results, bool, "Graph"]  # noqa: UP007
"""What a query gives: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT and DESCRIBE."""


Bindings = Mapping[str, Term]
"""Values for a query's variables (a stored query's parameters), by variable name."""


def normalize(term: Term | None) -> Term | None:
    """One spelling for each term, so that every engine's rows compare equal: a language tag in
    lower case (SPARQL compares tags ignoring case, and engines keep or fold them differently),
    and a boolean as true or false (Virtuoso writes 1 and 0, which XSD allows too)."""
    if type(term) is not pyoxigraph.Literal:
        return term
    if term.language:
        if term.language.islower():
            return term
        return pyoxigraph.Literal(term.value, language=term.language.lower())
    if term.value in _BOOLEAN_DIGITS and term.datatype.value == _XSD_BOOLEAN:
        return pyoxigraph.Literal(_BOOLEAN_DIGITS[term.value], datatype=term.datatype)
    return term


_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEAN_DIGITS = {"0": "false", "1": "true"}
