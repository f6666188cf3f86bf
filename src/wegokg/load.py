"""Load the repository's Turtle files into one rdflib Dataset, one named graph per source.

Each article's and reference document's facts sit in the named graph of that document's IRI; the
curated names and vocabularies, the ontology and its imports have graphs of their own. The default
graph is the union of them all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

import wegokg.rdflib_quiet  # noqa: F401 (ill-typed literals are reported by the shapes instead)
from wegokg.namespaces import GRAPH, ONTOLOGY_IRI, PREFIXES, WEGO

CURATED_GRAPH = URIRef(GRAPH + "curated")
EXTRA_GRAPH = URIRef(GRAPH + "extra")
IMPORTS_GRAPH = URIRef(GRAPH + "imports")
ONTOLOGY_GRAPH = URIRef(ONTOLOGY_IRI)

SOURCE_DOCUMENT_CLASSES = (URIRef(WEGO + "NewsArticle"), URIRef(WEGO + "ReferenceDocument"))


class LoadError(Exception):
    """A file that cannot be loaded. ``str()`` reads ``path:line: message``."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class GraphFile:
    """One Turtle file and the named graph it is loaded into."""

    path: Path
    graph: URIRef
    kind: str  # "ontology", "imports", "curated", "source" or "extra"


def find_root(start: Path | None = None) -> Path:
    """The repository root: $WEGOKG_ROOT, else the nearest folder above ``start`` with ontology/."""
    if env := os.environ.get("WEGOKG_ROOT"):
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents, Path(__file__).resolve().parents[2]):
        if (candidate / "ontology" / "wego.ttl").is_file() and (candidate / "data").is_dir():
            return candidate
    raise LoadError(here, None, "no wegokg repository here (looked for ontology/wego.ttl upwards)")


def parse_turtle(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one Turtle file, turning syntax errors into a LoadError with the line number."""
    graph = Graph() if graph is None else graph
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LoadError(path, None, f"cannot read the file: {error}") from None
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except RecursionError:
        raise LoadError(
            path, None, "Turtle syntax error: collections or blank nodes are nested too deeply"
        ) from None
    except Exception as error:  # rdflib raises several unrelated types for bad syntax
        line = getattr(error, "lines", None)
        message = _syntax_message(error)
        if line is not None:
            line += 1  # rdflib counts lines from 0
        if "\ufeff" in text and (line is None or "\ufeff" in text.splitlines()[line - 1]):
            message += (
                "; the cause is a byte-order mark (U+FEFF) "
                + ("at the start of the file" if text.startswith("\ufeff") else "in this line")
                + ": save the file as UTF-8 without a BOM"
            )
        raise LoadError(path, line, f"Turtle syntax error: {message}") from None
    _check_iris(graph, path, text)
    return graph


def _check_iris(graph: Graph, path: Path, text: str) -> None:
    """Refuse an IRI that rdflib let through but no standard engine would take (such as
    <https://w3id.org/a]b>), naming the line that writes it or declares its prefix."""
    import pyoxigraph

    for iri in sorted({t for triple in graph for t in triple if isinstance(t, URIRef)}):
        try:
            pyoxigraph.NamedNode(iri)
        except ValueError as error:
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
            raise LoadError(path, line, f"<{iri}> is not a valid IRI: {error}") from None


def _syntax_message(error: Exception) -> str:
    """rdflib's reason and the text around the error, shown as text rather than escaped bytes."""
    why = getattr(error, "_why", None)
    raw, at = getattr(error, "_str", None), getattr(error, "_i", None)
    if not why or not isinstance(raw, bytes) or not isinstance(at, int):
        return getattr(error, "message", None) or (str(error).splitlines() or [""])[0]
    before = raw[max(at - 40, 0) : at].decode("utf-8", errors="ignore").rpartition("\n")[2]
    after = raw[at : at + 40].decode("utf-8", errors="ignore").partition("\n")[0]
    return f"{why}, at the ^ in: {(before + '^' + after).strip()}"


def source_graph_iri(path: Path, graph: Graph) -> URIRef:
    """The IRI of the one source document that a source file describes."""
    documents = sorted(
        {s for cls in SOURCE_DOCUMENT_CLASSES for s in graph.subjects(RDF.type, cls)}, key=str
    )
    if len(documents) != 1:
        found = ", ".join(documents) or "none"
        raise LoadError(
            path,
            None,
            "a source file must describe exactly one wego:NewsArticle or wego:ReferenceDocument "
            f"(found {found})",
        )
    return URIRef(documents[0])


def read_graph_files(root: Path, extra_files: Iterable[Path] = ()) -> list[tuple[GraphFile, Graph]]:
    """Parse every Turtle file of the dataset, in a stable order, with the graph it goes into.

    ``extra_files`` are read beside the repository's own (tests use this to add a broken fact
    without copying the data): one that describes a source document goes into that document's
    graph, any other into the graph graph:extra.
    """
    read: list[tuple[GraphFile, Graph]] = []
    fixed = [(root / "ontology" / "wego.ttl", ONTOLOGY_GRAPH, "ontology")]
    fixed += [
        (p, IMPORTS_GRAPH, "imports") for p in sorted((root / "ontology" / "imports").glob("*.ttl"))
    ]
    fixed += [
        (p, CURATED_GRAPH, "curated") for p in sorted((root / "data" / "curated").glob("*.ttl"))
    ]
    for path, graph_iri, kind in fixed:
        read.append((GraphFile(path, graph_iri, kind), parse_turtle(path)))
    sources = [
        p
        for folder in ("articles", "reference")
        for p in sorted((root / "data" / folder).glob("*.ttl"))
    ]
    for path in sources:
        graph = parse_turtle(path)
        read.append((GraphFile(path, source_graph_iri(path, graph), "source"), graph))
    for path in extra_files:
        graph = parse_turtle(path)
        if any((None, RDF.type, cls) in graph for cls in SOURCE_DOCUMENT_CLASSES):
            read.append((GraphFile(path, source_graph_iri(path, graph), "source"), graph))
        else:
            read.append((GraphFile(path, EXTRA_GRAPH, "extra"), graph))
    return read


def build_dataset(read: Iterable[tuple[GraphFile, Graph]]) -> Dataset:
    """Put parsed files into a Dataset whose default graph is the union of the named graphs."""
    dataset = Dataset(default_union=True)
    for item, graph in read:
        target = dataset.graph(item.graph)
        for triple in graph:
            target.add(triple)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


def load(root: Path | str | None = None, extra_files: Iterable[Path] = ()) -> Dataset:
    """The whole graph, ontology plus data, as a Dataset with one named graph per source."""
    root = find_root() if root is None else Path(root)
    return build_dataset(read_graph_files(root, extra_files))


def load_shapes(root: Path | str | None = None) -> Graph:
    """All SHACL shapes in shapes/*.ttl as one graph."""
    root = find_root() if root is None else Path(root)
    graph = Graph()
    for path in sorted((root / "shapes").glob("*.ttl")):
        parse_turtle(path, graph)
    return graph


_SUBJECT_LINE = re.compile(r"^(<[^>]*>|[A-Za-z][\w-]*:[^\s;,]*)")


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
            prefixes: dict[str, str] = {}
            for number, line in enumerate(item.path.read_text(encoding="utf-8").splitlines(), 1):
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
                    iri = token[1:-1]
                else:
                    prefix, _, local = token.partition(":")
                    if prefix not in prefixes:
                        continue
                    iri = prefixes[prefix] + local
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
