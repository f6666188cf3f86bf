"""The article cut into quotes: one for the headline, each byline and date line, and each sentence
of the body, with code-point offsets into the stored text. kiwipiepy finds the sentence bounds;
two of its habits are mended here: a sentence it cuts after a closing quotation mark inside a
word ("'WeGO 어워즈'" | "에서는") is joined again, and a lone symbol ("○") joins the next sentence.
Whatever it leaves out of every sentence becomes a quote of its own, so that the quotes cover
every character of the body that is not a space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from wegokg.curate.draft.page import BYLINE_PREFIX, Extent

_ENDS_SENTENCE = re.compile(r"[.?!…]['\"”’)\]]*$")
_WORD = re.compile(r"\w")
# A sentence end kiwipiepy sometimes runs past: a Korean sentence's full stop ("열린다. 'WeGO…")
# or an English one's, followed by space.
_MISSED_END = re.compile(r"(?<=[\uac00-\ud7a3][.?!])\s+|(?<=[a-z0-9)][.?!])\s+(?=[A-Z\"'“‘])")
# English abbreviations whose full stop ends no sentence.
_ABBREVIATION = re.compile(r"\b(Dr|Mr|Mrs|Ms|Prof|St|No|Jr|Sr|vs|etc|Inc|Ltd|Co|Gov|Sen|Rep)\.$")


@dataclass(frozen=True)
class Segment:
    """A quote (``role`` headline, byline, date or body) or a passage left uncited (furniture,
    email): its offsets and exact text."""

    role: str
    start: int
    end: int
    exact: str

    @property
    def is_quote(self) -> bool:
        return self.role in ("headline", "byline", "date", "body")


def segments(text: str, extent: Extent, kiwi: Any) -> list[Segment]:
    """Every quote and uncited passage of the extent, in text order."""
    found: list[Segment] = []
    for part in extent.parts:
        if part.role != "body":
            found.append(Segment(part.role, part.start, part.end, text[part.start : part.end]))
            continue
        start = part.start
        byline = BYLINE_PREFIX.match(text, part.start, part.end)
        if byline:
            end = start + len(byline.group().rstrip("= \u00a0\t"))
            found.append(Segment("byline", start, end, text[start:end]))
            start = byline.end()
        for left, right in sentence_spans(text, start, part.end, kiwi):
            found.append(Segment("body", left, right, text[left:right]))
    return found


def sentence_spans(text: str, start: int, end: int, kiwi: Any) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text[start:end]``, stripped of spaces, covering every
    character that is not a space."""
    piece = text[start:end]
    spans = [(start + s.start, start + s.end) for s in kiwi.split_into_sents(piece)]
    spans = [_strip(text, left, right) for left, right in spans]
    spans = [span for span in spans if span[1] > span[0]]
    joined: list[tuple[int, int]] = []
    for left, right in spans:
        if joined:
            previous = joined[-1]
            glued = left == previous[1] and not _ENDS_SENTENCE.search(text[previous[0] : left])
            symbol_only = not _WORD.search(text[previous[0] : previous[1]])
            if glued or symbol_only:
                joined[-1] = (previous[0], right)
                continue
        joined.append((left, right))
    cut: list[tuple[int, int]] = []
    for left, right in joined:
        for bound in _MISSED_END.finditer(text, left, right):
            if _ABBREVIATION.search(text, left, bound.start()):
                continue
            cut.append((left, bound.start()))
            left = bound.end()
        cut.append((left, right))
    return _fill_gaps(text, start, end, cut)


def _strip(text: str, left: int, right: int) -> tuple[int, int]:
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return left, right


def _fill_gaps(
    text: str, start: int, end: int, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The spans, plus one for each stretch of non-space text no span covers."""
    result: list[tuple[int, int]] = []
    cursor = start
    for left, right in sorted(spans):
        if left > cursor:
            gap = _strip(text, cursor, left)
            if gap[1] > gap[0]:
                result.append(gap)
        result.append((left, right))
        cursor = max(cursor, right)
    gap = _strip(text, cursor, end)
    if gap[1] > gap[0]:
        result.append(gap)
    return result
