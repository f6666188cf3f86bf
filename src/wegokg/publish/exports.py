"""Export the dataset in the common RDF formats, byte for byte the same for the same input.

Like schema.org's release build, every file is canonical: sorted statements, fixed prefixes, and
no timestamps (the version stamps a release, the build time never does). The quad formats (TriG,
N-Quads, JSON-LD) keep one named graph per source; the triple formats hold their union. A VoID and
DCAT description of the dataset is written beside the data, and the JSON-LD context is shipped as
a file of its own. Only quotes are published: the stored article texts are never exported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from wegokg.core.atomic_publish import OutputPathError, folder_target, publish_folder
from wegokg.core.errors import DataError, UsageError
from wegokg.core.iri import endpoint_problem
from wegokg.core.loading import IMPORTS_GRAPH
from wegokg.core.namespaces import BASE, DATASET_IRI, ONTOLOGY_IRI, PREFIXES, WEGO


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
SCHEMA_VIEW_CONTEXT = {"@vocab": PREFIXES["schema"], "xsd": PREFIXES["xsd"]}
DOWNLOAD_BASE = BASE + "download/"


class ExportError(DataError, RuntimeError):
    """The dataset cannot be exported as asked."""


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


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """One export format of an already published() dataset."""
    if fmt == "ntriples":
        return _sorted_lines(union(dataset).serialize(format="nt", encoding="utf-8"))
    if fmt == "nquads":
        return _sorted_lines(dataset.serialize(format="nquads", encoding="utf-8"))
    if fmt == "turtle":
        return union(dataset).serialize(format="turtle", encoding="utf-8")
    if fmt == "trig":
        return _trig(dataset)
    if fmt == "jsonld":
        return _jsonld(dataset)
    if fmt == "rdfxml":
        return _rdfxml(union(dataset))
    raise ExportError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)} or all")


def json_ld_context(ontology: Graph) -> dict:
    """Compact keys: prefixes, plain names for our own properties, language maps for names."""
    context: dict = {"id": "@id", "type": "@type"}
    context.update({prefix: namespace for prefix, namespace in PREFIXES.items()})
    for key, iri in (("label", RDFS.label), ("altLabel", PREFIXES["skos"] + "altLabel")):
        context[key] = {"@id": str(iri), "@container": "@language"}
    context["comment"] = {"@id": str(RDFS.comment), "@container": "@language"}
    for prop in sorted(ontology.subjects(RDF.type, OWL.ObjectProperty), key=str):
        if str(prop).startswith(WEGO):
            context[str(prop)[len(WEGO) :]] = {"@id": str(prop), "@type": "@id"}
    for prop in sorted(ontology.subjects(RDF.type, OWL.DatatypeProperty), key=str):
        if str(prop).startswith(WEGO):
            entry: dict = {"@id": str(prop)}
            ranges = list(ontology.objects(prop, RDFS.range))
            if len(ranges) == 1 and str(ranges[0]).startswith(str(XSD)) and ranges[0] != XSD.string:
                entry["@type"] = str(ranges[0])
            context[str(prop)[len(WEGO) :]] = entry
    return {"@context": context}


def describe(
    dataset: Dataset, files: dict[str, bytes], version: str, endpoint: str | None
) -> Graph:
    """The VoID and DCAT description of the dataset and of the files written."""
    void, dcat, dct = (PREFIXES[p] for p in ("void", "dcat", "dct"))
    everything = union(dataset)
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
    add(me, void + "triples", Literal(len(everything)))
    add(me, void + "distinctSubjects", Literal(len(set(everything.subjects()))))
    add(me, void + "properties", Literal(len(set(everything.predicates()))))
    classes = sorted(set(everything.objects(None, RDF.type)), key=str)
    add(me, void + "classes", Literal(len(classes)))
    add(me, void + "uriSpace", Literal(BASE + "id/"))
    add(me, void + "vocabulary", URIRef(ONTOLOGY_IRI))
    for example in ("city/seongnam", "organization/wego", "event/wego-general-assembly-5"):
        add(me, void + "exampleResource", URIRef(BASE + "id/" + example))
    if endpoint:
        add(me, void + "sparqlEndpoint", URIRef(endpoint))
    for cls in classes:
        if not str(cls).startswith(WEGO):
            continue
        part = URIRef(f"{DATASET_IRI}#class-{str(cls)[len(WEGO) :]}")
        add(me, void + "classPartition", part)
        add(part, void + "class", cls)
        add(part, void + "entities", Literal(len(set(everything.subjects(RDF.type, cls)))))
    for graph in sorted(dataset.graphs(), key=lambda x: str(x.identifier)):
        if len(graph) == 0:
            continue
        subset = URIRef(f"{DATASET_IRI}#graph-{_slug(str(graph.identifier))}")
        add(me, void + "subset", subset)
        add(subset, RDF.type, URIRef(void + "Dataset"))
        add(subset, dct + "source", graph.identifier)
        add(subset, void + "triples", Literal(len(graph)))
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
    dataset: Dataset,
    out_dir: Path,
    formats: Iterable[str],
    version: str,
    endpoint: str | None = None,
    views: Iterable[str] = (),
) -> list[Path]:
    """Write the chosen formats, the JSON-LD context and the VoID description into ``out_dir``,
    and each of ``views`` (``schema``: the schema.org view, wegokg-schema.jsonld) beside them.

    Everything is serialized in memory first, then published as one set (see publish): a reader
    of ``out_dir`` sees the whole old set or the whole new one, and an interrupted or failed
    export leaves no file behind. ``endpoint`` must be an absolute http(s) URL."""
    return publish(Path(out_dir), export_files(dataset, formats, version, endpoint, views))


def export_files(
    dataset: Dataset,
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
    data = published(dataset)
    files = {FORMATS[fmt].filename: serialize(data, fmt) for fmt in chosen}
    if "schema" in views:
        files[VIEW_FILES["schema"]] = schema_view_json_ld(dataset)
    if "jsonld" in chosen:
        context = json_ld_context(data.graph(URIRef(ONTOLOGY_IRI)))
        files[CONTEXT_FILE] = _json_bytes(context)
    description = describe(data, files, version, endpoint)
    files[DESCRIPTION_FILE] = description.serialize(format="turtle", encoding="utf-8")
    return files


OWN_FILES = frozenset(
    {f.filename for f in FORMATS.values()}
    | {CONTEXT_FILE, DESCRIPTION_FILE}
    | set(VIEW_FILES.values())
)


def schema_view_json_ld(dataset: Dataset) -> bytes:
    """The schema.org view of every resource as JSON-LD, schema.org as the default vocabulary
    (the context inline), sorted like every export."""
    from wegokg.publish.schema_view import schema_view

    view = schema_view(dataset)
    raw = view.serialize(format="json-ld", context=SCHEMA_VIEW_CONTEXT, auto_compact=True)
    value = canonical_json(json.loads(raw))
    value["@context"] = SCHEMA_VIEW_CONTEXT
    return _json_bytes(value)


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


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted({line for line in data.decode("utf-8").splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def _trig(dataset: Dataset) -> bytes:
    """TriG: the prefix block once, then each named graph's Turtle inside its graph block."""
    chunks = [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items()]
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(graph) == 0:
            continue
        copy = Graph()
        _bind(copy)
        for triple in graph:
            copy.add(triple)
        body = copy.serialize(format="turtle")
        lines = [line for line in body.splitlines() if not line.startswith("@prefix")]
        inner = "\n".join(f"    {line}" if line else "" for line in lines).strip("\n")
        chunks.append(f"\n<{graph.identifier}> {{\n{inner}\n}}")
    return ("\n".join(chunks) + "\n").encode("utf-8")


def _jsonld(dataset: Dataset) -> bytes:
    """JSON-LD with the context inline (no fetching), named graphs kept, everything sorted."""
    context = json_ld_context(dataset.graph(URIRef(ONTOLOGY_IRI)))
    raw = dataset.serialize(format="json-ld", context=context["@context"], auto_compact=True)
    return _json_bytes(canonical_json(json.loads(raw)))


def canonical_json(value):
    """The same JSON with every object's keys and every array sorted (no wegokg document holds an
    RDF list, whose order would matter)."""
    if isinstance(value, dict):
        return {k: canonical_json(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [canonical_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _json_bytes(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _rdfxml(graph: Graph) -> bytes:
    """Striped RDF/XML: one rdf:Description per subject, subjects and statements sorted."""
    namespaces = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

    def qname(iri: str) -> str:
        for prefix, namespace in namespaces:
            local = iri[len(namespace) :]
            starts_well = local and (local[0].isalpha() or local[0] == "_")
            if (
                iri.startswith(namespace)
                and starts_well
                and all(c.isalnum() or c in "_-." for c in local)
            ):
                return f"{prefix}:{local}"
        raise ExportError(f"RDF/XML cannot write the property {iri} as an XML name")

    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f'    xmlns:{p}="{escape(ns)}"' for p, ns in PREFIXES.items()]
    lines[-1] += ">"
    for subject in sorted(set(graph.subjects()), key=str):
        lines.append(f"  <rdf:Description rdf:about={quoteattr(str(subject))}>")
        for predicate, obj in sorted(graph.predicate_objects(subject)):
            name = qname(str(predicate))
            if isinstance(obj, URIRef):
                lines.append(f"    <{name} rdf:resource={quoteattr(str(obj))}/>")
                continue
            attributes = ""
            if obj.language:
                attributes = f" xml:lang={quoteattr(obj.language)}"
            elif obj.datatype:
                attributes = f" rdf:datatype={quoteattr(str(obj.datatype))}"
            text = escape(str(obj), {"\r": "&#13;"})
            lines.append(f"    <{name}{attributes}>{text}</{name}>")
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _slug(iri: str) -> str:
    tail = iri[len(BASE) :] if iri.startswith(BASE) else iri
    return "".join(ch if ch.isalnum() else "-" for ch in tail).strip("-")
