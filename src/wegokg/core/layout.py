"""The layout of a wegokg repository: every folder and file of the dataset, and the named graph
each kind of file goes into, named here once (``Repository`` finds them on disk)."""

from __future__ import annotations

from wegokg.core.namespaces import GRAPH, ONTOLOGY_IRI, PREFIXES, WEGO

ONTOLOGY_FILE = "ontology/wego.ttl"
IMPORTS_FOLDER = "ontology/imports"
CURATED_FOLDER = "data/curated"
SOURCE_FOLDERS = ("data/articles", "data/reference")
TEXTS_FOLDER = "data/sources"
SHAPES_FOLDER = "shapes"
CHECKS_FOLDER = "shapes/checks"
QUERIES_FOLDER = "queries"
DOCS_FOLDER = "docs"
DIAGRAM_FILE = "data-model.svg"
# schema.org's own SHACL shapes, vendored from the release the schema.org view is checked against.
SCHEMAORG_SHAPES_FOLDER = "shapes/schemaorg/30.0"

# What a complete repository has, and what marks a folder as (part of) a wegokg checkout.
REQUIRED = (ONTOLOGY_FILE, CURATED_FOLDER, TEXTS_FOLDER, SHAPES_FOLDER, QUERIES_FOLDER)
MARKERS = (ONTOLOGY_FILE, CURATED_FOLDER, "data/articles", CHECKS_FOLDER)
ROOT_VARIABLE = "WEGOKG_ROOT"

CURATED_GRAPH = GRAPH + "curated"
EXTRA_GRAPH = GRAPH + "extra"
IMPORTS_GRAPH = GRAPH + "imports"
ONTOLOGY_GRAPH = ONTOLOGY_IRI
SOURCE_DOCUMENT_CLASSES = (WEGO + "NewsArticle", WEGO + "ReferenceDocument")
RDF_TYPE = PREFIXES["rdf"] + "type"
