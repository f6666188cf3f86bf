"""Shape-based constraint components (SHACL 1.0 section 4.7): sh:node, and the shapes nested in
it or in sh:or with their sh:property (sh:qualifiedValueShape is not compiled)."""

from __future__ import annotations

from wegokg.validation.shacl.components.cardinality import nested_counts
from wegokg.validation.shacl.components.other import has_value_test
from wegokg.validation.shacl.queries import sparql_term
from wegokg.validation.shacl.results import Unsupported
from wegokg.validation.shacl.roles import NESTED_SHAPE


def node_test(compiler, shape, name, value, v: str) -> str:
    """sh:node, SHACL 1.0 section 4.7.1: https://www.w3.org/TR/shacl/#NodeConstraintComponent"""
    return conforms(compiler, value, v)


def conforms(compiler, shape, v: str) -> str:
    """An expression true when ``v`` conforms to ``shape`` (used by sh:node and sh:or)."""
    compiler.vet(shape, NESTED_SHAPE)
    if compiler.sh(shape, "sparql") or compiler.sh(shape, "targetClass"):
        raise Unsupported("only simple shapes are compiled inside sh:node/sh:or", shape)
    path = compiler.one(shape, "path")
    if path is not None:
        return property_conforms(compiler, shape, path, v)
    parts = [f"COALESCE({test}, false)" for _, test in compiler.value_tests(shape, v)]
    for value in compiler.sh(shape, "hasValue"):
        parts.append(has_value_test(value, v))
    if compiler.sh(shape, "minCount") or compiler.sh(shape, "maxCount"):
        raise Unsupported("a count on a node shape", shape)
    for prop in compiler.sh(shape, "property"):
        path = compiler.one(prop, "path")
        parts.append(property_conforms(compiler, prop, path, v))
    return "(" + (" && ".join(parts) or "true") + ")"


def property_conforms(compiler, prop, path, v: str) -> str:
    """sh:property inside sh:node or sh:or, SHACL 1.0 section 4.7.2:
    https://www.w3.org/TR/shacl/#PropertyConstraintComponent"""
    from rdflib import URIRef

    compiler.vet(prop, NESTED_SHAPE)
    if not isinstance(path, URIRef):
        raise Unsupported(f"path {path}", prop)
    compiler.fresh += 1
    w = f"?v{compiler.fresh}"
    parts = []
    tests = [test for _, test in compiler.value_tests(prop, w)]
    if tests:
        failing = " && ".join(f"COALESCE({t}, false)" for t in tests)
        parts.append(f"NOT EXISTS {{ {v} {sparql_term(path)} {w} FILTER (!({failing})) }}")
    for value in compiler.sh(prop, "hasValue"):
        parts.append(f"EXISTS {{ {v} {sparql_term(path)} {sparql_term(value)} }}")
    parts.extend(nested_counts(compiler, prop, path, v, w))
    if compiler.sh(prop, "uniqueLang") or compiler.sh(prop, "property"):
        raise Unsupported("nested sh:uniqueLang or sh:property", prop)
    return "(" + (" && ".join(parts) or "true") + ")"
