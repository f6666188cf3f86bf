"""The content-negotiation table of the site: which documents a resource IRI is answered with,
and the rule that chooses one from an Accept header (RFC 9110, section 12.5.1).

``wegokg serve`` answers from this table, and the nginx and Apache rules in deploy/ are generated
from it (``wegokg.publish.negotiation_rules``), so that every server sends a client to the same
document.

The rule:

1. An absent or blank Accept header means ``*/*``.
2. The header is a list of media ranges separated by commas, each with optional parameters
   (``;name=value``). A range whose ``q`` is not a valid qvalue (``0`` to ``1``, at most three
   decimals), or that is not ``type/subtype``, is ignored. Parameters other than ``q`` do not
   change what a range matches. (Commas always separate ranges, even inside a quoted value.)
3. Each offered media type takes the weight of the most specific range that matches it (the type
   itself, then ``type/*``, then ``*/*``); among equally specific ranges, the first listed.
4. The document with the highest weight wins; at equal weight, the one whose type the client
   named more specifically; at equal weight and specificity, the first in ``DOCUMENTS``. The
   order of the ranges in the header does not matter otherwise.
5. Nothing offered has a weight above 0: 406 Not Acceptable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """One form of a resource: its file suffix (without the dot) and its media type."""

    suffix: str
    media_type: str
    label: str


# The documents beside every page of the site, in the server's order of preference for ties.
DOCUMENTS = (
    Document("html", "text/html", "HTML"),
    Document("ttl", "text/turtle", "Turtle"),
    Document("jsonld", "application/ld+json", "JSON-LD"),
    Document("nt", "application/n-triples", "N-Triples"),
)

# Specificity of a range for an offered type.
EXACT, SUBTYPE_WILDCARD, ANY = 3, 2, 1

_TOKEN = r"[-!#$%&'*+.^_`|~0-9A-Za-z]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_PARAMETER = re.compile(rf"[ \t]*;[ \t]*({_TOKEN})=({_TOKEN}|{_QUOTED})")
_ELEMENT = re.compile(rf"[ \t]*({_TOKEN})/({_TOKEN})((?:{_PARAMETER.pattern})*)[ \t]*")
_QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")


@dataclass(frozen=True)
class MediaRange:
    kind: str
    subtype: str
    weight: int  # the qvalue in thousandths, 0..1000

    def specificity(self, media_type: str) -> int:
        """How specifically this range names a media type: EXACT, SUBTYPE_WILDCARD, ANY or 0."""
        kind, _, subtype = media_type.partition("/")
        if (self.kind, self.subtype) == (kind, subtype):
            return EXACT
        if self.kind == kind and self.subtype == "*":
            return SUBTYPE_WILDCARD
        return ANY if (self.kind, self.subtype) == ("*", "*") else 0


def parse_accept(header: str | None) -> list[MediaRange]:
    """The valid media ranges of an Accept header, in order; ``*/*`` when it is absent or blank."""
    if header is None or not header.strip(" \t"):
        return [MediaRange("*", "*", 1000)]
    ranges = []
    for element in header.split(","):
        media_range = _parse_range(element)
        if media_range is not None:
            ranges.append(media_range)
    return ranges


def _parse_range(element: str) -> MediaRange | None:
    matched = _ELEMENT.fullmatch(element)
    if matched is None:
        return None
    weight = 1000
    for name, value in _PARAMETER.findall(matched[3]):
        if name.lower() == "q":  # the first q is the weight; anything after it is ignored
            if not _QVALUE.fullmatch(value):
                return None
            whole, _, decimals = value.partition(".")
            weight = int(whole) * 1000 + int((decimals + "000")[:3])
            break
    return MediaRange(matched[1].lower(), matched[2].lower(), weight)


def weigh(ranges: list[MediaRange], media_type: str) -> tuple[int, int]:
    """(weight in thousandths, specificity) that the ranges give an offered media type."""
    best = (0, 0)
    for media_range in ranges:
        specificity = media_range.specificity(media_type)
        if specificity > best[1]:
            best = (media_range.weight, specificity)
    return best


def choose(header: str | None, documents: tuple[Document, ...] = DOCUMENTS) -> Document | None:
    """The document that answers a resource IRI for this Accept header; None means 406."""
    ranges = parse_accept(header)
    best, best_key = None, (0, 0)
    for document in documents:
        key = weigh(ranges, document.media_type)
        if key[0] > 0 and key > best_key:
            best, best_key = document, key
    return best


def by_suffix(suffix: str) -> Document:
    return next(d for d in DOCUMENTS if d.suffix == suffix)
