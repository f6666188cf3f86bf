"""Load the repository's Turtle files: into an rdflib Dataset, or straight into a pyoxigraph store.

Each article's and reference document's facts sit in the named graph of that document's IRI; the
curated names and vocabularies, the ontology and its imports have graphs of their own. The default
graph is the union of them all. Which files there are is the ``Repository``'s business; this module
only parses them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import URIRef

import wegokg.rdflib_quiet  # noqa: F401 (ill-typed literals are reported by the shapes instead)
from wegokg.repository import CURATED_GRAPH as _CURATED
from wegokg.repository import EXTRA_GRAPH as _EXTRA
from wegokg.repository import IMPORTS_GRAPH as _IMPORTS
from wegokg.repository import ONTOLOGY_GRAPH as _ONTOLOGY
from wegokg.repository import SOURCE_DOCUMENT_CLASSES as _DOCUMENT_CLASSES
from wegokg.repository import (
    GraphFile,
    LoadError,
    Repository,
    SourceIndex,
    UnreadableFileError,
    open_regular_file,
    read_utf8,
)

if TYPE_CHECKING:
    from rdflib import Dataset, Graph

__all__ = [
    "CURATED_GRAPH",
    "EXTRA_GRAPH",
    "IMPORTS_GRAPH",
    "ONTOLOGY_GRAPH",
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


CURATED_GRAPH = URIRef(_CURATED)
EXTRA_GRAPH = URIRef(_EXTRA)
IMPORTS_GRAPH = URIRef(_IMPORTS)
ONTOLOGY_GRAPH = URIRef(_ONTOLOGY)
SOURCE_DOCUMENT_CLASSES = tuple(URIRef(c) for c in _DOCUMENT_CLASSES)


def parse_turtle(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one Turtle file, turning syntax errors into a LoadError with the line number."""
    from rdflib import Graph

    into, graph = graph, Graph()
    text = read_utf8(path)
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except RecursionError:
        raise LoadError(
            path, None, "Turtle syntax error: collections or blank nodes are nested too deeply"
        ) from None
    except Exception as error:  # rdflib raises several unrelated types for bad syntax
        line, message = _oxigraph_locates(path, text)
        if message is None:  # only rdflib refuses it: its own, rougher, location
            line = getattr(error, "lines", None)
            message = _syntax_message(error)
            if line is not None:
                line += 1  # rdflib counts lines from 0
        lines = text.splitlines()
        at_line = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
        if "\ufeff" in text and (line is None or "\ufeff" in at_line):
            message += (
                "; the cause is a byte-order mark (U+FEFF) "
                + ("at the start of the file" if text.startswith("\ufeff") else "in this line")
                + ": save the file as UTF-8 without a BOM"
            )
        raise LoadError(path, line, f"Turtle syntax error: {message}") from None
    _check_iris(graph, path, text)  # this file's IRIs only: checking ``into`` is quadratic
    if into is None:
        return graph
    into += graph
    for prefix, namespace in graph.namespaces():
        into.bind(prefix, namespace, override=False)
    return into


def _check_iris(graph: Graph, path: Path, text: str) -> None:
    """Refuse an IRI that rdflib let through but no standard engine would take (such as
    <https://w3id.org/a]b>), naming the line that writes it or declares its prefix."""
    from wegokg.iri import iri_problem

    for iri in sorted({t for triple in graph for t in triple if isinstance(t, URIRef)}):
        # Invisible characters load: the quality check reports them, with their place.
        if error := iri_problem(iri, allow_invisible=True):
            lines = text.splitlines()
            line = next((n for n, row in enumerate(lines, 1) if iri in row), None)
            if line is None:  # written with a prefix: point at the prefix that holds the fault
                line = next(
                    (
                        n
                        for n, row in enumerate(lines, 1)
                        if row.lstrip().lower().startswith(("@prefix", "prefix"))
                        and (m := re.search(r"<([^>]*)>", row))
                        and iri.startswith(m.group(1))
                    ),
                    None,
                )
            raise LoadError(path, line, f"<{iri}> is not a valid IRI: {error}")


def _oxigraph_locates(path: Path, text: str) -> tuple[int | None, str | None]:
    """The line and message of pyoxigraph's parser for a syntax error, so that every command
    names the same place as ``validate`` does; rdflib's line is one too far at the end of a
    file, and its context can come from lines before. (None, None) if pyoxigraph accepts it."""
    import pyoxigraph

    try:
        for _ in pyoxigraph.parse(
            text.encode("utf-8"),
            format=pyoxigraph.RdfFormat.TURTLE,
            base_iri=path.resolve().as_uri(),
        ):
            pass
    except SyntaxError as error:
        lines = text.splitlines()
        if not error.lineno or not 0 < error.lineno <= len(lines) or not error.offset:
            return error.lineno, error.msg
        row, at = lines[error.lineno - 1], error.offset - 1
        return (
            error.lineno,
            f"{error.msg}, at the ^ in: {row[max(at - 40, 0) : at]}^{row[at : at + 40]}",
        )
    return None, None


def _syntax_message(error: Exception) -> str:
    """rdflib's reason and the text around the error, shown as text rather than escaped bytes."""
    why = getattr(error, "_why", None)
    raw, at = getattr(error, "_str", None), getattr(error, "_i", None)
    if not why or not isinstance(raw, bytes) or not isinstance(at, int):
        return getattr(error, "message", None) or (str(error).splitlines() or [""])[0]
    before = raw[max(at - 40, 0) : at].decode("utf-8", errors="ignore").rpartition("\n")[2]
    after = raw[at : at + 40].decode("utf-8", errors="ignore").partition("\n")[0]
    return f"{why}, at the ^ in: {(before + '^' + after).strip()}"


def build_dataset(read: Iterable[tuple[GraphFile, Graph]]) -> Dataset:
    """Put parsed files into a Dataset whose default graph is the union of the named graphs."""
    from rdflib import Dataset, URIRef

    from wegokg.namespaces import PREFIXES

    dataset = Dataset(default_union=True)
    for item, graph in read:
        target = dataset.graph(URIRef(item.graph))
        for triple in graph:
            target.add(triple)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


def load(root: Path | str | Repository | None = None, extra_files: Iterable[Path] = ()) -> Dataset:
    """The whole graph, ontology plus data, as a Dataset with one named graph per source.

    ``root`` is a Repository, a folder, or None for the repository found from the current folder
    (see ``Repository.find``)."""
    return _repository(root, extra_files).dataset


def load_store(repository: Repository):
    """The whole graph in an in-memory pyoxigraph Store, one named graph per source, parsed by
    pyoxigraph without going through rdflib (about ten times faster on large data)."""
    import pyoxigraph

    from wegokg.progress import step

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
    store every embedded query runs over (see wegokg.query_dataset)."""
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


def first_document(path: Path) -> str | None:
    """The first source document a file describes; the descriptions open their files, so this
    reads only the start of the file."""
    import pyoxigraph

    classes = set(_DOCUMENT_CLASSES)
    try:
        with open_regular_file(path) as handle:
            for quad in pyoxigraph.parse(
                handle, format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()
            ):
                if quad.predicate.value == _RDF_TYPE and quad.object.value in classes:
                    return quad.subject.value
    except SyntaxError as error:
        raise LoadError(path, error.lineno, f"Turtle syntax error: {error.msg}") from None
    except OSError as error:
        raise UnreadableFileError(path, None, f"cannot read the file: {error}") from None
    return None


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


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


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
