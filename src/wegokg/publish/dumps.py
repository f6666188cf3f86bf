"""The published graphs in a pyoxigraph store, and the dumps pyoxigraph writes of them.

N-Triples, N-Quads, TriG, Turtle and RDF/XML are written by ``pyoxigraph.serialize`` from the
store, with no rdflib graph on the way (rdflib took 46 s to load and 102 s to write N-Triples at
7.3×10^5 quads; docs/performance.md). Every dump is the same bytes for the same input: the line
formats are sorted line by line (as the rdflib exports were), the grouped formats are written from
quads sorted by graph, then by their N-Quads text, so a subject's statements stay together.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from typing import TYPE_CHECKING

import pyoxigraph

from wegokg.core.errors import DataError
from wegokg.core.layout import IMPORTS_GRAPH
from wegokg.core.namespaces import PREFIXES
from wegokg.core.terms import (  # noqa: F401 (ntriples_lines is re-exported: publish writes it)
    ntriples_document,
    ntriples_lines,
    sorted_lines,
)

if TYPE_CHECKING:
    from rdflib import Dataset

_RDF_TYPE = PREFIXES["rdf"] + "type"
_XML_LOCAL_NAME = re.compile(r"[^\W\d][\w.-]*$")  # an element's local name ends the IRI
_FORMATS = {
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
}
FORMATS = frozenset(_FORMATS)


class ExportError(DataError, RuntimeError):
    """The dataset cannot be exported as asked."""


class PublishedStore:
    """The graphs to publish, every named graph but the imported vocabulary extracts, in a
    pyoxigraph store (whose default graph and imports graph are left out)."""

    def __init__(self, store: pyoxigraph.Store, graphs: tuple[str, ...]) -> None:
        self.store = store
        self.graphs = graphs  # the non-empty published graphs, sorted by IRI

    @cached_property
    def union_lines(self) -> list[bytes]:
        """The set union of the published graphs as N-Triples lines, sorted, each once (UTF-8
        byte order is code point order): the writer and the sort of ``ntriples_lines``, with the
        store dumping each graph in Rust, four times faster than serializing a CONSTRUCT's
        triples at 10^6."""
        written = io.BytesIO()
        for graph in self.graphs:
            self.store.dump(written, format=_FORMATS["ntriples"], from_graph=_node(graph))
        return sorted_lines(written.getvalue())

    def quads(self, graph: str) -> Iterator[pyoxigraph.Quad]:
        return self.store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph))

    def union_query(self, pattern: str) -> str:
        """A query over the set union of the published graphs: ``pattern`` binds ?s ?p ?o."""
        return pattern.replace(
            "{PUBLISHED}", f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{IMPORTS_GRAPH}>)"
        )

    def union_triples(self):
        """Each statement of the published graphs once (CONSTRUCT returns a set)."""
        return self.store.query(self.union_query("CONSTRUCT { ?s ?p ?o } WHERE { {PUBLISHED} }"))

    def count(self, select: str) -> int:
        """The number a ``SELECT (COUNT(...) AS ?n)`` over the published graphs gives."""
        for row in self.store.query(self.union_query(select)):
            return int(row[0].value)
        return 0


def published_store(source) -> PublishedStore:
    """The published graphs of ``source``, a pyoxigraph Store (as ``loading.load_store`` gives
    it) or an rdflib Dataset (copied into a store). A graph with a blank node is refused."""
    store = source if isinstance(source, pyoxigraph.Store) else store_of(source)
    published = PublishedStore(store, ())
    blank = published.union_query(
        "SELECT ?g WHERE { {PUBLISHED} FILTER(isBlank(?s) || isBlank(?o)) } ORDER BY ?g LIMIT 1"
    )
    for row in store.query(blank):
        raise ExportError(f"graph {row[0].value} holds blank nodes; give them IRIs")
    graphs = sorted(
        g.value
        for g in store.named_graphs()
        if isinstance(g, pyoxigraph.NamedNode)
        and g.value != IMPORTS_GRAPH
        and next(iter(store.quads_for_pattern(None, None, None, g)), None) is not None
    )
    return PublishedStore(store, tuple(graphs))


def store_of(dataset: Dataset) -> pyoxigraph.Store:
    """An rdflib Dataset's named graphs in a new pyoxigraph store, term by term."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from wegokg.core.terms import to_oxigraph as term

    store = pyoxigraph.Store()
    for graph in dataset.graphs():
        if graph.identifier == DATASET_DEFAULT_GRAPH_ID:
            continue  # the union of the others, which the store does not keep
        name = pyoxigraph.NamedNode(str(graph.identifier))
        store.extend(pyoxigraph.Quad(term(s), term(p), term(o), name) for s, p, o in graph)
    return store


def to_rdflib(store: pyoxigraph.Store, graphs) -> Dataset:
    """The named ``graphs`` of ``store`` as an rdflib Dataset (union default graph, our prefixes
    bound): for compacted JSON-LD, which only rdflib writes."""
    from rdflib import Dataset, URIRef

    from wegokg.core.terms import rdflib_converter

    term = rdflib_converter()

    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    for name in graphs:
        target = dataset.graph(URIRef(name))
        quads = store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(name))
        target.addN((term(q.subject), term(q.predicate), term(q.object), target) for q in quads)
    return dataset


def dump(published: PublishedStore, fmt: str) -> bytes:
    """One dump of the published graphs, by pyoxigraph; ``fmt`` is one of ``FORMATS``."""
    target = _FORMATS[fmt]
    if fmt == "ntriples":
        return ntriples_document(published.union_lines)
    if fmt == "nquads":
        everything = chain.from_iterable(published.quads(g) for g in published.graphs)
        return b"\n".join(sorted_lines(pyoxigraph.serialize(everything, format=target))) + b"\n"
    if fmt == "trig":
        ordered = chain.from_iterable(sorted(published.quads(g), key=str) for g in published.graphs)
    else:
        if fmt == "rdfxml":
            _check_xml_names(published)
        ordered = sorted(published.union_triples(), key=_subject_first)
    try:
        written = pyoxigraph.serialize(ordered, format=target, prefixes=PREFIXES)
    except (ValueError, OSError) as error:
        raise ExportError(f"{fmt} cannot be written: {error}") from None
    return _sorted_namespaces(written, fmt)


def _sorted_namespaces(written: bytes, fmt: str) -> bytes:
    """The prefix declarations in alphabetical order: pyoxigraph writes them in an order of its
    own, stable today, which these bytes should not depend on."""
    if fmt == "rdfxml":
        start = written.find(b"<rdf:RDF ")
        close = written.find(b">", start)
        opening = written[start + len(b"<rdf:RDF") : close]
        declarations = re.findall(rb' xmlns:[^=\s]+="[^"]*"', opening)
        if start < 0 or b"".join(declarations) != opening:
            return written  # a layout this does not know: keep it as it is
        return written[:start] + b"<rdf:RDF" + b"".join(sorted(declarations)) + written[close:]
    lines = written.split(b"\n")
    count = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix ")), 0)
    return b"\n".join(sorted(lines[:count]) + lines[count:])


def _check_xml_names(published: PublishedStore) -> None:
    """Refuse a property that RDF/XML cannot write as an element name (one that ends in ``/``,
    say): pyoxigraph would write ``<oxprefix:>``, which is not XML."""
    query = published.union_query("SELECT DISTINCT ?p WHERE { {PUBLISHED} } ORDER BY ?p")
    for row in published.store.query(query):
        if not _XML_LOCAL_NAME.search(row[0].value):
            raise ExportError(f"RDF/XML cannot write the property {row[0].value} as an XML name")


def _subject_first(triple: pyoxigraph.Triple) -> tuple[str, bool, str]:
    """Subjects in order, and rdf:type first among a subject's statements, as people read."""
    text = str(triple)
    subject = str(triple.subject)
    return subject, triple.predicate.value != _RDF_TYPE, text


def _node(iri: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(iri)


@dataclass(frozen=True)
class Statistics:
    """What VoID says of the published graphs: counts over their set union, and per graph."""

    triples: int
    subjects: int
    properties: int
    classes: dict[str, int]  # each class (the objects of rdf:type) and its distinct instances
    graphs: dict[str, int]  # each published graph and its statements


def statistics(published: PublishedStore) -> Statistics:
    store, union = published.store, published.union_query
    classes = {
        row[0].value: int(row[1].value)
        for row in store.query(
            union(
                f"SELECT ?o (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {{PUBLISHED}} "
                f"FILTER(?p = <{_RDF_TYPE}>) }} GROUP BY ?o"
            )
        )
    }
    graphs = {
        row[0].value: int(row[1].value)
        for row in store.query(
            union("SELECT ?g (COUNT(*) AS ?n) WHERE { {PUBLISHED} } GROUP BY ?g")
        )
    }
    return Statistics(
        triples=len(published.union_lines),
        subjects=published.count("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { {PUBLISHED} }"),
        properties=published.count("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { {PUBLISHED} }"),
        classes=classes,
        graphs=graphs,
    )
