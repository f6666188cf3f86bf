"""Build the static linked-data site: every page and document in memory, then one atomic swap.

The site is written to a scratch folder beside the output and renamed into place only when
complete, so a failed build leaves the previous site (or nothing) and never half a site.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from wegokg.core.atomic_publish import OutputPathError, folder_target, publish_folder
from wegokg.core.errors import DataError, UsageError
from wegokg.core.loading import ONTOLOGY_GRAPH
from wegokg.core.namespaces import BASE, DEFAULT_ENDPOINT, PREFIXES
from wegokg.publish.dumps import ntriples_document, ntriples_lines
from wegokg.publish.examples import catalog_graph
from wegokg.publish.exports import (
    ExportError,
    canonical_json,
    export_files,
    json_ld_context,
    published,
)
from wegokg.publish.release import ReleaseError, Version, release_files
from wegokg.publish.schema_view import describe as describe_in_schema
from wegokg.publish.schema_view import mapping_of, source_documents
from wegokg.publish.site import pages
from wegokg.publish.site.downloads import add_downloads
from wegokg.publish.site.layout import SitePathError, document
from wegokg.publish.site.names import name_index, search_documents
from wegokg.publish.site.render import SITE_STATIC, render, static_file
from wegokg.publish.site.view import DatasetView
from wegokg.query.catalog import CatalogError, QueryCatalog
from wegokg.query.engines import EngineError, make_engine

MARKER = ".wegokg-site"
DIAGRAM_PATH = "data-model.svg"


class SiteError(DataError, RuntimeError):
    """The site cannot be built from this data (an unpublishable IRI, a failed export)."""


class OutputFolderError(UsageError, SiteError):
    """The output folder cannot take the site (a file, or a folder of someone else's)."""


@dataclass(frozen=True)
class SiteSummary:
    out_dir: Path
    pages: int
    resources: int
    files: int


def build_site(
    dataset: Dataset,
    out_dir: Path,
    *,
    catalog: QueryCatalog,
    version: str,
    shapes: Graph | None = None,
    diagram: Path | None = None,
    endpoint: str | None = None,
    site_url: str = BASE,
    releases: Sequence[Version] = (),
) -> SiteSummary:
    """Write the whole site into ``out_dir`` (replacing an earlier site there) and describe it.

    ``shapes`` is published as a download, ``diagram`` (an SVG file) in the ontology's page,
    ``endpoint`` is the SPARQL endpoint named in VoID (only when given) and as the target of the
    query catalog's RDF (default: /sparql under the base, where ``wegokg serve`` answers), and
    ``site_url`` is the absolute address of the site's root, for sitemap.xml. ``releases`` (the
    versions of CHANGELOG.md, newest first) are listed on the home page, and the release of
    ``version`` is written under releases/VERSION/, as ``wegokg release`` writes it.
    """
    out_dir = Path(out_dir)
    check_output_folder(out_dir)
    try:
        view = DatasetView(dataset)
    except SitePathError as error:
        raise SiteError(str(error)) from None
    files: dict[str, bytes] = {}
    context = json_ld_context(dataset.graph(ONTOLOGY_GRAPH))["@context"]

    ontology = URIRef(str(ONTOLOGY_GRAPH))
    mapping, documents = mapping_of(dataset), source_documents(dataset)
    for iri in view.resources:
        path = view.paths[iri]
        description = _description(dataset, iri, ontology)
        if not str(iri).startswith(str(ontology)):  # the schema.org view, beside its statements
            for triple in describe_in_schema(dataset, iri, mapping, documents):
                description.add(triple)
        json_ld = _json_ld(description, context)
        files[document(path, "ttl")] = description.serialize(format="turtle", encoding="utf-8")
        files[document(path, "nt")] = ntriples_document(ntriples_lines(description))
        files[document(path, "jsonld")] = _json_bytes(json_ld)
        extras = None
        if iri == ontology:
            extras = pages.ontology_extras(view, iri, DIAGRAM_PATH if diagram else None)
        files[document(path, "html")] = _utf8(pages.resource_page(view, iri, json_ld, extras))

    classes = sorted(
        {t for iri in view.paths for t in view.types.get(iri, []) if isinstance(t, URIRef)},
        key=lambda c: (not str(c).startswith(PREFIXES["wego"]), str(c)),
    )
    for cls in classes:
        for file, html in pages.class_index_pages(view, cls).items():
            files[file] = _utf8(html)
    files["classes.html"] = _utf8(pages.classes_page(view, classes))

    files.update(_query_files(view, dataset, catalog, endpoint or DEFAULT_ENDPOINT))
    if shapes is not None and any(r.number == version for r in releases):
        try:
            released = release_files(
                dataset,
                version=version,
                versions=list(releases),
                shapes=shapes,
                catalog_rdf=catalog_graph(catalog, DEFAULT_ENDPOINT),
            )
        except ReleaseError as error:
            raise SiteError(f"the release cannot be built: {error}") from None
        files.update({f"releases/{version}/{name}": data for name, data in released.items()})
    documents = search_documents(name_index(dataset), _type_labels(view))
    files["search-index.json"] = _json_bytes(documents)
    files["search.html"] = _utf8(pages.search_page(view, documents))
    files.update({name: static_file(name) for name in SITE_STATIC})
    if diagram:
        files[DIAGRAM_PATH] = Path(diagram).read_bytes()

    try:
        exported = export_files(dataset, ["all"], version, endpoint)
    except ExportError as error:
        raise SiteError(f"the dumps cannot be exported: {error}") from None
    downloads = add_downloads(files, exported, dataset, shapes, releases)
    counts = _counts(view, dataset)
    files["index.html"] = _utf8(
        pages.home_page(
            view,
            version=version,
            counts=counts,
            classes=[c for c in classes if str(c).startswith(PREFIXES["wego"])],
            downloads=downloads,
            releases=[(r.number, r.date) for r in releases],
        )
    )
    files["sitemap.xml"] = _sitemap(sorted(f for f in files if f.endswith(".html")), site_url)
    files[MARKER] = _marker(version, files)
    publish_folder(out_dir, files, "site", carry=_files_of_yours(out_dir, files))
    page_count = sum(1 for f in files if f.endswith(".html"))
    return SiteSummary(out_dir, page_count, len(view.resources), len(files))


# -- Resource descriptions ------------------------------------------------------------------


def _description(dataset: Dataset, iri: URIRef, ontology: URIRef) -> Graph:
    """What the resource's own documents say: its statements; for the ontology, the whole of it
    (the vocabulary alone, without its imports)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    if iri == ontology:
        for triple in dataset.graph(ONTOLOGY_GRAPH):
            graph.add(triple)
        return graph
    for triple in dataset.triples((iri, None, None)):
        graph.add(triple)
    return graph


def _json_ld(graph: Graph, context: dict) -> dict:
    """JSON-LD with the context written inline, so that reading it fetches nothing; every array
    sorted, since rdflib writes a property's values in the order of a hash table."""
    raw = graph.serialize(format="json-ld", context=context, auto_compact=True)
    value = canonical_json(json.loads(raw))
    value["@context"] = context
    return value


# -- Queries --------------------------------------------------------------------------------


def _query_files(
    view: DatasetView, dataset: Dataset, catalog: QueryCatalog, endpoint: str
) -> dict[str, bytes]:
    files = {}
    engine = make_engine("oxigraph", dataset=dataset)
    runs = []
    for stored in catalog:
        files[f"queries/{stored.name}.rq"] = stored.text.encode("utf-8")
        try:
            results = stored.select(engine)
        except (CatalogError, EngineError) as error:
            # The site never publishes a broken query with its error: it refuses to build.
            raise SiteError(f"query {stored.name!r} cannot run: {error}") from None
        runs.append((stored, results))
    try:
        examples = catalog_graph(catalog, endpoint)
    except CatalogError as error:
        raise SiteError(f"the query catalog cannot be published: {error}") from None
    files["queries/catalog.ttl"] = examples.serialize(format="turtle", encoding="utf-8")
    files["queries.html"] = _utf8(pages.queries_page(view, runs))
    return files


# -- Sitemap and counts ---------------------------------------------------------------------


def _sitemap(pages_: list[str], site_url: str) -> bytes:
    root = site_url if site_url.endswith("/") else site_url + "/"
    addresses = [root] + [root + page for page in pages_ if page != "index.html"]
    return render("sitemap.xml", addresses=addresses).encode()


def _counts(view: DatasetView, dataset: Dataset) -> dict[str, int]:
    data = published(dataset)
    triples = len(set(data.triples((None, None, None))))
    return {
        "triples / 트리플": triples,
        "resources with a page / 페이지가 있는 자원": len(view.resources),
        "claims / 주장": sum(1 for iri in view.paths if view.is_claim(iri)),
        "quotes / 인용문": sum(1 for iri in view.paths if view.is_quote(iri)),
        "sources / 출처": sum(1 for iri in view.paths if view.is_source(iri)),
    }


def _type_labels(view: DatasetView) -> dict[str, str]:
    labels = {}
    for cls in {t for ts in view.types.values() for t in ts}:
        en, ko = view.names(cls)
        labels[str(cls)] = en or ko or str(cls)
    return labels


# -- Writing --------------------------------------------------------------------------------


def check_output_folder(out_dir: Path) -> None:
    """Refuse a file, or a non-empty folder that holds no earlier site, as the output."""
    try:
        out_dir = folder_target(out_dir)
    except OutputPathError:
        raise OutputFolderError(
            f"{out_dir} exists and is not a folder; choose another output folder"
        ) from None
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
        raise OutputFolderError(
            f"{out_dir} is not empty and holds no earlier wegokg site ({MARKER}); "
            "choose an empty or new folder, so that nothing of yours is replaced"
        )


def _marker(version: str, files: dict[str, bytes]) -> bytes:
    """The marker of a site: its version, then every file the build wrote, so that the next
    build knows which files are not its own (a .htaccess, a robots.txt) and keeps them."""
    listing = "".join(f"{name}\n" for name in sorted(files) if name != MARKER)
    return f"wegokg site {version}\n{listing}".encode()


def _files_of_yours(out_dir: Path, files: dict[str, bytes]) -> list[str]:
    """The files in an earlier site at ``out_dir`` that no build wrote, to keep: those not
    listed in its marker (a marker without a list, from before the list: the hidden files at
    the top, such as .htaccess). One the new site would write over is refused."""
    out_dir = folder_target(out_dir)
    marker = out_dir / MARKER
    if not marker.is_file():
        return []
    listed = marker.read_text(encoding="utf-8").splitlines()[1:]
    own = set(listed) | {MARKER}
    yours = []
    for folder, subfolders, names in os.walk(out_dir):
        subfolders.sort()
        for name in names:
            relative = Path(folder, name).relative_to(out_dir).as_posix()
            if relative in own or (
                not listed and not (name.startswith(".") and folder == str(out_dir))
            ):
                continue
            if relative in files:
                raise OutputFolderError(
                    f"{out_dir / relative} is a file of yours that the site now writes; "
                    "move it away, then build again"
                )
            yours.append(relative)
    return yours


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _json_bytes(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
