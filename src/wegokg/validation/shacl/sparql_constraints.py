"""The rule handling: each sh:sparql constraint (SHACL 1.0 section 5) compiled into one query
joined to the targets, a candidate query with its FILTER [NOT] EXISTS tests, or a query run once
per target with $this pre-bound (the text surgery is in ``rule_text``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from wegokg.core.sparql_text import mask, unmask
from wegokg.validation.shacl import rule_text as rules
from wegokg.validation.shacl.queries import PREAMBLE, Query
from wegokg.validation.shacl.results import SH, ShaclResult, Unsupported
from wegokg.validation.shacl.roles import DECLARATION, PREFIXES, SPARQL_CONSTRAINT

if TYPE_CHECKING:
    from rdflib.term import Node


def sparql_constraint(compiler, shape: Node, constraint: Node, target: str) -> Query:
    """An sh:sparql constraint, SHACL 1.0 section 5:
    https://www.w3.org/TR/shacl/#SPARQLConstraintComponent"""
    compiler.vet(constraint, SPARQL_CONSTRAINT)
    select = compiler.one(constraint, "select")
    if select is None:
        raise Unsupported("an sh:sparql constraint without sh:select", shape)
    if compiler.is_deactivated(constraint):
        return Query("SELECT * WHERE { FILTER (false) }", lambda row: ())
    prefixes = "".join(
        f"PREFIX {p}: <{n}>\n" for p, n in sorted(declared_prefixes(compiler, constraint).items())
    )
    # The text surgery below sees the rule with its comments dropped and its strings and
    # IRIs set aside, so that a brace, a keyword or a variable in them is never taken for
    # the query's own.
    try:
        masked, pieces = mask(str(select))
    except ValueError as error:
        raise Unsupported(f"a rule with {error}", shape) from None
    if rules.left_to_pyshacl(masked):
        # SHACL forbids some of these in a constraint and pySHACL says which; the others
        # (another pre-bound variable, a subquery) it knows how to run.
        raise Unsupported("a rule with MINUS, VALUES, SERVICE or a subquery", shape)
    masked = re.sub(r"\$(\w+)", r"?\1", masked)
    must_parse(PREAMBLE + prefixes + unmask(masked, pieces))
    where, brace = rules.where_keyword(masked), masked.find("{")
    opening = where.start() if where is not None and where.start() < brace else brace
    if opening == brace:  # the keyword WHERE is optional
        masked = f"{masked[:opening]}WHERE {masked[opening:]}"
    projection = masked[:opening]
    if "*" in projection or rules.selects_exists(projection):
        raise Unsupported("a rule that selects * or an EXISTS", shape)
    names = rules.projected(projection)
    message = compiler.message(constraint) or ""
    make = sparql_maker(str(shape), message, compiler.severity(shape), names)
    start = PREAMBLE + prefixes
    fast = rules.alternatives_as_values
    if rules.join_safe(masked):
        split = rules.focus_first(masked, target) if names == ["this"] else None
        if split is not None:
            candidates, tests = split
            return Query(
                start + unmask(fast(candidates), pieces),
                make,
                tests=tuple((neg, start + unmask(fast(test), pieces)) for neg, test in tests),
            )
        joined = rules.inject_target(masked, target)
        if joined is not None:
            return Query(start + unmask(fast(joined), pieces), make)
    focus = f"SELECT DISTINCT ?this WHERE {{ {target} }}"
    return Query(start + unmask(fast(masked), pieces), make, per_focus=PREAMBLE + focus)


def declared_prefixes(compiler, constraint: Node) -> dict[str, str]:
    prefixes = {}
    for ontology in compiler.sh(constraint, "prefixes"):
        compiler.vet(ontology, PREFIXES)
        for declaration in compiler.sh(ontology, "declare"):
            compiler.vet(declaration, DECLARATION)
            prefix = compiler.one(declaration, "prefix")
            namespace = compiler.one(declaration, "namespace")
            if prefix is not None and namespace is not None:
                prefixes[str(prefix)] = str(namespace)
    return prefixes


def sparql_maker(shape: str, message: str, severity: str, names: list[str]):
    def make(row) -> Iterator[ShaclResult]:
        bound = {name: row[name] for name in names}
        this = bound.get("this")
        if this is None:
            return
        path = bound.get("path")
        value = bound.get("value")
        text = message
        for name, term in bound.items():
            if term is not None:
                text = re.sub(r"\{[?$]" + re.escape(name) + r"\}", term.value, text)
        yield ShaclResult(
            this.value,
            shape,
            shape,
            path.value if path is not None else None,
            value.value if value is not None else None,
            text,
            severity,
            SH + "SPARQLConstraintComponent",
            focus_term=str(this),
            value_term=str(value) if value is not None else None,
            path_text=str(path) if path is not None else None,
        )

    return make


def must_parse(query: str) -> None:
    """Raises Unsupported for a query that does not parse, so that the text surgery only ever
    sees well-formed SPARQL (pySHACL then reports the syntax error in its own words)."""
    import pyoxigraph

    try:
        list(pyoxigraph.Store().query(query))
    except SyntaxError as error:
        raise Unsupported(f"a rule that does not parse: {error}") from error
