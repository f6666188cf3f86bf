"""The repository: the one place that knows where the dataset's files live.

A ``Repository`` finds its folder once, lists its files once and parses them once; loading,
validation, formatting, the diagram, the exports and the query catalog all take it. Like ODK's
project config, ``wegokg.core.layout`` names every folder of the layout once, and nothing else
does:

    ontology/wego.ttl      the vocabulary            data/curated/*.ttl    curated names
    ontology/imports/*.ttl reused terms              data/articles/*.ttl   one file per article
    shapes/*.ttl           SHACL shapes              data/reference/*.ttl  one file per reference
    shapes/checks/*.rq     quality checks            data/sources/         the stored texts
    queries/*.rq           the query catalog         docs/                 the data-model picture

Which repository: ``--root`` or ``$WEGOKG_ROOT`` when given; else the checkout that holds the
current folder; else, outside any checkout, the dataset bundled with the installed package. A
folder that looks like a checkout but lacks part of the layout is an error, never a reason to use
another dataset.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from wegokg.core.errors import LocatedToolError, RepositoryError, UsageError
from wegokg.core.file_reading import (
    MAX_FILE_BYTES,
    MAX_STORED_TEXT_BYTES,
    LoadError,
    StoredTextError,
    UnreadableFileError,
    checked_file,
    list_files,
    open_regular_file,
    read_regular_file,
    read_stored_text,
    read_utf8,
    regular_file_problem,
)
from wegokg.core.layout import (
    CHECKS_FOLDER,
    CURATED_FOLDER,
    CURATED_GRAPH,
    DIAGRAM_FILE,
    DOCS_FOLDER,
    EXTRA_GRAPH,
    IMPORTS_FOLDER,
    IMPORTS_GRAPH,
    MARKERS,
    ONTOLOGY_FILE,
    ONTOLOGY_GRAPH,
    QUERIES_FOLDER,
    RDF_TYPE,
    REQUIRED,
    ROOT_VARIABLE,
    SCHEMAORG_SHAPES_FOLDER,
    SHAPES_FOLDER,
    SOURCE_DOCUMENT_CLASSES,
    SOURCE_FOLDERS,
    TEXTS_FOLDER,
)
from wegokg.core.parsing import (
    GraphFile,
    build_dataset,
    first_document,
    parse_once,
    parse_turtle,
    source_graph_iri,
)
from wegokg.core.source_index import SourceIndex

if TYPE_CHECKING:
    from rdflib import Dataset, Graph

# The names this module gave before the file reading, the parsing and the source index moved
# into modules of their own, still importable from here.
__all__ = [
    "CHECKS_FOLDER",
    "CURATED_FOLDER",
    "CURATED_GRAPH",
    "DIAGRAM_FILE",
    "DOCS_FOLDER",
    "EXTRA_GRAPH",
    "IMPORTS_FOLDER",
    "IMPORTS_GRAPH",
    "MARKERS",
    "MAX_FILE_BYTES",
    "MAX_STORED_TEXT_BYTES",
    "ONTOLOGY_FILE",
    "ONTOLOGY_GRAPH",
    "QUERIES_FOLDER",
    "RDF_TYPE",
    "REQUIRED",
    "ROOT_VARIABLE",
    "SCHEMAORG_SHAPES_FOLDER",
    "SHAPES_FOLDER",
    "SOURCE_DOCUMENT_CLASSES",
    "SOURCE_FOLDERS",
    "TEXTS_FOLDER",
    "GraphFile",
    "LoadError",
    "Repository",
    "SourceIndex",
    "StoredTextError",
    "UnreadableFileError",
    "UnusableShapesError",
    "build_dataset",
    "bundled_root",
    "checked_file",
    "first_document",
    "list_files",
    "open_regular_file",
    "package_version",
    "parse_turtle",
    "read_regular_file",
    "read_stored_text",
    "read_utf8",
    "regular_file_problem",
    "source_graph_iri",
]


class UnusableShapesError(LocatedToolError):
    """A shapes file that cannot be parsed: nothing can be validated."""


class Repository:
    """A wegokg dataset on disk: its layout, its files, and (parsed once, on demand) its graphs.

    ``origin`` says how it was chosen: ``"checkout"``, ``"bundled"``, ``"--root"``,
    ``"$WEGOKG_ROOT"`` or ``"path"`` (given to the library). ``extra_files`` are read beside the
    repository's own (tests use them to add a broken fact without copying the data).
    """

    def __init__(
        self, root: Path | str, origin: str = "path", extra_files: Iterable[Path] = ()
    ) -> None:
        self.root = Path(root).resolve()
        self.origin = origin
        self.extra_files = tuple(Path(p) for p in extra_files)

    # -- Finding it ------------------------------------------------------------------------

    @classmethod
    def find(
        cls,
        root: Path | str | None = None,
        start: Path | None = None,
        extra_files: Iterable[Path] = (),
    ) -> Repository:
        """The repository to use: ``root`` if given, else $WEGOKG_ROOT, else the checkout around
        ``start`` (the current folder), else the bundled dataset."""
        if root is not None:
            return cls.at(root, "--root", extra_files)
        if env := os.environ.get(ROOT_VARIABLE):
            return cls.at(env, f"${ROOT_VARIABLE}", extra_files)
        here = (start or Path.cwd()).resolve()
        for candidate in (here, *here.parents):
            if any((candidate / part).exists() for part in MARKERS):
                return cls.at(candidate, "checkout", extra_files)
        bundled = bundled_root()
        if bundled is None:
            raise RepositoryError(
                f"no wegokg repository here ({here} and the folders above it have no "
                f"{ONTOLOGY_FILE}), and this installation carries no bundled dataset; "
                f"run inside a checkout, or give --root or ${ROOT_VARIABLE}"
            )
        return cls.at(bundled, "bundled", extra_files)

    @classmethod
    def at(
        cls, root: Path | str, origin: str = "path", extra_files: Iterable[Path] = ()
    ) -> Repository:
        """The repository at ``root``, which must hold the whole layout."""
        repository = cls(root, origin, extra_files)
        if not repository.root.is_dir():
            raise RepositoryError(f"{repository._named_by()}{repository.root} is not a folder")
        missing = [part for part in REQUIRED if not (repository.root / part).exists()]
        if missing:
            raise RepositoryError(
                f"{repository._named_by()}{repository.root} is not a complete wegokg "
                f"repository: {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
                "missing. Nothing else is used in its place; restore the missing part, or run "
                "from another folder"
            )
        return repository

    def _named_by(self) -> str:
        if self.origin.startswith("$"):
            return f"{self.origin} names "
        if self.origin == "--root":
            return "--root names "
        return ""

    @property
    def is_checkout(self) -> bool:
        """Whether the files are a working copy one may edit (not the installed package's)."""
        return self.origin != "bundled"

    @property
    def label(self) -> str:
        """Which dataset this is, for a header line: a path, or the bundled version."""
        if self.origin == "bundled":
            return f"bundled {package_version()} ({self.root})"
        return f"{self.origin} {self.root}"

    def require_checkout(self, what: str) -> None:
        if not self.is_checkout:
            raise UsageError(
                f"{what} works only on a checkout of the repository, not on the dataset bundled "
                "with the package; run it inside a checkout, or give --root"
            )

    # -- Its files -------------------------------------------------------------------------

    def path(self, relative: str) -> Path:
        return self.root / relative

    @property
    def ontology_file(self) -> Path:
        path = self.root / ONTOLOGY_FILE
        return checked_file(path, self.root) if os.path.lexists(path) else path

    @property
    def texts_folder(self) -> Path:
        """Where the stored source texts are; a source's wego:textFile is relative to data/."""
        return self.root / TEXTS_FOLDER

    @property
    def data_folder(self) -> Path:
        return self.root / "data"

    @property
    def checks_folder(self) -> Path:
        return self.root / CHECKS_FOLDER

    @property
    def queries_folder(self) -> Path:
        return self.root / QUERIES_FOLDER

    @property
    def docs_folder(self) -> Path:
        return self.root / DOCS_FOLDER

    @property
    def diagram_file(self) -> Path | None:
        """docs/data-model.svg, which the site publishes, or None when there is none."""
        path = self.docs_folder / DIAGRAM_FILE
        return checked_file(path, self.root) if os.path.lexists(path) else None

    @property
    def schemaorg_shapes_folder(self) -> Path:
        return self.root / SCHEMAORG_SHAPES_FOLDER

    def import_files(self) -> list[Path]:
        return list_files(self.root / IMPORTS_FOLDER, "*.ttl", self.root)

    def curated_files(self) -> list[Path]:
        return list_files(self.root / CURATED_FOLDER, "*.ttl", self.root)

    def source_files(self) -> list[Path]:
        """The Turtle files that each describe one source and its facts."""
        return [
            p
            for folder in SOURCE_FOLDERS
            for p in list_files(self.root / folder, "*.ttl", self.root)
        ]

    def shape_files(self) -> list[Path]:
        return list_files(self.root / SHAPES_FOLDER, "*.ttl", self.root)

    def check_files(self) -> list[Path]:
        return list_files(self.checks_folder, "*.rq", self.root)

    def query_files(self) -> list[Path]:
        return list_files(self.queries_folder, "*.rq", self.root)

    def vocabulary_files(self) -> list[Path]:
        """The ontology and the extracts of the vocabularies it reuses."""
        return [self.ontology_file, *self.import_files()]

    def data_files(self) -> list[Path]:
        """Every Turtle file of the dataset, in load order (ontology, imports, curated, sources)."""
        return [*self.vocabulary_files(), *self.curated_files(), *self.source_files()]

    def turtle_files(self) -> list[Path]:
        """Every Turtle file the canonical formatter keeps: the dataset's and the shapes."""
        return [*self.data_files(), *self.shape_files()]

    def sparql_files(self) -> list[Path]:
        return [*self.check_files(), *self.query_files()]

    # -- Parsed, once ----------------------------------------------------------------------

    @cached_property
    def graph_files(self) -> list[tuple[GraphFile, Graph]]:
        """Every data file parsed with rdflib, with the named graph it goes into."""
        from rdflib.namespace import RDF

        from wegokg.core.progress import step

        read: list[tuple[GraphFile, Graph]] = []
        fixed = [(self.ontology_file, ONTOLOGY_GRAPH, "ontology")]
        fixed += [(p, IMPORTS_GRAPH, "imports") for p in self.import_files()]
        fixed += [(p, CURATED_GRAPH, "curated") for p in self.curated_files()]
        sources = [*self.source_files(), *self.extra_files]
        with step("parsing the Turtle files (rdflib)", len(fixed) + len(sources)) as progress:
            for path, graph_iri, kind in fixed:
                read.append((GraphFile(path, graph_iri, kind), parse_turtle(path)))
                progress.advance()
            for path in sources:
                graph = parse_turtle(path)
                types = {str(o) for o in graph.objects(None, RDF.type)}
                if path in self.extra_files and not types & set(SOURCE_DOCUMENT_CLASSES):
                    read.append((GraphFile(path, EXTRA_GRAPH, "extra"), graph))
                else:
                    read.append((GraphFile(path, source_graph_iri(path, graph), "source"), graph))
                progress.advance()
        return read

    @cached_property
    def dataset(self) -> Dataset:
        """The whole graph as an rdflib Dataset, one named graph per source, union by default."""

        return build_dataset(self.graph_files)

    @cached_property
    def vocabulary(self) -> Graph:
        """The ontology and the imported extracts as one graph (without the data). Read-only:
        it is shared with every Repository of this process whose files hold the same bytes."""
        return parse_once(tuple(self.vocabulary_files()))

    @cached_property
    def shapes(self) -> Graph:
        """All SHACL shapes in shapes/*.ttl as one graph; read-only and shared, as vocabulary.
        A shapes file that does not parse is an UnusableShapesError (exit 3): it is the tool's
        configuration, not the data, that is broken."""
        try:
            return parse_once(tuple(self.shape_files()))
        except LoadError as error:
            raise UnusableShapesError(error.path, error.line, error.message) from None

    @cached_property
    def source_index(self) -> SourceIndex:
        """Where each subject is written, for error messages."""
        return SourceIndex.build(self.file_graphs())

    def file_graphs(self) -> list[GraphFile]:
        """Every data file with the named graph it goes into; a source file's graph is found
        from its first statements, so nothing is parsed whole unless it already was."""
        if "graph_files" in self.__dict__:
            return [item for item, _ in self.graph_files]

        files = [GraphFile(self.ontology_file, ONTOLOGY_GRAPH, "ontology")]
        files += [GraphFile(p, IMPORTS_GRAPH, "imports") for p in self.import_files()]
        files += [GraphFile(p, CURATED_GRAPH, "curated") for p in self.curated_files()]
        for path in [*self.source_files(), *self.extra_files]:
            document = first_document(path)
            if document is None and path in self.extra_files:
                files.append(GraphFile(path, EXTRA_GRAPH, "extra"))
            else:
                files.append(GraphFile(path, document or "", "source"))
        return files

    def texts_size(self) -> int:
        """Bytes of Turtle in the dataset: a cheap measure of its size before parsing."""
        files = [*self.data_files(), *self.extra_files]
        for path in self.extra_files:
            if problem := regular_file_problem(path):
                raise UnreadableFileError(path, None, problem)
        return sum(p.stat().st_size for p in files)


def bundled_root() -> Path | None:
    """The dataset that ships with the package: inside the wheel (wegokg/_data), or, for an
    editable install, the checkout the package is installed from."""
    package = Path(__file__).resolve().parents[1]  # wegokg/, above core/
    for candidate in (package / "_data", package.parents[1]):
        if all((candidate / part).exists() for part in REQUIRED):
            return candidate
    return None


def package_version() -> str:
    from wegokg.core.version import VERSION

    return VERSION
