"""The term check: every vocabulary term that the ontology, data, shapes and queries use is
declared, so that a misspelt term (``rdfs:subClasOf``) is caught instead of silently making a new
one.

Terms of our own vocabulary must be declared in ontology/wego.ttl; terms of the vocabularies we
reuse, in the extracts in ontology/imports/. RDF, RDFS, OWL, XSD and SHACL terms are checked
against rdflib's built-in copies of those vocabularies.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import DefinedNamespace

from wegokg.core.file_reading import read_utf8
from wegokg.core.namespaces import PREFIXES
from wegokg.core.sparql_text import STRING_PATTERNS
from wegokg.validation.report import Violation

if TYPE_CHECKING:
    from wegokg.validation.context import ValidationContext

# Namespaces whose terms are checked, and the rdflib module that knows them (if any).
VOCABULARY_PREFIXES = (
    "wego", "dcat", "dct", "foaf", "oa", "org", "owl", "prov",
    "rdf", "rdfs", "schema", "sh", "skos", "time", "vann", "void", "xsd",
)  # fmt: skip
BUILT_IN = {"rdf": "RDF", "rdfs": "RDFS", "owl": "OWL", "xsd": "XSD", "sh": "SH"}
RDFLIB_MODULES = {
    "dcat": "DCAT", "dct": "DCTERMS", "foaf": "FOAF", "org": "ORG", "prov": "PROV",
    "schema": "SDO", "skos": "SKOS", "time": "TIME", "void": "VOID", "vann": "VANN",
}  # fmt: skip


@dataclass(frozen=True)
class UndeclaredTerm:
    term: str
    path: Path
    line: int


def rdflib_knows(prefix: str, local: str) -> bool | None:
    """Whether rdflib's copy of the vocabulary has the term; None if rdflib has no copy."""
    name = BUILT_IN.get(prefix) or RDFLIB_MODULES.get(prefix)
    if name is None:
        return None
    namespace = getattr(importlib.import_module("rdflib.namespace"), name)
    if not (isinstance(namespace, type) and issubclass(namespace, DefinedNamespace)):
        return None
    known = set(getattr(namespace, "__annotations__", {})) | set(getattr(namespace, "_extras", []))
    return local in known


def declared_terms(declarations: Iterable[Graph]) -> set[str]:
    """Every subject of the ontology and import graphs: the terms they declare."""
    return {str(s) for graph in declarations for s in graph.subjects() if isinstance(s, URIRef)}


def used_terms(text: str, path: Path) -> list[tuple[str, int]]:
    """Vocabulary terms written in a Turtle or SPARQL file, as (IRI, line).

    One pass of one pattern over the whole text: strings (long ones too), comments and prefix
    declarations are skipped, IRIs are read whole, and prefixed names of the checked vocabularies
    are collected; the line is counted only for what is collected."""
    namespaces = {PREFIXES[p]: p for p in VOCABULARY_PREFIXES}
    found = []
    line, counted_to = 1, 0
    for match in _SCAN.finditer(text):
        kind = match.lastgroup
        if kind == "skip":
            continue
        if kind == "iri":
            iri = match.group("iri")
            iris = [iri for ns in namespaces if iri.startswith(ns) and iri != ns]
        else:
            iris = [PREFIXES[match.group("prefix")] + match.group("local")]
        if iris:
            line += text.count("\n", counted_to, match.start())
            counted_to = match.start()
            found.extend((iri, line) for iri in iris)
    return found


def check_terms(declarations: Iterable[Graph], files: Iterable[Path]) -> list[UndeclaredTerm]:
    """Terms used in ``files`` that are neither declared nor known to rdflib."""
    declared = declared_terms(declarations)
    by_namespace = sorted(((PREFIXES[p], p) for p in VOCABULARY_PREFIXES), key=lambda x: -len(x[0]))
    problems = []
    for path in files:
        for iri, line in used_terms(read_utf8(path), path):
            if iri in declared:
                continue
            namespace, prefix = next((ns, p) for ns, p in by_namespace if iri.startswith(ns))
            if prefix in BUILT_IN and rdflib_knows(prefix, iri[len(namespace) :]):
                continue
            problems.append(UndeclaredTerm(iri, path, line))
    return problems


# Turtle's strings are SPARQL's four forms, so their patterns come from sparql_text (a long
# string may hold an escaped quote: \"""a\""""). Turtle's IRIs may hold \u escapes, which
# SPARQL's may not, so the IRI pattern is this scanner's own.
_STRING = "|".join(
    f"(?s:{STRING_PATTERNS[q]})" if len(q) == 3 else STRING_PATTERNS[q]
    for q in ('"""', "'''", '"', "'")
)
_SCAN = re.compile(
    rf"(?P<skip>{_STRING}|#[^\n]*"
    r"|^[ \t]*@?(?i:prefix)\b[^\n]*)"
    r"|<(?P<iri>[^>\s]+)>"
    rf"|(?<![\w:/#-])(?P<prefix>{'|'.join(VOCABULARY_PREFIXES)})"
    r":(?P<local>[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*)",
    re.MULTILINE,
)


class TermChecker:
    """The checker for misspelt or undeclared vocabulary terms in every file of the repository."""

    name = "terms"
    severity = "ERROR"
    reads = "files"
    help = (
        "Every vocabulary term that the ontology, data, shapes and queries use is declared: our "
        "own in ontology/wego.ttl, reused ones in the extracts of ontology/imports/, so that a "
        "misspelt term (rdfs:subClasOf) is caught instead of silently making a new one. Fix: "
        "check the term's spelling, or declare it."
    )

    def check(self, context: ValidationContext) -> Iterator[Violation]:
        from wegokg.validation.context import relative

        repository = context.repository
        files = [*repository.turtle_files(), *repository.extra_files, *repository.sparql_files()]
        for problem in check_terms([repository.vocabulary], files):
            yield Violation(
                file=relative(problem.path),
                line=problem.line,
                focus_node=problem.term,
                severity=self.severity,
                check=self.name,
                shape="undeclared-term",
                message="this term is declared neither in ontology/wego.ttl nor in "
                "ontology/imports/: check its spelling, or declare it",
            )
