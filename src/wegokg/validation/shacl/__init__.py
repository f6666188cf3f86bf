"""The SHACL checker: the shapes in shapes/*.ttl, run over the pyoxigraph store.

pySHACL checks one focus node at a time in Python, and runs each SPARQL-based rule once per
focus node: at 10^5 triples it does not finish in 20 minutes. So the checker compiles the shapes
into SPARQL queries that each check one shape over **all** its targets at once, and lets
pyoxigraph run them over the union of the named graphs (the default graph pySHACL validates):

- a node shape's targets are ``?this rdf:type/rdfs:subClassOf* C`` for each sh:targetClass C
  (SHACL 1.0 section 2.1.3.3);
- each property shape becomes one query over its values (every value-level constraint of
  section 4: sh:class, sh:datatype, sh:nodeKind, sh:pattern, sh:in, sh:languageIn,
  sh:minLength/maxLength, sh:min/maxInclusive/Exclusive, sh:node, sh:or) and one for each of its
  counts (sh:minCount, sh:maxCount), plus sh:hasValue and sh:uniqueLang;
- each sh:sparql constraint (section 5, rules.ttl) is run once, with ``$this`` joined to the
  targets instead of pre-bound, when ``$this`` is used only where that join means the same (the
  top group and its FILTER [NOT] EXISTS); otherwise once per target, pre-bound by pyoxigraph. A
  rule that returns only $this has its FILTER [NOT] EXISTS tests run once each over all the
  candidates (pyoxigraph would otherwise scan the store for each candidate);
- the queries are independent and run on a thread per core (``run``), and are written the way
  pyoxigraph 0.5 plans well: an alternative path as a VALUES join (``rule_text``), sh:class as
  one join with the class's instances, sh:minCount 1 and sh:maxCount 1 without counting
  (docs/performance.md, "SHACL at 10^6").

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

from collections.abc import Iterator
from typing import TYPE_CHECKING

from wegokg.validation.report import Violation
from wegokg.validation.shacl.compiler import compile_shapes
from wegokg.validation.shacl.fallback import (
    check_readable,
    n_triples,
    named_shape,
    path_text,
    pyshacl_results,
    union_graph,
    union_store,
)
from wegokg.validation.shacl.results import (
    COMPONENT_NAMES,
    SEVERITIES,
    ShaclResult,
    ShapesError,
    Unsupported,
)
from wegokg.validation.shacl.route import Route, check_sparql_texts

if TYPE_CHECKING:
    from rdflib import Graph

    from wegokg.validation.context import ValidationContext

__all__ = [
    "COMPONENT_NAMES",
    "SEVERITIES",
    "Route",
    "ShaclChecker",
    "ShaclResult",
    "ShapesError",
    "Unsupported",
    "check_readable",
    "check_sparql_texts",
    "compile_shapes",
    "n_triples",
    "named_shape",
    "path_text",
    "pyshacl_results",
    "shacl_results",
    "union_graph",
    "union_store",
]


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
    check_readable(shapes)
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
