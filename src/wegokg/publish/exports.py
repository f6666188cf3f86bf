"""Export the dataset in the common RDF formats, byte for byte the same for the same input.

Like schema.org's release build, every file is canonical: sorted statements, fixed prefixes, and
no timestamps (the version stamps a release, the build time never does). The quad formats (TriG,
N-Quads, JSON-LD) keep one named graph per source; the triple formats hold their union. A VoID and
DCAT description of the dataset is written beside the data, and the JSON-LD context is shipped as
a file of its own. Only quotes are published: the stored article texts are never exported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from wegokg.core.atomic_publish import OutputPathError, folder_target, publish_folder
from wegokg.core.errors import UsageError
from wegokg.core.iri import endpoint_problem
from wegokg.core.loading import IMPORTS_GRAPH
from wegokg.core.namespaces import BASE, DATASET_IRI, ONTOLOGY_IRI, PREFIXES, WEGO
from wegokg.publish.dumps import FORMATS as DUMPS
from wegokg.publish.dumps import (
    ExportError,
    PublishedStore,
    dump,
    published_store,
    statistics,
    to_rdflib,
)
from wegokg.publish.json_ld import (  # noqa: F401 (canonical_json: the site's, from here)
    SCHEMA_VIEW_CONTEXT,
    canonical_json,
    json_bytes,
    json_ld_context,
    json_ld_document,
    schema_view_json_ld,
)


@dataclass(frozen=True)
class Format:
    name: str
    filename: str
    media_type: str
    quads: bool


FORMATS = {
    f.name: f
    for f in (
        Format("turtle", "wegokg.ttl", "text/turtle", False),
        Format("ntriples", "wegokg.nt", "application/n-triples", False),
        Format("nquads", "wegokg.nq", "application/n-quads", True),
        Format("trig", "wegokg.trig", "application/trig", True),
        Format("jsonld", "wegokg.jsonld", "application/ld+json", True),
        Format("rdfxml", "wegokg.rdf", "application/rdf+xml", False),
    )
}
CONTEXT_FILE = "context.jsonld"
DESCRIPTION_FILE = "void.ttl"
# The views that `--view` adds beside the full graph, each one file (wegokg.publish.schema_view).
VIEW_FILES = {"schema": "wegokg-schema.jsonld"}
DOWNLOAD_BASE = BASE + "download/"


class ExportFolderError(UsageError, ExportError):
    """The output folder chosen with -o cannot take the export (as for ``site``: exit 2)."""


def published(dataset: Dataset) -> Dataset:
    """The dataset to publish: every named graph but the imported vocabulary extracts, with the
    statements inserted in sorted order."""
    out = Dataset(default_union=True)
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if graph.identifier == IMPORTS_GRAPH or len(graph) == 0:
            continue
        if any(isinstance(t, BNode) for triple in graph for t in triple):
            raise ExportError(f"graph {graph.identifier} holds blank nodes; give them IRIs")
        target = out.graph(graph.identifier)
        for triple in sorted(graph):
            target.add(triple)
    _bind(out)
    return out


def union(dataset: Dataset) -> Graph:
    graph = Graph()
    for triple in sorted(set(dataset.triples((None, None, None)))):
        graph.add(triple)
    _bind(graph)
    return graph


def serialize(data: PublishedStore, fmt: str) -> bytes:
    """One export format of the published graphs (see ``dumps.published_store``)."""
    if fmt == "jsonld":
        return json_ld_document(to_rdflib(data.store, data.graphs))
    if fmt in DUMPS:
        return dump(data, fmt)
    raise ExportError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)} or all")


def describe(
    data: PublishedStore, files: dict[str, bytes], version: str, endpoint: str | None
) -> Graph:
    """The VoID and DCAT description of the published graphs and of the files written."""
    void, dcat, dct = (PREFIXES[p] for p in ("void", "dcat", "dct"))
    me = URIRef(DATASET_IRI)
    g = Graph()
    _bind(g)

    def add(s, p, o):
        g.add((URIRef(s) if isinstance(s, str) else s, URIRef(p), o))

    add(me, RDF.type, URIRef(void + "Dataset"))
    add(me, RDF.type, URIRef(dcat + "Dataset"))
    add(me, dct + "title", Literal("WeGO Knowledge Graph", lang="en"))
    add(me, dct + "title", Literal("WeGO 지식 그래프", lang="ko"))
    add(
        me,
        dct + "description",
        Literal(
            "A bilingual (Korean and English) knowledge graph about WeGO, the World Smart "
            "Sustainable Cities Organization, built from two Korean news articles; every fact "
            "carries its source and a verbatim quote.",
            lang="en",
        ),
    )
    add(me, dct + "license", URIRef("https://creativecommons.org/licenses/by/4.0/"))
    add(me, OWL.versionInfo, Literal(version))
    stats = statistics(data)
    add(me, void + "triples", Literal(stats.triples))
    add(me, void + "distinctSubjects", Literal(stats.subjects))
    add(me, void + "properties", Literal(stats.properties))
    add(me, void + "classes", Literal(len(stats.classes)))
    add(me, void + "uriSpace", Literal(BASE + "id/"))
    add(me, void + "vocabulary", URIRef(ONTOLOGY_IRI))
    for example in ("city/seongnam", "organization/wego", "event/wego-general-assembly-5"):
        add(me, void + "exampleResource", URIRef(BASE + "id/" + example))
    if endpoint:
        add(me, void + "sparqlEndpoint", URIRef(endpoint))
    for cls, entities in sorted(stats.classes.items()):
        if not cls.startswith(WEGO):
            continue
        part = URIRef(f"{DATASET_IRI}#class-{cls[len(WEGO) :]}")
        add(me, void + "classPartition", part)
        add(part, void + "class", URIRef(cls))
        add(part, void + "entities", Literal(entities))
    for graph, triples in sorted(stats.graphs.items()):
        subset = URIRef(f"{DATASET_IRI}#graph-{_slug(graph)}")
        add(me, void + "subset", subset)
        add(subset, RDF.type, URIRef(void + "Dataset"))
        add(subset, dct + "source", URIRef(graph))
        add(subset, void + "triples", Literal(triples))
    for name, content in sorted(files.items()):
        fmt = next((f for f in FORMATS.values() if f.filename == name), None)
        distribution = URIRef(f"{DATASET_IRI}#download-{name.replace('.', '-')}")
        add(me, dcat + "distribution", distribution)
        add(distribution, RDF.type, URIRef(dcat + "Distribution"))
        add(distribution, dcat + "downloadURL", URIRef(DOWNLOAD_BASE + name))
        media = fmt.media_type if fmt else "application/ld+json"
        add(distribution, dcat + "mediaType", Literal(media))
        add(distribution, dcat + "byteSize", Literal(len(content)))
    return g


def export(
    source: Dataset | pyoxigraph.Store,
    out_dir: Path,
    formats: Iterable[str],
    version: str,
    endpoint: str | None = None,
    views: Iterable[str] = (),
) -> list[Path]:
    """Write the chosen formats of ``source`` (a pyoxigraph Store as ``loading.load_store`` gives
    it, or an rdflib Dataset), the JSON-LD context and the VoID description into ``out_dir``,
    and each of ``views`` (``schema``: the schema.org view, wegokg-schema.jsonld) beside them.

    Everything is serialized in memory first, then published as one set (see publish): a reader
    of ``out_dir`` sees the whole old set or the whole new one, and an interrupted or failed
    export leaves no file behind. ``endpoint`` must be an absolute http(s) URL."""
    return publish(Path(out_dir), export_files(source, formats, version, endpoint, views))


def export_files(
    source: Dataset | pyoxigraph.Store,
    formats: Iterable[str],
    version: str,
    endpoint: str | None = None,
    views: Iterable[str] = (),
) -> dict[str, bytes]:
    """The files that ``export`` writes, by name, in memory."""
    if endpoint is not None and (problem := endpoint_problem(endpoint)):
        raise ExportError(f"the endpoint to name in void.ttl: {problem}")
    chosen = list(FORMATS) if "all" in formats else list(dict.fromkeys(formats))
    for fmt in chosen:
        if fmt not in FORMATS:
            raise ExportError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)} or all")
    views = list(views)
    for view in views:
        if view not in VIEW_FILES:
            raise ExportError(f"unknown view {view!r}; choose from {', '.join(VIEW_FILES)}")
    data = published_store(source)
    files = {FORMATS[fmt].filename: serialize(data, fmt) for fmt in chosen}
    if "schema" in views:
        files[VIEW_FILES["schema"]] = schema_view_json_ld(
            source if isinstance(source, Dataset) else to_rdflib(source, _all_graphs(source))
        )
    if "jsonld" in chosen:
        context = json_ld_context(to_rdflib(data.store, [ONTOLOGY_IRI]).graph(URIRef(ONTOLOGY_IRI)))
        files[CONTEXT_FILE] = json_bytes(context)
    description = describe(data, files, version, endpoint)
    files[DESCRIPTION_FILE] = description.serialize(format="turtle", encoding="utf-8")
    return files


OWN_FILES = frozenset(
    {f.filename for f in FORMATS.values()}
    | {CONTEXT_FILE, DESCRIPTION_FILE}
    | set(VIEW_FILES.values())
)


def publish(
    out_dir: Path, files: dict[str, bytes], own: frozenset[str] | None = None
) -> list[Path]:
    """Make ``out_dir`` hold exactly ``files``, replacing the previous set in one step
    (wegokg.core.atomic_publish: a reader sees the whole old set or the whole new one, and SIGINT,
    SIGTERM or SIGHUP leave nothing behind). Files get the permissions of the umask, like any
    file a tool writes. ``out_dir`` must hold nothing but an earlier export (files named in
    ``own``, by default the files an export writes), since the whole folder is replaced."""
    out_dir = check_export_folder(out_dir, OWN_FILES if own is None else own)
    publish_folder(out_dir, files, "export")
    return [out_dir / name for name in sorted(files)]


def check_export_folder(out_dir: Path, own: frozenset[str] = OWN_FILES) -> Path:
    """The real path of ``out_dir`` if an export may replace it: new, or holding nothing but an
    earlier export (files named in ``own``); else an ExportFolderError (exit 2). Cheap, so the
    command checks first. A symbolic link to a folder is written through, as every output is."""
    try:
        out_dir = folder_target(out_dir)
    except OutputPathError as error:
        raise ExportFolderError(str(error)) from None
    if out_dir.exists():
        foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in own)
        if foreign:
            raise ExportFolderError(
                f"{out_dir} holds files that export did not write ({', '.join(foreign[:5])}); "
                "export replaces the whole folder, so choose a new or export-only folder with -o"
            )
    return out_dir


def _bind(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def _all_graphs(store: pyoxigraph.Store) -> list[str]:
    return sorted(g.value for g in store.named_graphs() if isinstance(g, pyoxigraph.NamedNode))


def _slug(iri: str) -> str:
    tail = iri[len(BASE) :] if iri.startswith(BASE) else iri
    return "".join(ch if ch.isalnum() else "-" for ch in tail).strip("-")
