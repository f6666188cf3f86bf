"""The fast route: the shapes compiled into SPARQL queries that each check one shape over all its
targets at once (SHACL 1.0 section 2.1.3.3 for the targets, section 4 for the components, whose
compilers are in ``components``, and section 5 for sh:sparql, in ``sparql_constraints``).

The compiler reads the shapes graph through the closed lists of ``roles``: anything off them
raises Unsupported, and the route goes to pySHACL."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from wegokg.validation.shacl import sparql_constraints
from wegokg.validation.shacl.components import VALUE_TESTS
from wegokg.validation.shacl.components.cardinality import count_queries
from wegokg.validation.shacl.components.other import has_value_query, has_value_test
from wegokg.validation.shacl.components.string_based import unique_lang_query
from wegokg.validation.shacl.components.value_type import class_join
from wegokg.validation.shacl.queries import Query, sparql_term, target_pattern, value_query
from wegokg.validation.shacl.results import SEVERITIES, SH, Unsupported
from wegokg.validation.shacl.roles import (
    ANNOTATIONS,
    CLASSES,
    INERT,
    NODE_SHAPE,
    PROPERTY_SHAPE,
    VALUE_COMPONENTS,
    Role,
)
from wegokg.validation.shacl.run import CompiledShapes

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node


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
            target = target_pattern(classes)
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

    def value_tests(
        self, shape: Node, v: str, joins: list[str] | None = None
    ) -> list[tuple[str, str]]:
        """(component, expression true when the value ``v`` passes) for each value constraint.

        Given ``joins``, an sh:class test is a pattern added there (the instances of the class,
        found once: ``class_join``) and an expression on what it binds, rather than an EXISTS
        that pyoxigraph evaluates once per value, four times slower at 10^6 triples."""
        tests = []
        for name in sorted(VALUE_COMPONENTS - {"flags"}):
            for value in self.sh(shape, name):
                if name == "class" and joins is not None:
                    flag = f"?instance{len(joins)}"
                    joins.append(class_join(value, v, flag))
                    tests.append((name, f"BOUND({flag})"))
                else:
                    tests.append((name, VALUE_TESTS[name](self, shape, name, value, v)))
        return tests

    # -- Node shapes and property shapes --------------------------------------------------------

    def node_level(self, shape: Node, target: str) -> list[Query]:
        """The constraints a node shape puts on its focus node itself."""
        queries = []
        shape_iri = str(shape)
        message = self.message(shape)
        severity = self.severity(shape)
        if self.sh(shape, "minCount") or self.sh(shape, "maxCount") or self.sh(shape, "uniqueLang"):
            raise Unsupported("a count on a node shape", shape)
        joins: list[str] = []
        tests = self.value_tests(shape, "?this", joins)
        if tests:
            queries.append(
                value_query(target, None, tests, shape_iri, shape_iri, message, severity, joins)
            )
        for value in self.sh(shape, "hasValue"):
            test = [("hasValue", has_value_test(value, "?this"))]
            queries.append(value_query(target, None, test, shape_iri, shape_iri, message, severity))
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
        p = sparql_term(path)
        queries = []
        joins: list[str] = []
        tests = self.value_tests(prop, "?value", joins)
        if tests:
            queries.append(
                value_query(target, p, tests, source, owner_iri, message, severity, joins)
            )
        low = self.one(prop, "minCount")
        high = self.one(prop, "maxCount")
        if low is not None or high is not None:
            queries.extend(
                count_queries(target, p, low, high, source, owner_iri, message, severity)
            )
        for value in self.sh(prop, "hasValue"):
            queries.append(has_value_query(target, p, value, source, owner_iri, message, severity))
        unique = self.one(prop, "uniqueLang")
        if unique is not None and bool(unique.toPython()):
            queries.append(unique_lang_query(target, p, source, owner_iri, message, severity))
        return queries

    # -- SPARQL-based constraints ---------------------------------------------------------------

    def sparql_constraint(self, shape: Node, constraint: Node, target: str) -> Query:
        return sparql_constraints.sparql_constraint(self, shape, constraint, target)
