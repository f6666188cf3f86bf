"""The compiled path's queries: one SELECT over all the targets of a shape, and the SPARQL
spelling of the terms the shapes give."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wegokg.core.terms import TermError, string_text, term_text
from wegokg.validation.shacl.results import (
    COMPONENT_NAMES,
    SH,
    ShaclResult,
    Unsupported,
    default_message,
)

if TYPE_CHECKING:
    from rdflib.term import Node

PREAMBLE = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)


@dataclass
class Query:
    """One compiled check: a SELECT over all targets, and how to turn its rows into results."""

    sparql: str
    make: object  # Callable[[QuerySolution], Iterable[ShaclResult]]
    per_focus: str | None = None  # a query for the targets, when the check runs once per target
    # (negated, query): ``sparql`` gives the candidate focus nodes, and each test keeps those
    # that its query returns (FILTER EXISTS) or does not return (FILTER NOT EXISTS).
    tests: tuple[tuple[bool, str], ...] = ()


def target_pattern(classes: list[str]) -> str:
    """A group binding ?this to each target once (SHACL class targets include subclasses)."""
    branches = " UNION ".join(f"{{ ?this rdf:type/rdfs:subClassOf* <{c}> }}" for c in classes)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {branches} }} }}"


def value_query(target, path, tests, source, shape, message, severity, joins=()) -> Query:
    """One row per (focus, value) that fails one of ``tests``, saying which ones failed;
    ``joins`` are the patterns that some tests read (each binds a variable or leaves it unbound
    for each value, once)."""
    value = "?value" if path is not None else "?this"
    columns = " ".join(f"(COALESCE({test}, false) AS ?ok{i})" for i, (_, test) in enumerate(tests))
    failing = " || ".join(f"!COALESCE({test}, false)" for _, test in tests)
    walk = f"?this {path} ?value ." if path is not None else ""
    sparql = (
        f"{PREAMBLE}SELECT DISTINCT ?this {value if path else ''} {columns} WHERE {{ "
        f"{target} {walk} {' '.join(joins)} FILTER ({failing}) }}"
    )
    components = [name for name, _ in tests]
    path_text = path[1:-1] if path else None

    def make(row) -> Iterator[ShaclResult]:
        focus = row["this"].value
        found = row["value"].value if path else focus
        for i, name in enumerate(components):
            if row[f"ok{i}"].value != "true":
                yield ShaclResult(
                    focus,
                    source,
                    shape,
                    path_text,
                    found,
                    message or default_message(name, focus, path_text, found),
                    severity,
                    SH + COMPONENT_NAMES[name],
                    focus_term=str(row["this"]),
                    value_term=str(row["value"] if path else row["this"]),
                    path_text=path,
                )

    return Query(sparql, make)


def sparql_term(node: Node) -> str:
    """A term in SPARQL syntax (by the one term writer, ``wegokg.core.terms``)."""
    try:
        return term_text(node, allow_blank=False)
    except TermError as error:
        raise Unsupported(f"a value the compiler cannot write: {error}") from None


def sparql_string(text: str) -> str:
    return string_text(text)


def focus_maker(name, path, source, shape, message, severity, detail: str | None = None):
    """What a query of its own gives for a property shape's component ``name`` (a count,
    sh:hasValue, sh:uniqueLang): one result per row, for its ``?this``, with the row's ``detail``
    variable (if any) in the default message."""
    path_text = path[1:-1]

    def make(row) -> Iterator[ShaclResult]:
        focus = row["this"].value
        shown = row[detail].value if detail is not None else None
        yield ShaclResult(
            focus,
            source,
            shape,
            path_text,
            None,
            message or default_message(name, focus, path_text, shown),
            severity,
            SH + COMPONENT_NAMES[name],
            focus_term=str(row["this"]),
            path_text=path,
        )

    return make
