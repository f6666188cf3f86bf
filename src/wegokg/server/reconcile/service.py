"""The W3C Reconciliation Service API, version 0.2, over the graph: the manifest, reconciliation
batches, suggest (entities, types, properties), property proposals, data extension and preview
cards. Every answer is a plain dict (or HTML for the preview); ``http`` puts them on the web.

Specification: https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/
(sections 3 "Service manifest", 4 "Reconciliation", 5 "Data extension", 6 "Suggest", 7
"Preview"). The schemas it is tested against are in tests/schemas/reconciliation-0.2/.
"""

from __future__ import annotations

from wegokg.core.namespaces import ID, PREFIXES, WEGO, shorten
from wegokg.query.matching import (
    Candidate,
    NameIndex,
    UnknownTypeError,
    name_keys,
    normalize,
    script_language,
)
from wegokg.server.reconcile.facts import BY_ID, PROPERTIES, SOURCE_SUFFIX, Facts, Value
from wegokg.server.reconcile.requests import (
    MAX_LIMIT,
    MAX_QUERY_LENGTH,
    Query,
    ReconcileRequestError,
    parse_batch,
    parse_extension,
)

SERVICE_NAME = "WeGO Knowledge Graph (wegokg)"
ORG = PREFIXES["org"]
# Types offered to OpenRefine as good first choices, in this order.
DEFAULT_TYPES = (
    WEGO + "City",
    WEGO + "Country",
    ORG + "Organization",
    WEGO + "Person",
    WEGO + "Event",
    WEGO + "AwardProgramme",
    WEGO + "AwardEdition",
    WEGO + "AwardCategory",
    WEGO + "Project",
)
# Resources that are statements about things, not things: never reconciliation candidates.
NOT_ENTITIES = tuple(ID + kind + "/" for kind in ("fact", "quote", "passage"))
PROPERTY_MISMATCH_PENALTY = 20.0


class ReconcileService:
    """Answers of the reconciliation API over a name index and the facts of the graph."""

    def __init__(self, index: NameIndex, facts: Facts) -> None:
        self.index = index
        self.facts = facts
        self._entities = frozenset(
            iri for iri in index.iris() if iri.startswith(ID) and not iri.startswith(NOT_ENTITIES)
        )
        # Matching looks at the entities' names only: fewer and shorter names to score.
        self._matcher = index.restricted(self._entities.__contains__)
        self._classes = sorted(
            {t for iri in self._entities for t in index.types_of(iri)} | set(DEFAULT_TYPES),
            key=lambda t: (t not in DEFAULT_TYPES, index.label(t)),
        )

    @classmethod
    def from_repository(cls, repository, store=None) -> ReconcileService:
        """The service over a repository; ``store`` is a pyoxigraph Store of its named graphs
        when the caller has one already."""
        if store is None:
            from wegokg.core.loading import load_store

            store = load_store(repository)
        return cls(NameIndex.from_repository(repository), Facts.from_store(store))

    @classmethod
    def from_snapshot(cls, nquads) -> ReconcileService:
        """The service over an N-Quads snapshot of the graph (what ``wegokg serve`` writes)."""
        import pyoxigraph

        from wegokg.core.layout import IMPORTS_GRAPH

        store = pyoxigraph.Store()
        store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
        return cls(NameIndex.from_store(store, IMPORTS_GRAPH), Facts.from_store(store))

    # -- 3. The manifest -------------------------------------------------------------------------

    def manifest(self, base: str) -> dict:
        """The service manifest; ``base`` is the URL of the service (…/reconcile)."""
        return {
            "versions": ["0.2"],
            "name": SERVICE_NAME,
            "identifierSpace": ID,
            "schemaSpace": PREFIXES["wego"],
            "documentation": "https://w3id.org/wegokg/",
            "view": {"url": base + "/view?id={{id}}"},
            "preview": {"url": base + "/preview?id={{id}}", "width": 400, "height": 180},
            "defaultTypes": [self._type(t) for t in DEFAULT_TYPES],
            "suggest": {
                "entity": {"service_url": base, "service_path": "/suggest/entity"},
                "type": {"service_url": base, "service_path": "/suggest/type"},
                "property": {"service_url": base, "service_path": "/suggest/property"},
            },
            "extend": {
                "propose_properties": {"service_url": base, "service_path": "/properties"},
                "property_settings": [],
            },
        }

    # -- 4. Reconciliation -----------------------------------------------------------------------

    def reconcile(self, batch: str | dict) -> dict:
        """Answers to a batch of queries (the ``queries`` parameter: a JSON object of keyed
        queries), each with its candidates."""
        queries = parse_batch(batch)
        return {key: {"result": self._result(query)} for key, query in queries.items()}

    def candidates(self, query: Query) -> list[Candidate]:
        """The candidates for one query: entities only, the type filter applied, scores lowered
        for every property value the candidate does not have; ``match`` only for one candidate
        with the exact name and every given property."""
        try:
            types = [self.index.resolve_type(t) for t in query.types] or None
            found = self._matcher.match(query.query, types=types, limit=MAX_LIMIT)
        except UnknownTypeError as error:
            raise ReconcileRequestError(str(error)) from None
        found = [c for c in found if c.iri in self._entities]
        if query.properties:
            found = sorted(
                (self._with_properties(c, query.properties) for c in found),
                key=lambda c: -c.score,
            )
        exact = [c for c in found if c.score == 100]
        unique = len(exact) == 1
        return [
            Candidate(c.iri, c.name, c.types, c.score, unique and c.score == 100, c.matched)
            for c in found[: query.limit]
        ]

    def _result(self, query: Query) -> list[dict]:
        return [
            {
                "id": c.iri,
                "name": c.name,
                "type": [self._type(t) for t in c.types],
                "score": c.score,
                "match": c.match,
            }
            for c in self.candidates(query)
        ]

    def _with_properties(self, candidate: Candidate, properties) -> Candidate:
        penalty = 0.0
        for pid, wanted in properties:
            if not any(self._has_value(candidate.iri, pid, value) for value in wanted):
                penalty += PROPERTY_MISMATCH_PENALTY
        score = max(0.0, candidate.score - penalty)
        return Candidate(candidate.iri, candidate.name, candidate.types, score, False)

    def _has_value(self, iri: str, pid: str, wanted: str) -> bool:
        pid = pid.removesuffix(SOURCE_SUFFIX)
        keys = name_keys(wanted)
        for value, _ in self.facts.of(iri, pid):
            if value.iri is not None:
                if value.iri == wanted or shorten(value.iri) == wanted:
                    return True
                if keys & {k for e in self.index.names_of(value.iri) for k in name_keys(e.name)}:
                    return True
            elif keys & name_keys(str(value.number if value.number is not None else value.text)):
                return True
        return False

    # -- 5. Data extension -----------------------------------------------------------------------

    def propose_properties(self, type_id: str | None = None, limit: int | None = None) -> dict:
        """The properties a resource of ``type_id`` can be extended with (all types have the
        same set), each followed by the property that gives its values' sources."""
        proposed = [
            item
            for prop in PROPERTIES
            for item in (
                {"id": prop.id, "name": prop.name, "description": prop.description},
                {
                    "id": prop.id + SOURCE_SUFFIX,
                    "name": f"{prop.name}: source",
                    "description": f"The source of each value of {prop.name!r}, in its order.",
                },
            )
        ]
        answer: dict = {"properties": proposed[:limit] if limit else proposed}
        if type_id:
            answer["type"] = type_id
        if limit:
            answer["limit"] = limit
        return answer

    def extend(self, request: str | dict, lang: str = "en") -> dict:
        """A data extension answer (spec 5.2): for each id, each asked property's values as the
        graph states them, one per source; ``…_source`` gives those sources in the same order."""
        ids, props = parse_extension(request)
        rows = {}
        for iri in ids:
            row = {}
            for pid in props:
                base = pid.removesuffix(SOURCE_SUFFIX)
                pairs = self.facts.of(iri, base)
                if pid.endswith(SOURCE_SUFFIX):
                    row[pid] = [self._entity(source, lang) for _, source in pairs]
                else:
                    row[pid] = [self._value(value, lang) for value, _ in pairs]
            rows[iri] = row
        meta = []
        for pid in props:
            base = BY_ID[pid.removesuffix(SOURCE_SUFFIX)]
            name = base.name + (": source" if pid.endswith(SOURCE_SUFFIX) else "")
            meta.append({"id": pid, "name": name})
        return {"meta": meta, "rows": rows}

    def _value(self, value: Value, lang: str) -> dict:
        if value.iri is not None:
            return self._entity(value.iri, lang)
        if value.number is not None:
            return {"int": value.number}
        return {"str": value.text or ""}

    def _entity(self, iri: str, lang: str) -> dict:
        return {"id": iri, "name": self.index.label(iri, lang)}

    # -- 6. Suggest ------------------------------------------------------------------------------

    def suggest_entities(self, prefix: str, type_id: str | None = None, limit: int = 10) -> dict:
        prefix = prefix[:MAX_QUERY_LENGTH]
        query = Query(prefix, (type_id,) if type_id else (), min(limit, MAX_LIMIT))
        lang = script_language(prefix)
        wanted = normalize(prefix)
        found = self.candidates(Query(prefix, query.types, MAX_LIMIT))
        starts = {  # names that start with what was typed come first, as in any autocomplete
            c.iri
            for c in found
            if any(normalize(e.name).startswith(wanted) for e in self.index.names_of(c.iri))
        }
        found = sorted(found, key=lambda c: (c.score < 100, c.iri not in starts))[: query.limit]
        result = []
        for c in found:
            entry = {"id": c.iri, "name": c.name}
            entry["notable"] = [self._type(t, lang) for t in c.types]
            other = self.index.label(c.iri, "en" if lang == "ko" else "ko")
            if other != c.name:
                entry["description"] = other
            result.append(entry)
        return {"result": result}

    def suggest_types(self, prefix: str, limit: int = 10) -> dict:
        keys = name_keys(prefix)
        lang = script_language(prefix)
        chosen = []
        for type_iri in self._classes:
            names = [e.name for e in self.index.names_of(type_iri)]
            local = type_iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            forms = {k for n in [*names, local] for k in name_keys(n)}
            if not keys or any(f.startswith(k) for f in forms for k in keys):
                chosen.append(self._type(type_iri, lang))
        return {"result": chosen[:limit]}

    def suggest_properties(self, prefix: str, limit: int = 10) -> dict:
        keys = name_keys(prefix)
        proposed = self.propose_properties()["properties"]
        result = [
            {"id": p["id"], "name": p["name"], "description": p["description"]}
            for p in proposed
            if not keys or any(k in f for k in keys for f in name_keys(p["name"]) | {p["id"]})
        ]
        return {"result": result[:limit]}

    # -- 7. Preview ------------------------------------------------------------------------------

    def preview(self, iri: str, lang: str | None = None) -> str | None:
        """A small HTML card: both labels, the type, and one sourced fact with its source (None
        for an IRI the service does not know)."""
        if iri not in self._entities:
            return None
        first = lang if lang in ("en", "ko") else "en"
        second = "ko" if first == "en" else "en"
        title, subtitle = self.index.label(iri, first), self.index.label(iri, second)
        types = ", ".join(self.index.label(t, first) for t in self.index.types_of(iri))
        fact = None
        claims = self.facts.claims(iri)
        if claims:
            claim, source = claims[0]
            fact = {
                "text": self.index.label(claim, first),
                "word": "출처" if first == "ko" else "Source",
                "name": self.index.label(source, first),
                # never a javascript: link
                "href": source if source.startswith(("https://", "http://")) else None,
            }
        from wegokg.publish.site.render import render

        return render(
            "reconcile_preview.html",
            lang=first,
            title=title,
            subtitle=subtitle if subtitle != title else "",
            types=types,
            iri=iri,
            short=shorten(iri),
            fact=fact,
        )

    def view_path(self, iri: str) -> str | None:
        """The site path of a resource's page (/id/city/seongnam), or None."""
        if iri not in self._entities:
            return None
        from wegokg.publish.site.layout import SitePathError, site_path

        try:
            path = site_path(iri)
        except SitePathError:
            return None
        return "/" + path if path else None

    # -- Types -----------------------------------------------------------------------------------

    def _type(self, type_iri: str, lang: str = "en") -> dict:
        name = self.index.label(type_iri, lang)
        if name == type_iri:  # a class of an imported vocabulary: its local name
            name = type_iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        return {"id": type_iri, "name": name}
