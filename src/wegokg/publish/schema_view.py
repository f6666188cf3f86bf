"""The schema.org view: what a generic schema.org consumer needs to read each resource, derived
from the alignments of the ontology (wegokg.publish.alignments) with no second mapping written
by hand.

For a resource it states the schema.org types that its classes are narrower than or equal to
(the most specific ones), the values of every property under the schema.org properties it is
narrower than or equal to, schema:name from rdfs:label (schema.org itself declares schema:name a
sub-property of rdfs:label, and our labels are the names, one per language), and schema:subjectOf
each source document that states something about it. The full graph keeps its own vocabulary:
the view adds statements and never removes one. ``check_against_schemaorg`` validates a view
with schema.org's own SHACL shapes (shapes/schemaorg/README.md says how they are read).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from wegokg.core.loading import IMPORTS_GRAPH, ONTOLOGY_GRAPH
from wegokg.core.namespaces import PREFIXES, WEGO
from wegokg.publish.alignments import SCHEMA

SUBJECT_OF = URIRef(SCHEMA + "subjectOf")
DERIVED_FROM = URIRef(PREFIXES["prov"] + "wasDerivedFrom")
SOURCE_DOCUMENT = URIRef(WEGO + "SourceDocument")
SCHEMA_HTTP = "http://schema.org/"
# schema.org's data types: their released shapes say sh:BlankNodeOrIRI where the generator means
# sh:IRIOrLiteral (shapes/schemaorg/README.md).
DATA_TYPES = (
    "Boolean", "CssSelectorType", "DataType", "Date", "DateTime", "Float", "Integer", "Number",
    "PronounceableText", "Text", "Time", "URL", "XPathType",
)  # fmt: skip
SHAPES_FILE = "schemaorg-shapes.shacl"
SUBCLASSES_FILE = "schemaorg-subclasses.shacl"


class SchemaMapping:
    """Which schema.org types and properties each term of the vocabulary stands under."""

    def __init__(self, vocabulary: Graph) -> None:
        self.vocabulary = vocabulary
        self._filled_from: dict[URIRef, set[URIRef]] = defaultdict(set)
        for narrower, broader in vocabulary.subject_objects(RDFS.subPropertyOf):
            if _is_schema(narrower) and not _is_schema(broader) and not _is_ours(broader):
                self._filled_from[broader].add(narrower)
        self._types: dict[URIRef, frozenset[URIRef]] = {}
        self._properties: dict[URIRef, frozenset[URIRef]] = {}

    def types(self, classes: Iterable[URIRef]) -> set[URIRef]:
        """The most specific schema.org types of a resource of ``classes``."""
        found: set[URIRef] = set()
        for cls in classes:
            if cls not in self._types:
                self._types[cls] = frozenset(
                    self._schema_terms(cls, (RDFS.subClassOf, OWL.equivalentClass))
                )
            found |= self._types[cls]
        broader = {b for t in found for b in self._schema_terms(t, (RDFS.subClassOf,)) if b != t}
        return found - broader

    def properties(self, predicate: URIRef) -> frozenset[URIRef]:
        """The schema.org properties that a statement with ``predicate`` is also stated with."""
        if predicate not in self._properties:
            found = self._schema_terms(predicate, (RDFS.subPropertyOf, OWL.equivalentProperty))
            self._properties[predicate] = frozenset(found | self._filled_from[predicate])
        return self._properties[predicate]

    def _schema_terms(self, start: URIRef, links: tuple[URIRef, ...]) -> set[URIRef]:
        found, seen, todo = set(), set(), [start]
        while todo:
            term = todo.pop()
            if term in seen or not isinstance(term, URIRef):
                continue
            seen.add(term)
            if _is_schema(term):
                found.add(term)
            for link in links:
                todo.extend(self.vocabulary.objects(term, link))
        return found


def mapping_of(dataset: Dataset) -> SchemaMapping:
    vocabulary = Graph()
    for identifier in (ONTOLOGY_GRAPH, IMPORTS_GRAPH):
        for triple in dataset.graph(identifier):
            vocabulary.add(triple)
    return SchemaMapping(vocabulary)


def describe(
    dataset: Dataset, iri: URIRef, mapping: SchemaMapping, documents: frozenset[URIRef]
) -> Iterator[tuple]:
    """The schema.org statements about ``iri``; ``documents`` are the source documents
    (source_documents)."""
    types = set(dataset.objects(iri, RDF.type))
    for schema_type in sorted(mapping.types(t for t in types if isinstance(t, URIRef))):
        yield (iri, RDF.type, schema_type)
    for predicate, value in dataset.predicate_objects(iri):
        if predicate == RDF.type:
            continue
        for schema_property in mapping.properties(predicate):
            yield (iri, schema_property, value)
    for source in sorted(_sources(dataset, iri, documents) - {iri}):
        yield (iri, SUBJECT_OF, source)


def _sources(dataset: Dataset, iri: URIRef, documents: frozenset[URIRef]) -> set[URIRef]:
    """The source documents that state something about ``iri``: the named graphs its statements
    are in, when such a graph is a source's, and the sources it says it is derived from."""
    graphs = {
        graph.identifier if isinstance(graph, Graph) else graph
        for _, _, _, graph in dataset.quads((iri, None, None, None))
    }
    derived = set(dataset.objects(iri, DERIVED_FROM))
    return {s for s in graphs | derived if s in documents}


def source_documents(dataset: Dataset) -> frozenset[URIRef]:
    """Every resource typed with wego:SourceDocument or a subclass of it."""
    classes = set(dataset.transitive_subjects(RDFS.subClassOf, SOURCE_DOCUMENT))
    return frozenset(s for c in classes for s in dataset.subjects(RDF.type, c))


def schema_view(dataset: Dataset, subjects: Iterable[URIRef] | None = None) -> Graph:
    """The schema.org view of ``subjects`` (default: every resource of the data, not the
    vocabulary's terms), as a graph of its own."""
    mapping = mapping_of(dataset)
    if subjects is None:
        vocabulary = set(mapping.vocabulary.subjects())
        subjects = {
            s
            for g in dataset.graphs()
            if g.identifier not in (ONTOLOGY_GRAPH, IMPORTS_GRAPH)
            for s in g.subjects()
            if isinstance(s, URIRef) and s not in vocabulary
        }
    documents = source_documents(dataset)
    view = Graph()
    view.bind("schema", SCHEMA, override=True, replace=True)
    for iri in sorted(subjects):
        for triple in describe(dataset, iri, mapping, documents):
            view.add(triple)
    return view


# -- schema.org's own SHACL shapes ---------------------------------------------------------------


@dataclass(frozen=True)
class SchemaOrgReport:
    conforms: bool
    text: str


def check_against_schemaorg(view: Graph, shapes_folder: Path) -> SchemaOrgReport:
    """Validate ``view`` with the schema.org shapes vendored in ``shapes_folder``, as schema.org
    validates its own examples (the subclass tree as the ontology graph, RDFS inference): its
    https://schema.org/ IRIs read as http://schema.org/, and the data types' shapes read with
    sh:IRIOrLiteral, as their generator means."""
    import warnings

    import pyshacl

    shapes, subclasses = _schemaorg_shapes(Path(shapes_folder))
    with warnings.catch_warnings():
        # schema.org's shapes refer to each other in cycles (Place in Place), which pySHACL
        # follows to a depth and then notes; the cut-off is not a finding.
        warnings.simplefilter("ignore")
        conforms, _, text = pyshacl.validate(
            as_http_schema(view),
            shacl_graph=shapes,
            ont_graph=subclasses,
            inference="rdfs",
            abort_on_first=False,
        )
    return SchemaOrgReport(bool(conforms), text)


def as_http_schema(graph: Graph) -> Graph:
    """The same graph with every https://schema.org/ IRI written http://schema.org/."""
    out = Graph()

    def http(term):
        if isinstance(term, URIRef) and str(term).startswith(SCHEMA):
            return URIRef(SCHEMA_HTTP + str(term)[len(SCHEMA) :])
        return term

    for triple in graph:
        out.add(tuple(http(t) for t in triple))
    return out


@cache
def _schemaorg_shapes(folder: Path) -> tuple[Graph, Graph]:
    shapes = Graph().parse(folder / SHAPES_FILE, format="turtle")
    sh = URIRef("http://www.w3.org/ns/shacl#")
    node_kind = URIRef(sh + "nodeKind")
    for name in DATA_TYPES:
        for shape in shapes.subjects(URIRef(sh + "targetClass"), URIRef(SCHEMA_HTTP + name)):
            shapes.set((shape, node_kind, URIRef(sh + "IRIOrLiteral")))
    subclasses = Graph().parse(folder / SUBCLASSES_FILE, format="turtle")
    return shapes, subclasses


def _is_schema(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(SCHEMA)


def _is_ours(term) -> bool:
    return str(term).startswith(WEGO)


__all__ = [
    "SchemaMapping",
    "SchemaOrgReport",
    "as_http_schema",
    "check_against_schemaorg",
    "describe",
    "mapping_of",
    "schema_view",
    "source_documents",
]
