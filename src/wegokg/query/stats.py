"""Figures about the dataset: how many of each class, how many facts each source gives, and how
well names and evidence cover it."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset, URIRef
from rdflib.namespace import RDF, RDFS

from wegokg.core.loading import IMPORTS_GRAPH, ONTOLOGY_GRAPH
from wegokg.core.namespaces import PREFIXES, WEGO, shorten

EVIDENCE = URIRef(WEGO + "evidence")
DERIVED_FROM = URIRef(PREFIXES["prov"] + "wasDerivedFrom")


@dataclass(frozen=True)
class Stats:
    triples: int
    classes: dict[str, int]  # class -> instances
    facts_by_source: dict[str, int]  # source -> claims that name it
    quotes_by_source: dict[str, int]
    named: int  # resources with at least one label
    named_in_both_languages: int
    claims: int
    claims_with_evidence: int

    def to_text(self) -> str:
        lines = [f"Triples: {self.triples}", "", "Instances by class:"]
        lines += [f"  {count:5}  {shorten(cls)}" for cls, count in self.classes.items()]
        lines += ["", "Facts (claims) and quotes by source:"]
        for source, count in self.facts_by_source.items():
            quotes = self.quotes_by_source.get(source, 0)
            lines.append(f"  {count:5} facts  {quotes:4} quotes  {shorten(source)}")
        lines += [
            "",
            "Coverage:",
            f"  names in Korean and English: {self.named_in_both_languages}/{self.named} "
            f"({_percent(self.named_in_both_languages, self.named)})",
            f"  facts with a source and a quote: {self.claims_with_evidence}/{self.claims} "
            f"({_percent(self.claims_with_evidence, self.claims)})",
        ]
        return "\n".join(lines)


def compute_stats(dataset: Dataset) -> Stats:
    data_graphs = [
        g
        for g in dataset.graphs()
        if g.identifier not in (IMPORTS_GRAPH, ONTOLOGY_GRAPH) and len(g) > 0
    ]
    triples = {t for g in data_graphs for t in g}
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    claim_classes = {URIRef(WEGO + "Claim")} | set(
        ontology.transitive_subjects(RDFS.subClassOf, URIRef(WEGO + "Claim"))
    )

    classes: dict[str, int] = {}
    facts_by_source: dict[str, int] = {}
    quotes_by_source: dict[str, int] = {}
    labels: dict[URIRef, set[str]] = {}
    claims, with_evidence, with_source = set(), set(), set()
    quoted_from = URIRef(PREFIXES["prov"] + "wasQuotedFrom")
    for s, p, o in triples:
        if p == RDF.type:
            classes[str(o)] = classes.get(str(o), 0) + 1
            if o in claim_classes:
                claims.add(s)
        elif p == RDFS.label:
            labels.setdefault(s, set()).add(getattr(o, "language", None) or "")
        elif p == EVIDENCE:
            with_evidence.add(s)
        elif p == DERIVED_FROM:
            with_source.add(s)
        elif p == quoted_from:
            quotes_by_source[str(o)] = quotes_by_source.get(str(o), 0) + 1
    for s, p, o in triples:
        if p == DERIVED_FROM and s in claims:
            facts_by_source[str(o)] = facts_by_source.get(str(o), 0) + 1
    return Stats(
        triples=len(triples),
        classes=dict(sorted(classes.items(), key=lambda item: (-item[1], item[0]))),
        facts_by_source=dict(sorted(facts_by_source.items())),
        quotes_by_source=quotes_by_source,
        named=len(labels),
        named_in_both_languages=sum(1 for langs in labels.values() if {"en", "ko"} <= langs),
        claims=len(claims),
        claims_with_evidence=len(claims & with_evidence & with_source),
    )


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"
