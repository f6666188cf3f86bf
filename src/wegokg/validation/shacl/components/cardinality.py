"""Cardinality constraint components (SHACL 1.0 section 4.2): sh:minCount, sh:maxCount, as a
query of their own over the counts, and as expressions inside sh:node and sh:or."""

from __future__ import annotations

from wegokg.validation.shacl.queries import PREAMBLE, Query, focus_maker, sparql_term
from wegokg.validation.shacl.results import (
    Unsupported,
)


def count_queries(target, path, low, high, source, shape, message, severity) -> list[Query]:
    """sh:minCount and sh:maxCount, SHACL 1.0 sections 4.2.1 and 4.2.2, a query each, that
    returns the focus nodes with too few or too many distinct values:
    https://www.w3.org/TR/shacl/#MinCountConstraintComponent,
    https://www.w3.org/TR/shacl/#MaxCountConstraintComponent

    The usual counts are not counted: at least one value is a NOT EXISTS, at most one a pair
    of values, which pyoxigraph finds in half the time of counting every target's values."""
    queries = []
    if low is not None and int(low) == 1:
        sparql = f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {path} ?value }} }}"
        queries.append(("minCount", sparql))
    elif low is not None and int(low) > 1:
        sparql = (
            f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ "
            f"{target} OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this }} "
            f"FILTER (?n < {int(low)}) }}"
        )
        queries.append(("minCount", sparql))
    if high is not None and int(high) == 1:
        sparql = (
            f"SELECT DISTINCT ?this WHERE {{ {target} ?this {path} ?value, ?other . "
            f"FILTER (!sameTerm(?value, ?other)) }}"
        )
        queries.append(("maxCount", sparql))
    elif high is not None:
        # Without a value, a focus node has too many only for a negative sh:maxCount.
        values = f"?this {path} ?value" if int(high) >= 0 else f"OPTIONAL {{ ?this {path} ?value }}"
        sparql = (
            f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ "
            f"{target} {values} }} GROUP BY ?this }} FILTER (?n > {int(high)}) }}"
        )
        queries.append(("maxCount", sparql))
    return [
        Query(PREAMBLE + sparql, focus_maker(name, path, source, shape, message, severity))
        for name, sparql in queries
    ]


def nested_counts(compiler, prop, path, v: str, w: str) -> list[str]:
    """sh:minCount and sh:maxCount of a property shape inside sh:node or sh:or, as expressions
    true when ``v`` has the counts (only 0 or 1 are compiled there)."""
    parts = []
    for value in compiler.sh(prop, "minCount"):
        if int(value) > 1:
            raise Unsupported(f"sh:minCount {value} inside sh:node/sh:or", prop)
        if int(value) == 1:
            parts.append(f"EXISTS {{ {v} {sparql_term(path)} [] }}")
    for value in compiler.sh(prop, "maxCount"):
        if int(value) != 1:
            raise Unsupported(f"sh:maxCount {value} inside sh:node/sh:or", prop)
        parts.append(
            f"NOT EXISTS {{ {v} {sparql_term(path)} {w}a, {w}b FILTER (!sameTerm({w}a, {w}b)) }}"
        )
    return parts
