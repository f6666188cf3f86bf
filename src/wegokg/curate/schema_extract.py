"""Rebuild ontology/imports/schema.ttl, the extract of schema.org that wegokg declares locally,
from a schema.org release, as ODK builds an import from a pinned mirror and a term list.

    python -m wegokg.curate.schema_extract UPSTREAM.ttl [TERM ...]

UPSTREAM.ttl is ``data/releases/VERSION/schemaorg-current-https.ttl`` of
github.com/schemaorg/schemaorg. The terms are those the extract already declares plus the TERMs
named (local names: ``EventVenue``, ``locationCreated``). For each it writes the label, the
superclasses (and the class of an enumeration member), and for properties their
schema:domainIncludes and schema:rangeIncludes, which the check alignment-domain-range reads;
every term these mention is declared too, with its superclasses up to schema:Thing. Terms newer
than rdflib's copy of schema.org are left out, since the term check reads that copy. The output
is then put in the canonical layout (``wegokg fmt``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SDO

SCHEMA = "https://schema.org/"
EXTRACT = Path("ontology") / "imports" / "schema.ttl"
DOMAIN, RANGE = URIRef(SCHEMA + "domainIncludes"), URIRef(SCHEMA + "rangeIncludes")
HEADER = """\
# The terms of schema.org that wegokg uses, declared here so that no vocabulary is fetched
# at run time and the term check can tell a misspelt term from a real one.
# Extracted from schema.org release {release} (data/releases/{release}/schemaorg-current-https.ttl
# of github.com/schemaorg/schemaorg) by `python -m wegokg.curate.schema_extract`: each term's label,
# its superclasses and enumeration type, and for each property that wegokg uses or aligns with,
# its schema:domainIncludes and schema:rangeIncludes, which the check alignment-domain-range reads.
# Each term is checked against rdflib's copy of the vocabulary where rdflib has one; terms newer
# than that copy are left out (StatisticalVariable, Certification, ...).

@prefix owl:    <http://www.w3.org/2002/07/owl#> .
@prefix rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
"""


def known_to_rdflib() -> set[str]:
    return set(SDO.__annotations__) | set(getattr(SDO, "_extras", []))


def extract(upstream: Graph, current: Graph, extra: list[str], release: str) -> str:
    """The Turtle text of the extract (before the canonical layout)."""
    known = known_to_rdflib()
    wanted = {_local(s) for s in current.subjects() if str(s).startswith(SCHEMA)} | set(extra)
    wanted -= {"domainIncludes", "rangeIncludes"}
    properties = {t for t in wanted if t[0].islower()}
    terms = set(wanted)
    for prop in properties:
        for link in (DOMAIN, RANGE):
            terms |= {_local(o) for o in upstream.objects(_iri(prop), link) if _local(o) in known}
    grown = True
    while grown:
        grown = False
        for term in sorted(terms):
            parents = set(upstream.objects(_iri(term), RDFS.subClassOf))
            if term[0].isupper():
                parents |= set(upstream.objects(_iri(term), RDF.type))
            for parent in parents:
                if str(parent).startswith(SCHEMA) and _local(parent) not in terms:
                    terms.add(_local(parent))
                    grown = True
    blocks = [HEADER.format(release=release)]
    for term in sorted(terms | {"domainIncludes", "rangeIncludes"}):
        blocks.append(_block(upstream, current, term, term in properties, known))
    return "\n".join(blocks)


def _block(upstream: Graph, current: Graph, term: str, described: bool, known: set[str]) -> str:
    iri = _iri(term)
    types = {str(o) for o in upstream.objects(iri, RDF.type)}
    label = current.value(iri, RDFS.label) or upstream.value(iri, RDFS.label) or term
    if term[0].islower():
        kind = "rdf:Property"
    elif str(RDFS.Class) in types:
        kind = "rdfs:Class"
    else:
        members = sorted(f"schema:{_local(t)}" for t in types if t.startswith(SCHEMA))
        kind = ", ".join(["owl:NamedIndividual", *members])
    lines = [f"schema:{term}", f"    a {kind} ;", f'    rdfs:label "{label}"@en ;']
    parents = sorted(
        f"schema:{_local(o)}"
        for o in upstream.objects(iri, RDFS.subClassOf)
        if str(o).startswith(SCHEMA)
    )
    if parents:
        lines.append(f"    rdfs:subClassOf {', '.join(parents)} ;")
    if term == "name":  # as schema.org declares it; the schema.org view reads names from labels
        lines.append("    rdfs:subPropertyOf rdfs:label ;")
    if described:
        for link, name in ((DOMAIN, "domainIncludes"), (RANGE, "rangeIncludes")):
            values = sorted(
                f"schema:{_local(o)}" for o in upstream.objects(iri, link) if _local(o) in known
            )
            if values:
                lines.append(f"    schema:{name} {', '.join(values)} ;")
    lines += ["    rdfs:isDefinedBy <https://schema.org/> ;", "."]
    return "\n".join(lines) + "\n"


def _iri(local: str) -> URIRef:
    return URIRef(SCHEMA + local)


def _local(term) -> str:
    return str(term)[len(SCHEMA) :]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[3].strip(), file=sys.stderr)
        return 2
    upstream_path = Path(argv[0])
    release = upstream_path.parent.name
    upstream = Graph().parse(upstream_path, format="turtle")
    current = Graph().parse(EXTRACT, format="turtle")
    EXTRACT.write_text(extract(upstream, current, argv[1:], release), encoding="utf-8")
    from wegokg.curate.turtle_format import format_file

    format_file(EXTRACT)
    print(EXTRACT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
