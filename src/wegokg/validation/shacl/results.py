"""What a SHACL check reports, on either route: the result, the component names, the errors and
the default messages (SHACL 1.0 section 3.6, https://www.w3.org/TR/shacl/#results-validation-result)."""

from __future__ import annotations

from dataclasses import dataclass

from wegokg.core.errors import ToolError

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD = "http://www.w3.org/2001/XMLSchema#"
SEVERITIES = {SH + "Violation": "ERROR", SH + "Warning": "WARN", SH + "Info": "INFO"}


class ShapesError(ToolError):
    """The SHACL shapes cannot be used at all."""


class Unsupported(Exception):
    """The shapes use something the compiled path does not do; pySHACL validates them instead.

    ``shape`` names the shape (or other node of the shapes graph) that forced it, ``reason``
    says why."""

    def __init__(self, reason: str, shape: object = None) -> None:
        self.reason = reason
        self.shape = None if shape is None else str(shape)
        super().__init__(f"{self.shape}: {reason}" if self.shape else reason)


@dataclass(frozen=True)
class ShaclResult:
    """One validation result, as pySHACL's sh:ValidationResult carries it (IRIs as strings)."""

    focus: str
    source_shape: str  # the shape that reported it (a blank property shape's owner: see shape)
    shape: str  # the named shape: the node shape itself, or the one owning the property shape
    path: str | None  # the path when it is an IRI
    value: str | None
    message: str
    severity: str  # ERROR, WARN or INFO
    component: str
    # The exact terms, for comparing with a SHACL report (tests/validation/test_w3c_shacl.py):
    # the focus node and the value in N-Triples, the path as a SPARQL property path.
    focus_term: str | None = None
    value_term: str | None = None
    path_text: str | None = None


COMPONENT_NAMES = {
    "class": "ClassConstraintComponent",
    "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent",
    "pattern": "PatternConstraintComponent",
    "in": "InConstraintComponent",
    "languageIn": "LanguageInConstraintComponent",
    "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent",
    "minExclusive": "MinExclusiveConstraintComponent",
    "maxExclusive": "MaxExclusiveConstraintComponent",
    "node": "NodeConstraintComponent",
    "or": "OrConstraintComponent",
    "minCount": "MinCountConstraintComponent",
    "maxCount": "MaxCountConstraintComponent",
    "hasValue": "HasValueConstraintComponent",
    "uniqueLang": "UniqueLangConstraintComponent",
}


def default_message(component: str, focus: str, path: str | None, value: str | None) -> str:
    """A message for a shape that gives no sh:message, in the manner of pySHACL's."""
    where = f"{focus}->{path}" if path else focus
    if component == "minCount":
        return f"Too few values on {where}"
    if component == "maxCount":
        return f"Too many values on {where}"
    if component == "hasValue":
        return f"{where} lacks the required value"
    if component == "uniqueLang":
        return f"More than one value in language {value!r} on {where}"
    return f"Value {value} on {where} fails sh:{component}"
