"""wegokg: the WeGO Knowledge Graph and the toolkit that validates, queries and exports it.

The public API, imported lazily so that ``import wegokg`` stays cheap:

- ``load(root=None)`` -> rdflib ``Dataset``: ontology plus data, one named graph per source;
- ``validate(root=None)`` -> ``ValidationReport``: every checker of ``CHECKERS``, in its order;
- ``CHECKERS``: the checker registry (``wegokg.checker_registry``), where a checker is added;
- ``QueryCatalog``: the stored competency queries; ``make_engine`` runs them;
- ``export(source, out_dir, formats, version)``: deterministic RDF exports of a pyoxigraph
  ``Store`` (``wegokg.loading.load_store``, the fast path) or of an rdflib ``Dataset``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__all__ = [
    "CHECKERS",
    "QueryCatalog",
    "ValidationReport",
    "Violation",
    "export",
    "load",
    "make_engine",
    "validate",
]

_HOMES = {
    "CHECKERS": "wegokg.checker_registry",
    "load": "wegokg.loading",
    "validate": "wegokg.validation",
    "ValidationReport": "wegokg.report",
    "Violation": "wegokg.report",
    "QueryCatalog": "wegokg.catalog",
    "make_engine": "wegokg.engines",
    "export": "wegokg.exports",
}

if TYPE_CHECKING:
    from wegokg.catalog import QueryCatalog
    from wegokg.checker_registry import CHECKERS
    from wegokg.engines import make_engine
    from wegokg.exports import export
    from wegokg.loading import load
    from wegokg.report import ValidationReport, Violation
    from wegokg.validation import validate


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'wegokg' has no attribute {name!r}")
