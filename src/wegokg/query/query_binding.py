"""How a stored query's parameters reach an engine: bound, never pasted into the text.

The embedded engines bind them with their own mechanism (rdflib's ``initBindings``, pyoxigraph's
``substitutions``). A remote endpoint has none, so there the values go into a VALUES block at the
start of the query's outer WHERE group, which a real parse (rdflib's SPARQL grammar) finds: never
inside a CONSTRUCT template, an EXISTS in the projection, a subquery or a string.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from wegokg.core.errors import UsageError
from wegokg.core.sparql_text import code_start
from wegokg.core.terms import TermError, term_text, to_oxigraph


class BindingError(UsageError, ValueError):
    """Parameters that cannot be bound to this query."""


@dataclass(frozen=True)
class OuterWhere:
    """Where a query's outer WHERE group lies: the offsets of its ``{`` and ``}`` in ``text``
    (the query with its \\u escapes expanded, as SPARQL reads it), whether the group is a bare
    subquery, the query form, and the variables a SELECT projects (None for ``*`` and ASK)."""

    text: str
    open: int
    close: int
    subquery: bool
    form: str
    projected: frozenset[str] | None


def outer_where(query: str) -> OuterWhere:
    """Parse a SELECT, ASK or CONSTRUCT query and locate its outer WHERE group."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        text = expandUnicodeEscapes(query)
    except ValueError as error:
        raise BindingError(f"the query does not parse: {error}") from None
    try:
        parsed = _located_grammar().parse_string(text, parse_all=True)
    except ParseBaseException as error:
        raise BindingError(
            f"the query does not parse as SELECT, ASK or CONSTRUCT (line {error.lineno}, column "
            f"{error.col}): parameters can only be bound in the WHERE clause of one"
        ) from None
    except RecursionError:
        raise BindingError("the query is nested too deeply to bind parameters in") from None
    start, group, end = parsed["outer"]
    form, projected = parsed["form"], None
    if not isinstance(form, str):  # a SELECT clause: its projection, unless it is *
        if "projection" in form:  # CompValue.get answers a missing key with the key itself
            projected = frozenset(
                str(v["var"] if "var" in v else v["evar"]) for v in form["projection"]
            )
        form = "SELECT"
    opening = text.index("{", start + (code_start(text[start:]) or 0))  # past comments
    subquery = len(group) == 1 and getattr(group[0], "name", "") == "SubSelect"
    return OuterWhere(text, opening, end - 1, subquery, form, projected)


def with_values(query: str, bindings: Mapping[str, Any] | None) -> str:
    """The query with a VALUES block binding ``bindings`` at the start of its outer WHERE group
    (around it, when the group is a bare subquery, which VALUES may not precede)."""
    if not bindings:
        return query
    where = outer_where(query)
    names = " ".join(f"?{name}" for name in bindings)
    row = " ".join(sparql_term(term) for term in bindings.values())
    block = f"\n    VALUES ({names}) {{ ({row}) }}\n"
    text, at, close = where.text, where.open + 1, where.close
    if where.subquery:
        return text[:at] + block + "    {" + text[at:close] + "}\n" + text[close:]
    return text[:at] + block + text[at:]


def oxigraph_bindings(query: str, bindings: Mapping[str, Any] | None) -> tuple[str, dict | None]:
    """The query and pyoxigraph ``substitutions`` for ``bindings``. pyoxigraph substitutes only
    a variable that a SELECT projects (or any of an ASK); for any other, the values go into a
    VALUES block at the outer WHERE, as for an endpoint."""
    if not bindings:
        return query, None
    where = outer_where(query)
    if where.form == "SELECT" and where.projected is not None:
        if not set(bindings) <= where.projected:
            return with_values(query, bindings), None
    elif where.form not in ("SELECT", "ASK"):
        return with_values(query, bindings), None
    import pyoxigraph

    return query, {pyoxigraph.Variable(name): to_oxigraph(t) for name, t in bindings.items()}


def sparql_term(term: Any) -> str:
    """A term in SPARQL syntax, escaped so that no value can change the query around it."""
    try:
        return term_text(term, allow_blank=False)
    except TermError as error:
        raise BindingError(str(error)) from None


@cache
def _located_grammar():
    """rdflib's SPARQL grammar for the query forms that have a WHERE group, with the outer group
    wrapped in pyparsing's Located to give its offsets. rdflib's own elements are reused, not
    changed."""
    from pyparsing import Keyword, Located, Optional, ZeroOrMore
    from rdflib.plugins.sparql import parser as sparql

    where = Optional(Keyword("WHERE")) + Located(sparql.GroupGraphPattern)("outer")
    tail = ZeroOrMore(sparql.DatasetClause) + where + sparql.SolutionModifier + sparql.ValuesClause
    grammar = sparql.Prologue + (
        sparql.Comp("SELECT", sparql.SelectClause)("form") + tail
        | Keyword("ASK")("form") + tail
        | Keyword("CONSTRUCT")("form") + sparql.ConstructTemplate + tail
    )
    grammar.ignore(sparql.QueryUnit.ignoreExprs[0])
    return grammar
