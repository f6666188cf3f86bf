"""What a draft holds: the article's description, extent, quotes and passages, the names, numbers
and dates; the Turtle writer and the report read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from wegokg.curate.draft.mentions import Ambiguous, Mention, Unknown
from wegokg.curate.draft.numbers import Count, DateExpression
from wegokg.curate.draft.page import Extent
from wegokg.curate.draft.sentences import Segment


@dataclass
class Draft:
    source_iri: str
    text_file: str  # relative to data/, as wego:textFile
    sha256: str
    language: str
    extent: Extent
    segments: list[Segment]
    ids: list[str]  # the quote or passage IRI of each segment
    linked: list[Mention]
    ambiguous: list[Ambiguous]
    unknown: list[Unknown]
    counts: list[Count]
    dates: list[DateExpression]
    date_published: str | None = None  # an xsd:dateTime with a time zone, when given
    date_found: str | None = None  # the date line's text, when no zoned time is known
    article_date: str | None = None  # the ISO date relative dates are resolved against
    publisher: str | None = None
    author: str | None = None
    todo: list[str] = field(default_factory=list)  # what only a person can add

    def quotes(self) -> list[tuple[str, Segment]]:
        return [(i, s) for i, s in zip(self.ids, self.segments, strict=True) if s.is_quote]

    def passages(self) -> list[tuple[str, Segment]]:
        return [(i, s) for i, s in zip(self.ids, self.segments, strict=True) if not s.is_quote]
