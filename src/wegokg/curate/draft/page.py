"""A saved news page: its text, read with care, and the article's extent guessed among the page
furniture (menus, teasers of other stories, the copyright line).

The extent runs from the start of the headline's line to the end of the body's last line, as
``wego:bodyStart`` and ``wego:bodyEnd`` require (see
``wegokg.validation.evidence.check_extent``). The body is
the longest run of prose lines (lines of Korean or English sentences); the header above it (date,
byline and button lines, then the headline) is walked back from its first line; an end marker
(the reporter's e-mail, 저작권자, 무단전재, 관련기사, 많이 본 기사, menus) closes it.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from wegokg.core.errors import UsageError

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# A line ending in a sentence: a full stop, question or exclamation mark, perhaps followed by a
# closing quotation mark or bracket. A teaser cut with "..." or "…" is not one.
_SENTENCE_END = re.compile(r"[.?!]['\"”’)\]]*$")
_TEASER_END = re.compile(r"(\.\.\.|…)['\"”’)\]]*$")
_LIST_ITEM = re.compile(r"^(\d{1,2}[.)]|[•·▶▷►*\-])\s")
_DATE = re.compile(
    r"\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}|\d{4}\s*년\s*\d{1,2}\s*월\s*\d{1,2}\s*일"
    r"|(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+\d{1,2},\s+\d{4}"
)
# A byline: "이동훈 기자", "[서울=뉴스핌] 이동훈 기자 =", "• 안남훈", "By Jane Doe".
_BYLINE = re.compile(
    r"기자(\s*=|\s*$|\s+\S+@)|^[•·]\s*[\uac00-\ud7a3]{2,4}$|^By\s+[A-Z][\w.'-]+(\s+[A-Z][\w.'-]+)*$"
)
# A byline written at the head of the lead: "[서울=뉴스핌] 이동훈 기자 = " (for re.match).
BYLINE_PREFIX = re.compile(r"\[[^\]\n]{1,30}\]\s*[^=\n\[\]]{1,30}?기자\s*=")
# Buttons and labels of the page that sit between the headline and the body.
HEADER_FURNITURE = re.compile(
    r"^(기사\s*수정|기사\s*메일\s*전송|기사\s*공유|글자\s*크기|글씨\s*크기|프린트|인쇄|스크랩|"
    r"공유하기|댓글|좋아요|URL\s*복사|SNS\s*공유|카카오톡|페이스북|트위터|가+|Print|Share|Email)\s*$",
    re.IGNORECASE,
)
# Lines at which an article has ended: copyright, related and most-read stories, menus.
END_MARKERS = re.compile(
    r"저작권자|무단\s*전재|재배포|관련\s*기사|많이\s*본|인기\s*기사|베스트\s*기사|이전\s*기사|"
    r"다음\s*기사|목록\s*바로가기|Copyright|All rights reserved|©|ⓒ|Related (stories|articles)|"
    r"Most (read|popular)",
    re.IGNORECASE,
)
MIN_PROSE = 8  # characters of a prose line, without spaces
HEADER_LOOKBACK = 8  # non-blank lines walked back from the body's first line
# Control characters that a text page never holds; a file with them is binary.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class PageError(UsageError, ValueError):
    """A file that cannot be drafted from: unreadable, binary, not UTF-8, empty, or without a
    sentence."""


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    start: int
    end: int  # just after the last character, before the line break
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.stripped


@dataclass(frozen=True)
class Part:
    """A line of the extent and what it is: headline, byline, date, body, furniture, email."""

    role: str
    start: int
    end: int  # of the line's text without its leading and trailing spaces
    text: str


@dataclass
class Extent:
    start: int
    end: int
    parts: list[Part]
    cut_before: list[Line] = field(default_factory=list)
    cut_after: list[Line] = field(default_factory=list)
    guessed: bool = True

    def first(self) -> Part:
        return self.parts[0]

    def last(self) -> Part:
        return self.parts[-1]

    def of_role(self, *roles: str) -> list[Part]:
        return [p for p in self.parts if p.role in roles]


def read_page(path: Path) -> str:
    """The text of a saved page: a regular, non-empty UTF-8 text file."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise PageError(f"cannot read {path}: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise PageError(f"{path} is not a regular file; give the saved page's text file")
        raw = handle.read()
    if not raw.strip():
        raise PageError(f"{path} is empty; save the page's text into it first")
    if b"\x00" in raw:
        raise PageError(f"{path} is a binary file, not a page's text; save the page as text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PageError(
            f"{path} is not UTF-8 (byte {error.start}: {error.reason}); save it as UTF-8"
        ) from None
    if len(_BINARY.findall(text)) > max(2, len(text) // 1000):
        raise PageError(f"{path} is a binary file, not a page's text; save the page as text")
    return text


def lines_of(text: str) -> list[Line]:
    lines, start = [], 0
    for number, piece in enumerate(text.split("\n"), 1):
        lines.append(Line(number, start, start + len(piece), piece))
        start += len(piece) + 1
    return lines


def is_prose(line: Line) -> bool:
    """A line of Korean or English sentences (not a menu, a list of teasers or a caption)."""
    text = line.stripped
    if len(text.replace(" ", "")) < MIN_PROSE or _LIST_ITEM.match(text):
        return False
    if _TEASER_END.search(text) or END_MARKERS.search(text) and len(text) < 80:
        return False
    if not (HANGUL.search(text) or len(LATIN_WORD.findall(text)) >= 5):
        return False
    return bool(_SENTENCE_END.search(text))


def is_date_line(line: Line) -> bool:
    return len(line.stripped) <= 60 and bool(_DATE.search(line.stripped))


def is_byline(line: Line) -> bool:
    return len(line.stripped) <= 60 and bool(_BYLINE.search(line.stripped))


def is_email_line(line: Line) -> bool:
    text = line.stripped
    found = EMAIL.search(text)
    return found is not None and len(text) <= 60 and len(text) - len(found.group()) <= 20


def guess_extent(text: str, body_start: str | None = None, body_end: str | None = None) -> Extent:
    """The article's extent in ``text``; ``body_start`` and ``body_end`` (texts that occur in the
    first and last lines to keep) override the guess."""
    lines = lines_of(text)
    run = _longest_prose_run(lines)
    if run is None and not (body_start and body_end):
        raise PageError(
            "found no Korean or English sentence in the page: nothing to draft "
            "(give --body-start and --body-end if the article is there)"
        )
    first, last = run if run else (0, len(lines) - 1)
    headline = None
    if body_start is not None:
        first = _line_with(lines, text, body_start, 0, "--body-start")
    else:
        first, headline = _walk_back_header(lines, first)
    if body_end is not None:
        last = _line_with(lines, text, body_end, lines[first].start, "--body-end")
    else:
        last = _walk_forward_end(lines, last)
    if last < first:
        raise UsageError("--body-end names a line before the body's first line")
    while lines[last].blank and last > first:
        last -= 1
    while lines[first].blank and first < last:
        first += 1
    parts = _parts(lines, first, last, headline)
    if not parts:
        raise PageError("the chosen extent holds no text")
    start = lines[first].start
    end = lines[last].start + len(lines[last].text.rstrip())
    return Extent(
        start=start,
        end=end,
        parts=parts,
        cut_before=[line for line in lines[:first] if not line.blank],
        cut_after=[line for line in lines[last + 1 :] if not line.blank],
        guessed=body_start is None and body_end is None,
    )


def _longest_prose_run(lines: list[Line]) -> tuple[int, int] | None:
    """(first, last) line index of the run with the most prose lines, which only blank lines
    interrupt; the first such run wins a tie."""
    best: tuple[int, int, int] | None = None  # (count, first, last)
    current: list[int] = []
    for index, line in enumerate(lines + [Line(0, 0, 0, "-")]):
        if index < len(lines) and line.blank:
            continue
        if index < len(lines) and is_prose(line):
            current.append(index)
            continue
        if current and (best is None or len(current) > best[0]):
            best = (len(current), current[0], current[-1])
        current = []
    return None if best is None else (best[1], best[2])


def _walk_back_header(lines: list[Line], first: int) -> tuple[int, int | None]:
    """The headline's line index above the body (and the headline's index), taking the date,
    byline and button lines between them."""
    seen = 0
    index = first - 1
    while index >= 0 and seen < HEADER_LOOKBACK:
        line = lines[index]
        if line.blank:
            index -= 1
            continue
        seen += 1
        if is_date_line(line) or is_byline(line) or HEADER_FURNITURE.match(line.stripped):
            index -= 1
            continue
        if _looks_like_headline(line):
            return index, index
        break
    return first, None


def _looks_like_headline(line: Line) -> bool:
    text = line.stripped
    if END_MARKERS.search(text) or _LIST_ITEM.match(text) or _TEASER_END.search(text):
        return False
    letters = len(HANGUL.findall(text)) + sum(len(w) for w in LATIN_WORD.findall(text))
    return len(text) >= 8 and letters >= 5


def _walk_forward_end(lines: list[Line], last: int) -> int:
    """The body's last line, taking the reporter's e-mail when it directly follows."""
    index = last + 1
    while index < len(lines) and lines[index].blank:
        index += 1
    if index < len(lines) and is_email_line(lines[index]):
        return index
    return last


def _line_with(lines: list[Line], text: str, needle: str, after: int, option: str) -> int:
    position = text.find(needle, after) if needle else -1
    if position < 0:
        raise UsageError(f"{option} {needle!r} does not occur in the page")
    return next(i for i, line in enumerate(lines) if line.start <= position <= line.end)


def _parts(lines: list[Line], first: int, last: int, headline: int | None) -> list[Part]:
    parts = []
    in_body = False
    for index in range(first, last + 1):
        line = lines[index]
        if line.blank:
            continue
        left = line.start + len(line.text) - len(line.text.lstrip())
        right = line.start + len(line.text.rstrip())
        stripped = line.stripped
        if index == headline:
            role = "headline"
        elif HEADER_FURNITURE.match(stripped):
            role = "furniture"
        elif is_email_line(line) and in_body:
            role = "email"
        elif not in_body and is_date_line(line):
            role = "date"
        elif not in_body and is_byline(line):
            role = "byline"
        else:
            role = "body"
            in_body = True
        parts.append(Part(role, left, right, stripped))
    return parts
