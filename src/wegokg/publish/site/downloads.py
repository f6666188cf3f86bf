"""The site's download/ folder: the dumps, the ontology and the shapes as files of their own,
their checksums, and the VoID and DCAT description that lists them with the query catalog and
the releases."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from wegokg.core.loading import IMPORTS_GRAPH, ONTOLOGY_GRAPH
from wegokg.core.namespaces import BASE, DATASET_IRI, PREFIXES
from wegokg.publish.examples import EXAMPLES_IRI
from wegokg.publish.release import Version, release_iri

VOID_PATH = ".well-known/void"


def add_downloads(
    files: dict[str, bytes],
    folder: dict[str, bytes],
    dataset: Dataset,
    shapes: Graph | None,
    releases: Sequence[Version] = (),
) -> list[tuple[str, str, int, str]]:
    """Add the dumps (``folder``, those of wegokg.export) and the vocabulary files under
    download/ to ``files``, extend the VoID description with them and with the query catalog,
    and list (path, what, size, sha)."""
    extra = {
        "wego.ttl": ("the ontology alone", [ONTOLOGY_GRAPH]),
        "wego-with-imports.ttl": ("the ontology with its imports", [ONTOLOGY_GRAPH, IMPORTS_GRAPH]),
    }
    for name, (_, graphs) in extra.items():
        folder[name] = turtle_of(dataset, graphs)
    if shapes is not None:
        folder["shapes.ttl"] = canonical_turtle(shapes)
        extra["shapes.ttl"] = ("the SHACL shapes, to validate the data", [])
    void = Graph().parse(data=folder["void.ttl"], format="turtle")
    describe_extras(void, folder, extra)
    describe_releases(void, releases)
    void_bytes = void.serialize(format="turtle", encoding="utf-8")
    folder["void.ttl"] = void_bytes
    files[VOID_PATH] = void_bytes

    what = {
        "wegokg.ttl": "Turtle (union of the graphs)",
        "wegokg.nt": "N-Triples",
        "wegokg.nq": "N-Quads (named graphs)",
        "wegokg.trig": "TriG (named graphs)",
        "wegokg.jsonld": "JSON-LD (named graphs)",
        "wegokg.rdf": "RDF/XML",
        "context.jsonld": "the JSON-LD context",
        "void.ttl": "VoID and DCAT description",
    }
    what.update({name: about for name, (about, _) in extra.items()})
    listing = []
    sums = []
    for name, content in sorted(folder.items()):
        digest = hashlib.sha256(content).hexdigest()
        sums.append(f"{digest}  {name}\n")
        listing.append((f"download/{name}", what.get(name, ""), len(content), digest))
        files[f"download/{name}"] = content
    files["download/SHA256SUMS"] = "".join(sums).encode("utf-8")
    catalog_bytes = files["queries/catalog.ttl"]
    listing.append(
        (
            "queries/catalog.ttl",
            "the query catalog as RDF (sparql-examples)",
            len(catalog_bytes),
            hashlib.sha256(catalog_bytes).hexdigest(),
        )
    )
    return listing


def describe_extras(void: Graph, folder: dict[str, bytes], extra: dict) -> None:
    dcat, void_ns = PREFIXES["dcat"], PREFIXES["void"]
    me = URIRef(DATASET_IRI)
    for name in extra:
        content = folder[name]
        distribution = URIRef(f"{DATASET_IRI}#download-{name.replace('.', '-')}")
        void.add((me, URIRef(dcat + "distribution"), distribution))
        void.add((distribution, RDF.type, URIRef(dcat + "Distribution")))
        void.add((distribution, DCTERMS.title, Literal(extra[name][0], lang="en")))
        void.add((distribution, URIRef(dcat + "downloadURL"), URIRef(BASE + "download/" + name)))
        void.add((distribution, URIRef(dcat + "mediaType"), Literal("text/turtle")))
        void.add((distribution, URIRef(dcat + "byteSize"), Literal(len(content))))
    examples = URIRef(EXAMPLES_IRI)
    void.add((me, RDFS.seeAlso, examples))
    void.add((examples, RDF.type, URIRef(dcat + "Distribution")))
    void.add((examples, DCTERMS.title, Literal("The query catalog as sparql-examples", lang="en")))
    void.add((examples, URIRef(dcat + "downloadURL"), URIRef(BASE + "queries/catalog.ttl")))
    void.add((examples, URIRef(dcat + "mediaType"), Literal("text/turtle")))
    void.add((me, URIRef(void_ns + "rootResource"), URIRef(BASE + "id/organization/wego")))


def describe_releases(void: Graph, releases: Sequence[Version]) -> None:
    """Every release as a dcat:Dataset version of the dataset, each linked to the one before it
    and to its own DCAT description (releases/VERSION/release.ttl)."""
    dcat = PREFIXES["dcat"]
    me = URIRef(DATASET_IRI)
    for index, release in enumerate(releases):
        version = release_iri(release.number)
        void.add((me, URIRef(dcat + "hasVersion"), version))
        void.add((version, RDF.type, URIRef(dcat + "Dataset")))
        void.add((version, URIRef(dcat + "version"), Literal(release.number)))
        void.add((version, RDFS.seeAlso, URIRef(f"{BASE}releases/{release.number}/release.ttl")))
        if index + 1 < len(releases):
            previous = release_iri(releases[index + 1].number)
            void.add((version, URIRef(dcat + "previousVersion"), previous))


def turtle_of(dataset: Dataset, graphs: list[URIRef]) -> bytes:
    merged = Graph()
    for identifier in graphs:
        for triple in dataset.graph(identifier):
            merged.add(triple)
    return canonical_turtle(merged)


def canonical_turtle(graph: Graph) -> bytes:
    ordered = Graph()
    for prefix, namespace in PREFIXES.items():
        ordered.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(graph):
        ordered.add(triple)
    return ordered.serialize(format="turtle", encoding="utf-8")
