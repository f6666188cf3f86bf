"""Parsing: one Turtle file into a graph with located syntax errors, the files into an rdflib
Dataset with one named graph each, and the source document a file describes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wegokg.core.file_reading import (
    LoadError,
    UnreadableFileError,
    open_regular_file,
    read_regular_file,
    read_utf8,
)
from wegokg.core.layout import SOURCE_DOCUMENT_CLASSES

if TYPE_CHECKING:
    from rdflib import Dataset, Graph


@dataclass(frozen=True)
class GraphFile:
    """One Turtle file and the named graph it is loaded into."""

    path: Path
    graph: str
    kind: str  # "ontology", "imports", "curated", "source" or "extra"


def source_graph_iri(path: Path, graph: Graph) -> str:
    """The IRI of the one source document that a source file describes."""
    from rdflib import URIRef
    from rdflib.namespace import RDF

    documents = sorted(
        {str(s) for cls in SOURCE_DOCUMENT_CLASSES for s in graph.subjects(RDF.type, URIRef(cls))}
    )
    if len(documents) != 1:
        found = ", ".join(documents) or "none"
        raise LoadError(
            path,
            None,
            "a source file must describe exactly one wego:NewsArticle or wego:ReferenceDocument "
            f"(found {found})",
        )
    return documents[0]


_PARSED: dict[tuple, Graph] = {}  # (path, SHA-256 of its bytes) of each file -> the graph


def parse_once(paths: tuple[Path, ...]) -> Graph:
    """The files parsed into one graph, once per process for the same bytes: a server, a test
    suite or a script that validates many times parses the vocabulary and the shapes once. A file
    that cannot be read is parsed anyway, for parse_turtle's located error."""
    import hashlib

    from rdflib import Graph

    try:
        key = tuple((str(p), hashlib.sha256(read_regular_file(p)).digest()) for p in paths)
    except UnreadableFileError:
        key = None
    if key is not None and key in _PARSED:
        return _PARSED[key]
    graph = Graph()
    for path in paths:
        parse_turtle(path, graph)
    if key is not None:
        if len(_PARSED) >= 8:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = graph
    return graph


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def parse_turtle(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one Turtle file, turning syntax errors into a LoadError with the line number."""
    from rdflib import Graph

    import wegokg.core.rdflib_quiet  # noqa: F401 (ill-typed literals are reported by the shapes instead)

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
    from rdflib import URIRef

    from wegokg.core.iri import iri_problem

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

    from wegokg.core.namespaces import PREFIXES

    dataset = Dataset(default_union=True)
    for item, graph in read:
        target = dataset.graph(URIRef(item.graph))
        for triple in graph:
            target.add(triple)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


def first_document(path: Path) -> str | None:
    """The first source document a file describes; the descriptions open their files, so this
    reads only the start of the file."""
    import pyoxigraph

    classes = set(SOURCE_DOCUMENT_CLASSES)
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
