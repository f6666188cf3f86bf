"""Find resources by name: every rdfs:label and skos:altLabel, in Korean or English, matched by
the engine of ``wegokg.query.matching``: case, accents, spacing and punctuation ignored, Korean
municipal suffixes taken off ("Georgetown" finds George Town, "Seongnam-si" finds 성남시), near
misses scored by rapidfuzz.

The name index is also what turns a name given as a parameter (``--param city=성남``) into the one
IRI it stands for. The static site builds its search index from ``name_index`` and mirrors
``normalize`` (this module's, which keeps spaces) in JavaScript, so the two must keep the same
steps.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import SKOS

from wegokg.core.errors import UsageError
from wegokg.core.loading import IMPORTS_GRAPH
from wegokg.query import matching

if TYPE_CHECKING:
    from rdflib import Dataset

EXACT, PREFIX, SUBSTRING, NEAR = 0, 1, 2, 3
HOW = {EXACT: "exact", PREFIX: "prefix", SUBSTRING: "part", NEAR: "near"}


class NameResolutionError(UsageError, ValueError):
    """A name that does not stand for exactly one resource."""


class UnknownNameError(NameResolutionError):
    def __init__(self, name: str, nearest: list[str]) -> None:
        self.name, self.nearest = name, nearest
        hint = f" Nearest names: {', '.join(nearest)}." if nearest else ""
        super().__init__(f"no resource is named {name!r}.{hint} ('wegokg search TEXT' finds names)")


class AmbiguousNameError(NameResolutionError):
    def __init__(self, name: str, candidates: list[Entry]) -> None:
        self.name, self.candidates = name, candidates
        listed = "; ".join(f"{entry.prefixed} ({entry.display_label()})" for entry in candidates)
        super().__init__(
            f"the name {name!r} stands for {len(candidates)} resources: {listed}. "
            "Give the IRI of the one you mean."
        )


def normalize(text: str) -> str:
    """The form in which names are compared: NFKD, combining marks removed, case folded,
    runs of white space collapsed to one space. (Hangul syllables come out as their jamo, on
    both sides of every comparison.)"""
    decomposed = unicodedata.normalize("NFKD", text)
    unmarked = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    return " ".join(unmarked.casefold().split())


@dataclass(frozen=True)
class Entry:
    """A named resource: its IRI, its types, its label in each language and all its names."""

    iri: str
    types: tuple[str, ...]
    label_en: str | None
    label_ko: str | None
    names: tuple[tuple[str, str | None], ...]  # (text, language tag), labels first

    @property
    def prefixed(self) -> str:
        from wegokg.core.namespaces import shorten

        return shorten(self.iri)

    def display_label(self, lang: str | None = None) -> str:
        first, second = (self.label_ko, self.label_en) if lang == "ko" else (
            self.label_en, self.label_ko
        )  # fmt: skip
        return first or second or (self.names[0][0] if self.names else self.prefixed)


@dataclass(frozen=True)
class Match:
    entry: Entry
    rank: int  # EXACT, PREFIX or SUBSTRING
    name: str  # the name that matched
    lang: str | None

    @property
    def how(self) -> str:
        return HOW[self.rank]


def name_index(dataset: Dataset) -> list[Entry]:
    """Every resource with an rdfs:label or skos:altLabel in the dataset's own graphs (the
    imported vocabulary extracts are left out), sorted by IRI."""
    labels: dict[URIRef, list[tuple[int, str, str | None]]] = {}
    types: dict[URIRef, set[str]] = {}
    for graph in dataset.graphs():
        if graph.identifier == IMPORTS_GRAPH:
            continue
        for order, predicate in enumerate((RDFS.label, SKOS.altLabel)):
            for subject, name in graph.subject_objects(predicate):
                if isinstance(subject, URIRef):
                    language = getattr(name, "language", None)
                    labels.setdefault(subject, []).append((order, str(name), language))
        for subject, kind in graph.subject_objects(RDF.type):
            if isinstance(subject, URIRef):
                types.setdefault(subject, set()).add(str(kind))
    index = []
    for subject in sorted(labels, key=str):
        names = sorted(set(labels[subject]), key=lambda n: (n[0], n[2] or "", n[1]))
        index.append(
            Entry(
                iri=str(subject),
                types=tuple(sorted(types.get(subject, ()))),
                label_en=_label(names, "en"),
                label_ko=_label(names, "ko"),
                names=tuple((text, lang) for _, text, lang in names),
            )
        )
    return index


def search(index: list[Entry], text: str, lang: str | None = None) -> list[Match]:
    """Resources named like ``text``: exact names first (case, accents, spacing, punctuation and
    municipal suffixes aside), then names that start with it, then names that contain it, then
    near misses by score; ties in label order. With ``lang``, only names in that language count."""
    wanted = matching.normalize(text)
    if not wanted:
        return []
    by_iri = {entry.iri: entry for entry in index}
    found: dict[str, Match] = {}
    near_order: dict[str, int] = {}
    for order, candidate in enumerate(_engine(index).match(text, lang=lang, limit=len(by_iri))):
        entry = by_iri[candidate.iri]
        if candidate.score == 100:
            found[entry.iri] = Match(entry, EXACT, candidate.matched, _lang_of(entry, candidate))
        else:
            near_order[entry.iri] = order
    for entry in index:
        if entry.iri in found:
            continue
        for name, name_lang in entry.names:
            if lang and _primary(name_lang) != lang:
                continue
            form = matching.normalize(name)
            rank = PREFIX if form.startswith(wanted) else SUBSTRING if wanted in form else None
            if rank is not None and (entry.iri not in found or rank < found[entry.iri].rank):
                found[entry.iri] = Match(entry, rank, name, name_lang)
    for iri in near_order:
        if iri not in found:
            entry = by_iri[iri]
            found[iri] = Match(entry, NEAR, entry.display_label(lang), None)
    return sorted(
        found.values(),
        key=lambda m: (
            m.rank,
            near_order.get(m.entry.iri, 0) if m.rank == NEAR else 0,
            normalize(m.entry.display_label(lang)),
            m.entry.iri,
        ),
    )


def resolve(index: list[Entry], name: str) -> str:
    """The IRI of the one resource that has ``name`` as a label or alternative name."""
    exact = [m.entry for m in search(index, name) if m.rank == EXACT]
    if len(exact) == 1:
        return exact[0].iri
    if exact:
        raise AmbiguousNameError(name, exact)
    raise UnknownNameError(name, nearest_names(index, name))


def nearest_names(index: list[Entry], name: str, limit: int = 5) -> list[str]:
    """Names that look like ``name``: the ones that start with it or contain it, then near
    misses."""
    near = [m.name if m.rank != NEAR else m.entry.display_label() for m in search(index, name)]
    return list(dict.fromkeys(near))[:limit]


_engines: dict[int, tuple[list[Entry], matching.NameIndex]] = {}


def _engine(index: list[Entry]) -> matching.NameIndex:
    """The matching engine over these entries, built once per index list."""
    held = _engines.get(id(index))
    if held is None or held[0] is not index:
        rows = []
        for entry in index:
            labels = {entry.label_en, entry.label_ko}
            for text, lang in entry.names:
                kind = "label" if text in labels else "alt"
                rows.append((entry.iri, text, lang or "", kind))
        types = {entry.iri: entry.types for entry in index}
        held = _engines[id(index)] = (index, matching.NameIndex.from_names(rows, types))
    return held[1]


def _lang_of(entry: Entry, candidate: matching.Candidate) -> str | None:
    for text, lang in entry.names:
        if text == candidate.matched:
            return lang
    return None


def _label(names: list[tuple[int, str, str | None]], lang: str) -> str | None:
    for order, text, name_lang in names:
        if order == 0 and _primary(name_lang) == lang:
            return text
    return None


def _primary(tag: str | None) -> str | None:
    return tag.split("-")[0].lower() if tag else None
