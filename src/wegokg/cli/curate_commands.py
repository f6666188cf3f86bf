"""The commands that help write the data: fmt, quote, draft and reconcile."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wegokg.cli.options import check_or_rewrite, say, workspace
from wegokg.core.errors import OK, DataError, UsageError
from wegokg.curate.formats import DRAFT_FORMATS


def add_commands(commands) -> None:
    reconcile = commands.add_parser(
        "reconcile",
        help="link a column of names in a CSV or TSV file to the graph's resources",
        description="Add wegokg_iri, wegokg_label, score and match beside a column of names "
        "(only an unambiguous exact name is matched; others are marked, never guessed), and "
        "the --extend properties, each with its source. Every other column and row is kept.",
    )
    reconcile.add_argument("file", type=Path, help="a CSV or TSV file (UTF-8, BOM or not)")
    reconcile.add_argument("--column", required=True, help="the column that holds the names")
    reconcile.add_argument("--type", help="only resources of this class (City, Country, …)")
    reconcile.add_argument(
        "--extend",
        help="comma-separated: country, membership, awards, wikidata, geonames (or property ids)",
    )
    reconcile.add_argument("-o", "--output", type=Path, help="write here (default: stdout)")
    reconcile.set_defaults(run=run_reconcile)

    fmt = commands.add_parser("fmt", help="rewrite the Turtle files in the canonical layout")
    fmt.add_argument("--check", action="store_true", help="only report files that would change")
    fmt.add_argument("files", nargs="*", type=Path, help="files (default: all of the dataset's)")
    fmt.set_defaults(run=run_fmt)

    quote = commands.add_parser(
        "quote", help="find a quote in a stored source text and print its offsets"
    )
    quote.add_argument("source", help="the source's text file, e.g. data/sources/000_….txt")
    quote.add_argument("text", help="the exact text to quote")
    quote.set_defaults(run=run_quote)

    draft = commands.add_parser(
        "draft",
        help="draft a new article's file from its saved page: extent, quotes, names, numbers",
        description="Draft data/articles/<slug>.ttl from a news page saved as UTF-8 text: the "
        "description, the extent, one quote per sentence, wego:evidence from every known name, "
        "and the numbers, dates and new names as TODO comments. Needs the extra 'curate'.",
    )
    draft.add_argument("text_file", type=Path, help="the saved page (copied into data/sources/)")
    draft.add_argument("-o", "--output", type=Path, help="default: data/articles/<slug>.ttl")
    draft.add_argument("--publisher", metavar="IRI", help="the wego:NewsPublisher, if stated")
    draft.add_argument("--date", help="2021-10-20, or 2021-10-20T12:26:50+09:00 (published)")
    draft.add_argument("--slug", help="the source IRI's local name (default: from the page)")
    draft.add_argument("--body-start", metavar="TEXT", help="text of the first line to keep")
    draft.add_argument("--body-end", metavar="TEXT", help="text of the last line to keep")
    draft.add_argument("--force", action="store_true", help="overwrite an existing output")
    draft.add_argument("--format", choices=DRAFT_FORMATS, default="text")
    draft.set_defaults(run=run_draft)


def run_reconcile(args: argparse.Namespace) -> int:
    from wegokg.server.reconcile.service import ReconcileService
    from wegokg.server.reconcile.spreadsheet import reconcile_file

    extend = [name for name in (args.extend or "").split(",") if name.strip()]
    service = ReconcileService.from_repository(workspace(args).repository)
    text, summary = reconcile_file(args.file, args.column, service, args.type, extend, args.output)
    if text is not None:
        sys.stdout.write(text)
    say(summary.line() + (f"; written to {args.output}" if args.output else ""))
    return OK


def run_fmt(args: argparse.Namespace) -> int:
    from wegokg.curate.turtle_format import check_file

    if args.files:
        files = args.files
    else:
        repository = workspace(args).repository
        repository.require_checkout("wegokg fmt")
        files = repository.turtle_files()
    if not files:
        raise DataError(f"found no Turtle files to format in {workspace(args).repository.root}")
    return check_or_rewrite(
        files,
        check_file,
        check=args.check,
        verbs=("would reformat", "reformatted"),
        advice="are not in the canonical layout: run 'wegokg fmt'",
    )


def run_quote(args: argparse.Namespace) -> int:
    from wegokg.core.repository import read_stored_text
    from wegokg.validation.evidence import find_quote

    folder = workspace(args).repository.texts_folder
    raw = read_stored_text(args.source, folder)  # a UsageError if refused
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{args.source} is not UTF-8 (byte {error.start}): {error.reason}"
        ) from None
    spans = find_quote(text, args.text)
    if not spans:
        raise DataError(
            f"the text does not occur in {args.source}; copy it character for character"
        )
    for start, end in spans:
        print(f"oa:start {start} ;\noa:end {end} ;")
    if len(spans) > 1:
        print(f"(the text occurs {len(spans)} times; pick the occurrence you mean)")
    return OK


def run_draft(args: argparse.Namespace) -> int:
    from wegokg.curate.draft import DraftOptions, draft_report

    options = DraftOptions(args.publisher, args.date, args.slug, args.body_start, args.body_end)
    report = draft_report(
        workspace(args).repository, args.text_file, args.output, options, args.force, args.format
    )
    sys.stdout.write(report)
    return OK
