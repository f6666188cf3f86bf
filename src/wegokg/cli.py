"""The ``wegokg`` command. Each subcommand parses its arguments and calls one library function.

Exit codes: 0 ok, 1 invalid data or a failed check, 2 a usage error. Imports are lazy so that
``wegokg --help`` loads neither rdflib nor pyshacl, and a query never loads pyshacl.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

OK, FAILED, USAGE = 0, 1, 2

TOUR = ("award-winners", "executive-committee", "assembly-programme", "conflicting-claims")


class UsageError(Exception):
    """The command was called wrongly; exit 2."""


class Failure(Exception):
    """The data is invalid or a check failed; exit 1."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return USAGE
    try:
        return args.run(args)
    except UsageError as error:
        print(f"wegokg: {error}", file=sys.stderr)
        return USAGE
    except Failure as error:
        print(f"wegokg: {error}", file=sys.stderr)
        return FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wegokg",
        description="Validate, query and export the WeGO Knowledge Graph.",
        epilog="Exit codes: 0 ok, 1 invalid data or a failed check, 2 usage error. "
        "The repository is found from the current folder upwards, or from $WEGOKG_ROOT.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check the data against the shapes, quotes and quality checks"
    )
    validate.add_argument("--format", choices=("text", "json"), default="text")
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
    run.add_argument("--engine", choices=("rdflib", "oxigraph"), default="rdflib")
    add_endpoint_options(run, "run on this SPARQL 1.1 endpoint instead")
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
    export.add_argument("-o", "--output", type=Path, default=Path("export"), help="output folder")
    export.add_argument(
        "--endpoint", type=endpoint_url, metavar="URL", help="SPARQL endpoint to name in void.ttl"
    )
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


def endpoint_url(text: str) -> str:
    """argparse type of every --endpoint: an absolute http(s) URL that is a valid IRI."""
    from wegokg.iri import endpoint_problem

    if problem := endpoint_problem(text):
        raise argparse.ArgumentTypeError(problem)
    return text


def timeout_seconds(text: str) -> float:
    """argparse type of every --timeout: a positive number of seconds."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(
            f"give the timeout as a positive number of seconds, not {text!r}"
        )
    return seconds


def add_endpoint_options(parser: argparse.ArgumentParser, help: str) -> None:
    """--endpoint URL and --timeout SECONDS, for every command that talks to an endpoint."""
    from wegokg.remote import DEFAULT_TIMEOUT

    parser.add_argument("--endpoint", type=endpoint_url, metavar="URL", help=help)
    parser.add_argument(
        "--timeout",
        type=timeout_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up on the endpoint after this many seconds in all ({DEFAULT_TIMEOUT:g})",
    )


def say(message: str) -> None:
    """A notice on stderr, while a command is running."""
    print(f"wegokg: {message}", file=sys.stderr, flush=True)


def run_validate(args: argparse.Namespace) -> int:
    report = _validate()
    print(report.to_json() if args.format == "json" else report.to_text())
    return OK if report.conforms else FAILED


def run_query_list(args: argparse.Namespace) -> int:
    catalog = _catalog()
    if not len(catalog):
        raise Failure(f"there are no stored queries in {_root() / 'queries'} (one .rq file each)")
    width = max(len(q.name) for q in catalog)
    for q in catalog:
        title = q.title_ko if args.lang == "ko" else q.title
        print(f"{q.name:<{width}}  {title}")
    return OK


def run_query_show(args: argparse.Namespace) -> int:
    print(_stored_query(args.name).text, end="")
    return OK


def run_query_run(args: argparse.Namespace) -> int:
    from wegokg.catalog import CatalogError
    from wegokg.engines import EngineError, make_engine
    from wegokg.results import iris_in, lookup_labels, render

    stored = _stored_query(args.name)
    given = _parameters(args.param)
    try:
        text = stored.render(given)
    except CatalogError as error:
        raise UsageError(error) from None
    try:
        dataset = _dataset() if args.endpoint is None else None
        engine = make_engine(args.engine, args.endpoint, dataset, args.timeout, say)
        for warning in stored.warnings(given, engine):
            say(f"warning: {warning}")
        results = engine.select(text)
        labels = (
            lookup_labels(engine, iris_in(results), args.lang) if args.format == "table" else {}
        )
    except EngineError as error:
        raise Failure(error) from None
    sys.stdout.write(render(results, args.format, labels))
    return OK


def run_export(args: argparse.Namespace) -> int:
    from wegokg.export import ExportError, export

    report = _validate()
    if not report.conforms:
        print(report.to_text(), file=sys.stderr)
        raise Failure("the data does not validate, so nothing was exported")
    try:
        written = export(_dataset(), args.output, args.format or ["all"], _version(), args.endpoint)
    except ExportError as error:
        raise Failure(error) from None
    except OSError as error:
        raise Failure(f"cannot write to {args.output}: {error}") from None
    for path in written:
        print(path)
    return OK


def run_stats(args: argparse.Namespace) -> int:
    from wegokg.stats import compute_stats

    print(compute_stats(_dataset()).to_text())
    return OK


def run_fmt(args: argparse.Namespace) -> int:
    from wegokg.turtle_format import TurtleFormatError, check_file, format_file

    root = _root()
    files = args.files or _turtle_files(root)
    if not files:
        raise Failure(f"found no Turtle files to format in {root}")
    changed = []
    for path in files:
        try:
            if args.check:
                if check_file(path) is not None:
                    changed.append(path)
            elif format_file(path):
                changed.append(path)
        except TurtleFormatError as error:
            raise Failure(error) from None
        except OSError as error:
            raise Failure(f"{path}: {error}") from None
    for path in changed:
        print(f"{'would reformat' if args.check else 'reformatted'} {path}")
    if args.check and changed:
        raise Failure(f"{len(changed)} file(s) are not in the canonical layout: run 'wegokg fmt'")
    return OK


def run_quote(args: argparse.Namespace) -> int:
    from wegokg.evidence import SourceTextError, find_quote, read_stored_text

    try:
        text = read_stored_text(Path(args.source), _root() / "data" / "sources")
    except SourceTextError as error:
        raise UsageError(error) from None
    spans = find_quote(text, args.text)
    if not spans:
        raise Failure(f"the text does not occur in {args.source}; copy it character for character")
    for start, end in spans:
        print(f"oa:start {start} ;\noa:end {end} ;")
    if len(spans) > 1:
        print(f"(the text occurs {len(spans)} times; pick the occurrence you mean)")
    return OK


def run_diagram(args: argparse.Namespace) -> int:
    from wegokg.diagram import DiagramError, write_diagram

    root = _root()
    try:
        for path in write_diagram(root, args.output or root / "docs"):
            print(path)
    except DiagramError as error:
        raise Failure(error) from None
    return OK


def run_tour(args: argparse.Namespace) -> int:
    from wegokg.engines import RdflibEngine
    from wegokg.results import iris_in, lookup_labels, to_table

    report = _validate()
    print(report.to_text())
    if not report.conforms:
        return FAILED
    engine = RdflibEngine(_dataset())
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


def _root() -> Path:
    from wegokg.load import LoadError, find_root

    try:
        return find_root()
    except LoadError as error:
        raise UsageError(error) from None


def _dataset():
    from wegokg.load import LoadError, load

    if "dataset" not in _cache:
        try:
            _cache["dataset"] = load(_root())
        except LoadError as error:
            raise Failure(error) from None
    return _cache["dataset"]


def _validate():
    from wegokg.engines import EngineError
    from wegokg.load import LoadError
    from wegokg.queryfile import QueryFileError
    from wegokg.validate import validate

    try:
        return validate(_root())
    except (LoadError, QueryFileError, EngineError) as error:
        raise Failure(error) from None


def _catalog():
    from wegokg.catalog import QueryCatalog
    from wegokg.queryfile import QueryFileError

    try:
        return QueryCatalog.from_folder(_root() / "queries")
    except QueryFileError as error:
        raise Failure(error) from None


def _stored_query(name: str):
    from wegokg.catalog import UnknownQueryError

    try:
        return _catalog().get(name)
    except UnknownQueryError as error:
        raise UsageError(error) from None


def _parameters(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise UsageError(f"write --param NAME=VALUE, not {pair!r}")
        name = name.strip()
        if name in values:
            raise UsageError(f"--param {name} is given twice; each parameter takes one value")
        values[name] = value
    return values


def _turtle_files(root: Path) -> list[Path]:
    folders = ("ontology", "ontology/imports", "data/curated", "data/articles", "data/reference")
    files = [p for folder in folders for p in sorted((root / folder).glob("*.ttl"))]
    return files + sorted((root / "shapes").glob("*.ttl"))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return USAGE


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wegokg")
    except PackageNotFoundError:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
