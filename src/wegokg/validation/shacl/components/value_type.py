"""Value type constraint components (SHACL 1.0 section 4.1): sh:class, sh:datatype, sh:nodeKind.

Each function takes the compiler, the shape, the component's value and the SPARQL variable of
the value node, and gives an expression true when the value node passes."""

from __future__ import annotations

from wegokg.validation.shacl.queries import sparql_term
from wegokg.validation.shacl.results import RDF_LANGSTRING, SH, XSD, Unsupported

# The datatypes whose lexical forms pyoxigraph can check by casting (an ill-formed literal, such
# as "abc"^^xsd:integer, fails sh:datatype in pySHACL too).
CASTABLE = {
    XSD + name
    for name in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time")
}
NODE_KINDS = {
    "IRI": "isIRI({v})",
    "BlankNode": "isBlank({v})",
    "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "!isLiteral({v})",
    "BlankNodeOrLiteral": "!isIRI({v})",
    "IRIOrLiteral": "!isBlank({v})",
}


def class_test(compiler, shape, name, value, v: str) -> str:
    """sh:class, SHACL 1.0 section 4.1.1: https://www.w3.org/TR/shacl/#ClassConstraintComponent"""
    return f"EXISTS {{ {v} rdf:type/rdfs:subClassOf* {sparql_term(value)} }}"


def class_join(value, v: str, flag: str) -> str:
    """sh:class as a pattern that binds ``flag`` when ``v`` is an instance of the class: the
    instances are found once, and joined to each value (each at most once: DISTINCT)."""
    return (
        f"OPTIONAL {{ SELECT DISTINCT {v} (true AS {flag}) "
        f"WHERE {{ {v} rdf:type/rdfs:subClassOf* {sparql_term(value)} }} }}"
    )


def datatype_test(compiler, shape, name, value, v: str) -> str:
    """sh:datatype, SHACL 1.0 section 4.1.2:
    https://www.w3.org/TR/shacl/#DatatypeConstraintComponent"""
    if str(value) == RDF_LANGSTRING:
        return f'(isLiteral({v}) && LANG({v}) != "")'
    test = f"isLiteral({v}) && DATATYPE({v}) = {sparql_term(value)}"
    if str(value) in CASTABLE:
        test += f" && isLiteral(COALESCE({sparql_term(value)}({v}), <urn:wegokg:ill-formed>))"
    return f"({test})"


def node_kind_test(compiler, shape, name, value, v: str) -> str:
    """sh:nodeKind, SHACL 1.0 section 4.1.3:
    https://www.w3.org/TR/shacl/#NodeKindConstraintComponent"""
    kind = str(value)[len(SH) :]
    if kind not in NODE_KINDS:
        raise Unsupported(f"sh:nodeKind {value}")
    return NODE_KINDS[kind].format(v=v)
