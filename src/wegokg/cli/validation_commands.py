"""The commands that check the data: validate, coverage and tour."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wegokg.cli.options import positive_int, say, workspace
from wegokg.core.errors import INVALID, OK, ToolError
from wegokg.query.formats import LANGUAGES
from wegokg.validation.formats import COVERAGE_FORMATS, REPORT_FORMATS

TOUR = ("award-winners", "executive-committee", "assembly-programme", "conflicting-claims")


def add_commands(commands) -> None:
    validate = commands.add_parser(
        "validate", help="check the data with every checker (--list-checks names them)"
    )
    validate.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default="text",
        help="text (default), json, a SHACL validation report in Turtle, GitHub Actions "
        "annotations, JUnit XML or SARIF 2.1.0",
    )
    validate.add_argument(
        "--max-violations",
        type=positive_int,
        default=1000,
        metavar="N",
        help="list the first N violations and count the rest (default: 1000)",
    )
    validate.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write the report to this file"
    )
    validate.add_argument(
        "--list-checks",
        action="store_true",
        help="list the checkers in the order they run, with their default severity and help, "
        "and validate nothing",
    )
    validate.set_defaults(run=run_validate)

    coverage = commands.add_parser(
        "coverage", help="show which sentences of each article the quotes cite or explain"
    )
    coverage.add_argument("--format", choices=COVERAGE_FORMATS, default="text")
    coverage.set_defaults(run=run_coverage)

    tour = commands.add_parser(
        "tour", help="validate, then show a few stored queries on the embedded engine"
    )
    tour.add_argument("--lang", choices=LANGUAGES, default="en")
    tour.set_defaults(run=run_tour)


def run_validate(args: argparse.Namespace) -> int:
    if args.list_checks:
        from wegokg.validation.checker_registry import CHECKERS

        print(CHECKERS.listing(), end="")
        return OK
    from wegokg.validation.report_formats import render

    if args.output:
        from wegokg.core.atomic_publish import file_target

        file_target(args.output)  # a device, a pipe or a folder: refused before validating
    work = workspace(args)
    if args.format == "text" and not args.output:
        return _stream_validation(args)
    # Machines read every format but text: for them an error becomes one violation.
    report, failure = (work.report(), None) if args.format == "text" else work.report_for_machines()
    if getattr(args, "verbose", False):
        say_how_validated(report)
    text = render(
        report.capped(args.max_violations), args.format, work.repository.root, work.version
    )
    if args.output:
        from wegokg.core.atomic_publish import write_file

        try:
            write_file(args.output, text.encode("utf-8"))
        except OSError as error:
            raise ToolError(f"cannot write the report to {args.output}: {error}") from None
    else:
        sys.stdout.write(text)
    if failure is not None:
        print(f"wegokg: {failure}", file=sys.stderr)
        return failure.exit_code
    return OK if report.conforms else INVALID


def _stream_validation(args: argparse.Namespace) -> int:
    """The text report on stdout, each violation printed as soon as a checker finds it."""
    from wegokg.validation.report import TextStream

    stream = TextStream(sys.stdout, args.max_violations)
    report = workspace(args).report(on_violation=stream)
    if getattr(args, "verbose", False):
        say_how_validated(report)
    stream.finish(report)
    return OK if report.conforms else INVALID


def say_how_validated(report, notice=say) -> None:
    """With -v: which route the SHACL shapes took (the report says so only for pySHACL)."""
    from wegokg.validation.shacl import Route

    notes = list(report.notes)
    if "shacl" in report.checks and not any(n.startswith("shacl:") for n in notes):
        notes.append(f"shacl: {Route(True).note()}")
    for note in notes:
        notice(note)


def run_coverage(args: argparse.Namespace) -> int:
    from wegokg.validation.coverage import coverage

    work = workspace(args)
    report = coverage(work.dataset, work.repository.data_folder)
    sys.stdout.write(report.to_json() + "\n" if args.format == "json" else report.to_text())
    return OK


def run_tour(args: argparse.Namespace) -> int:
    from wegokg.query.results import iris_in, lookup_labels, to_table

    work = workspace(args)
    report = work.report()
    print(report.to_text())
    if not report.conforms:
        return INVALID
    engine = work.engine("auto")
    catalog = work.catalog
    for name in TOUR:
        stored = catalog.get(name)
        results = stored.select(engine)
        title = stored.title_ko if args.lang == "ko" else stored.title
        print(f"\n== {title}  (wegokg query run {name})\n")
        print(to_table(results, lookup_labels(engine, iris_in(results), args.lang)), end="")
    return OK
