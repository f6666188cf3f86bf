"""The SHACL checker: the shapes in shapes/*.ttl, run over the pyoxigraph store.

pySHACL checks one focus node at a time in Python, and runs each SPARQL-based rule once per
focus node: at 10^5 triples it does not finish in 20 minutes. So the checker compiles the shapes
into SPARQL queries that each check one shape over **all** its targets at once, and lets
pyoxigraph run them over the union of the named graphs (the default graph pySHACL validates):

- a node shape's targets are ``?this rdf:type/rdfs:subClassOf* C`` for each sh:targetClass C
  (SHACL 1.0 section 2.1.3.3);
- each property shape becomes one query over its values (every value-level constraint of
  section 4: sh:class, sh:datatype, sh:nodeKind, sh:pattern, sh:in, sh:languageIn,
  sh:minLength/maxLength, sh:min/maxInclusive/Exclusive, sh:node, sh:or) and one over its counts
  (sh:minCount, sh:maxCount), plus sh:hasValue and sh:uniqueLang;
- each sh:sparql constraint (section 5, rules.ttl) is run once, with ``$this`` joined to the
  targets instead of pre-bound, when ``$this`` is used only where that join means the same (the
  top group and its FILTER [NOT] EXISTS); otherwise once per target, pre-bound by pyoxigraph. A
  rule that returns only $this has its FILTER [NOT] EXISTS tests run once each over all the
  candidates (pyoxigraph would otherwise scan the store for each candidate).

The compiled path takes a shapes graph only when it understands every triple about every shape
it reaches, by a closed list of what it compiles (``NODE_SHAPE``, ``PROPERTY_SHAPE`` and the
others below), and when every other node of the graph that speaks SHACL is inert (``INERT``):
a shape that is also a class (an implicit class target), a constraint component, another target
kind, a complex path, an unknown predicate on a shape, a rule with what SHACL forbids in a
pre-bound query: each sends the whole shapes graph to pySHACL, and the report says which shape
did it and why (``Route``). So an unusual shape is slow, never wrong: the W3C SHACL test suite
(tests/validation/test_w3c_shacl.py, docs/shacl-conformance.md) checks both routes.

Results are those of pySHACL: the same (focus node, source shape, path) and constraint
component, with sh:message and its {?var} substitution (tests/validation/test_shacl_fast_path.py
proves it on the real data, on every invalid fixture and on generated data).

Only top-level results are reported (SHACL 1.0 section 3.6: a failed ``sh:node`` also lists its
inner results through ``sh:detail``). Each result is placed at the file and line where its focus
node's offending statement is written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wegokg.core.errors import ToolError
from wegokg.core.sparql_text import mask, unmask
from wegokg.validation import shacl_rules as rules
from wegokg.validation.report import Violation

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from wegokg.validation.context import ValidationContext

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD = "http://www.w3.org/2001/XMLSchema#"
SEVERITIES = {SH + "Violation": "ERROR", SH + "Warning": "WARN", SH + "Info": "INFO"}
# The datatypes whose lexical forms pyoxigraph can check by casting (an ill-formed literal, such
# as "abc"^^xsd:integer, fails sh:datatype in pySHACL too).
CASTABLE = {
    XSD + name
    for name in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time")
}


class ShapesError(ToolError):
    """The SHACL shapes cannot be used at all."""


def check_sparql_texts(shapes: Graph) -> None:
    """Refuse the shapes if a SPARQL text in them (sh:select, sh:ask, sh:construct) reads outside
    the repository's dataset (FROM, FROM NAMED, SERVICE) or nests deeper than any engine parses
    safely: each route would otherwise hand it to an engine that fetches the document or
    crashes, as a stored query would (``wegokg.query.query_dataset``,
    ``wegokg.core.sparql_text``)."""
    from rdflib import URIRef

    from wegokg.core.namespaces import shorten
    from wegokg.core.sparql_text import QueryTooDeepError, check_nesting
    from wegokg.query.query_dataset import check_dataset

    for predicate in ("select", "ask", "construct"):
        for node, text in shapes.subject_objects(URIRef(SH + predicate)):
            try:
                check_nesting(str(text))
                check_dataset(str(text))
            except (ValueError, QueryTooDeepError) as error:
                holder = shapes.value(predicate=URIRef(SH + "sparql"), object=node) or node
                where = shorten(str(holder)) if isinstance(holder, URIRef) else "a blank node"
                raise ShapesError(f"the sh:{predicate} of {where} is refused: {error}") from None


class Unsupported(Exception):
    """The shapes use something the compiled path does not do; pySHACL validates them instead.

    ``shape`` names the shape (or other node of the shapes graph) that forced it, ``reason``
    says why."""

    def __init__(self, reason: str, shape: object = None) -> None:
        self.reason = reason
        self.shape = None if shape is None else str(shape)
        super().__init__(f"{self.shape}: {reason}" if self.shape else reason)


@dataclass(frozen=True)
class Route:
    """How a shapes graph is checked: compiled into SPARQL, or by pySHACL and why."""

    compiled: bool
    shape: str | None = None  # the first shape that sent the graph to pySHACL
    reason: str | None = None

    @classmethod
    def of(cls, shapes: Graph) -> Route:
        try:
            compile_shapes(shapes)
        except Unsupported as why:
            return cls(False, why.shape, why.reason)
        return cls(True)

    def note(self) -> str:
        """One line for the report."""
        if self.compiled:
            return "the SHACL shapes are compiled into SPARQL (the fast path)"
        from wegokg.core.namespaces import shorten

        by = f" by {shorten(self.shape)}" if self.shape else ""
        return f"the SHACL shapes are validated by pySHACL (slow path), forced{by}: {self.reason}"


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
    # The exact terms, for comparing with a SHACL report (tests/validation/test_w3c_shacl.py): the
    # focus node and the value in N-Triples, the path as a SPARQL property path.
    focus_term: str | None = None
    value_term: str | None = None
    path_text: str | None = None


class ShaclChecker:
    """The checker for the SHACL shapes of shapes/."""

    name = "shacl"
    severity = "ERROR"  # SHACL's sh:Violation; a shape's sh:severity gives another
    help = (
        "The data breaks a SHACL shape of shapes/: core.ttl has one shape per class, rules.ttl the "
        "SPARQL-based rules that span nodes, and a shape's sh:severity can lower its results to "
        "WARN or INFO. Fix: read the shape's rules there and fix the statements of the focus node "
        "named in the message."
    )

    def check(self, context: ValidationContext) -> Iterator[Violation]:
        shapes = context.repository.shapes
        route = Route.of(shapes)
        if not route.compiled:
            context.notes.append(f"shacl: {route.note()}")
        for result in shacl_results(shapes, context.store, route):
            graph = context.graph_of(result.focus, result.path) if result.path else None
            file, line = context.locate(result.focus, graph)
            yield Violation(
                file=file,
                line=line,
                focus_node=result.focus,
                severity=result.severity,
                check=self.name,
                shape=result.shape,
                message=result.message,
                path=result.path,
                value=result.value if result.value != result.focus else None,
                component=result.component,
            )


def shacl_results(shapes: Graph, store, route: Route | None = None) -> Iterator[ShaclResult]:
    """The top-level results of ``shapes`` over ``store`` (a pyoxigraph Store with one named
    graph per source; its default graph is their union), on the route ``Route.of`` chooses:
    what ``wegokg validate`` runs. Raises ShapesError for shapes that cannot be used at all."""
    check_sparql_texts(shapes)
    route = Route.of(shapes) if route is None else route
    if route.compiled:
        return _guarded(compile_shapes(shapes).run(store))
    # pySHACL over an rdflib Graph, not over the store: slower (11.7 s instead of 0.75 s on the
    # dataset), but over a pyoxigraph store pySHACL 0.40 fails five tests of the W3C suite that
    # it passes over a Graph (docs/shacl-conformance.md).
    return pyshacl_results(shapes, union_graph(store))


def _guarded(results: Iterator[ShaclResult]) -> Iterator[ShaclResult]:
    """The compiled queries' results; a query that the shapes make unusable (a rule that does not
    select $this, say) is an error in the shapes, said in one line, not a traceback."""
    try:
        yield from results
    except (RuntimeError, SyntaxError, ValueError, KeyError, OSError) as error:
        reason = "; ".join(line.strip() for line in str(error).splitlines() if line.strip())
        raise ShapesError(
            f"shapes: the SHACL shapes cannot be used: {type(error).__name__}: {reason}"
        ) from None


# -- The slow way: pySHACL -----------------------------------------------------------------------


def pyshacl_results(shapes: Graph, data) -> Iterator[ShaclResult]:
    """pySHACL's top-level results for ``data`` (an rdflib Graph or a pyoxigraph Store)."""
    import pyshacl
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import SH as SHNS

    own = Graph()  # pySHACL adds to the shapes graph it is given; the Repository's is shared
    own += shapes
    if not isinstance(data, Graph):
        _typed_strings(own)
    try:
        _, results, text = pyshacl.validate(data, shacl_graph=own, inference="none", advanced=True)
    except Exception as error:  # pySHACL raises its own errors, pyoxigraph's and rdflib's
        reason = "; ".join(line.strip() for line in str(error).splitlines() if line.strip())
        raise ShapesError(f"shapes: the SHACL shapes cannot be used: {reason}") from error
    if not isinstance(results, Graph):  # pyshacl hands back its error when a shape is unusable
        reason = "; ".join(line.strip() for line in str(text).splitlines() if line.strip())
        raise ShapesError(f"shapes: the SHACL shapes cannot be used: {reason}")
    for result in results.objects(None, SHNS.result):
        focus = results.value(result, SHNS.focusNode)
        path = results.value(result, SHNS.resultPath)
        value = results.value(result, SHNS.value)
        source = results.value(result, SHNS.sourceShape)
        message = results.value(result, SHNS.resultMessage)
        yield ShaclResult(
            focus=str(focus),
            source_shape=str(source),
            shape=named_shape(shapes, source),
            path=str(path) if isinstance(path, URIRef) else None,
            value=str(value) if value is not None else None,
            message=str(message) if isinstance(message, Literal) else "",
            severity=SEVERITIES.get(str(results.value(result, SHNS.resultSeverity)), "ERROR"),
            component=str(results.value(result, SHNS.sourceConstraintComponent)),
            focus_term=n_triples(focus),
            value_term=n_triples(value) if value is not None else None,
            path_text=path_text(results, path) if path is not None else None,
        )


def _typed_strings(shapes: Graph) -> None:
    """Give each plain literal of ``shapes`` its datatype xsd:string. RDF 1.1 makes "a" and
    "a"^^xsd:string one term, and pyoxigraph hands pySHACL the second, but rdflib tells them
    apart: without this, sh:hasValue "a" and sh:in ("a") fail on every value over a store."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    plain = [
        (s, p, o)
        for s, p, o in shapes
        if isinstance(o, Literal) and o.language is None and o.datatype is None
    ]
    for s, p, o in plain:
        shapes.remove((s, p, o))
        shapes.add((s, p, Literal(str(o), datatype=XSD.string)))


def n_triples(term: object) -> str:
    """A term (rdflib's or pyoxigraph's) in N-Triples: one spelling for every engine."""
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import XSD

    if isinstance(term, URIRef):
        return str(pyoxigraph.NamedNode(str(term)))
    if isinstance(term, BNode):
        return str(pyoxigraph.BlankNode(str(term)))
    if isinstance(term, Literal):
        if term.language:
            return str(pyoxigraph.Literal(str(term), language=term.language))
        datatype = pyoxigraph.NamedNode(str(term.datatype or XSD.string))
        return str(pyoxigraph.Literal(str(term), datatype=datatype))
    return str(term)


_PATH_OPERATORS = {"zeroOrMorePath": "*", "oneOrMorePath": "+", "zeroOrOnePath": "?"}


def path_text(graph: Graph, path: Node) -> str:
    """A SHACL property path (SHACL 1.0 section 2.3.1) as a SPARQL property path."""
    from rdflib import URIRef
    from rdflib.namespace import RDF
    from rdflib.namespace import SH as SHNS

    if isinstance(path, URIRef):
        return f"<{path}>"
    if graph.value(path, RDF.first) is not None:
        return "(" + "/".join(path_text(graph, step) for step in graph.items(path)) + ")"
    inverse = graph.value(path, SHNS.inversePath)
    if inverse is not None:
        return f"^{path_text(graph, inverse)}"
    alternatives = graph.value(path, SHNS.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(path_text(graph, step) for step in graph.items(alternatives)) + ")"
    for name, operator in _PATH_OPERATORS.items():
        inner = graph.value(path, SHNS[name])
        if inner is not None:
            return f"({path_text(graph, inner)}){operator}"
    return "?"


def union_graph(store) -> Graph:
    """Every statement of ``store`` in one rdflib Graph, each term as the store has it: blank
    nodes keep their labels and literals their lexical forms (rdflib would otherwise rewrite an
    ill-formed "none"^^xsd:boolean as "false", which is well-formed)."""
    import pyoxigraph
    from rdflib import BNode, Graph, Literal, URIRef

    def term(node):
        if isinstance(node, pyoxigraph.NamedNode):
            return URIRef(node.value)
        if isinstance(node, pyoxigraph.BlankNode):
            return BNode(node.value)
        if node.language:
            return Literal(node.value, lang=node.language)
        if node.datatype.value == XSD + "string":
            return Literal(node.value)
        return Literal(node.value, datatype=URIRef(node.datatype.value), normalize=False)

    graph = Graph()
    for quad in store.quads_for_pattern(None, None, None, None):
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return graph


def union_store(store):
    """Every statement of ``store`` in the default graph of a fresh store, which is what pySHACL
    validates."""
    import pyoxigraph

    union = pyoxigraph.Store()
    union.extend(
        pyoxigraph.Quad(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, None)
    )
    return union


def named_shape(shapes: Graph, shape: object) -> str:
    """The IRI of a shape, or of the node shape that owns a blank property shape."""
    from rdflib import BNode
    from rdflib.namespace import SH as SHNS

    seen = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        owner = shapes.value(None, SHNS.property, shape)
        if owner is None:
            break
        shape = owner
    return str(shape)


# -- The fast way: the shapes compiled into SPARQL -----------------------------------------------

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
COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
NODE_KINDS = {
    "IRI": "isIRI({v})",
    "BlankNode": "isBlank({v})",
    "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "!isLiteral({v})",
    "BlankNodeOrLiteral": "!isIRI({v})",
    "IRIOrLiteral": "!isBlank({v})",
}
PREAMBLE = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)


@dataclass
class Query:
    """One compiled check: a SELECT over all targets, and how to turn its rows into results."""

    sparql: str
    make: object  # Callable[[QuerySolution], Iterable[ShaclResult]]
    per_focus: str | None = None  # a query for the targets, when the check runs once per target
    # (negated, query): ``sparql`` gives the candidate focus nodes, and each test keeps those
    # that its query returns (FILTER EXISTS) or does not return (FILTER NOT EXISTS).
    tests: tuple[tuple[bool, str], ...] = ()


@dataclass
class CompiledShapes:
    queries: list[Query]

    def run(self, store) -> Iterator[ShaclResult]:
        """Every result, each reported once (the union graph may hold a statement twice)."""
        import pyoxigraph

        seen: set[ShaclResult] = set()
        for query in self.queries:
            if query.tests:
                rows: Iterable = _set_tests(store, query)
            elif query.per_focus is None:
                rows = store.query(query.sparql, use_default_graph_as_union=True)
            else:
                rows = _per_focus(store, query, pyoxigraph.Variable("this"))
            for row in rows:
                for result in query.make(row):
                    if result not in seen:
                        seen.add(result)
                        yield result


def _set_tests(store, query: Query) -> list[dict]:
    """The candidates that pass every test, each test run once over all of them: pyoxigraph
    plans a FILTER [NOT] EXISTS without the focus node bound, so inside the query each test
    would scan the store once per candidate."""
    candidates = [row["this"] for row in store.query(query.sparql, use_default_graph_as_union=True)]
    for negated, test in query.tests:
        found = {row["this"] for row in store.query(test, use_default_graph_as_union=True)}
        candidates = [c for c in candidates if (c in found) != negated]
    return [{"this": c} for c in candidates]


def _per_focus(store, query: Query, this) -> Iterator:
    targets = store.query(query.per_focus, use_default_graph_as_union=True)
    for target in list(targets):
        yield from store.query(
            query.sparql, use_default_graph_as_union=True, substitutions={this: target["this"]}
        )


@functools.lru_cache(maxsize=8)  # the Repository shares one shapes graph per content
def compile_shapes(shapes: Graph) -> CompiledShapes:
    """The shapes as SPARQL queries; raises Unsupported if a shape needs pySHACL, including a
    malformed one (a count that is not a number, a rule that does not parse), for which pySHACL
    gives the error message users know."""
    import pyoxigraph

    try:
        queries = _Compiler(shapes).queries()
    except Unsupported:
        raise
    except Exception as error:  # the compiled path is only a faster way; pySHACL has the last word
        raise Unsupported(f"a shape the compiled path cannot read: {error!r}") from error
    empty = pyoxigraph.Store()
    for query in queries:
        for text in (query.sparql, query.per_focus, *(test for _, test in query.tests)):
            try:
                if text is not None:
                    list(empty.query(text))
            except SyntaxError as error:
                raise Unsupported(f"a query that does not parse: {error}") from error
    return CompiledShapes(queries)


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        from rdflib.namespace import SH as SHNS

        self.g = shapes
        self.SH = SHNS
        self.fresh = 0
        self.reached: set[Node] = set()  # the nodes vetted against a closed list

    # -- Reading the shapes graph -------------------------------------------------------------

    def sh(self, shape: Node, name: str) -> list[Node]:
        return list(self.g.objects(shape, self.SH[name]))

    def one(self, shape: Node, name: str) -> Node | None:
        values = self.sh(shape, name)
        if len(values) > 1:
            raise Unsupported(f"{len(values)} values of sh:{name}", shape)
        return values[0] if values else None

    def vet(self, node: Node, role: Role) -> None:
        """Raises Unsupported unless every statement about ``node`` is on ``role``'s list."""
        from rdflib.namespace import RDF

        self.reached.add(node)
        for predicate, value in self.g.predicate_objects(node):
            text = str(predicate)
            if predicate == RDF.type:
                if str(value) in role.types:
                    continue
                if str(value) in CLASSES:
                    raise Unsupported(
                        "a shape that is also a class (an implicit class target)", node
                    )
                raise Unsupported(f"a {role.name} of type <{value}>", node)
            if text in ANNOTATIONS or (text.startswith(SH) and text[len(SH) :] in role.terms):
                continue
            raise Unsupported(f"<{text}> on a {role.name}", node)

    def queries(self) -> list[Query]:
        from rdflib import URIRef
        from rdflib.namespace import RDF

        SHNS = self.SH
        speaking = self.speaking_shacl()
        for node in speaking:  # the two reasons users most need named, before any other
            for kind in self.g.objects(node, RDF.type):
                if str(kind) in CLASSES:
                    raise Unsupported(
                        "a shape that is also a class (an implicit class target)", node
                    )
                if str(kind) == SH + "ConstraintComponent":
                    raise Unsupported("a constraint component (SHACL 1.0 section 6)", node)
        queries: list[Query] = []
        for shape in sorted(set(self.g.subjects(SHNS.targetClass, None)), key=str):
            if not isinstance(shape, URIRef):
                raise Unsupported("a blank shape with a target", shape)
            if self.is_deactivated(shape):
                self.reached.add(shape)
                continue
            self.vet(shape, NODE_SHAPE)
            classes = sorted(str(c) for c in self.sh(shape, "targetClass"))
            target = _target_pattern(classes)
            queries.extend(self.node_level(shape, target))
            for prop in self.sh(shape, "property"):
                if self.is_deactivated(prop):
                    self.reached.add(prop)
                    continue
                queries.extend(self.property_level(shape, prop, target))
            for constraint in self.sh(shape, "sparql"):
                queries.append(self.sparql_constraint(shape, constraint, target))
        for node in speaking:
            if node not in self.reached:
                self.vet(node, INERT)
        return queries

    def speaking_shacl(self) -> list[Node]:
        """Every node of the shapes graph that has a statement in the sh: namespace, or a type
        there, in a stable order."""
        from rdflib import URIRef
        from rdflib.namespace import RDF

        found = set()
        for subject, predicate, value in self.g:
            if str(predicate).startswith(SH) or (
                predicate == RDF.type and str(value).startswith(SH)
            ):
                found.add(subject)
        return sorted(found, key=lambda node: (not isinstance(node, URIRef), str(node)))

    def is_deactivated(self, shape: Node) -> bool:
        value = self.one(shape, "deactivated")
        return value is not None and bool(value.toPython())

    def message(self, shape: Node) -> str | None:
        messages = self.sh(shape, "message")
        if not messages:
            return None
        messages.sort(key=lambda m: (getattr(m, "language", None) not in (None, "en"), str(m)))
        return str(messages[0])

    def severity(self, shape: Node) -> str:
        value = self.one(shape, "severity")
        return SEVERITIES.get(str(value), "ERROR") if value is not None else "ERROR"

    # -- Value-level constraints as SPARQL expressions ----------------------------------------

    def value_tests(self, shape: Node, v: str) -> list[tuple[str, str]]:
        """(component, expression true when the value ``v`` passes) for each value constraint."""
        tests = []
        for name in sorted(VALUE_COMPONENTS - {"flags"}):
            for value in self.sh(shape, name):
                tests.append((name, self.value_test(shape, name, value, v)))
        return tests

    def value_test(self, shape: Node, name: str, value: Node, v: str) -> str:
        from rdflib import Literal

        if name == "class":
            return f"EXISTS {{ {v} rdf:type/rdfs:subClassOf* {_term(value)} }}"
        if name == "datatype":
            if str(value) == RDF_LANGSTRING:
                return f'(isLiteral({v}) && LANG({v}) != "")'
            test = f"isLiteral({v}) && DATATYPE({v}) = {_term(value)}"
            if str(value) in CASTABLE:
                test += f" && isLiteral(COALESCE({_term(value)}({v}), <urn:wegokg:ill-formed>))"
            return f"({test})"
        if name == "nodeKind":
            kind = str(value)[len(SH) :]
            if kind not in NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {value}")
            return NODE_KINDS[kind].format(v=v)
        if name == "pattern":
            flags = self.one(shape, "flags")
            extra = f", {_string(str(flags))}" if flags is not None else ""
            return f"(!isBlank({v}) && REGEX(STR({v}), {_string(str(value))}{extra}))"
        if name == "in":
            members = list(self.g.items(value))
            alternatives = " || ".join(f"sameTerm({v}, {_term(m)})" for m in members)
            return f"({alternatives or 'false'})"
        if name == "languageIn":
            tags = list(self.g.items(value))
            matches = " || ".join(f"langMatches(LANG({v}), {_string(str(t))})" for t in tags)
            return f"(isLiteral({v}) && ({matches or 'false'}))"
        if name in ("minLength", "maxLength"):
            op = ">=" if name == "minLength" else "<="
            return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(value)})"
        if name in COMPARISONS:
            if not isinstance(value, Literal):
                raise Unsupported(f"sh:{name} {value}")
            return f"({v} {COMPARISONS[name]} {_term(value)})"
        if name == "node":
            return self.conforms(value, v)
        if name == "or":
            members = list(self.g.items(value))
            return "(" + " || ".join(self.conforms(m, v) for m in members) + ")"
        raise Unsupported(f"sh:{name}")

    def conforms(self, shape: Node, v: str) -> str:
        """An expression true when ``v`` conforms to ``shape`` (used by sh:node and sh:or)."""
        self.vet(shape, NESTED_SHAPE)
        if self.sh(shape, "sparql") or self.sh(shape, "targetClass"):
            raise Unsupported("only simple shapes are compiled inside sh:node/sh:or", shape)
        path = self.one(shape, "path")
        if path is not None:
            return self.property_conforms(shape, path, v)
        parts = [f"COALESCE({test}, false)" for _, test in self.value_tests(shape, v)]
        for value in self.sh(shape, "hasValue"):
            parts.append(f"sameTerm({v}, {_term(value)})")
        if self.sh(shape, "minCount") or self.sh(shape, "maxCount"):
            raise Unsupported("a count on a node shape", shape)
        for prop in self.sh(shape, "property"):
            path = self.one(prop, "path")
            parts.append(self.property_conforms(prop, path, v))
        return "(" + (" && ".join(parts) or "true") + ")"

    def property_conforms(self, prop: Node, path: Node | None, v: str) -> str:
        from rdflib import URIRef

        self.vet(prop, NESTED_SHAPE)
        if not isinstance(path, URIRef):
            raise Unsupported(f"path {path}", prop)
        self.fresh += 1
        w = f"?v{self.fresh}"
        parts = []
        tests = [test for _, test in self.value_tests(prop, w)]
        if tests:
            failing = " && ".join(f"COALESCE({t}, false)" for t in tests)
            parts.append(f"NOT EXISTS {{ {v} {_term(path)} {w} FILTER (!({failing})) }}")
        for value in self.sh(prop, "hasValue"):
            parts.append(f"EXISTS {{ {v} {_term(path)} {_term(value)} }}")
        for value in self.sh(prop, "minCount"):
            if int(value) > 1:
                raise Unsupported(f"sh:minCount {value} inside sh:node/sh:or", prop)
            if int(value) == 1:
                parts.append(f"EXISTS {{ {v} {_term(path)} [] }}")
        for value in self.sh(prop, "maxCount"):
            if int(value) != 1:
                raise Unsupported(f"sh:maxCount {value} inside sh:node/sh:or", prop)
            parts.append(
                f"NOT EXISTS {{ {v} {_term(path)} {w}a, {w}b FILTER (!sameTerm({w}a, {w}b)) }}"
            )
        if self.sh(prop, "uniqueLang") or self.sh(prop, "property"):
            raise Unsupported("nested sh:uniqueLang or sh:property", prop)
        return "(" + (" && ".join(parts) or "true") + ")"

    # -- Node shapes and property shapes --------------------------------------------------------

    def node_level(self, shape: Node, target: str) -> list[Query]:
        """The constraints a node shape puts on its focus node itself."""
        queries = []
        shape_iri = str(shape)
        message = self.message(shape)
        severity = self.severity(shape)
        if self.sh(shape, "minCount") or self.sh(shape, "maxCount") or self.sh(shape, "uniqueLang"):
            raise Unsupported("a count on a node shape", shape)
        tests = self.value_tests(shape, "?this")
        if tests:
            queries.append(
                _value_query(target, None, tests, shape_iri, shape_iri, message, severity)
            )
        for value in self.sh(shape, "hasValue"):
            test = [("hasValue", f"sameTerm(?this, {_term(value)})")]
            queries.append(
                _value_query(target, None, test, shape_iri, shape_iri, message, severity)
            )
        return queries

    def property_level(self, owner: Node, prop: Node, target: str) -> list[Query]:
        from rdflib import BNode, URIRef

        self.vet(prop, PROPERTY_SHAPE)
        if self.sh(prop, "sparql") or self.sh(prop, "property") or self.sh(prop, "targetClass"):
            raise Unsupported("sh:sparql, sh:property or a target in a property shape", prop)
        path = self.one(prop, "path")
        if not isinstance(path, URIRef):
            raise Unsupported(f"the path {path} is not a single IRI", prop)
        if not isinstance(prop, BNode | URIRef):
            raise Unsupported("a property shape that is a literal", prop)
        source = str(prop)
        owner_iri = str(owner) if isinstance(prop, BNode) else str(prop)
        message = self.message(prop)
        severity = self.severity(prop)
        p = _term(path)
        queries = []
        tests = self.value_tests(prop, "?value")
        if tests:
            queries.append(_value_query(target, p, tests, source, owner_iri, message, severity))
        low = self.one(prop, "minCount")
        high = self.one(prop, "maxCount")
        if low is not None or high is not None:
            queries.append(_count_query(target, p, low, high, source, owner_iri, message, severity))
        for value in self.sh(prop, "hasValue"):
            queries.append(_has_value_query(target, p, value, source, owner_iri, message, severity))
        unique = self.one(prop, "uniqueLang")
        if unique is not None and bool(unique.toPython()):
            queries.append(_unique_lang_query(target, p, source, owner_iri, message, severity))
        return queries

    # -- SPARQL-based constraints ---------------------------------------------------------------

    def sparql_constraint(self, shape: Node, constraint: Node, target: str) -> Query:

        self.vet(constraint, SPARQL_CONSTRAINT)
        select = self.one(constraint, "select")
        if select is None:
            raise Unsupported("an sh:sparql constraint without sh:select", shape)
        if self.is_deactivated(constraint):
            return Query("SELECT * WHERE { FILTER (false) }", lambda row: ())
        prefixes = "".join(
            f"PREFIX {p}: <{n}>\n" for p, n in sorted(self.declared_prefixes(constraint).items())
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
        _must_parse(PREAMBLE + prefixes + unmask(masked, pieces))
        where, brace = rules.where_keyword(masked), masked.find("{")
        opening = where.start() if where is not None and where.start() < brace else brace
        if opening == brace:  # the keyword WHERE is optional
            masked = f"{masked[:opening]}WHERE {masked[opening:]}"
        projection = masked[:opening]
        if "*" in projection or rules.selects_exists(projection):
            raise Unsupported("a rule that selects * or an EXISTS", shape)
        names = rules.projected(projection)
        message = self.message(constraint) or ""
        make = _sparql_maker(str(shape), message, self.severity(shape), names)
        start = PREAMBLE + prefixes
        if rules.join_safe(masked):
            split = rules.focus_first(masked, target) if names == ["this"] else None
            if split is not None:
                candidates, tests = split
                return Query(
                    start + unmask(candidates, pieces),
                    make,
                    tests=tuple((neg, start + unmask(test, pieces)) for neg, test in tests),
                )
            joined = rules.inject_target(masked, target)
            if joined is not None:
                return Query(start + unmask(joined, pieces), make)
        focus = f"SELECT DISTINCT ?this WHERE {{ {target} }}"
        return Query(start + unmask(masked, pieces), make, per_focus=PREAMBLE + focus)

    def declared_prefixes(self, constraint: Node) -> dict[str, str]:
        prefixes = {}
        for ontology in self.sh(constraint, "prefixes"):
            self.vet(ontology, PREFIXES)
            for declaration in self.sh(ontology, "declare"):
                self.vet(declaration, DECLARATION)
                prefix = self.one(declaration, "prefix")
                namespace = self.one(declaration, "namespace")
                if prefix is not None and namespace is not None:
                    prefixes[str(prefix)] = str(namespace)
        return prefixes


# -- Building the queries ------------------------------------------------------------------------


def _target_pattern(classes: list[str]) -> str:
    """A group binding ?this to each target once (SHACL class targets include subclasses)."""
    branches = " UNION ".join(f"{{ ?this rdf:type/rdfs:subClassOf* <{c}> }}" for c in classes)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {branches} }} }}"


def _value_query(target, path, tests, source, shape, message, severity) -> Query:
    """One row per (focus, value) that fails one of ``tests``, saying which ones failed."""
    value = "?value" if path is not None else "?this"
    columns = " ".join(f"(COALESCE({test}, false) AS ?ok{i})" for i, (_, test) in enumerate(tests))
    failing = " || ".join(f"!COALESCE({test}, false)" for _, test in tests)
    walk = f"?this {path} ?value ." if path is not None else ""
    sparql = (
        f"{PREAMBLE}SELECT DISTINCT ?this {value if path else ''} {columns} WHERE {{ "
        f"{target} {walk} FILTER ({failing}) }}"
    )
    components = [name for name, _ in tests]
    path_text = path[1:-1] if path else None

    def make(row) -> Iterator[ShaclResult]:
        focus = row["this"].value
        found = row["value"].value if path else focus
        for i, name in enumerate(components):
            if row[f"ok{i}"].value != "true":
                yield ShaclResult(
                    focus,
                    source,
                    shape,
                    path_text,
                    found,
                    message or _default_message(name, focus, path_text, found),
                    severity,
                    SH + COMPONENT_NAMES[name],
                    focus_term=str(row["this"]),
                    value_term=str(row["value"] if path else row["this"]),
                    path_text=path,
                )

    return Query(sparql, make)


def _count_query(target, path, low, high, source, shape, message, severity) -> Query:
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
            message or _default_message(name, focus, path_text, None),
            severity,
            SH + COMPONENT_NAMES[name],
            focus_term=str(row["this"]),
            path_text=path,
        )

    return Query(sparql, make)


def _has_value_query(target, path, value, source, shape, message, severity) -> Query:
    sparql = (
        f"{PREAMBLE}SELECT ?this WHERE {{ {target} "
        f"FILTER NOT EXISTS {{ ?this {path} {_term(value)} }} }}"
    )
    path_text = path[1:-1]

    def make(row) -> Iterator[ShaclResult]:
        focus = row["this"].value
        yield ShaclResult(
            focus,
            source,
            shape,
            path_text,
            None,
            message or _default_message("hasValue", focus, path_text, None),
            severity,
            SH + COMPONENT_NAMES["hasValue"],
            focus_term=str(row["this"]),
            path_text=path,
        )

    return Query(sparql, make)


def _unique_lang_query(target, path, source, shape, message, severity) -> Query:
    sparql = (
        f"{PREAMBLE}SELECT DISTINCT ?this ?lang WHERE {{ {target} ?this {path} ?a, ?b . "
        f'FILTER (isLiteral(?a) && LANG(?a) != "" && !sameTerm(?a, ?b) && LANG(?a) = LANG(?b)) '
        f"BIND (LANG(?a) AS ?lang) }}"
    )
    path_text = path[1:-1]

    def make(row) -> Iterator[ShaclResult]:
        focus = row["this"].value
        yield ShaclResult(
            focus,
            source,
            shape,
            path_text,
            None,
            message or _default_message("uniqueLang", focus, path_text, row["lang"].value),
            severity,
            SH + COMPONENT_NAMES["uniqueLang"],
            focus_term=str(row["this"]),
            path_text=path,
        )

    return Query(sparql, make)


def _sparql_maker(shape: str, message: str, severity: str, names: list[str]):
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


def _must_parse(query: str) -> None:
    """Raises Unsupported for a query that does not parse, so that the text surgery only ever
    sees well-formed SPARQL (pySHACL then reports the syntax error in its own words)."""
    import pyoxigraph

    try:
        list(pyoxigraph.Store().query(query))
    except SyntaxError as error:
        raise Unsupported(f"a rule that does not parse: {error}") from error


def _term(node: Node) -> str:
    """A term in SPARQL syntax."""
    from rdflib import Literal, URIRef

    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        text = _string(str(node))
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype:
            return f"{text}^^<{node.datatype}>"
        return text
    raise Unsupported(f"a blank node as a value: {node}")


def _string(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _default_message(component: str, focus: str, path: str | None, value: str | None) -> str:
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
