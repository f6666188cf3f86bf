"""The name index: every name of every named resource, its types, and the matcher that ranks
resources for a name. ``wegokg search``, names given to ``query run --param``, the reconciliation
service and ``wegokg reconcile`` all ask it.

Exact hits (any key of the query equals a key of a name) score 100; near misses are scored by
rapidfuzz's ``WRatio`` on the normalized forms and capped below 100. ``match`` is true only when
one resource, and one only, has the name exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from wegokg.core.errors import UsageError
from wegokg.core.namespaces import PREFIXES
from wegokg.query.matching.keys import fuzzy_form, name_keys, normalize, script_language

if TYPE_CHECKING:
    from wegokg.core.repository import Repository

_RDFS = PREFIXES["rdfs"]
_SKOS = PREFIXES["skos"]
_SCHEMA = PREFIXES["schema"]
RDF_TYPE = PREFIXES["rdf"] + "type"
SUBCLASS_OF = _RDFS + "subClassOf"
# The properties that name a resource, and whether the name is its label or another name.
NAME_PROPERTIES: dict[str, str] = {
    _RDFS + "label": "label",
    _SKOS + "prefLabel": "label",
    _SCHEMA + "name": "label",
    PREFIXES["foaf"] + "name": "label",
    _SKOS + "altLabel": "alt",
    _SKOS + "hiddenLabel": "alt",
    _SCHEMA + "alternateName": "alt",
}
# Near misses below this WRatio are not candidates at all.
NEAR_CUTOFF = 75.0
EXACT = 100.0
NEAR_MAX = 99.0


class UnknownTypeError(UsageError, ValueError):
    """A type filter that names no class of the graph."""


@dataclass(frozen=True)
class NameEntry:
    """One name of one resource: ``kind`` is "label" (rdfs:label, skos:prefLabel, schema:name)
    or "alt" (skos:altLabel, schema:alternateName); ``lang`` is "" for a name without one."""

    iri: str
    name: str
    lang: str
    kind: str
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A resource proposed for a name: ``name`` is its label in the asked language, ``score``
    0-100, ``match`` true only for the one resource that has the name exactly."""

    iri: str
    name: str
    types: tuple[str, ...]
    score: float
    match: bool
    matched: str = ""  # the name of the resource that the query matched


class NameIndex:
    """Names and types of the resources of a graph, and ``match`` over them."""

    def __init__(
        self,
        entries: Iterable[NameEntry],
        superclasses: Mapping[str, Iterable[str]] | None = None,
        skipped: Iterable[str] = (),
    ) -> None:
        self.entries: tuple[NameEntry, ...] = tuple(entries)
        self.skipped: tuple[str, ...] = tuple(skipped)  # files that could not be read
        self._parents = {k: frozenset(v) for k, v in (superclasses or {}).items()}
        self._by_key: dict[str, list[int]] = {}
        self._by_iri: dict[str, list[int]] = {}
        forms: dict[str, list[int]] = {}
        for number, entry in enumerate(self.entries):
            self._by_iri.setdefault(entry.iri, []).append(number)
            for key in name_keys(entry.name):
                self._by_key.setdefault(key, []).append(number)
            form = normalize(entry.name)
            if form:
                forms.setdefault(fuzzy_form(form), []).append(number)
        self._forms = list(forms)
        self._form_owners = list(forms.values())
        self._ancestors: dict[str, frozenset[str]] = {}

    # -- Building ------------------------------------------------------------------------------

    @classmethod
    def from_repository(cls, repository: Repository) -> NameIndex:
        """The names of every resource in the repository's data and ontology (not the imported
        vocabulary extracts, whose subclass links alone are read). A file that cannot be read or
        parsed is skipped and listed in ``skipped``: drafting and reconciling work on a
        repository that does not validate."""
        import pyoxigraph

        names: list[tuple[str, str, str, str]] = []
        types: dict[str, set[str]] = {}
        parents: dict[str, set[str]] = {}
        skipped = []
        imports = set(repository.import_files())
        files = [
            *repository.vocabulary_files(),
            *repository.curated_files(),
            *repository.source_files(),
            *repository.extra_files,
        ]
        for path in files:
            try:
                triples = list(
                    pyoxigraph.parse(
                        path=str(path),
                        format=pyoxigraph.RdfFormat.TURTLE,
                        base_iri=Path(path).resolve().as_uri(),
                    )
                )
            except (SyntaxError, OSError, ValueError):
                skipped.append(str(path))
                continue
            for triple in triples:
                subject, predicate, value = triple.subject, triple.predicate.value, triple.object
                if not isinstance(subject, pyoxigraph.NamedNode):
                    continue
                if predicate == SUBCLASS_OF and isinstance(value, pyoxigraph.NamedNode):
                    parents.setdefault(subject.value, set()).add(value.value)
                elif path in imports:
                    continue
                elif predicate == RDF_TYPE and isinstance(value, pyoxigraph.NamedNode):
                    types.setdefault(subject.value, set()).add(value.value)
                elif predicate in NAME_PROPERTIES and isinstance(value, pyoxigraph.Literal):
                    kind = NAME_PROPERTIES[predicate]
                    names.append((subject.value, value.value, value.language or "", kind))
        return cls.from_names(names, types, parents, skipped)

    @classmethod
    def from_store(cls, store, imports_graph: str | None = None) -> NameIndex:
        """The same from a pyoxigraph Store of named graphs; the names in ``imports_graph``
        (the imported vocabulary extracts) are left out, their subclass links kept."""
        import pyoxigraph

        names: list[tuple[str, str, str, str]] = []
        types: dict[str, set[str]] = {}
        parents: dict[str, set[str]] = {}
        for predicate in [SUBCLASS_OF, RDF_TYPE, *NAME_PROPERTIES]:
            for quad in store.quads_for_pattern(None, pyoxigraph.NamedNode(predicate), None):
                subject, value = quad.subject, quad.object
                if not isinstance(subject, pyoxigraph.NamedNode):
                    continue
                if isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
                    continue  # serve's snapshot copies the named graphs' union here
                graph = getattr(quad.graph_name, "value", None)
                if predicate == SUBCLASS_OF:
                    if isinstance(value, pyoxigraph.NamedNode):
                        parents.setdefault(subject.value, set()).add(value.value)
                elif imports_graph is not None and graph == imports_graph:
                    continue
                elif predicate == RDF_TYPE:
                    if isinstance(value, pyoxigraph.NamedNode):
                        types.setdefault(subject.value, set()).add(value.value)
                elif isinstance(value, pyoxigraph.Literal):
                    kind = NAME_PROPERTIES[predicate]
                    names.append((subject.value, value.value, value.language or "", kind))
        return cls.from_names(names, types, parents)

    @classmethod
    def from_names(
        cls,
        names: Iterable[tuple[str, str, str, str]],
        types: Mapping[str, Iterable[str]],
        superclasses: Mapping[str, Iterable[str]] | None = None,
        skipped: Iterable[str] = (),
    ) -> NameIndex:
        """From (iri, name, lang, kind) rows and each resource's types; duplicates dropped,
        sorted by IRI, labels before other names."""
        rows = sorted(set(names), key=lambda r: (r[0], r[3] != "label", r[2], r[1]))
        entries = [
            NameEntry(iri, name, lang, kind, tuple(sorted(types.get(iri, ()))))
            for iri, name, lang, kind in rows
        ]
        return cls(entries, superclasses, skipped)

    def restricted(self, keep) -> NameIndex:
        """An index of the names of the resources for which ``keep(iri)`` is true, with the same
        class hierarchy (for matching among some resources only, faster)."""
        entries = [e for e in self.entries if keep(e.iri)]
        return NameIndex(entries, self._parents, self.skipped)

    # -- Asking --------------------------------------------------------------------------------

    def iris(self) -> list[str]:
        """Every named resource, in IRI order."""
        return sorted(self._by_iri)

    def names_of(self, iri: str) -> list[NameEntry]:
        return [self.entries[n] for n in self._by_iri.get(iri, ())]

    def types_of(self, iri: str) -> tuple[str, ...]:
        numbers = self._by_iri.get(iri)
        return self.entries[numbers[0]].types if numbers else ()

    def label(self, iri: str, lang: str | None = None) -> str:
        """The resource's label in ``lang`` (English when not given), else its label in another
        language, else any name, else the IRI."""
        entries = self.names_of(iri)
        wanted = (lang or "en").lower()
        for accept in (
            lambda e: e.kind == "label" and _primary(e.lang) == wanted,
            lambda e: e.kind == "label" and _primary(e.lang) in ("", "en"),
            lambda e: e.kind == "label",
            lambda e: _primary(e.lang) == wanted,
            lambda e: True,
        ):
            for entry in entries:
                if accept(entry):
                    return entry.name
        return iri

    def ancestors(self, type_iri: str) -> frozenset[str]:
        """The type and every class above it (rdfs:subClassOf, transitively)."""
        found = self._ancestors.get(type_iri)
        if found is None:
            seen, todo = {type_iri}, [type_iri]
            while todo:
                for parent in self._parents.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            found = self._ancestors[type_iri] = frozenset(seen)
        return found

    def is_a(self, iri: str, wanted: Iterable[str]) -> bool:
        """Whether the resource has one of the ``wanted`` types, directly or by a subclass."""
        wanted = set(wanted)
        return any(self.ancestors(t) & wanted for t in self.types_of(iri))

    def resolve_type(self, text: str) -> str:
        """A type given as an IRI, a prefixed name (wego:City) or a class's name (City, 도시)."""
        text = text.strip()
        if "://" in text:
            return text
        prefix, colon, local = text.partition(":")
        if colon and prefix in PREFIXES:
            return PREFIXES[prefix] + local
        classes = {t for iri in self._by_iri for t in self.types_of(iri)}
        classes |= set(self._parents) | {p for ps in self._parents.values() for p in ps}
        wanted = normalize(text)
        by_local = sorted(
            (c for c in classes if normalize(c.rsplit("#", 1)[-1].rsplit("/", 1)[-1]) == wanted),
            key=lambda c: (not c.startswith(PREFIXES["wego"]), c),
        )
        if by_local:
            return by_local[0]
        by_name = [c.iri for c in self.match(text, limit=20) if c.match and c.iri in classes]
        if by_name:
            return by_name[0]
        names = sorted({self.label(c) for c in classes if c.startswith(PREFIXES["wego"])})
        raise UnknownTypeError(
            f"no class is named {text!r}; the graph's classes: {', '.join(names)}"
        )

    def match(
        self,
        query: str,
        *,
        types: Iterable[str] | None = None,
        lang: str | None = None,
        limit: int = 10,
    ) -> list[Candidate]:
        """The resources named like ``query``, best first: every exact hit (score 100), then near
        misses (score below 100). ``types`` keeps the resources of one of these classes (or of a
        subclass); ``lang`` counts only names in that language and gives each candidate's name
        in it (by default the language of the query's script: Korean for Hangul)."""
        keys = name_keys(query)
        if not keys or limit <= 0:
            return []
        wanted = {self.resolve_type(t) for t in types} if types else None
        language = (lang or "").lower() or None
        shown = language or script_language(query)
        best: dict[str, tuple[float, int, NameEntry]] = {}

        def consider(number: int, score: float, rank: int) -> None:
            entry = self.entries[number]
            if language and _primary(entry.lang) not in (language, ""):
                return
            if wanted is not None and not self.is_a(entry.iri, wanted):
                return
            held = best.get(entry.iri)
            if held is None or (score, -rank) > (held[0], -held[1]):
                best[entry.iri] = (score, rank, entry)

        exact_form = normalize(query)
        for key in keys:
            for number in self._by_key.get(key, ()):
                # Rank 0: the whole name, 1: a label by a suffix variant, 2: another name so.
                whole = normalize(self.entries[number].name) == exact_form
                consider(number, EXACT, 0 if whole else 1)
        for _, score, position in process.extract(
            fuzzy_form(exact_form),
            self._forms,
            scorer=fuzz.WRatio,
            limit=None,
            score_cutoff=NEAR_CUTOFF,
        ):
            for number in self._form_owners[position]:
                consider(number, min(round(score, 1), NEAR_MAX), 3)
        exact = [iri for iri, (score, _, _) in best.items() if score == EXACT]
        ranked = sorted(
            best.items(),
            key=lambda item: (
                -item[1][0],
                item[1][1],
                normalize(self.label(item[0], shown)),
                item[0],
            ),
        )
        return [
            Candidate(
                iri=iri,
                name=self.label(iri, shown),
                types=entry.types,
                score=score,
                match=score == EXACT and len(exact) == 1,
                matched=entry.name,
            )
            for iri, (score, _, entry) in ranked[:limit]
        ]


def _primary(tag: str | None) -> str:
    return tag.split("-")[0].lower() if tag else ""
