"""wegokg: the WeGO Knowledge Graph and the toolkit that validates, queries and exports it.

The public API, imported lazily so that ``import wegokg`` stays cheap:

- ``load(root=None)`` -> rdflib ``Dataset``: ontology plus data, one named graph per source;
- ``validate(root=None)`` -> ``ValidationReport``: every checker of ``CHECKERS``, in its order;
- ``CHECKERS``: the checker registry (``wegokg.validation.checker_registry``), where a checker
  is added;
- ``QueryCatalog``: the stored competency queries; ``make_engine`` runs them;
- ``export(source, out_dir, formats, version)``: deterministic RDF exports of a pyoxigraph
  ``Store`` (``wegokg.core.loading.load_store``, the fast path) or of an rdflib ``Dataset``;
- ``Repository``: where the files are (``Repository.find(root)``: --root, $WEGOKG_ROOT, the
  checkout around the current folder, or the bundled dataset) and how each is parsed;
- ``Workspace(repository)``: everything the command line does, for a library user: ``report()``,
  ``require_valid()``, ``engine()``, ``resolve()``, ``run_stored()``, ``search()``, ``export()``,
  ``site()``, ``release()`` and ``load_into()``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__all__ = [
    "CHECKERS",
    "QueryCatalog",
    "Repository",
    "ValidationReport",
    "Violation",
    "Workspace",
    "export",
    "load",
    "make_engine",
    "validate",
]

_HOMES = {
    "CHECKERS": "wegokg.validation.checker_registry",
    "load": "wegokg.core.loading",
    "validate": "wegokg.validation.run",
    "ValidationReport": "wegokg.validation.report",
    "Violation": "wegokg.validation.report",
    "QueryCatalog": "wegokg.query.catalog",
    "make_engine": "wegokg.query.engines",
    "export": "wegokg.publish.exports",
    "Repository": "wegokg.core.repository",
    "Workspace": "wegokg.service.workspace",
}

if TYPE_CHECKING:
    from wegokg.core.loading import load
    from wegokg.core.repository import Repository
    from wegokg.publish.exports import export
    from wegokg.query.catalog import QueryCatalog
    from wegokg.query.engines import make_engine
    from wegokg.service.workspace import Workspace
    from wegokg.validation.checker_registry import CHECKERS
    from wegokg.validation.report import ValidationReport, Violation
    from wegokg.validation.run import validate


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'wegokg' has no attribute {name!r}")
