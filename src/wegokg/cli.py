"""The ``wegokg`` command. Each subcommand parses its arguments and calls one library function.

Errors are mapped to exit codes here and nowhere else (see ``wegokg.errors``): 0 ok, 1 invalid
data or a failed check, 2 a usage error, 3 the tool could not run. Imports are lazy so that
``wegokg --help`` loads neither rdflib nor pyshacl, and a query never loads pyshacl.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from wegokg.errors import (
    CANNOT_RUN,
    INVALID,
    OK,
    USAGE,
    DataError,
    LocatedError,
    ToolError,
    UsageError,
    WegokgError,
)

FAILED = INVALID
# A failed check in a command: exit 1. (The name the commands have always raised.)
Failure = DataError

TOUR = ("award-winners", "executive-committee", "assembly-programme", "conflicting-claims")

EXIT_CODES = (
    "Exit codes: 0 ok; 1 the data is invalid or a check failed; 2 usage error; 3 the tool could "
    "not run (unusable shapes, endpoint down, unreadable file). The dataset is the checkout around "
    "the current folder, else the one --root or $WEGOKG_ROOT names, else, outside any checkout, "
    "the dataset bundled with the package."
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return USAGE
    _cache.clear()
    _cache["args"] = args
    from wegokg import progress

    progress.enable()
    try:
        return args.run(args)
    except WegokgError as error:
        print(f"wegokg: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return OK
    except MemoryError:
        print("wegokg: out of memory", file=sys.stderr)
        return CANNOT_RUN


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wegokg",
        description="Validate, query and export the WeGO Knowledge Graph.",
        epilog=EXIT_CODES,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument(
        "--root", type=Path, metavar="DIR", help="the repository to use (default: see below)"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="say which dataset and engine are used"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check the data against the shapes, quotes and quality checks"
    )
    validate.add_argument(
        "--format",
        choices=("text", "json", "shacl", "github", "junit", "sarif"),
        default="text",
        help="text (default), json, a SHACL validation report in Turtle, GitHub Actions "
        "annotations, JUnit XML or SARIF 2.1.0",
    )
    validate.add_argument(
        "--max-violations",
        type=_positive_int,
        default=1000,
        metavar="N",
        help="list the first N violations and count the rest (default: 1000)",
    )
    validate.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write the report to this file"
    )
    validate.set_defaults(run=run_validate)

    query = commands.add_parser("query", help="list, show and run the stored queries")
    query_commands = query.add_subparsers(title="query commands", metavar="ACTION")
    listing = query_commands.add_parser("list", help="list the stored queries")
    listing.add_argument("--lang", choices=("en", "ko"), default="en", help="title language")
    listing.set_defaults(run=run_query_list)
    show = query_commands.add_parser("show", help="print a stored query and its parameters")
    show.add_argument("name")
    show.set_defaults(run=run_query_show)
    run = query_commands.add_parser("run", help="run a stored query")
    run.add_argument("name")
    run.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="bind a parameter"
    )
    run.add_argument(
        "--engine",
        choices=("auto", "rdflib", "oxigraph"),
        default="auto",
        help="auto (default): rdflib for small data, oxigraph for large",
    )
    run.add_argument("--endpoint", metavar="URL", help="run on this SPARQL 1.1 endpoint instead")
    run.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table")
    run.add_argument("--lang", choices=("en", "ko"), default="en", help="label language (table)")
    run.set_defaults(run=run_query_run)
    query.set_defaults(run=lambda args: _help(query))

    export = commands.add_parser("export", help="write the dataset in RDF formats")
    export.add_argument(
        "--format",
        action="append",
        choices=("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml", "all"),
        help="a format to write (repeatable; default: all)",
    )
    export.add_argument(
        "-o",
        "--output",
        type=Path,
        help="output folder (default: export/ at the repository root, or ./export outside one)",
    )
    export.add_argument("--endpoint", metavar="URL", help="SPARQL endpoint to name in void.ttl")
    export.set_defaults(run=run_export)

    stats = commands.add_parser("stats", help="counts by class, facts by source, coverage")
    stats.set_defaults(run=run_stats)

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

    diagram = commands.add_parser(
        "diagram", help="redraw docs/data-model.svg from the ontology and shapes (needs Graphviz)"
    )
    diagram.add_argument("-o", "--output", type=Path, help="folder (default: docs/)")
    diagram.set_defaults(run=run_diagram)

    tour = commands.add_parser(
        "tour", help="validate, then show a few stored queries on the embedded engine"
    )
    tour.add_argument("--lang", choices=("en", "ko"), default="en")
    tour.set_defaults(run=run_tour)
    return parser


def run_validate(args: argparse.Namespace) -> int:
    from wegokg.report import ValidationReport
    from wegokg.report_formats import render
    from wegokg.validate import relative

    root = _root()
    failure: WegokgError | None = None
    if args.format == "text":
        report = _validate()
    else:
        # Machines read every format but text: for them an error that stops validation becomes
        # one violation, located where it can be, so that the report still parses.
        try:
            report = _validate()
        except LocatedError as error:
            failure = error
            report = ValidationReport.from_load_error(
                relative(error.path), error.line, error.message
            )
        except WegokgError as error:
            failure = error
            report = ValidationReport.from_load_error("<tool>", None, str(error))
    text = render(report.capped(args.max_violations), args.format, root, _version())
    if args.output:
        from wegokg.export import write_atomically

        try:
            write_atomically(args.output, text.encode("utf-8"))
        except OSError as error:
            raise ToolError(f"cannot write the report to {args.output}: {error}") from None
    else:
        sys.stdout.write(text)
    if failure is not None:
        print(f"wegokg: {failure}", file=sys.stderr)
        return failure.exit_code
    return OK if report.conforms else FAILED


def run_query_list(args: argparse.Namespace) -> int:
    catalog = _catalog()
    width = max(len(q.name) for q in catalog)
    for q in catalog:
        title = q.title_ko if args.lang == "ko" else q.title
        print(f"{q.name:<{width}}  {title}")
    return OK


def run_query_show(args: argparse.Namespace) -> int:
    print(_stored_query(args.name).text, end="")
    return OK


def run_query_run(args: argparse.Namespace) -> int:
    from wegokg.results import iris_in, lookup_labels, render

    stored = _stored_query(args.name)
    text = stored.render(_parameters(args.param))
    engine = _engine(args.engine, args.endpoint)
    results = engine.select(text)
    labels = lookup_labels(engine, iris_in(results), args.lang) if args.format == "table" else {}
    sys.stdout.write(render(results, args.format, labels))
    return OK


def run_export(args: argparse.Namespace) -> int:
    from wegokg.export import export

    report = _validate()
    if not report.conforms:
        print(report.to_text(), file=sys.stderr)
        raise Failure("the data does not validate, so nothing was exported")
    output = args.output or _default_output()
    try:
        written = export(_dataset(), output, args.format or ["all"], _version(), args.endpoint)
    except OSError as error:
        raise ToolError(f"cannot write to {output}: {error}") from None
    for path in written:
        print(path)
    return OK


def run_stats(args: argparse.Namespace) -> int:
    from wegokg.stats import compute_stats

    print(compute_stats(_dataset()).to_text())
    return OK


def run_fmt(args: argparse.Namespace) -> int:
    from wegokg.turtle_format import check_file, format_file

    if args.files:
        files = args.files
    else:
        repository = _repository()
        repository.require_checkout("wegokg fmt")
        files = repository.turtle_files()
    changed = []
    for path in files:
        try:
            if args.check:
                if check_file(path) is not None:
                    changed.append(path)
            elif format_file(path):
                changed.append(path)
        except OSError as error:
            raise ToolError(f"{path}: {error}") from None
    for path in changed:
        print(f"{'would reformat' if args.check else 'reformatted'} {path}")
    if args.check and changed:
        raise Failure(f"{len(changed)} file(s) are not in the canonical layout: run 'wegokg fmt'")
    return OK


def run_quote(args: argparse.Namespace) -> int:
    from wegokg.evidence import find_quote

    try:
        text = Path(args.source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {args.source}: {error}") from None
    spans = find_quote(text, args.text)
    if not spans:
        raise Failure(f"the text does not occur in {args.source}; copy it character for character")
    for start, end in spans:
        print(f"oa:start {start} ;\noa:end {end} ;")
    if len(spans) > 1:
        print(f"(the text occurs {len(spans)} times; pick the occurrence you mean)")
    return OK


def run_diagram(args: argparse.Namespace) -> int:
    from wegokg.diagram import write_diagram

    repository = _repository()
    repository.require_checkout("wegokg diagram")
    for path in write_diagram(repository, args.output or repository.docs_folder):
        print(path)
    return OK


def run_tour(args: argparse.Namespace) -> int:
    from wegokg.results import iris_in, lookup_labels, to_table

    report = _validate()
    print(report.to_text())
    if not report.conforms:
        return FAILED
    engine = _engine("auto", None)
    catalog = _catalog()
    for name in TOUR:
        stored = catalog.get(name)
        results = engine.select(stored.render())
        title = stored.title_ko if args.lang == "ko" else stored.title
        print(f"\n== {title}  (wegokg query run {name})\n")
        print(to_table(results, lookup_labels(engine, iris_in(results), args.lang)), end="")
    return OK


# -- Helpers shared by the commands ---------------------------------------------------------

_cache: dict[str, object] = {}


def _repository():
    """The repository this run works on, found once: --root, $WEGOKG_ROOT, the checkout around
    the current folder, or the bundled dataset (said on stderr, since the user did not choose
    it)."""
    from wegokg.repository import Repository

    if "repository" not in _cache:
        args = _cache.get("args")
        repository = Repository.find(getattr(args, "root", None))
        if repository.origin == "bundled" or getattr(args, "verbose", False):
            print(f"wegokg: dataset: {repository.label}", file=sys.stderr)
        _cache["repository"] = repository
    return _cache["repository"]


def _root() -> Path:
    return _repository().root


def _dataset():
    return _repository().dataset


def _validate():
    from wegokg.validate import validate

    return validate(_repository())


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return number


def _catalog():
    return _repository().catalog


def _engine(name: str, endpoint: str | None):
    """The engine for a command: the endpoint if given, else ``name`` over this run's data."""
    from wegokg.engines import choose_engine, make_engine

    if endpoint:
        return make_engine(endpoint=endpoint)
    repository = _repository()
    if name == "auto":
        name = choose_engine(repository)
        if name != "rdflib" or getattr(_cache.get("args"), "verbose", False):
            print(f"wegokg: engine: {name} (chosen by the data's size)", file=sys.stderr)
    if name == "rdflib":
        return make_engine("rdflib", dataset=repository.dataset)
    return make_engine(name, repository=repository)


def _default_output() -> Path:
    repository = _repository()
    return repository.root / "export" if repository.is_checkout else Path("export")


def _stored_query(name: str):
    return _catalog().get(name)


def _parameters(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise UsageError(f"write --param NAME=VALUE, not {pair!r}")
        values[name.strip()] = value
    return values


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return USAGE


def _version() -> str:
    from wegokg.repository import package_version

    return package_version()


if __name__ == "__main__":
    sys.exit(main())
