"""From a saved page to a draft of its article's file: read the page, guess the extent, cut the
quotes, find the names, numbers and dates, and write the Turtle (and copy the page into
data/sources/ when it is elsewhere). Everything is checked before anything is written, so that bad
input leaves no file behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wegokg.atomic_publish import write_file
from wegokg.draft.mentions import MentionFinder
from wegokg.draft.model import Draft
from wegokg.draft.numbers import article_date, find_counts, find_dates
from wegokg.draft.page import HANGUL, guess_extent, read_page
from wegokg.draft.romanize import romanize, slug
from wegokg.draft.sentences import Segment, segments
from wegokg.draft.tokenizer import kiwi
from wegokg.errors import UsageError
from wegokg.namespaces import ID, PREFIXES

if TYPE_CHECKING:
    from wegokg.matching import NameIndex
    from wegokg.repository import Repository

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_ZONED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
NEWS_PUBLISHER = PREFIXES["wego"] + "NewsPublisher"


@dataclass(frozen=True)
class Token:
    """A kiwipiepy token with its offset in the whole page's text."""

    form: str
    tag: str
    start: int
    len: int


@dataclass
class DraftOptions:
    publisher: str | None = None
    date: str | None = None
    slug: str | None = None
    body_start: str | None = None
    body_end: str | None = None


@dataclass
class DraftResult:
    draft: Draft
    turtle: str
    output: Path
    copied_to: Path | None  # where the page was copied, when it was outside data/sources/


def build_draft(
    repository: Repository, page: Path, options: DraftOptions | None = None
) -> tuple[Draft, str]:
    """The draft of the article in ``page`` and the page's text; writes nothing."""
    from wegokg.matching import NameIndex

    options = options or DraftOptions()
    text = read_page(page)
    analyzer = kiwi()
    extent = guess_extent(text, options.body_start, options.body_end)
    parts = segments(text, extent, analyzer)
    tokens = _tokens(parts, analyzer)
    index = NameIndex.from_repository(repository)
    names = MentionFinder(index).find(text, parts, tokens)

    given = _parse_date(options.date)
    date_lines = [s.exact for s in parts if s.role == "date"]
    found = article_date(date_lines[0]) if date_lines else None
    day = given[0] if given else found
    zoned = given[1] if given else None
    dates = find_dates(parts, day)
    counts = find_counts(parts, tokens, dates)

    header = {n for n, s in enumerate(parts) if s.role in ("byline", "headline", "date")}
    byline = {n for n, s in enumerate(parts) if s.role == "byline"}
    publisher = _publisher(options.publisher, index, names.linked, byline)
    author = next((m.iri for m in names.linked if m.segment in byline and m.kind == "person"), None)
    name = options.slug or _slug(parts, names.linked, header, publisher, day)
    if not SLUG.match(name):
        raise UsageError(f"--slug {name!r}: write it in lower-case words joined by hyphens")
    ids = _ids(parts, name)
    body = "".join(s.exact for s in parts if s.role == "body")
    language = "ko" if HANGUL.search(body or text[extent.start : extent.end]) else "en"

    draft = Draft(
        source_iri=ID + "source/" + name,
        text_file="",
        sha256=hashlib.sha256(page.read_bytes()).hexdigest(),
        language=language,
        extent=extent,
        segments=parts,
        ids=ids,
        linked=names.linked,
        ambiguous=names.ambiguous,
        unknown=names.unknown,
        counts=counts,
        dates=dates,
        date_published=zoned,
        date_found=date_lines[0] if date_lines else None,
        article_date=day.isoformat() if day else None,
        publisher=publisher,
        author=author,
    )
    draft.todo = _todo(draft)
    return draft, text


def write_draft(
    repository: Repository,
    page: Path,
    output: Path | None = None,
    options: DraftOptions | None = None,
    force: bool = False,
) -> DraftResult:
    """Draft the article in ``page`` and write it (by default to data/articles/<slug>.ttl); a page
    outside data/sources/ is copied there first, unchanged."""
    from wegokg.draft.writer import draft_turtle

    repository.require_checkout("wegokg draft")
    if output is not None and output.exists() and not force:
        raise UsageError(f"{output} already exists; give --force to overwrite it")
    draft, _ = build_draft(repository, page, options)
    sources = repository.texts_folder.resolve()
    resolved = page.resolve()
    copy_to = None
    if resolved.is_relative_to(sources):
        stored = resolved
    else:
        stored = sources / page.name
        if stored.exists():
            if stored.read_bytes() != page.read_bytes():
                raise UsageError(
                    f"{stored} already exists with other contents; rename the page's file"
                )
        else:
            copy_to = stored
    draft.text_file = stored.relative_to(repository.data_folder.resolve()).as_posix()
    target = (
        output or repository.data_folder / "articles" / f"{draft.source_iri.rsplit('/')[-1]}.ttl"
    )
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; give --force to overwrite it")
    turtle = draft_turtle(draft)
    if copy_to is not None:
        shutil.copyfile(page, copy_to)
    try:
        _write_atomically(target, turtle)
    except BaseException:
        if copy_to is not None:
            copy_to.unlink(missing_ok=True)
        raise
    return DraftResult(draft, turtle, target, copy_to)


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(path, text.encode("utf-8"))


def _tokens(parts: list[Segment], analyzer: Any) -> list[Token]:
    tokens: list[Token] = []
    for segment in parts:
        if segment.is_quote:
            for token in analyzer.tokenize(segment.exact):
                tokens.append(Token(token.form, token.tag, segment.start + token.start, token.len))
    return tokens


def _parse_date(text: str | None) -> tuple[dt.date, str | None] | None:
    """--date: a date (2021-10-20), or a time with its zone (2021-10-20T12:26:50+09:00), which
    becomes schema:datePublished."""
    if text is None:
        return None
    text = text.strip()
    try:
        if _ZONED.match(text):
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date(), text
        return dt.date.fromisoformat(text), None
    except ValueError:
        pass
    raise UsageError(
        f"--date {text!r}: give a date (2021-10-20) or a time with its zone "
        "(2021-10-20T12:26:50+09:00)"
    )


def _publisher(given: str | None, index: NameIndex, linked, byline: set[int]) -> str | None:
    if given:
        prefix, colon, local = given.partition(":")
        iri = PREFIXES[prefix] + local if colon and prefix in PREFIXES else given
        if not index.is_a(iri, [NEWS_PUBLISHER]):
            raise UsageError(
                f"--publisher {given}: not a wego:NewsPublisher of the repository; add it to "
                "data/curated/organizations.ttl first"
            )
        return iri
    for mention in linked:
        if mention.segment in byline and index.is_a(mention.iri, [NEWS_PUBLISHER]):
            return mention.iri
    return None


def _slug(parts, linked, header: set[int], publisher: str | None, day) -> str:
    """publisher-date, else first-name-in-the-headline-date, else the headline's first word."""
    headline = [n for n, s in enumerate(parts) if s.role == "headline"]
    if publisher:
        stem = publisher.rstrip("/").rsplit("/", 1)[-1]
    elif first := next((m for m in linked if m.segment in headline), None):
        stem = first.iri.rstrip("/").rsplit("/", 1)[-1]
    else:
        words = (parts[headline[0]].exact if headline else parts[0].exact).split()
        stem = slug(romanize(words[0])) if words else "article"
    stem = stem or "article"
    return f"{stem}-{day.isoformat()}" if day else stem


def _ids(parts: list[Segment], name: str) -> list[str]:
    quotes = sum(1 for s in parts if s.is_quote)
    width = max(2, len(str(quotes)))
    ids, number, passages = [], 0, {}
    for segment in parts:
        if segment.is_quote:
            number += 1
            ids.append(f"{ID}quote/{name}-{number:0{width}d}")
        else:
            passages[segment.role] = passages.get(segment.role, 0) + 1
            suffix = "" if passages[segment.role] == 1 else f"-{passages[segment.role]}"
            ids.append(f"{ID}passage/{name}-{segment.role}{suffix}")
    return ids


def _todo(draft: Draft) -> list[str]:
    todo = ["rdfs:label in English: translate the headline"]
    if draft.date_published is None:
        said = f" (the page says {draft.date_found!r})" if draft.date_found else ""
        todo.append(f"schema:datePublished: an xsd:dateTime with its time zone{said}")
    if draft.author is None:
        todo.append(
            "schema:author: the wego:Person who wrote it (a new name goes in data/curated/)"
        )
    if draft.publisher is None:
        todo.append("schema:publisher: only if the page states one (a wego:NewsPublisher)")
    todo.append(
        "the facts: claims with prov:wasDerivedFrom this article and wego:evidence its quotes"
    )
    return todo
