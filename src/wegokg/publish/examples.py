"""The query catalog as RDF, in the form of sib-swiss/sparql-examples.

Each stored query becomes an ``sh:SPARQLExecutable`` (and ``sh:SPARQLSelectExecutable``) with its
text in ``sh:select`` (parameters bound to their defaults, so that it runs as it stands), its
titles as ``rdfs:label`` in English and Korean, its description as ``rdfs:comment``, its keywords
as ``schema:keywords`` and the endpoint it is meant for as ``schema:target``. The ``.rq`` files in
queries/ stay the source; this is a view of them.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from wegokg.core.namespaces import BASE, PREFIXES
from wegokg.query.catalog import QueryCatalog

EXAMPLES_IRI = BASE + ".well-known/sparql-examples"
EXAMPLE_NAMESPACE = EXAMPLES_IRI + "/"
SH = PREFIXES["sh"]
SCHEMA = PREFIXES["schema"]


def example_iri(name: str) -> URIRef:
    return URIRef(EXAMPLE_NAMESPACE + name)


def catalog_graph(catalog: QueryCatalog, endpoint: str) -> Graph:
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("schema", SCHEMA)
    graph.bind("rdfs", str(RDFS))
    graph.bind("ex", EXAMPLE_NAMESPACE)
    for stored in catalog:
        me = example_iri(stored.name)
        graph.add((me, RDF.type, URIRef(SH + "SPARQLExecutable")))
        graph.add((me, RDF.type, URIRef(SH + "SPARQLSelectExecutable")))
        graph.add((me, RDFS.label, Literal(stored.title, lang="en")))
        graph.add((me, RDFS.label, Literal(stored.title_ko, lang="ko")))
        graph.add((me, RDFS.comment, Literal(stored.description, lang="en")))
        graph.add((me, URIRef(SH + "select"), Literal(stored.render())))
        graph.add((me, URIRef(SCHEMA + "target"), URIRef(endpoint)))
        for keyword in stored.keywords:
            graph.add((me, URIRef(SCHEMA + "keywords"), Literal(keyword)))
    return graph
