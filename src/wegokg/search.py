"""Find resources by name: every rdfs:label and skos:altLabel, in Korean or English, compared
case- and accent-insensitively, so that "São Paulo", "Sao Paulo" and "sao paulo" are one name.

The name index is also what turns a name given as a parameter (``--param city=성남``) into the one
IRI it stands for. The static site builds its search index from ``name_index`` and mirrors
``normalize`` in JavaScript, so the two must keep the same steps.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import SKOS

from wegokg.errors import UsageError
from wegokg.loading import IMPORTS_GRAPH

if TYPE_CHECKING:
    from rdflib import Dataset

EXACT, PREFIX, SUBSTRING = 0, 1, 2
HOW = {EXACT: "exact", PREFIX: "prefix", SUBSTRING: "part"}


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
        from wegokg.namespaces import shorten

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
    """Resources whose names contain ``text``: exact matches of a whole name first, then names
    that start with it, then names that contain it; ties in label order. With ``lang``, only names
    in that language count."""
    wanted = normalize(text)
    if not wanted:
        return []
    matches = []
    for entry in index:
        best: Match | None = None
        for name, name_lang in entry.names:
            if lang and _primary(name_lang) != lang:
                continue
            candidate = normalize(name)
            if candidate == wanted:
                rank = EXACT
            elif candidate.startswith(wanted):
                rank = PREFIX
            elif wanted in candidate:
                rank = SUBSTRING
            else:
                continue
            if best is None or rank < best.rank:
                best = Match(entry, rank, name, name_lang)
        if best:
            matches.append(best)
    return sorted(
        matches,
        key=lambda m: (m.rank, normalize(m.entry.display_label(lang)), m.entry.iri),
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
    """Names that look like ``name``: the ones that contain it, then close spellings."""
    near = [m.name for m in search(index, name)]
    by_form = {normalize(text): text for entry in index for text, _ in entry.names}
    for form in difflib.get_close_matches(normalize(name), list(by_form), n=limit, cutoff=0.6):
        near.append(by_form[form])
    return list(dict.fromkeys(near))[:limit]


def _label(names: list[tuple[int, str, str | None]], lang: str) -> str | None:
    for order, text, name_lang in names:
        if order == 0 and _primary(name_lang) == lang:
            return text
    return None


def _primary(tag: str | None) -> str | None:
    return tag.split("-")[0].lower() if tag else None
