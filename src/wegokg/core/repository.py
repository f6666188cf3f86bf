"""The repository: the one place that knows where the dataset's files live.

A ``Repository`` finds its folder once, lists its files once and parses them once; loading,
validation, formatting, the diagram, the exports and the query catalog all take it. Like ODK's
project config, it names every folder of the layout here and nowhere else:

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

import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from wegokg.core.errors import LocatedDataError, LocatedToolError, RepositoryError, UsageError
from wegokg.core.namespaces import GRAPH, ONTOLOGY_IRI, PREFIXES, WEGO

if TYPE_CHECKING:
    from rdflib import Dataset, Graph


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


class LoadError(LocatedDataError):
    """A data file that cannot be loaded. ``str()`` reads ``path:line: message``."""


class UnusableShapesError(LocatedToolError):
    """A shapes file that cannot be parsed: nothing can be validated."""


class UnreadableFileError(LocatedToolError):
    """A file that cannot be read at all (missing, no permission)."""


# The most a file of the repository (Turtle, a stored query) may hold, and a stored source
# text: far above any real file (a 10^6-triple Turtle file is about 30 MB), and low enough that a
# sparse file cannot exhaust memory.
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_STORED_TEXT_BYTES = 16 * 1024 * 1024


def regular_file_problem(path: Path) -> str | None:
    """Why ``path`` is not a regular file one may read (following links), or None if it is one:
    a dangling link, a link loop, a folder, a pipe or a device."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return _open_problem(path, error)
    if not stat.S_ISREG(mode):
        return "it is not a regular file (a folder, a pipe or a device); only files are read"
    return None


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES, follow: bool = True) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes: the one way every file of the
    repository, and every query file, is read (``open_regular_file`` streams one instead).

    The file is opened without blocking (a pipe cannot make the read wait for a writer), checked
    with ``fstat`` before anything is read, and never read past ``limit``: a device such as
    /dev/zero, a pipe or a huge file is refused in a moment, with an UnreadableFileError.
    ``follow=False`` refuses a symbolic link as the last part of the path."""
    with open_regular_file(path, limit, follow) as handle:
        try:
            raw = handle.read(limit + 1)
        except OSError as error:
            raise UnreadableFileError(
                path, None, f"cannot read the file: {error.strerror}"
            ) from None
    if len(raw) > limit:  # it grew while being read
        raise UnreadableFileError(path, None, f"it is over the {_size(limit)} size limit")
    return raw


def open_regular_file(path: Path, limit: int = MAX_FILE_BYTES, follow: bool = True) -> BinaryIO:
    """A regular file of at most ``limit`` bytes, open for reading, checked as read_regular_file
    checks it, for a parser that reads only as much as it needs."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise UnreadableFileError(path, None, _open_problem(path, error)) from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        os.close(descriptor)
        raise UnreadableFileError(
            path,
            None,
            "it is not a regular file (a folder, a pipe or a device)"
            if not stat.S_ISREG(info.st_mode)
            else f"it is over the {_size(limit)} size limit",
        )
    return os.fdopen(descriptor, "rb")


def _open_problem(path: Path, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "it is a symbolic link in a loop"
    if error.errno == errno.ENOENT and path.is_symlink():
        return "it is a symbolic link to nothing (a dangling link)"
    return f"cannot read the file: {error.strerror or error}"


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


def read_utf8(path: Path) -> str:
    """A file of the repository as text; a byte that is not UTF-8 is a LoadError at its line."""
    raw = read_regular_file(path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        byte = raw[error.start : error.start + 1].hex()
        raise LoadError(
            path, line, f"byte 0x{byte} at column {column} is not UTF-8: save the file as UTF-8"
        ) from None


class StoredTextError(UsageError, ValueError):
    """A path that may not be read as a stored source text. The message says which rule the path
    breaks, and nothing about the file it names (neither its size, its hash nor its content)."""

    def __init__(self, path: Path | str, rule: str) -> None:
        self.path = str(path)
        self.rule = rule
        super().__init__(f"{path}: {rule}")


def read_stored_text(path: Path | str, sources: Path, relative_to: Path | None = None) -> bytes:
    """The bytes of one stored source text: the one way every command reads a wego:textFile
    (the evidence check, the coverage report, and everything that runs them) or the file that
    ``wegokg quote`` is given.

    ``sources`` is the folder of the stored texts (data/sources/). ``path`` is relative to
    ``relative_to`` (data/, for a wego:textFile, which must then be relative), else to the current
    folder. The path is accepted only when it has no ``..``, when it lies inside ``sources`` once
    every symbolic link is resolved (so that no link points out), and when it names a regular file
    of at most MAX_STORED_TEXT_BYTES. These rules are checked on the path before the file is
    opened, so a refused file outside ``sources`` is never opened, hashed or shown; otherwise a
    StoredTextError says which rule was broken."""
    given = Path(path)
    if relative_to is not None:
        if given.is_absolute():
            raise StoredTextError(
                path,
                f"an absolute path is refused; write the path relative to data/, as "
                f"{TEXTS_FOLDER.removeprefix('data/')}/NAME",
            )
        given = relative_to / given
    if ".." in Path(path).parts:
        raise StoredTextError(
            path, f"a path with '..' is refused; a stored text is a file inside {TEXTS_FOLDER}/"
        )
    if sources.is_symlink():
        raise StoredTextError(
            path,
            f"{TEXTS_FOLDER}/ is a symbolic link; the stored texts must be in the folder itself",
        )
    folder = Path(os.path.realpath(sources))
    resolved = Path(os.path.realpath(given))
    if not resolved.is_relative_to(folder):
        raise StoredTextError(
            path,
            f"it lies outside {TEXTS_FOLDER}/ (as written or through a symbolic link); "
            f"only the stored texts in {TEXTS_FOLDER}/ are read",
        )
    try:
        return read_regular_file(resolved, MAX_STORED_TEXT_BYTES, follow=False)
    except UnreadableFileError as error:
        raise StoredTextError(path, error.message) from None


@dataclass(frozen=True)
class GraphFile:
    """One Turtle file and the named graph it is loaded into."""

    path: Path
    graph: str
    kind: str  # "ontology", "imports", "curated", "source" or "extra"


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
        return _parsed(tuple(self.vocabulary_files()))

    @cached_property
    def shapes(self) -> Graph:
        """All SHACL shapes in shapes/*.ttl as one graph; read-only and shared, as vocabulary.
        A shapes file that does not parse is an UnusableShapesError (exit 3): it is the tool's
        configuration, not the data, that is broken."""
        try:
            return _parsed(tuple(self.shape_files()))
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


def source_graph_iri(path: Path, graph: Graph) -> str:
    """The IRI of the one source document that a source file describes."""
    from rdflib import URIRef
    from rdflib.namespace import RDF

    documents = sorted(
        {str(s) for cls in SOURCE_DOCUMENT_CLASSES for s in graph.subjects(RDF.type, URIRef(cls))}
    )
    if len(documents) != 1:
        found = ", ".join(documents) or "none"
        raise LoadError(
            path,
            None,
            "a source file must describe exactly one wego:NewsArticle or wego:ReferenceDocument "
            f"(found {found})",
        )
    return documents[0]


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


def list_files(folder: Path, pattern: str, within: Path | None = None) -> list[Path]:
    """The files of ``folder`` that match ``pattern``, each checked by ``checked_file``."""
    return [checked_file(path, within or folder) for path in sorted(folder.glob(pattern))]


def checked_file(path: Path, within: Path) -> Path:
    """``path``, if it is a regular file that lies inside ``within`` once its links are resolved.

    Anything else (a dangling link, a link loop, a pipe, a folder named like a file, or a link out
    of the repository) stops every command with one line naming it, before anything is read: the
    files of a fork cannot make a command read, and so show in an error, a file of the machine."""
    if problem := regular_file_problem(path):
        raise UnreadableFileError(path, None, problem)
    if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(within)):
        raise UnreadableFileError(
            path, None, "it is a symbolic link out of the repository; only its own files are read"
        )
    return path


_SUBJECT_LINE = re.compile(r"^(<[^>]*>|[A-Za-z][\w-]*:[^\s;,]*)")
# The lines that can matter: a prefix declaration or a subject at the start of a line. Most lines
# of a Turtle file are indented, so finding these with one search over the text, rather than
# looking at every line in Python, is what keeps the index quick at 10^6 triples.
_INDEXED_LINE = re.compile(r"^(?:[@Pp][Pp]?[Rr][Ee][Ff][Ii][Xx]|<|[A-Za-z][\w-]*:)", re.MULTILINE)
# Line ends that str.splitlines knows and a search by "\n" does not: such a text is read line
# by line, so that every line number stays what it was.
_OTHER_LINE_ENDS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _subject_lines(text: str) -> Iterable[tuple[str, int]]:
    """(IRI, line number) of every line that starts with a subject, in order."""
    if _OTHER_LINE_ENDS.search(text):
        numbered: Iterable[tuple[int, str]] = enumerate(text.splitlines(), 1)
    else:
        numbered = _candidate_lines(text)
    prefixes: dict[str, str] = {}
    for number, line in numbered:
        if line.startswith("@prefix") or line.upper().startswith("PREFIX"):
            parts = line.split()
            if len(parts) >= 3:
                prefixes[parts[1].rstrip(":")] = parts[2].strip("<>")
            continue
        match = _SUBJECT_LINE.match(line)
        if not match:
            continue
        token = match.group(1)
        if token.startswith("<"):
            yield token[1:-1], number
        else:
            prefix, _, local = token.partition(":")
            if prefix in prefixes:
                yield prefixes[prefix] + local, number


def _candidate_lines(text: str) -> Iterable[tuple[int, str]]:
    """(line number, line) of the lines ``_INDEXED_LINE`` may match; no other line is indexed."""
    number, counted = 1, 0
    for match in _INDEXED_LINE.finditer(text):
        start = match.start()
        number += text.count("\n", counted, start)
        counted = start
        end = text.find("\n", start)
        yield number, text[start : len(text) if end == -1 else end]


@dataclass
class SourceIndex:
    """Where each subject is written: IRI -> [(file, line)], for error messages."""

    locations: dict[str, list[tuple[Path, int]]]
    graph_paths: dict[str, list[Path]]

    @classmethod
    def build(cls, files: Iterable[GraphFile]) -> SourceIndex:
        locations: dict[str, list[tuple[Path, int]]] = {}
        graph_paths: dict[str, list[Path]] = {}
        for item in files:
            graph_paths.setdefault(str(item.graph), []).append(item.path)
            text = read_regular_file(item.path).decode("utf-8", errors="replace")
            for iri, number in _subject_lines(text):
                locations.setdefault(iri, []).append((item.path, number))
        return cls(locations, graph_paths)

    def locate(self, iri: str, graph: str | None = None) -> tuple[Path, int] | None:
        """The first place the subject is written, preferring the file of ``graph``."""
        places = self.locations.get(iri, [])
        if graph is not None:
            paths = self.graph_paths.get(graph, [])
            for place in places:
                if place[0] in paths:
                    return place
        return places[0] if places else None


_PARSED: dict[tuple, Graph] = {}  # (path, SHA-256 of its bytes) of each file -> the graph


def _parsed(paths: tuple[Path, ...]) -> Graph:
    """The files parsed into one graph, once per process for the same bytes: a server, a test
    suite or a script that validates many times parses the vocabulary and the shapes once. A file
    that cannot be read is parsed anyway, for parse_turtle's located error."""
    from rdflib import Graph

    try:
        key = tuple((str(p), hashlib.sha256(read_regular_file(p)).digest()) for p in paths)
    except UnreadableFileError:
        key = None
    if key is not None and key in _PARSED:
        return _PARSED[key]
    graph = Graph()
    for path in paths:
        parse_turtle(path, graph)
    if key is not None:
        if len(_PARSED) >= 8:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = graph
    return graph


# -- Parsing one file (loading.py puts the parsed files together) ------------------------------

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def parse_turtle(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one Turtle file, turning syntax errors into a LoadError with the line number."""
    from rdflib import Graph

    into, graph = graph, Graph()
    text = read_utf8(path)
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except RecursionError:
        raise LoadError(
            path, None, "Turtle syntax error: collections or blank nodes are nested too deeply"
        ) from None
    except Exception as error:  # rdflib raises several unrelated types for bad syntax
        line, message = _oxigraph_locates(path, text)
        if message is None:  # only rdflib refuses it: its own, rougher, location
            line = getattr(error, "lines", None)
            message = _syntax_message(error)
            if line is not None:
                line += 1  # rdflib counts lines from 0
        lines = text.splitlines()
        at_line = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
        if "\ufeff" in text and (line is None or "\ufeff" in at_line):
            message += (
                "; the cause is a byte-order mark (U+FEFF) "
                + ("at the start of the file" if text.startswith("\ufeff") else "in this line")
                + ": save the file as UTF-8 without a BOM"
            )
        raise LoadError(path, line, f"Turtle syntax error: {message}") from None
    _check_iris(graph, path, text)  # this file's IRIs only: checking ``into`` is quadratic
    if into is None:
        return graph
    into += graph
    for prefix, namespace in graph.namespaces():
        into.bind(prefix, namespace, override=False)
    return into


def _check_iris(graph: Graph, path: Path, text: str) -> None:
    """Refuse an IRI that rdflib let through but no standard engine would take (such as
    <https://w3id.org/a]b>), naming the line that writes it or declares its prefix."""
    from rdflib import URIRef

    from wegokg.core.iri import iri_problem

    for iri in sorted({t for triple in graph for t in triple if isinstance(t, URIRef)}):
        # Invisible characters load: the quality check reports them, with their place.
        if error := iri_problem(iri, allow_invisible=True):
            lines = text.splitlines()
            line = next((n for n, row in enumerate(lines, 1) if iri in row), None)
            if line is None:  # written with a prefix: point at the prefix that holds the fault
                line = next(
                    (
                        n
                        for n, row in enumerate(lines, 1)
                        if row.lstrip().lower().startswith(("@prefix", "prefix"))
                        and (m := re.search(r"<([^>]*)>", row))
                        and iri.startswith(m.group(1))
                    ),
                    None,
                )
            raise LoadError(path, line, f"<{iri}> is not a valid IRI: {error}")


def _oxigraph_locates(path: Path, text: str) -> tuple[int | None, str | None]:
    """The line and message of pyoxigraph's parser for a syntax error, so that every command
    names the same place as ``validate`` does; rdflib's line is one too far at the end of a
    file, and its context can come from lines before. (None, None) if pyoxigraph accepts it."""
    import pyoxigraph

    try:
        for _ in pyoxigraph.parse(
            text.encode("utf-8"),
            format=pyoxigraph.RdfFormat.TURTLE,
            base_iri=path.resolve().as_uri(),
        ):
            pass
    except SyntaxError as error:
        lines = text.splitlines()
        if not error.lineno or not 0 < error.lineno <= len(lines) or not error.offset:
            return error.lineno, error.msg
        row, at = lines[error.lineno - 1], error.offset - 1
        return (
            error.lineno,
            f"{error.msg}, at the ^ in: {row[max(at - 40, 0) : at]}^{row[at : at + 40]}",
        )
    return None, None


def _syntax_message(error: Exception) -> str:
    """rdflib's reason and the text around the error, shown as text rather than escaped bytes."""
    why = getattr(error, "_why", None)
    raw, at = getattr(error, "_str", None), getattr(error, "_i", None)
    if not why or not isinstance(raw, bytes) or not isinstance(at, int):
        return getattr(error, "message", None) or (str(error).splitlines() or [""])[0]
    before = raw[max(at - 40, 0) : at].decode("utf-8", errors="ignore").rpartition("\n")[2]
    after = raw[at : at + 40].decode("utf-8", errors="ignore").partition("\n")[0]
    return f"{why}, at the ^ in: {(before + '^' + after).strip()}"


def build_dataset(read: Iterable[tuple[GraphFile, Graph]]) -> Dataset:
    """Put parsed files into a Dataset whose default graph is the union of the named graphs."""
    from rdflib import Dataset, URIRef

    from wegokg.core.namespaces import PREFIXES

    dataset = Dataset(default_union=True)
    for item, graph in read:
        target = dataset.graph(URIRef(item.graph))
        for triple in graph:
            target.add(triple)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


def first_document(path: Path) -> str | None:
    """The first source document a file describes; the descriptions open their files, so this
    reads only the start of the file."""
    import pyoxigraph

    classes = set(SOURCE_DOCUMENT_CLASSES)
    try:
        with open_regular_file(path) as handle:
            for quad in pyoxigraph.parse(
                handle, format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()
            ):
                if quad.predicate.value == _RDF_TYPE and quad.object.value in classes:
                    return quad.subject.value
    except SyntaxError as error:
        raise LoadError(path, error.lineno, f"Turtle syntax error: {error.msg}") from None
    except OSError as error:
        raise UnreadableFileError(path, None, f"cannot read the file: {error}") from None
    return None
