"""Load the repository's Turtle files: into an rdflib Dataset, or straight into a pyoxigraph store.

Each article's and reference document's facts sit in the named graph of that document's IRI; the
curated names and vocabularies, the ontology and its imports have graphs of their own. The default
graph is the union of them all. Which files there are is the ``Repository``'s business, and how
one file is parsed (``parse_turtle``, ``first_document``) that of ``wegokg.core.parsing``; this
module puts the parsed files together.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from wegokg.core.file_reading import LoadError, UnreadableFileError, open_regular_file
from wegokg.core.layout import CURATED_GRAPH as _CURATED
from wegokg.core.layout import EXTRA_GRAPH as _EXTRA
from wegokg.core.layout import IMPORTS_GRAPH as _IMPORTS
from wegokg.core.layout import ONTOLOGY_GRAPH as _ONTOLOGY
from wegokg.core.layout import SOURCE_DOCUMENT_CLASSES as _DOCUMENT_CLASSES
from wegokg.core.parsing import GraphFile, build_dataset, first_document, parse_turtle
from wegokg.core.repository import Repository
from wegokg.core.source_index import SourceIndex

if TYPE_CHECKING:
    from rdflib import Dataset, Graph

__all__ = [
    "CURATED_GRAPH",  # noqa: F822 (these four: made by __getattr__ below)
    "EXTRA_GRAPH",  # noqa: F822
    "IMPORTS_GRAPH",  # noqa: F822
    "ONTOLOGY_GRAPH",  # noqa: F822
    "GraphFile",
    "LoadError",
    "SourceIndex",
    "build_dataset",
    "load",
    "dataset_nquads",
    "load_query_store",
    "load_shapes",
    "load_store",
    "union_default_graph",
    "parse_turtle",
    "read_graph_files",
]


_AS_RDFLIB = {
    "CURATED_GRAPH": _CURATED,
    "EXTRA_GRAPH": _EXTRA,
    "IMPORTS_GRAPH": _IMPORTS,
    "ONTOLOGY_GRAPH": _ONTOLOGY,
    "SOURCE_DOCUMENT_CLASSES": _DOCUMENT_CLASSES,
}


def __getattr__(name: str):
    """The graph names of ``wegokg.core.layout`` as rdflib terms (``CURATED_GRAPH`` and the
    rest), made when first asked for: loading into pyoxigraph (a query) never imports rdflib."""
    if name not in _AS_RDFLIB:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rdflib import URIRef

    import wegokg.core.rdflib_quiet  # noqa: F401 (for the rdflib code that uses these names)

    value = _AS_RDFLIB[name]
    made = tuple(URIRef(c) for c in value) if isinstance(value, tuple) else URIRef(value)
    globals()[name] = made
    return made


def load(root: Path | str | Repository | None = None, extra_files: Iterable[Path] = ()) -> Dataset:
    """The whole graph, ontology plus data, as a Dataset with one named graph per source.

    ``root`` is a Repository, a folder, or None for the repository found from the current folder
    (see ``Repository.find``)."""
    return _repository(root, extra_files).dataset


def load_store(repository: Repository):
    """The whole graph in an in-memory pyoxigraph Store, one named graph per source, parsed by
    pyoxigraph without going through rdflib (about ten times faster on large data)."""
    import pyoxigraph

    from wegokg.core.progress import step

    store = pyoxigraph.Store()
    fixed = [(repository.ontology_file, _ONTOLOGY)]
    fixed += [(p, _IMPORTS) for p in repository.import_files()]
    fixed += [(p, _CURATED) for p in repository.curated_files()]
    sources = [*repository.source_files(), *repository.extra_files]
    with step("loading the Turtle files (pyoxigraph)", len(fixed) + len(sources)) as progress:
        for path, graph in fixed:
            _load_into(store, path, graph)
            progress.advance()
        for path in sources:
            graph = first_document(path)
            if graph is None and path in repository.extra_files:
                graph = _EXTRA
            _load_into(store, path, graph)
            if graph != _EXTRA:
                _check_one_document(store, path, graph)
            progress.advance()
    return store


def load_query_store(repository: Repository):
    """``load_store`` with the set union of the named graphs as the store's default graph: the
    store every embedded query runs over (see wegokg.query.query_dataset)."""
    return union_default_graph(load_store(repository))


def union_default_graph(store):
    """Copy every statement of the store's named graphs into its default graph, once each.

    pyoxigraph's own union default graph (``use_default_graph_as_union``) is a bag: a statement
    that two sources share comes back twice, where rdflib gives it once. A real default graph is
    a set. It costs memory and time: at 10^6 triples the store grows from about 0.4 GB to 0.9 GB
    and loading takes some 6 s more (docs/performance.md)."""
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def dataset_nquads(dataset: Dataset) -> bytes:
    """The Dataset as N-Quads, with the set union of its named graphs as the default graph:
    what a SPARQL server loads to answer as the embedded engines do (with no union flag of its
    own, which would repeat shared statements)."""
    from rdflib import Graph

    union = Graph()
    for triple in dataset.triples((None, None, None)):
        union.add(triple)
    named = dataset.serialize(format="nquads", encoding="utf-8")
    return named + union.serialize(format="nt", encoding="utf-8")


def _load_into(store, path: Path, graph: str | None) -> None:
    import pyoxigraph

    if graph is None:
        raise LoadError(
            path,
            None,
            "a source file must describe exactly one wego:NewsArticle or wego:ReferenceDocument "
            "(found none)",
        )
    try:
        with open_regular_file(path) as handle:
            store.load(
                handle,
                format=pyoxigraph.RdfFormat.TURTLE,
                base_iri=path.resolve().as_uri(),
                to_graph=pyoxigraph.NamedNode(graph),
            )
    except SyntaxError as error:
        raise LoadError(path, error.lineno, f"Turtle syntax error: {error.msg}") from None
    except OSError as error:
        raise UnreadableFileError(path, None, f"cannot read the file: {error}") from None


def _check_one_document(store, path: Path, graph: str) -> None:
    values = " ".join(f"<{c}>" for c in _DOCUMENT_CLASSES)
    found = sorted(
        row[0].value
        for row in store.query(
            f"SELECT DISTINCT ?d WHERE {{ GRAPH <{graph}> {{ ?d a ?c }} VALUES ?c {{ {values} }} }}"
        )
    )
    if found != [graph]:
        raise LoadError(
            path,
            None,
            "a source file must describe exactly one wego:NewsArticle or wego:ReferenceDocument "
            f"(found {', '.join(found)})",
        )


def _repository(root, extra_files: Iterable[Path] = ()) -> Repository:
    if isinstance(root, Repository):
        if extra_files:
            return Repository(root.root, root.origin, [*root.extra_files, *extra_files])
        return root
    if root is None:
        return Repository.find(extra_files=extra_files)
    return Repository(root, "path", extra_files)


# -- Kept for callers of the first version; the Repository owns the layout now ---------------


def read_graph_files(root: Path, extra_files: Iterable[Path] = ()) -> list[tuple[GraphFile, Graph]]:
    """Every data file of the repository at ``root``, parsed, with the graph it goes into."""
    return Repository(root, "path", extra_files).graph_files


def load_shapes(root: Path | str | Repository | None = None) -> Graph:
    """All SHACL shapes in shapes/*.ttl as one graph."""
    return _repository(root).shapes
