"""Names in running text: where the article names a resource the repository knows, which names
are shared by several resources, and which proper nouns it does not know.

The names and their keys come from the one matching engine (``wegokg.query.matching``:
성남 = 성남시 = Seongnam-si, case and accents ignored). The text is folded the same way as the
keys, character by character, so that a key found in the folded text maps back to code-point
offsets. A hit counts only at word bounds, which kiwipiepy's tokens give: 성남시는, 성남시가,
성남시(시장 은수미)는 and 서울총회 name a city (a particle, a bracket or a compound follows), while
고양이 (a cat) and 멕시코시티 (not Mexico) do not.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from wegokg.core.namespaces import PREFIXES
from wegokg.curate.draft.romanize import romanize, slug
from wegokg.curate.draft.sentences import Segment
from wegokg.query.matching import NameIndex, name_keys

_W, _S, _ORG, _FOAF = PREFIXES["wego"], PREFIXES["schema"], PREFIXES["org"], PREFIXES["foaf"]
# The kinds of resource a draft links, by the first class that applies, most specific first.
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("city", (_W + "City",)),
    ("country", (_W + "Country",)),
    ("award", (_W + "AwardEdition", _W + "AwardProgramme")),
    ("project", (_W + "Project", _S + "Project")),
    ("person", (_FOAF + "Person", _S + "Person")),
    ("event", (_S + "Event",)),
    ("organization", (_ORG + "Organization", _S + "Organization")),
    ("place", (_S + "Place",)),
)
MIN_KEY = 2
MUNICIPAL = ("시", "군", "구")  # a shorter key (one letter or syllable) is never looked for
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_L = "A-Za-z0-9\u00c0-\u024f'’.&-"  # the letters of a Latin-script name
_CAPITAL = rf"[A-Z\u00c0-\u00de][{_L}]*"
# A Latin-script name: capitalized words, perhaps joined by a short lower-case word (New Normal
# with Smart Sustainable Solutions for All, Public Private Partnership, ICT).
_CONNECTOR = r"(?:of|with|for|and|the|de|da|do|del|la|le|van|von|on|in|at|&)"
_LATIN_RUN = re.compile(rf"{_CAPITAL}(?:[ \u00a0]+(?:{_CONNECTOR}[ \u00a0]+)*{_CAPITAL})*")
# A capitalized word after a Latin-script name that makes it part of a longer name (Hanbit
# Mobility Lab, Mexico City), unless it is a title (Seoul Mayor Oh Se-hoon).
LEADING = frozenset({"By", "The", "A", "An", "In", "On", "At", "For", "With", "And", "Of"})
MONTHS = frozenset({"January", "February", "March", "April", "May", "June", "July", "August",
                    "September", "October", "November", "December", "Jan", "Feb", "Mar", "Apr",
                    "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Monday", "Tuesday",
                    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"})  # fmt: skip
_NEXT_CAPITAL = re.compile(r"[ \u00a0]+([A-Z][A-Za-z-]*)")
TITLES = frozenset({"Mayor", "Governor", "President", "Minister", "Chair", "Chairman", "Secretary",
                    "Deputy", "Vice", "Director", "Metropolitan"})  # fmt: skip


@dataclass(frozen=True)
class Mention:
    """A known name at ``start``-``end`` of the text, in quote ``segment`` (an index)."""

    iri: str
    kind: str
    start: int
    end: int
    surface: str
    segment: int


@dataclass(frozen=True)
class Ambiguous:
    """A name that several resources share: listed with its candidates, never linked."""

    surface: str
    start: int
    end: int
    segment: int
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class Unknown:
    """A proper noun the repository does not know, a candidate for data/curated/."""

    surface: str
    start: int
    end: int
    segment: int
    tag: str  # kiwipiepy's NNP, or SL for a Latin-script name
    romanization: str
    suggested_iri: str


@dataclass
class Names:
    linked: list[Mention]
    ambiguous: list[Ambiguous]
    unknown: list[Unknown]


def kind_of(index: NameIndex, iri: str) -> str | None:
    """The kind of resource a draft links (city, country, ...), or None for any other."""
    ancestors: set[str] = set()
    for type_iri in index.types_of(iri):
        ancestors |= index.ancestors(type_iri)
    for kind, classes in KINDS:
        if ancestors & set(classes):
            return kind
    return None


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` folded as ``wegokg.query.matching.normalize`` folds a name (letters and digits only,
    casefolded, accents dropped), with the offset in ``text`` of each folded character."""
    folded: list[str] = []
    origin: list[int] = []
    for offset, char in enumerate(text):
        decomposed = unicodedata.normalize("NFKD", char)
        kept = "".join(c for c in decomposed if unicodedata.category(c)[0] in "LN")
        form = unicodedata.normalize("NFC", kept.casefold())
        folded.append(form)
        origin.extend([offset] * len(form))
    return "".join(folded), origin


class MentionFinder:
    """Finds the known names of a repository in text; built once per draft."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self.kinds: dict[str, str] = {}
        owners: dict[str, set[str]] = defaultdict(set)
        for entry in index.entries:
            if entry.iri not in self.kinds:
                self.kinds[entry.iri] = kind_of(index, entry.iri) or ""
            for key in name_keys(entry.name):
                if len(key) >= MIN_KEY:
                    owners[key].add(entry.iri)
        # Longest keys first, so that a report lists 멕시코시티 before 멕시코.
        self.keys = sorted(owners.items(), key=lambda item: (-len(item[0]), item[0]))

    def find(self, text: str, segments: Sequence[Segment], tokens: Sequence[Any]) -> Names:
        """The names in the quotes among ``segments``; ``tokens`` are kiwipiepy's tokens of the
        same quotes with offsets into ``text``."""
        starts = {t.start for t in tokens}
        ends = {t.start + t.len for t in tokens}
        linked: dict[tuple[str, int], Mention] = {}
        ambiguous: list[Ambiguous] = []
        covered: list[tuple[int, int]] = []
        for number, segment in enumerate(segments):
            if not segment.is_quote:
                continue
            folded, origin = fold(segment.exact)
            for key, iris in self.keys:
                at = folded.find(key)
                while at >= 0:
                    start = segment.start + origin[at]
                    end = segment.start + origin[at + len(key) - 1] + 1
                    at = folded.find(key, at + 1)
                    if not _bounded(text, start, end, starts, ends):
                        continue
                    covered.append((start, end))
                    # Only resources of a linked kind are linked; a known name of another kind
                    # (a role, an award category, a fact's label) is neither linked nor unknown.
                    linkable = {iri for iri in iris if self.kinds[iri]}
                    if len(linkable) > 1:
                        candidates = tuple(sorted(linkable))
                        ambiguous.append(Ambiguous(text[start:end], start, end, number, candidates))
                        continue
                    if not linkable:
                        continue
                    (iri,) = linkable
                    if (iri, number) not in linked:
                        linked[(iri, number)] = Mention(
                            iri, self.kinds[iri], start, end, text[start:end], number
                        )
        unknown = self._unknown(text, segments, tokens, covered)
        mentions = sorted(linked.values(), key=lambda m: (m.start, m.iri))
        ambiguous.sort(key=lambda a: a.start)
        return Names(mentions, ambiguous, unknown)

    def _unknown(
        self,
        text: str,
        segments: Sequence[Segment],
        tokens: Sequence[Any],
        covered: list[tuple[int, int]],
    ) -> list[Unknown]:
        """kiwipiepy's proper nouns (adjacent ones joined) and Latin-script names that no known
        name covers."""
        spans: list[tuple[int, int, str]] = []
        for token in tokens:
            if token.tag != "NNP":
                continue
            start, end = token.start, token.start + token.len
            if spans and spans[-1][2] == "NNP" and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], end, "NNP")
            elif start == 0 or not text[start - 1].isalnum():
                # Only a proper noun that starts a word: kiwipiepy tags the 시티 of 스마트시티
                # and the 노멀 of 뉴노멀 as NNP too.
                spans.append((start, end, "NNP"))
        spans = [(s, _with_suffix(text, tokens, e), tag) for s, e, tag in spans]
        for segment in segments:
            if segment.is_quote:
                for run in _LATIN_RUN.finditer(segment.exact):
                    start = segment.start + run.start()
                    end = segment.start + len(run.group().rstrip(".-&'’ \u00a0")) + run.start()
                    if _latin_bound(text, start, end):
                        spans += _latin_names(text, start, end, segment.start, covered)
        found = []
        for start, end, tag in sorted(spans):
            if any(s <= start and end <= e for s, e in covered):
                continue  # a known name, or part of one
            number = _segment_at(segments, start)
            if number is None:
                continue
            surface = text[start:end]
            roman = romanize(surface)
            found.append(
                Unknown(surface, start, end, number, tag, roman, f"KIND:{slug(roman) or 'x'}")
            )
        return found


def _latin_names(
    text: str, start: int, end: int, sentence_start: int, covered: list[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """The Latin-script names in a run of capitalized words, once the known names in it are
    taken out: "Seoul Mayor Oh Se-hoon" holds none, "The Hanbit Mobility Lab" holds Hanbit
    Mobility Lab. A lone capitalized word that opens the sentence, a month or a title is none."""
    pieces = [(start, end)]
    for s, e in sorted(covered):
        pieces = [p for a, b in pieces for p in ((a, min(b, s)), (max(a, e), b)) if p[1] > p[0]]
    names = []
    for a, b in pieces:
        for run in _LATIN_RUN.finditer(text, a, b):
            words = run.group().rstrip(".-&'’ \u00a0").split()
            left = run.start()
            while words and (words[0] in LEADING or re.fullmatch(_CONNECTOR, words[0])):
                left = text.index(words[1], left + len(words[0])) if len(words) > 1 else b
                words = words[1:]
            while words and re.fullmatch(_CONNECTOR, words[-1]):
                words = words[:-1]
            if not words:
                continue
            right = text.index(words[-1], left) + len(words[-1])
            opens = not text[sentence_start:left].strip()
            if len(words) == 1 and (opens or words[0] in TITLES or words[0] in MONTHS):
                continue
            names.append((left, right, "SL"))
    return names


def _with_suffix(text: str, tokens: Sequence[Any], end: int) -> int:
    """The end of a proper noun, with the municipal suffix that kiwipiepy splits off (한빛 + 시)
    when a word's end or a particle follows it."""
    if end >= len(text) or text[end] not in MUNICIPAL:
        return end
    after = end + 1
    ends_word = after == len(text) or not text[after].isalnum()
    return after if ends_word or _particle_after(tokens, after) else end


def _particle_after(tokens: Sequence[Any], offset: int) -> bool:
    """Whether a particle or copula (kiwipiepy's J*, VCP) starts at ``offset``."""
    return any(t.start == offset and (t.tag.startswith("J") or t.tag == "VCP") for t in tokens)


def _bounded(text: str, start: int, end: int, starts: set[int], ends: set[int]) -> bool:
    """Whether ``text[start:end]`` is a whole word, or words: at a token's start or after a
    character that is not a letter or digit, and at a token's end or before one."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if _LATIN.match(text[start]) or _LATIN.match(text[end - 1]):
        longer = _NEXT_CAPITAL.match(text, end)
        if longer and longer.group(1) not in TITLES:
            return False
        return _latin_bound(text, start, end)
    left = start in starts or not before.isalnum()
    right = end in ends or not after.isalnum()
    return left and right


def _latin_bound(text: str, start: int, end: int) -> bool:
    """A Latin-script name stands alone: no Latin letter or digit touches it (a Korean particle
    may: WeGO는)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    touching = (before.isascii() and before.isalnum()) or (after.isascii() and after.isalnum())
    return not touching and not _LATIN.match(before) and not _LATIN.match(after)


def _segment_at(segments: Iterable[Segment], offset: int) -> int | None:
    for number, segment in enumerate(segments):
        if segment.is_quote and segment.start <= offset < segment.end:
            return number
    return None
