"""The route choice's closed lists: what the compiled path accepts, by the role a node of the
shapes graph plays for it. A node that says anything off its role's list sends the whole shapes
graph to pySHACL (``wegokg.validation.shacl.route``)."""

from __future__ import annotations

from dataclasses import dataclass

from wegokg.validation.shacl.results import SH

# What the compiled path understands, as closed lists: a node of the shapes graph it reaches
# may say only what the list of its role allows (an sh: term, an annotation, or rdf:type with one
# of the role's classes); anything else sends the whole shapes graph to pySHACL.
DESCRIPTIVE = {"message", "severity", "deactivated", "name", "description", "order", "group"}
VALUE_COMPONENTS = {
    "class",
    "datatype",
    "nodeKind",
    "pattern",
    "flags",
    "in",
    "languageIn",
    "minLength",
    "maxLength",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "node",
    "or",
}
COUNT_COMPONENTS = {"minCount", "maxCount"}
OTHER_COMPONENTS = {"hasValue", "uniqueLang"}
# Non-validating statements (SHACL 1.0 section 2.3.2 and RDFS annotations).
ANNOTATIONS = {
    "http://www.w3.org/2000/01/rdf-schema#" + name
    for name in ("label", "comment", "seeAlso", "isDefinedBy")
}
OWL_ONTOLOGY = "http://www.w3.org/2002/07/owl#Ontology"


@dataclass(frozen=True)
class Role:
    """What a node of the shapes graph may say when it plays one part for the compiler."""

    name: str
    terms: frozenset[str]  # local names in the sh: namespace
    types: frozenset[str]  # full IRIs, the objects rdf:type may have


def _role(name: str, terms: set[str], types: set[str]) -> Role:
    return Role(name, frozenset(terms), frozenset(types))


# A targeted node shape (sh:targetClass only: section 2.1.3.3).
NODE_SHAPE = _role(
    "node shape",
    DESCRIPTIVE | VALUE_COMPONENTS | {"hasValue", "targetClass", "property", "sparql"},
    {SH + "NodeShape"},
)
# A property shape of a targeted node shape, its path one IRI (section 2.3).
PROPERTY_SHAPE = _role(
    "property shape",
    DESCRIPTIVE | VALUE_COMPONENTS | COUNT_COMPONENTS | OTHER_COMPONENTS | {"path"},
    {SH + "PropertyShape"},
)
# A shape that a value must conform to (sh:node, sh:or: sections 4.6.1, 4.6.3).
NESTED_SHAPE = _role(
    "shape inside sh:node or sh:or",
    DESCRIPTIVE | VALUE_COMPONENTS | COUNT_COMPONENTS | {"hasValue", "property", "path"},
    {SH + "NodeShape", SH + "PropertyShape"},
)
# A SPARQL-based constraint (section 5.1) and its prefixes (section 5.2.1).
SPARQL_CONSTRAINT = _role(
    "sh:sparql constraint",
    {"select", "message", "prefixes", "deactivated"},
    {SH + "SPARQLConstraint"},
)
PREFIXES = _role("sh:prefixes", {"declare"}, {OWL_ONTOLOGY})
DECLARATION = _role("sh:declare", {"prefix", "namespace"}, {SH + "PrefixDeclaration"})

# A node the compiler does not reach is inert, and may be ignored, when it can have no effect on
# validation: a shape with no target of any kind, that nothing compiled refers to, a prefix
# declaration, or a validation report (the W3C tests keep their expected report beside their
# shapes). Every role's terms but sh:targetClass, and the terms of a report.
REPORT_TERMS = {
    "conforms",
    "result",
    "focusNode",
    "resultPath",
    "value",
    "sourceShape",
    "sourceConstraintComponent",
    "resultSeverity",
    "resultMessage",
    "detail",
    "inversePath",
    "alternativePath",
    "zeroOrMorePath",
    "oneOrMorePath",
    "zeroOrOnePath",
}
INERT = _role(
    "a node that nothing compiled reaches",
    (
        NODE_SHAPE.terms
        | PROPERTY_SHAPE.terms
        | SPARQL_CONSTRAINT.terms
        | PREFIXES.terms
        | DECLARATION.terms
        | REPORT_TERMS
    )
    - {"targetClass"},
    NODE_SHAPE.types
    | PROPERTY_SHAPE.types
    | SPARQL_CONSTRAINT.types
    | PREFIXES.types
    | DECLARATION.types
    | {SH + "ValidationReport", SH + "ValidationResult"},
)
IMPLICIT_TARGET = "a shape that is also a class (an implicit class target, SHACL 1.0 2.1.3.3)"
CLASSES = {
    "http://www.w3.org/2000/01/rdf-schema#Class",
    "http://www.w3.org/2002/07/owl#Class",
}
