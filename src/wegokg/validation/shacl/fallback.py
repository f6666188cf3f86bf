"""The slow route: pySHACL, for the shapes the compiled path does not accept, and the conversions
that hand it the store's statements and read its report in the compiled path's terms."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from wegokg.validation.shacl.results import SEVERITIES, SH, ShaclResult, ShapesError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node


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


def check_readable(shapes: Graph) -> None:
    """Refuse, before pySHACL reads any data, SPARQL in the shapes that it would refuse only after
    checking everything else: a text its parser (rdflib's) cannot read, or one that breaks the
    syntax rules of SHACL-SPARQL (SHACL 1.0, appendix "Pre-binding of Variables": no MINUS, no
    VALUES). The message is the one pySHACL's refusal gives: the shapes cannot be used."""
    from rdflib import URIRef
    from rdflib.plugins.sparql.parser import parseQuery

    from wegokg.core.namespaces import shorten
    from wegokg.core.sparql_text import keywords

    def prefixes(node) -> str:
        lines = []
        for ontology in shapes.objects(node, URIRef(SH + "prefixes")):
            for declaration in shapes.objects(ontology, URIRef(SH + "declare")):
                prefix = shapes.value(declaration, URIRef(SH + "prefix"))
                namespace = shapes.value(declaration, URIRef(SH + "namespace"))
                if prefix is not None and namespace is not None:
                    lines.append(f"PREFIX {prefix}: <{namespace}>\n")
        return "".join(lines)

    for predicate in ("select", "ask", "construct"):
        for node, text in shapes.subject_objects(URIRef(SH + predicate)):
            holder = shapes.value(predicate=URIRef(SH + "sparql"), object=node) or node
            where = shorten(str(holder)) if isinstance(holder, URIRef) else "a blank node"
            refused = sorted({"MINUS", "VALUES"} & keywords(str(text)))
            if refused:
                raise ShapesError(
                    f"shapes: the SHACL shapes cannot be used: the sh:{predicate} of {where} has "
                    f"{' and '.join(refused)}, which SHACL-SPARQL does not allow (SHACL 1.0, "
                    '"Pre-binding of Variables")'
                )
            try:
                parseQuery(prefixes(node) + str(text))
            except Exception as error:  # pyparsing's ParseException, and what else it raises
                reason = "; ".join(line.strip() for line in str(error).splitlines() if line.strip())
                raise ShapesError(
                    f"shapes: the SHACL shapes cannot be used: the sh:{predicate} of {where} "
                    f"does not parse: {reason}"
                ) from None


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
    """A term (rdflib's or pyoxigraph's) in N-Triples: one spelling for every engine, by the one
    term writer (``wegokg.core.terms``)."""
    from wegokg.core.terms import TermError, to_oxigraph

    try:
        return str(to_oxigraph(term))
    except TermError:
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
    from functools import partial

    from rdflib import Graph

    from wegokg.core.terms import to_rdflib

    term = partial(to_rdflib, as_written=True)

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
