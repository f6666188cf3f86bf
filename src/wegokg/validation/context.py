"""The checker protocol and the context that checkers share: every checker looks at the dataset
and yields ``Violation``s, which ``wegokg.validation.run.validate`` gathers into one report in
which every problem names its file, line, focus node and shape.

A checker declares its ``name``, ``help`` and default ``severity`` and has a ``check(context)``
method (the ``Checker`` protocol), like a pySHACL constraint component feeding one report
builder. ``wegokg.validation.checker_registry.CHECKERS`` lists them in run order, SHACL first
(``wegokg validate --list-checks`` prints them). They share one ``ValidationContext``, which
parses each file once and builds each view of the data (rdflib graph, pyoxigraph store) only when
a checker asks for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from wegokg.core.namespaces import PREFIXES, WEGO
from wegokg.core.repository import Repository
from wegokg.validation.report import Violation

if TYPE_CHECKING:
    from rdflib import Dataset

    from wegokg.query.engines import OxigraphEngine
    from wegokg.validation.evidence_graph import EvidenceGraph


# Every predicate check_quotes and the coverage report read (see ValidationContext.evidence).
EVIDENCE_PREDICATES = (
    PREFIXES["rdf"] + "type",
    PREFIXES["rdfs"] + "subClassOf",
    PREFIXES["rdfs"] + "comment",
    PREFIXES["oa"] + "exact",
    PREFIXES["oa"] + "start",
    PREFIXES["oa"] + "end",
    PREFIXES["prov"] + "wasQuotedFrom",
    WEGO + "textFile",
    WEGO + "sha256",
    WEGO + "bodyStart",
    WEGO + "bodyEnd",
    WEGO + "uncitedReason",
)


class Checker(Protocol):
    """Something that looks at the data and reports what is wrong with it.

    ``name`` is the check's name in every report (a lower-case word); ``help`` is one paragraph:
    what it finds, then ``Fix:`` and how; ``severity`` (ERROR, WARN or INFO) is that of its
    violations unless a rule of its own says otherwise (a shape's ``sh:severity``, a quality
    check's profile). ``wegokg.validation.checker_registry`` checks all three when it registers
    the class. A checker whose ``reads`` is ``"files"`` reads only the repository's files, not
    ``store`` or its views, so it can run while the store loads.

    A checker may run in a worker process forked from the one that validates
    (``wegokg.validation.run``): it tells what it found only by the violations it yields and the
    lines it adds to ``context.notes``.
    """

    name: str
    help: str
    severity: str

    def check(self, context: ValidationContext) -> Iterable[Violation]: ...


class ValidationContext:
    """The repository under validation and the views of its data that checkers share."""

    def __init__(self, repository: Repository) -> None:
        self.repository = repository
        # Lines a checker has to say about how it ran (the SHACL checker: which route), which
        # every report format shows as one INFO line each.
        self.notes: list[str] = []

    @property
    def dataset(self) -> Dataset:
        return self.repository.dataset

    @cached_property
    def evidence(self) -> EvidenceGraph:
        """The statements the evidence and coverage checks read (types, quotes, passages, the
        source documents' texts and extents), taken from ``store``: a small graph even when the
        data is large, so that those checks need no rdflib parse of every file."""
        from wegokg.core.terms import rdflib_converter
        from wegokg.validation.evidence_graph import EvidenceGraph

        values = " ".join(f"<{p}>" for p in EVIDENCE_PREDICATES)
        triples = self.store.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}",
            use_default_graph_as_union=True,
        )
        # Term by term, not through N-Triples text: rdflib's N-Triples parser refuses IRIs that
        # RFC 3987 allows and pyoxigraph keeps (one with a no-break space, say).
        term = rdflib_converter()  # each distinct term once: offsets and classes repeat
        return EvidenceGraph((term(s), term(p), term(o)) for s, p, o in triples)

    @cached_property
    def store(self):
        """The data in a pyoxigraph Store, one named graph per source."""
        from wegokg.core.loading import load_store

        return load_store(self.repository)

    @property
    def loaded_store(self):
        """``store`` if a checker has loaded it, else None (nothing is loaded to answer). The
        checkers only read it, so it holds the data as loaded: what an export writes."""
        return self.__dict__.get("store")

    @cached_property
    def engine(self) -> OxigraphEngine:
        """SPARQL over ``store``, with pyoxigraph's union of the named graphs as the default
        graph: the quality checks select DISTINCT rows, so a statement that two sources share
        counts once, and the store needs no copy of the union (see loading.union_default_graph)."""
        from wegokg.query.engines import OxigraphEngine

        return OxigraphEngine(self.store, bag_union=True)

    def graph_of(self, subject: str, predicate: str) -> str | None:
        """A named graph that holds a statement of ``subject`` with ``predicate``."""
        import pyoxigraph

        for quad in self.store.quads_for_pattern(
            pyoxigraph.NamedNode(subject), pyoxigraph.NamedNode(predicate), None, None
        ):
            return quad.graph_name.value
        return None

    def locate(self, focus: str, graph: str | None = None) -> tuple[str, int]:
        """The file and line where ``focus`` is written, preferring the file of ``graph``."""
        located = self.repository.source_index.locate(focus, graph)
        if located is None:
            return "<unknown file>", 0
        return relative(located[0]), located[1]


def relative(path: Path | str) -> str:
    """A path relative to the current folder when it is below it, as error messages show it."""
    return _relative(str(path), os.getcwd())


@lru_cache(maxsize=65536)
def _relative(path: str, cwd: str) -> str:
    # Cached: 10^4 violations name thousands of files (5,294 at 10^6 triples), and resolving a
    # path asks the file system about each of its folders.
    try:
        return str(Path(path).resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return path
