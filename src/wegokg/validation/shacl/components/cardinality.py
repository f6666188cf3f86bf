"""Cardinality constraint components (SHACL 1.0 section 4.2): sh:minCount, sh:maxCount, as a
query of their own over the counts, and as expressions inside sh:node and sh:or."""

from __future__ import annotations

from collections.abc import Iterator

from wegokg.validation.shacl.queries import PREAMBLE, Query, sparql_term
from wegokg.validation.shacl.results import (
    COMPONENT_NAMES,
    SH,
    ShaclResult,
    Unsupported,
    default_message,
)


def count_query(target, path, low, high, source, shape, message, severity) -> Query:
    """sh:minCount and sh:maxCount, SHACL 1.0 sections 4.2.1 and 4.2.2:
    https://www.w3.org/TR/shacl/#MinCountConstraintComponent,
    https://www.w3.org/TR/shacl/#MaxCountConstraintComponent"""
    having = []
    if low is not None:
        having.append(f"?n < {int(low)}")
    if high is not None:
        having.append(f"?n > {int(high)}")
    sparql = (
        f"{PREAMBLE}SELECT ?this ?n WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) "
        f"WHERE {{ {target} OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this }} "
        f"FILTER ({' || '.join(having)}) }}"
    )
    path_text = path[1:-1]

    def make(row) -> Iterator[ShaclResult]:
        focus = row["this"].value
        count = int(row["n"].value)
        name = "minCount" if low is not None and count < int(low) else "maxCount"
        yield ShaclResult(
            focus,
            source,
            shape,
            path_text,
            None,
            message or default_message(name, focus, path_text, None),
            severity,
            SH + COMPONENT_NAMES[name],
            focus_term=str(row["this"]),
            path_text=path,
        )

    return Query(sparql, make)


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
