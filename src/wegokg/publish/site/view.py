"""The dataset seen as the site needs it: labels, statements by subject with the named graphs
that state them, incoming links, evidence quotes per source, and the recorded disagreements.

Built once per site build, so that each page is a few dictionary look-ups.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from wegokg.core.loading import CURATED_GRAPH, IMPORTS_GRAPH, ONTOLOGY_GRAPH
from wegokg.core.namespaces import BASE, PREFIXES, WEGO, shorten
from wegokg.publish.site.layout import site_path

OA_EXACT = URIRef(PREFIXES["oa"] + "exact")
OA_START = URIRef(PREFIXES["oa"] + "start")
OA_END = URIRef(PREFIXES["oa"] + "end")
DERIVED_FROM = URIRef(PREFIXES["prov"] + "wasDerivedFrom")
QUOTED_FROM = URIRef(PREFIXES["prov"] + "wasQuotedFrom")
IN_LANGUAGE = URIRef(PREFIXES["schema"] + "inLanguage")
EVIDENCE = URIRef(WEGO + "evidence")
CLAIM = URIRef(WEGO + "claim")
DISPUTED_PROPERTY = URIRef(WEGO + "disputedProperty")
QUOTE = URIRef(WEGO + "Quote")
DISAGREEMENT = URIRef(WEGO + "Disagreement")
SOURCE_CLASSES = (URIRef(WEGO + "NewsArticle"), URIRef(WEGO + "ReferenceDocument"))


@dataclass
class Statement:
    predicate: URIRef
    value: object
    graphs: set[URIRef] = field(default_factory=set)


@dataclass
class Dispute:
    disagreement: URIRef
    properties: frozenset[URIRef]
    claims: tuple[URIRef, ...]


class DatasetView:
    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.out: dict[URIRef, dict[tuple, Statement]] = defaultdict(dict)
        self.incoming: dict[URIRef, dict[tuple, Statement]] = defaultdict(dict)
        self.graph_sizes: dict[URIRef, int] = defaultdict(int)
        for s, p, o, g in dataset.quads((None, None, None, None)):
            graph = URIRef(str(getattr(g, "identifier", g)))
            self.graph_sizes[graph] += 1
            self.out[s].setdefault((p, o), Statement(p, o)).graphs.add(graph)
            if isinstance(o, URIRef):
                self.incoming[o].setdefault((s, p), Statement(p, s)).graphs.add(graph)
        self.labels: dict[URIRef, dict[str, str]] = defaultdict(dict)
        for s, label in dataset.subject_objects(RDFS.label):
            if isinstance(label, Literal):
                self.labels[s].setdefault(label.language or "", str(label))
        self.types = {s: sorted(set(dataset.objects(s, RDF.type)), key=str) for s in self.out}
        self.disputes: dict[URIRef, list[Dispute]] = defaultdict(list)
        for disagreement in sorted(dataset.subjects(RDF.type, DISAGREEMENT), key=str):
            claims = tuple(sorted(dataset.objects(disagreement, CLAIM), key=str))
            properties = frozenset(dataset.objects(disagreement, DISPUTED_PROPERTY))
            for claim in claims:
                self.disputes[claim].append(Dispute(disagreement, properties, claims))
        # Every IRI of ours that occurs anywhere, and every named graph, gets a page.
        iris = {t for s, p, o in dataset.triples((None, None, None)) for t in (s, p, o)}
        iris |= {g for g, size in self.graph_sizes.items() if size}
        self.resources = sorted(
            (t for t in iris if isinstance(t, URIRef) and str(t).startswith(BASE)), key=str
        )
        self.paths = {iri: site_path(str(iri)) for iri in self.resources}

    # -- Names ------------------------------------------------------------------------------

    def names(self, iri: URIRef) -> tuple[str | None, str | None]:
        """(English, Korean) names; a quote is named by its text, anything else by its IRI."""
        labels = self.labels.get(iri, {})
        en, ko = labels.get("en"), labels.get("ko")
        if not en and not ko:
            en = labels.get("")
        if not en and not ko:
            exact = self.value(iri, OA_EXACT)
            if exact is not None:
                words = str(exact)
                words = words if len(words) <= 60 else words[:59] + "…"
                if self.quote_language(iri) == "en":
                    en = words
                else:
                    ko = words
            else:
                en = shorten(str(iri))
        return en, ko

    def value(self, subject: URIRef, predicate: URIRef):
        return next(iter(sorted(self.dataset.objects(subject, predicate))), None)

    def values(self, subject: URIRef, predicate: URIRef) -> list:
        return sorted(set(self.dataset.objects(subject, predicate)), key=_order)

    # -- Kinds of resource ------------------------------------------------------------------

    def is_claim(self, iri: URIRef) -> bool:
        return (iri, DERIVED_FROM, None) in self.dataset

    def is_quote(self, iri: URIRef) -> bool:
        return QUOTE in self.types.get(iri, ())

    def is_source(self, iri: URIRef) -> bool:
        return any(t in SOURCE_CLASSES for t in self.types.get(iri, ()))

    def is_class(self, iri: URIRef) -> bool:
        return any(t in (OWL.Class, RDFS.Class) for t in self.types.get(iri, ()))

    def is_property(self, iri: URIRef) -> bool:
        kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
        return any(t in kinds for t in self.types.get(iri, ()))

    # -- Statements -------------------------------------------------------------------------

    def statements(self, iri: URIRef) -> list[Statement]:
        return sorted(
            self.out.get(iri, {}).values(), key=lambda s: (str(s.predicate), _order(s.value))
        )

    def incoming_links(self, iri: URIRef) -> list[Statement]:
        """Statements that point at ``iri``: Statement.value is the subject that points."""
        found = self.incoming.get(iri, {}).values()
        return sorted(found, key=lambda s: (str(s.predicate), str(s.value)))

    def quotes(self, subject: URIRef, graph: URIRef) -> list[URIRef]:
        """The quotes that back ``subject`` in one source's graph."""
        statements = self.out.get(subject, {})
        return sorted(
            (o for (p, o), st in statements.items() if p == EVIDENCE and graph in st.graphs),
            key=str,
        )

    def quote_language(self, quote: URIRef) -> str | None:
        source = self.value(quote, QUOTED_FROM)
        language = self.value(source, IN_LANGUAGE) if source is not None else None
        return str(language) if language is not None else None

    def graph_kind(self, graph: URIRef) -> str:
        if graph == ONTOLOGY_GRAPH:
            return "ontology"
        if graph == IMPORTS_GRAPH:
            return "imports"
        if graph == CURATED_GRAPH:
            return "curated"
        return "source"

    def instances(self, cls: URIRef) -> list[URIRef]:
        found = {s for s in self.dataset.subjects(RDF.type, cls) if isinstance(s, URIRef)}
        return sorted(
            found, key=lambda s: ((self.names(s)[0] or self.names(s)[1] or "").casefold(), str(s))
        )


def _order(term) -> tuple:
    """A total order on terms: "WeGO"@en and "WeGO"@ko differ in language and datatype only."""
    language = getattr(term, "language", None) or ""
    datatype = getattr(term, "datatype", None) or ""
    return (type(term).__name__, str(term), language, str(datatype))
