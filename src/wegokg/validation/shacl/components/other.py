"""Other constraint components (SHACL 1.0 section 4.8): sh:in and sh:hasValue (sh:closed is not
compiled)."""

from __future__ import annotations

from wegokg.validation.shacl.queries import PREAMBLE, Query, focus_maker, sparql_term


def in_test(compiler, shape, name, value, v: str) -> str:
    """sh:in, SHACL 1.0 section 4.8.3: https://www.w3.org/TR/shacl/#InConstraintComponent"""
    members = list(compiler.g.items(value))
    alternatives = " || ".join(f"sameTerm({v}, {sparql_term(m)})" for m in members)
    return f"({alternatives or 'false'})"


def has_value_test(value, v: str) -> str:
    """sh:hasValue on a node shape, SHACL 1.0 section 4.8.2:
    https://www.w3.org/TR/shacl/#HasValueConstraintComponent"""
    return f"sameTerm({v}, {sparql_term(value)})"


def has_value_query(target, path, value, source, shape, message, severity) -> Query:
    """sh:hasValue on a property shape, SHACL 1.0 section 4.8.2, as a query of its own:
    https://www.w3.org/TR/shacl/#HasValueConstraintComponent"""
    sparql = (
        f"{PREAMBLE}SELECT ?this WHERE {{ {target} "
        f"FILTER NOT EXISTS {{ ?this {path} {sparql_term(value)} }} }}"
    )
    return Query(sparql, focus_maker("hasValue", path, source, shape, message, severity))
