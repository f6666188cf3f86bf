"""Value range constraint components (SHACL 1.0 section 4.3): sh:minExclusive, sh:minInclusive,
sh:maxExclusive, sh:maxInclusive."""

from __future__ import annotations

from wegokg.validation.shacl.queries import sparql_term
from wegokg.validation.shacl.results import Unsupported

COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}


def range_test(compiler, shape, name, value, v: str) -> str:
    """sh:minExclusive, sh:minInclusive, sh:maxExclusive, sh:maxInclusive, SHACL 1.0 sections
    4.3.1 to 4.3.4: https://www.w3.org/TR/shacl/#MinExclusiveConstraintComponent,
    https://www.w3.org/TR/shacl/#MinInclusiveConstraintComponent,
    https://www.w3.org/TR/shacl/#MaxExclusiveConstraintComponent,
    https://www.w3.org/TR/shacl/#MaxInclusiveConstraintComponent"""
    from rdflib import Literal

    if not isinstance(value, Literal):
        raise Unsupported(f"sh:{name} {value}")
    return f"({v} {COMPARISONS[name]} {sparql_term(value)})"
