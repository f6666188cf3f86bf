"""The facts a reconciled resource can be extended with: its country, its WeGO memberships (role
and term), its award placements (edition, category, rank, prize), its Wikidata and GeoNames IDs.

Each value comes with the source that states it: a claim's ``prov:wasDerivedFrom``, or, for a
plain statement such as ``schema:containedInPlace``, the named graph (the source document) it is
written in. Where sources disagree, every source's value is kept, in source order; nothing is
merged or chosen. Where the graph records a ``wego:Disagreement`` about a membership's term, the
other claims' terms are given too, each with its own source.

The facts are read once, when the service starts, with a few SPARQL queries over the union of the
named graphs; answering a request is then a look-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from wegokg.core.namespaces import EXTERNAL_ID_NAMESPACES

WIKIDATA, GEONAMES = EXTERNAL_ID_NAMESPACES


@dataclass(frozen=True)
class Value:
    """A value as the graph states it: a resource (``iri``), a number or a text."""

    iri: str | None = None
    number: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class Property:
    id: str
    name: str
    description: str


PROPERTIES: tuple[Property, ...] = (
    Property("country", "Country", "The country the place is in (schema:containedInPlace)."),
    Property("membership_role", "WeGO membership role", "The role in WeGO (org:role)."),
    Property("membership_term", "WeGO membership term", "The term of office (org:memberDuring)."),
    Property("award_edition", "Award edition", "The awards edition of a placement."),
    Property("award_category", "Award category", "The category of a placement."),
    Property("award_rank", "Award rank", "The rank of a placement (1 is first place)."),
    Property("award_prize", "Award prize", "The prize of a placement (gold prize …)."),
    Property("award_project", "Awarded project", "The project a placement was won with."),
    Property("wikidata", "Wikidata ID", "The Wikidata item (schema:sameAs), as Q…"),
    Property("geonames", "GeoNames ID", "The GeoNames feature (schema:sameAs), as a number."),
)
SOURCE_SUFFIX = "_source"
# Names the command line accepts for groups of properties.
GROUPS: dict[str, tuple[str, ...]] = {
    "country": ("country",),
    "membership": ("membership_role", "membership_term"),
    "awards": ("award_edition", "award_category", "award_rank", "award_prize", "award_project"),
    "wikidata": ("wikidata",),
    "geonames": ("geonames",),
}
BY_ID = {p.id: p for p in PROPERTIES}

_PLAIN = """
PREFIX schema: <https://schema.org/>
SELECT ?subject ?property ?value ?source WHERE {
    GRAPH ?source { ?subject ?property ?value }
    VALUES ?property { schema:containedInPlace schema:sameAs }
}"""
_MEMBERSHIPS = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX wego: <https://w3id.org/wegokg/ontology#>
SELECT ?subject ?claim ?role ?term ?source WHERE {
    ?claim org:member ?subject ; prov:wasDerivedFrom ?source .
    OPTIONAL { ?claim org:role ?role }
    OPTIONAL { ?claim org:memberDuring ?term }
    OPTIONAL { ?claim org:organization ?organization }
    FILTER (!BOUND(?organization) || ?organization = <https://w3id.org/wegokg/id/organization/wego>)
}"""
_PLACEMENTS = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX wego: <https://w3id.org/wegokg/ontology#>
SELECT ?subject ?claim ?edition ?category ?rank ?prize ?project ?source WHERE {
    ?claim wego:winner ?subject ; prov:wasDerivedFrom ?source .
    OPTIONAL { ?claim wego:edition ?edition }
    OPTIONAL { ?claim wego:category ?category }
    OPTIONAL { ?claim wego:rank ?rank }
    OPTIONAL { ?claim wego:medal ?prize }
    OPTIONAL { ?claim wego:project ?project }
}"""
# A recorded disagreement about a membership's term: the other claims' terms, each with its own
# source, are that source's value for the term (Newspim's "5th term" against the Seongnam
# article's "6th term" for the executive committee cities chosen in 2021).
_DISPUTED_TERMS = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX wego: <https://w3id.org/wegokg/ontology#>
SELECT ?subject ?term ?source WHERE {
    ?disagreement a wego:Disagreement ;
        wego:claim ?membership, ?other ;
        wego:disputedProperty org:memberDuring .
    ?membership org:member ?subject ; org:memberDuring ?own .
    ?other prov:wasDerivedFrom ?source .
    { ?other wego:forTerm ?term } UNION { ?other org:memberDuring ?term }
    FILTER (?other != ?membership)
}"""
# A claim that names the resource, for the preview card: memberships and placements first.
_CLAIMS = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX wego: <https://w3id.org/wegokg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?subject ?claim ?source ?kind WHERE {
    ?claim prov:wasDerivedFrom ?source ; ?link ?subject ; a ?kind .
    FILTER (isIRI(?subject) && ?link != prov:wasDerivedFrom)
}"""
_CLAIM_ORDER = ("Membership", "Placement", "PostHolding", "Bid", "Participation")


class Facts:
    """Per resource, per property, the (value, source) pairs the graph states."""

    def __init__(
        self,
        values: dict[str, dict[str, list[tuple[Value, str]]]],
        claims: dict[str, list[tuple[str, str]]],
    ) -> None:
        self._values = values
        self._claims = claims

    @classmethod
    def from_store(cls, store) -> Facts:
        """Read from a pyoxigraph Store that holds one named graph per source."""
        values: dict[str, dict[str, list[tuple[Value, str]]]] = {}

        def add(subject: str, prop: str, value: Value, source: str) -> None:
            pairs = values.setdefault(subject, {}).setdefault(prop, [])
            if (value, source) not in pairs:
                pairs.append((value, source))

        for row in _rows(store, _PLAIN):
            subject, prop, value, source = (
                row["subject"],
                row["property"],
                row["value"],
                row["source"],
            )
            if prop.endswith("containedInPlace"):
                add(subject, "country", Value(iri=value), source)
            elif value.startswith(WIKIDATA):
                add(subject, "wikidata", Value(text=value[len(WIKIDATA) :]), source)
            elif value.startswith(GEONAMES):
                add(subject, "geonames", Value(text=value[len(GEONAMES) :].strip("/")), source)
        for row in _rows(store, _MEMBERSHIPS):
            for prop, column in (("membership_role", "role"), ("membership_term", "term")):
                if row.get(column):
                    add(row["subject"], prop, Value(iri=row[column]), row["source"])
        for row in _rows(store, _DISPUTED_TERMS):
            add(row["subject"], "membership_term", Value(iri=row["term"]), row["source"])
        for row in _rows(store, _PLACEMENTS):
            for column in ("edition", "category", "prize", "project"):
                if row.get(column):
                    add(row["subject"], "award_" + column, Value(iri=row[column]), row["source"])
            if row.get("rank"):
                add(row["subject"], "award_rank", Value(number=int(row["rank"])), row["source"])
        claims: dict[str, list[tuple[int, str, str]]] = {}
        for row in _rows(store, _CLAIMS):
            kind = row["kind"].rsplit("#", 1)[-1]
            order = _CLAIM_ORDER.index(kind) if kind in _CLAIM_ORDER else len(_CLAIM_ORDER)
            claims.setdefault(row["subject"], []).append((order, row["claim"], row["source"]))
        ordered = {
            subject: [(claim, source) for _, claim, source in sorted(set(found))]
            for subject, found in claims.items()
        }
        return cls(values, ordered)

    def of(self, iri: str, prop: str) -> list[tuple[Value, str]]:
        """The (value, source) pairs of one property of one resource, in source order."""
        return sorted(self._values.get(iri, {}).get(prop, ()), key=lambda pair: pair[1])

    def claims(self, iri: str) -> list[tuple[str, str]]:
        """Claims about the resource with their sources, memberships and placements first."""
        return self._claims.get(iri, [])


def expand(names: list[str]) -> list[str]:
    """Property ids for names given by the user: a group (membership, awards) or a property id,
    in the order given, each once. An unknown name raises KeyError with the name."""
    ids: list[str] = []
    for name in names:
        key = name.strip().lower().replace("-", "_")
        found = GROUPS.get(key) or ((key,) if key in BY_ID else None)
        if found is None:
            raise KeyError(name)
        ids += [i for i in found if i not in ids]
    return ids


def _rows(store, query: str) -> list[dict[str, str]]:
    import pyoxigraph

    solutions = store.query(query, use_default_graph_as_union=True)
    variables = [v.value for v in solutions.variables]
    rows = []
    for solution in solutions:
        row = {}
        for name in variables:
            term = solution[name]
            if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal):
                row[name] = term.value
        rows.append(row)
    return rows
