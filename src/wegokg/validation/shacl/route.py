"""The route choice: a shapes graph is compiled into SPARQL when the compiler accepts every shape
it reaches (the closed lists of ``roles``), and validated by pySHACL otherwise, with the shape
and the reason that forced it; and the SPARQL texts that no route may run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wegokg.validation.shacl.compiler import compile_shapes
from wegokg.validation.shacl.results import SH, ShapesError, Unsupported

if TYPE_CHECKING:
    from rdflib import Graph


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
