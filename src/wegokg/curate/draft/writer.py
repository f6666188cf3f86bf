"""The draft as Turtle, in the canonical layout of ``wegokg fmt``: the article's description, the
names it mentions with their evidence, the passages left uncited, and the quotes, with every
number, date, shared name and unknown name as a ``# TODO`` comment above its quote. Nothing in it
is a fact: facts are the curator's to write.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Literal

from wegokg.core.namespaces import PREFIXES, shorten
from wegokg.curate.draft.model import Draft
from wegokg.curate.turtle_format import format_turtle

_W, _S, _OA, _PROV = PREFIXES["wego"], PREFIXES["schema"], PREFIXES["oa"], PREFIXES["prov"]
_RDF_TYPE = PREFIXES["rdf"] + "type"
_LABEL = PREFIXES["rdfs"] + "label"
_COMMENT = PREFIXES["rdfs"] + "comment"
_XSD = PREFIXES["xsd"]
RULER_WIDTH = 94  # as the rulers of the article files
_OFF_TOPIC = "https://w3id.org/wegokg/id/concept/off-topic"
_PASSAGE_COMMENTS = {
    "furniture": "A button or label of the page inside the article's extent; not part of the "
    "article.",
    "email": "The reporter's e-mail address, which closes the article; the graph records no "
    "contact details.",
}


def draft_turtle(draft: Draft) -> str:
    """The draft's Turtle text, formatted as ``wegokg fmt`` would."""
    blocks: list[str] = [
        f"# Draft of the article in {draft.text_file}, written by `wegokg draft`: its description, "
        "extent, quotes and the names it mentions. Review each TODO, then write the facts.",
        # The formatter keeps only the prefixes the draft uses.
        "\n".join(f"@prefix {name}: <{iri}> ." for name, iri in PREFIXES.items()),
        _ruler("The article"),
        _article(draft),
        _ruler("Names the article mentions"),
    ]
    evidence: dict[str, set[str]] = defaultdict(set)
    for mention in draft.linked:
        evidence[mention.iri].add(draft.ids[mention.segment])
    for iri in sorted(evidence):
        blocks.append(_block(iri, [(_W + "evidence", [_iri(q) for q in sorted(evidence[iri])])]))
    if draft.passages():
        blocks.append(_ruler("Passages left uncited"))
        for iri, segment in draft.passages():
            blocks.append(
                _block(
                    iri,
                    [
                        (_RDF_TYPE, [_iri(_W + "UncitedPassage")]),
                        (_COMMENT, [Literal(_PASSAGE_COMMENTS[segment.role], lang="en").n3()]),
                        (_OA + "end", [str(segment.end)]),
                        (_OA + "exact", [Literal(segment.exact).n3()]),
                        (_OA + "start", [str(segment.start)]),
                        (_PROV + "wasQuotedFrom", [_iri(draft.source_iri)]),
                        (_W + "uncitedReason", [_iri(_OFF_TOPIC)]),
                    ],
                )
            )
    blocks.append(_ruler("Quotes"))
    notes = _notes(draft)
    for number, (iri, segment) in enumerate(zip(draft.ids, draft.segments, strict=True)):
        if not segment.is_quote:
            continue
        blocks.append(
            _block(
                iri,
                [
                    (_RDF_TYPE, [_iri(_W + "Quote")]),
                    (_OA + "end", [str(segment.end)]),
                    (_OA + "exact", [Literal(segment.exact).n3()]),
                    (_OA + "start", [str(segment.start)]),
                    (_PROV + "wasQuotedFrom", [_iri(draft.source_iri)]),
                ],
                notes.get(number, []),
            )
        )
    return format_turtle("\n\n".join(blocks) + "\n", "<draft>")


def _article(draft: Draft) -> str:
    headline = next((s for s in draft.segments if s.role == "headline"), None)
    header_quotes = [
        iri for iri, s in zip(draft.ids, draft.segments, strict=True) if s.role in HEADER_ROLES
    ]
    predicates: list[tuple[str, list[str]]] = [(_RDF_TYPE, [_iri(_W + "NewsArticle")])]
    if headline is not None:
        predicates.append((_LABEL, [Literal(headline.exact, lang=draft.language).n3()]))
    if draft.author:
        predicates.append((_S + "author", [_iri(draft.author)]))
    if draft.date_published:
        predicates.append(
            (_S + "datePublished", [Literal(draft.date_published, datatype=_XSD + "dateTime").n3()])
        )
    predicates.append((_S + "inLanguage", [Literal(draft.language).n3()]))
    if draft.publisher:
        predicates.append((_S + "publisher", [_iri(draft.publisher)]))
    predicates += [
        (_W + "bodyEnd", [str(draft.extent.end)]),
        (_W + "bodyStart", [str(draft.extent.start)]),
    ]
    if header_quotes:
        predicates.append((_W + "evidence", [_iri(q) for q in header_quotes]))
    predicates += [
        (_W + "sha256", [Literal(draft.sha256).n3()]),
        (_W + "textFile", [Literal(draft.text_file).n3()]),
    ]
    return _block(draft.source_iri, predicates, [f"# TODO {item}" for item in draft.todo])


HEADER_ROLES = ("headline", "byline", "date")


def _notes(draft: Draft) -> dict[int, list[str]]:
    """The TODO comments above each quote, by segment number."""
    notes: dict[int, list[str]] = defaultdict(list)
    for count in draft.counts:
        about = "about " if count.approximate else ""
        value = count.value if count.value is not None else "?"
        notes[count.segment].append(
            f"# TODO count: {count.text!r} ({about}{value} {count.counter}) at {count.start}"
        )
    for date in draft.dates:
        resolved = f" = {date.resolved}" if date.resolved else ""
        notes[date.segment].append(f"# TODO date: {date.text!r}{resolved} at {date.start}")
    for shared in draft.ambiguous:
        names = ", ".join(shorten(c) for c in shared.candidates)
        notes[shared.segment].append(
            f"# TODO shared name: {shared.surface!r} at {shared.start} could be {names}; "
            "add wego:evidence from the one meant"
        )
    for name in draft.unknown:
        notes[name.segment].append(
            f"# TODO new name: {name.surface!r} ({name.tag}) at {name.start}; "
            f"romanized {name.romanization!r} (TODO: check); suggested IRI {name.suggested_iri}"
        )
    return notes


def _ruler(title: str) -> str:
    text = f"# -- {title} "
    return text + "-" * max(3, RULER_WIDTH - len(text))


def _iri(iri: str) -> str:
    return f"<{iri}>"


def _block(subject: str, predicates: list[tuple[str, list[str]]], comments=()) -> str:
    lines = [*comments, _iri(subject)]
    for predicate, objects in predicates:
        lines.append(f"    {_iri(predicate)} {', '.join(objects)} ;")
    lines.append(".")
    return "\n".join(lines)
