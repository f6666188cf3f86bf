"""The alignments of the wego vocabulary with the vocabularies it reuses, read from the ontology.

Each wego class and property states its closest term in schema.org, ORG, PROV-O, SKOS, OWL-Time
or Web Annotation (rdfs:subClassOf / rdfs:subPropertyOf where narrower, owl:equivalentClass /
owl:equivalentProperty where identical, skos:closeMatch where near but not logically safe) and a
one-line wego:alignmentNote. This module turns them into the table of docs/alignments.md
(``python -m wegokg.publish.alignments`` rewrites it) and into the mapping that the schema.org view
applies (wegokg.publish.schema_view), so that there is no second mapping written by hand.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from wegokg.core.namespaces import PREFIXES, WEGO, shorten

SCHEMA = PREFIXES["schema"]
CLOSE_MATCH = URIRef(PREFIXES["skos"] + "closeMatch")
ALIGNMENT_NOTE = URIRef(WEGO + "alignmentNote")
# The statements that align a term, in the order the table shows them.
ALIGNING = (
    OWL.equivalentClass,
    OWL.equivalentProperty,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    CLOSE_MATCH,
)
LOGICAL = (OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf)
KINDS = {
    OWL.Class: "class",
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
}
TABLE_FILE = "alignments.md"


@dataclass(frozen=True)
class Alignment:
    """One wego term: what it states, the outside terms it reaches through its wego parents,
    and why."""

    term: URIRef
    kind: str
    links: tuple[tuple[URIRef, URIRef], ...]
    inherited: tuple[URIRef, ...]
    note: str | None


def alignments(vocabulary: Graph) -> list[Alignment]:
    """Every wego class and property of ``vocabulary`` (the ontology with its imports)."""
    found = []
    for kind_iri, kind in KINDS.items():
        for term in vocabulary.subjects(RDF.type, kind_iri):
            if not isinstance(term, URIRef) or not str(term).startswith(WEGO):
                continue
            links = tuple(
                (predicate, target)
                for predicate in ALIGNING
                for target in sorted(vocabulary.objects(term, predicate), key=str)
                if isinstance(target, URIRef)
            )
            notes = sorted(str(n) for n in vocabulary.objects(term, ALIGNMENT_NOTE))
            found.append(
                Alignment(
                    term, kind, links, _inherited(vocabulary, term), notes[0] if notes else None
                )
            )
    return sorted(found, key=lambda a: (a.kind != "class", str(a.term).lower()))


def _inherited(vocabulary: Graph, term: URIRef) -> tuple[URIRef, ...]:
    """The outside terms that ``term`` is narrower than only through a wego parent."""
    direct = {
        t for p in LOGICAL for t in vocabulary.objects(term, p) if not str(t).startswith(WEGO)
    }
    reached: set[URIRef] = set()
    seen = {term}
    todo = [t for p in (RDFS.subClassOf, RDFS.subPropertyOf) for t in vocabulary.objects(term, p)]
    while todo:
        parent = todo.pop()
        if parent in seen or not isinstance(parent, URIRef):
            continue
        seen.add(parent)
        if str(parent).startswith(WEGO):
            for p in LOGICAL:
                todo.extend(vocabulary.objects(parent, p))
        elif parent not in direct:
            reached.add(parent)
    return tuple(sorted(reached, key=str))


def alignment_table(vocabulary: Graph) -> str:
    """docs/alignments.md: one row per wego term, generated from the ontology."""
    rows = alignments(vocabulary)
    lines = [
        "# Alignments of the wego vocabulary",
        "",
        "<!-- Generated from ontology/wego.ttl by `python -m wegokg.publish.alignments`;"
        " do not edit."
        " A test fails when it is out of date. -->",
        "",
        "Each class and property of the wego vocabulary, its alignment with schema.org, W3C ORG,"
        " PROV-O, SKOS, OWL-Time or Web Annotation, and why (`wego:alignmentNote`):"
        " `rdfs:subClassOf` or `rdfs:subPropertyOf` where the wego term is narrower,"
        " `owl:equivalentClass` or `owl:equivalentProperty` where it means the same, and"
        " `skos:closeMatch` (declared an annotation property, so that it entails nothing) where"
        " it is near but not logically safe. *Through* lists the outside terms a term reaches"
        " through its wego parents. The quality checks `alignment-domain-range` and `owl-lite`"
        " (shapes/checks/) check that no alignment contradicts its target's domain or range as"
        " ontology/imports/ declares them, and that the vocabulary stays in OWL-Lite. The"
        " schema.org view (`wegokg export --view schema`, and the JSON-LD of the site's pages)"
        " is derived from the logical alignments of this table.",
        "",
        f"{sum(1 for a in rows if a.kind == 'class')} classes,"
        f" {sum(1 for a in rows if a.kind != 'class')} properties.",
        "",
        "| term | kind | alignment | through | justification |",
        "|---|---|---|---|---|",
    ]
    for a in rows:
        stated = "<br>".join(f"`{shorten(str(p))}` `{shorten(str(t))}`" for p, t in a.links)
        through = ", ".join(f"`{shorten(str(t))}`" for t in a.inherited)
        note = (a.note or "").replace("|", "\\|")
        lines.append(
            f"| `{shorten(str(a.term))}` | {a.kind} | {stated or 'none'} | {through} | {note} |"
        )
    return "\n".join(lines) + "\n"


def write_table(root: Path | None = None) -> Path:
    from wegokg.core.repository import Repository

    repository = Repository.find(root)
    target = repository.docs_folder / TABLE_FILE
    target.write_text(alignment_table(repository.vocabulary), encoding="utf-8")
    return target


if __name__ == "__main__":
    print(write_table(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
