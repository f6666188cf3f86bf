"""Citable releases: ``wegokg release`` writes one folder per version, byte for byte the same for
the same version and data.

A release folder holds every dump of ``wegokg export`` with the schema.org view, the ontology
alone and with its imports, the SHACL shapes, the query catalog as RDF (sparql-examples),
``release.ttl`` (DCAT: the version as a dcat:Dataset, a dcat:Distribution per file, and
dcat:previousVersion to the version before it) and ``SHA256SUMS`` over every other file. The
versions and their dates come from CHANGELOG.md (Keep a Changelog), never from the clock.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, XSD

from wegokg.core.errors import DataError, UsageError
from wegokg.core.loading import IMPORTS_GRAPH, ONTOLOGY_GRAPH
from wegokg.core.namespaces import BASE, DATASET_IRI, DEFAULT_ENDPOINT, PREFIXES
from wegokg.publish.exports import (
    ExportError,
    export_files,
    publish,
)

if TYPE_CHECKING:
    from wegokg.core.repository import Repository

DCAT = PREFIXES["dcat"]
RELEASES_BASE = BASE + "releases/"
DESCRIPTION_FILE = "release.ttl"
SUMS_FILE = "SHA256SUMS"
CHANGELOG_FILE = "CHANGELOG.md"
MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
}
WHAT = {
    "wego.ttl": "The ontology alone",
    "wego-with-imports.ttl": "The ontology with the extracts of the vocabularies it reuses",
    "shapes.ttl": "The SHACL shapes, to validate the data",
    "catalog.ttl": "The query catalog as sparql-examples",
    "wegokg-schema.jsonld": "The schema.org view",
    "context.jsonld": "The JSON-LD context",
    "void.ttl": "VoID and DCAT description of the dumps",
    SUMS_FILE: "SHA-256 sums of the release's files",
}
_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?\s*$")


class ReleaseError(DataError, RuntimeError):
    """A release cannot be made from this repository (no CHANGELOG entry for the version)."""


class ReleaseFolderError(UsageError, ReleaseError):
    """The output folder cannot take the release."""


@dataclass(frozen=True)
class Version:
    number: str
    date: str | None


def changelog_versions(changelog: Path) -> list[Version]:
    """The versions of a Keep a Changelog file, newest first, without [Unreleased]."""
    try:
        text = changelog.read_text(encoding="utf-8")
    except OSError as error:
        raise ReleaseError(f"cannot read {changelog}: {error.strerror or error}") from None
    found = []
    for line in text.splitlines():
        match = _HEADING.match(line)
        if match and match["version"].lower() != "unreleased":
            found.append(Version(match["version"], match["date"]))
    return found


def repository_releases(repository: Repository) -> list[Version]:
    """The versions of the repository's CHANGELOG.md, newest first (none without the file)."""
    changelog = repository.path(CHANGELOG_FILE)
    return changelog_versions(changelog) if changelog.is_file() else []


def release_repository(repository: Repository, out_dir: Path, version: str) -> Path:
    """``build_release`` of the repository's data, shapes, query catalog and CHANGELOG.md."""
    from wegokg.publish.examples import catalog_graph
    from wegokg.query.catalog import QueryCatalog

    return build_release(
        repository.dataset,
        out_dir,
        version=version,
        changelog=repository.path(CHANGELOG_FILE),
        shapes=repository.shapes,
        catalog_rdf=catalog_graph(QueryCatalog.from_repository(repository), DEFAULT_ENDPOINT),
    )


def release_iri(version: str) -> URIRef:
    return URIRef(f"{DATASET_IRI}/{version}")


def build_release(
    dataset: Dataset,
    out_dir: Path,
    *,
    version: str,
    changelog: Path,
    shapes: Graph,
    catalog_rdf: Graph,
) -> Path:
    """Write the release of ``version`` into ``out_dir/<version>/`` (replacing an earlier build of
    the same version there) and return that folder. ``version`` must have a dated entry in
    ``changelog``; the entry after it is its dcat:previousVersion."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ReleaseFolderError(f"{out_dir} exists and is not a folder; choose another with -o")
    files = release_files(
        dataset,
        version=version,
        versions=changelog_versions(changelog),
        shapes=shapes,
        catalog_rdf=catalog_rdf,
        changelog_name=changelog.name,
    )
    target = out_dir / version
    try:
        publish(target, files, own=frozenset(files))
    except ExportError as error:
        raise ReleaseFolderError(str(error)) from None
    return target


def release_files(
    dataset: Dataset,
    *,
    version: str,
    versions: list[Version],
    shapes: Graph,
    catalog_rdf: Graph,
    changelog_name: str = CHANGELOG_FILE,
) -> dict[str, bytes]:
    """The files of the release of ``version``, by name, in memory; ``versions`` are the
    changelog's, newest first."""
    numbers = [v.number for v in versions]
    if version not in numbers:
        raise ReleaseError(
            f"{changelog_name} has no entry '## [{version}] - YYYY-MM-DD'; "
            "add one for this version before releasing it"
        )
    index = numbers.index(version)
    this = versions[index]
    if this.date is None:
        raise ReleaseError(f"{changelog_name}: the entry of {version} needs its release date")
    previous = versions[index + 1].number if index + 1 < len(versions) else None

    try:
        files = export_files(dataset, ["all"], version, views=["schema"])
    except ExportError as error:
        raise ReleaseError(f"the dumps cannot be exported: {error}") from None
    files["wego.ttl"] = _canonical_turtle(_graphs(dataset, [ONTOLOGY_GRAPH]))
    files["wego-with-imports.ttl"] = _canonical_turtle(
        _graphs(dataset, [ONTOLOGY_GRAPH, IMPORTS_GRAPH])
    )
    files["shapes.ttl"] = _canonical_turtle(shapes)
    files["catalog.ttl"] = _canonical_turtle(catalog_rdf)
    files[SUMS_FILE] = b""  # listed in the description; written last
    files[DESCRIPTION_FILE] = _describe(files, this, previous)
    del files[SUMS_FILE]
    sums = [f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())]
    files[SUMS_FILE] = "".join(sums).encode("utf-8")
    return files


def _describe(files: dict[str, bytes], version: Version, previous: str | None) -> bytes:
    """DCAT: the version as a dcat:Dataset with a dcat:Distribution per file (SHA256SUMS without
    its size, since it is written after this description)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    me = release_iri(version.number)
    graph.add((me, RDF.type, URIRef(DCAT + "Dataset")))
    graph.add((me, DCTERMS.title, Literal(f"WeGO Knowledge Graph {version.number}", lang="en")))
    graph.add((me, DCTERMS.title, Literal(f"WeGO 지식 그래프 {version.number}", lang="ko")))
    graph.add((me, DCTERMS.isVersionOf, URIRef(DATASET_IRI)))
    graph.add((me, URIRef(DCAT + "version"), Literal(version.number)))
    graph.add((me, OWL.versionInfo, Literal(version.number)))
    graph.add((me, DCTERMS.issued, Literal(version.date, datatype=XSD.date)))
    graph.add((me, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    graph.add((URIRef(DATASET_IRI), URIRef(DCAT + "hasVersion"), me))
    if previous:
        graph.add((me, URIRef(DCAT + "previousVersion"), release_iri(previous)))
    for name in sorted(files):
        if name == DESCRIPTION_FILE:
            continue
        distribution = URIRef(f"{me}#{name}")
        graph.add((me, URIRef(DCAT + "distribution"), distribution))
        graph.add((distribution, RDF.type, URIRef(DCAT + "Distribution")))
        graph.add(
            (
                distribution,
                URIRef(DCAT + "downloadURL"),
                URIRef(f"{RELEASES_BASE}{version.number}/{name}"),
            )
        )
        media = MEDIA_TYPES.get(Path(name).suffix, "text/plain")
        graph.add((distribution, URIRef(DCAT + "mediaType"), Literal(media)))
        if name != SUMS_FILE:
            graph.add((distribution, URIRef(DCAT + "byteSize"), Literal(len(files[name]))))
        if name in WHAT:
            graph.add((distribution, DCTERMS.title, Literal(WHAT[name], lang="en")))
    return _canonical_turtle(graph)


def _graphs(dataset: Dataset, identifiers: list[URIRef]) -> Graph:
    merged = Graph()
    for identifier in identifiers:
        for triple in dataset.graph(identifier):
            merged.add(triple)
    return merged


def _canonical_turtle(graph: Graph) -> bytes:
    ordered = Graph()
    for prefix, namespace in PREFIXES.items():
        ordered.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(graph):
        ordered.add(triple)
    return ordered.serialize(format="turtle", encoding="utf-8")
