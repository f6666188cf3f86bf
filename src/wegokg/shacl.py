"""The SHACL checker: the shapes in shapes/*.ttl, run by pySHACL over a pyoxigraph store.

Only top-level results are reported (SHACL 1.0 section 3.6: a failed ``sh:node`` also lists its
inner results through ``sh:detail``). Each result is placed at the file and line where its focus
node's offending statement is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from wegokg.errors import ToolError
from wegokg.report import Violation

if TYPE_CHECKING:
    from rdflib import Graph

    from wegokg.validation import ValidationContext


class ShapesError(ToolError):
    """The SHACL shapes cannot be used at all."""


class ShaclChecker:
    name = "shacl"

    def check(self, context: ValidationContext) -> Iterator[Violation]:
        import pyshacl
        from rdflib import Graph, URIRef
        from rdflib.namespace import SH

        severities = {SH.Violation: "ERROR", SH.Warning: "WARN", SH.Info: "INFO"}
        shapes = context.repository.shapes
        try:
            _, results, text = pyshacl.validate(
                union_store(context), shacl_graph=shapes, inference="none", advanced=True
            )
        except (SyntaxError, ValueError, RuntimeError) as error:  # e.g. a broken sh:select
            reason = (str(error).strip().splitlines() or [""])[0]
            raise ShapesError(
                f"shapes: the SHACL shapes cannot be used: {type(error).__name__}: {reason}"
            ) from None
        if not isinstance(results, Graph):  # pyshacl hands back its error when a shape is unusable
            raise ShapesError(f"shapes: the SHACL shapes cannot be used: {text}")
        for result in results.objects(None, SH.result):
            focus = results.value(result, SH.focusNode)
            path = results.value(result, SH.resultPath)
            value = results.value(result, SH.value)
            graph = context.graph_of(str(focus), str(path)) if isinstance(path, URIRef) else None
            file, line = context.locate(str(focus), graph)
            yield Violation(
                file=file,
                line=line,
                focus_node=str(focus),
                severity=severities.get(results.value(result, SH.resultSeverity), "ERROR"),
                check="shacl",
                shape=named_shape(shapes, results.value(result, SH.sourceShape)),
                message=str(results.value(result, SH.resultMessage) or ""),
                path=str(path) if isinstance(path, URIRef) else None,
                value=str(value) if value is not None and value != focus else None,
                component=_text(results.value(result, SH.sourceConstraintComponent)),
            )


def _text(term: object) -> str | None:
    return str(term) if term is not None else None


def union_store(context: ValidationContext):
    """Every statement in the default graph of a fresh store, which is what pySHACL validates."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.extend(
        pyoxigraph.Quad(q.subject, q.predicate, q.object)
        for q in context.store.quads_for_pattern(None, None, None, None)
    )
    return store


def named_shape(shapes: Graph, shape: object) -> str:
    """The IRI of a shape, or of the node shape that owns a blank property shape."""
    from rdflib import BNode
    from rdflib.namespace import SH

    seen = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        owner = shapes.value(None, SH.property, shape)
        if owner is None:
            break
        shape = owner
    return str(shape)
