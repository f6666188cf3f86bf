"""The ``wegokg`` command. Each subcommand parses its arguments and calls one library function.

Errors are mapped to exit codes here and nowhere else (see ``wegokg.core.errors``): 0 ok, 1 invalid
data or a failed check, 2 a usage error, 3 the tool could not run. Imports are lazy so that
``wegokg --help`` loads neither rdflib nor pyshacl, and a query never loads pyshacl.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from wegokg.core.errors import (
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
    _tolerate_any_terminal_encoding()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return USAGE
    _cache.clear()
    _cache["args"] = args
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


def _tolerate_any_terminal_encoding() -> None:
    """A terminal that is not UTF-8 (cp949, euc-kr, ascii) gets what it can show, and a
    replacement character for the rest, instead of a UnicodeEncodeError halfway through."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.errors or "strict") == "strict":
            reconfigure(errors="replace")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wegokg",
        description="Validate, query and export the WeGO Knowledge Graph.",
        epilog=EXIT_CODES,
    )
    parser.add_argument("--version", action=_VersionAction, help="show the version and exit")
    parser.add_argument(
        "--root", type=Path, metavar="DIR", help="the repository to use (default: see below)"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="say which dataset and engine are used"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check the data with every checker (--list-checks names them)"
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
    validate.add_argument(
        "--list-checks",
        action="store_true",
        help="list the checkers in the order they run, with their default severity and help, "
        "and validate nothing",
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
    add_endpoint_options(run, "run on this SPARQL 1.1 endpoint instead")
    run.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table")
    run.add_argument("--lang", choices=("en", "ko"), default="en", help="label language (table)")
    run.set_defaults(run=run_query_run)
    query.set_defaults(run=lambda args: _help(query))

    sparql = commands.add_parser(
        "sparql",
        help="run your own SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)",
        description="Run any SPARQL query on the embedded engine or an endpoint. SELECT and ASK "
        "print as table (default), csv, tsv or json; CONSTRUCT and DESCRIBE as turtle (default), "
        "ntriples or jsonld. UPDATE is refused.",
    )
    sparql.add_argument("query", nargs="?", help="the query text (or use -f)")
    sparql.add_argument(
        "-f", "--file", type=Path, help="read the query from this file (- for standard input)"
    )
    sparql.add_argument(
        "--engine",
        choices=("auto", "rdflib", "oxigraph"),
        default="auto",
        help="auto (default): rdflib for small data, oxigraph for large",
    )
    add_endpoint_options(sparql, "run on this SPARQL 1.1 endpoint instead")
    sparql.add_argument(
        "--format", choices=("table", "csv", "tsv", "json", "turtle", "ntriples", "jsonld")
    )
    sparql.add_argument("--lang", choices=("en", "ko"), default="en", help="label language (table)")
    sparql.set_defaults(run=run_sparql)

    search = commands.add_parser(
        "search",
        help="find resources by name, in Korean or English",
        description="Find resources by label or alternative name, ignoring case, accents, "
        "spacing and punctuation (São Paulo = SAO PAULO, George Town = Georgetown) and Korean "
        "municipal suffixes (성남 = 성남시 = Seongnam-si). Whole-name matches come first, then "
        "names that start with the text, then names that contain it, then near misses.",
    )
    search.add_argument("text", help="a name or part of one")
    search.add_argument("--lang", choices=("en", "ko"), help="match names in this language only")
    search.add_argument(
        "--limit", type=_positive_int, default=20, help="at most this many (default 20)"
    )
    search.add_argument(
        "--format",
        choices=("table", "csv", "tsv", "json"),
        default="table",
        help="table (default), or csv, tsv or json with full IRIs (SPARQL 1.1 results formats)",
    )
    search.set_defaults(run=run_search)

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
    export.add_argument(
        "--endpoint", type=endpoint_url, metavar="URL", help="SPARQL endpoint to name in void.ttl"
    )
    export.add_argument(
        "--view",
        action="append",
        choices=("schema",),
        default=[],
        help="also write a view beside the full graph: schema, the schema.org view "
        "(wegokg-schema.jsonld)",
    )
    export.set_defaults(run=run_export)

    release = commands.add_parser(
        "release",
        help="write a citable release of this version: dumps, views, shapes, catalog, DCAT, sums",
        description="Write one folder per version (DIR/VERSION/): every dump, the schema.org "
        "view, the ontology, the shapes, the query catalog, a DCAT description (release.ttl) and "
        "SHA256SUMS. The version and its date come from the package and CHANGELOG.md; the same "
        "version gives the same bytes.",
    )
    release.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="DIR",
        help="folder of releases (default: release/ at the repository root)",
    )
    release.set_defaults(run=run_release)

    load = commands.add_parser(
        "load",
        help="push the dataset into a remote SPARQL 1.1 store (replacing its graphs)",
        description="Push every published named graph into a remote store, through the Graph "
        "Store Protocol (PUT replaces each graph) or SPARQL Update (DROP, then INSERT DATA in "
        "chunks). Loading twice changes nothing. The password comes from the environment, never "
        "from the command line. Afterwards the triples of each graph are counted through "
        "--endpoint.",
    )
    load.add_argument(
        "--endpoint",
        type=endpoint_url,
        metavar="URL",
        required=True,
        help="the store's SPARQL query endpoint",
    )
    load.add_argument(
        "--graph-store", type=endpoint_url, metavar="URL", help="its Graph Store Protocol URL"
    )
    load.add_argument(
        "--update",
        type=endpoint_url,
        metavar="URL",
        help="its SPARQL Update endpoint (default: --endpoint)",
    )
    load.add_argument(
        "--method",
        choices=("gsp", "update"),
        help="how to write (default: gsp with --graph-store, else update)",
    )
    load.add_argument(
        "--default-graph",
        action="store_true",
        help="also store the set union of the graphs as the default graph (for a store that "
        "keeps one, like Oxigraph without --union-default-graph)",
    )
    load.add_argument("--user", help="user name (default: $WEGOKG_USER)")
    load.add_argument(
        "--password-env",
        metavar="VAR",
        default="WEGOKG_PASSWORD",
        help="the environment variable holding the password (default: WEGOKG_PASSWORD)",
    )
    load.add_argument(
        "--timeout",
        type=timeout_seconds,
        default=120.0,
        metavar="SECONDS",
        help="seconds allowed for each request, in all (default 120)",
    )
    load.add_argument(
        "--prune",
        action="store_true",
        help="also delete the store's graphs under the dataset's namespace that no source holds",
    )
    load.set_defaults(run=run_load)

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
    draft.add_argument("--format", choices=("text", "json"), default="text")
    draft.set_defaults(run=run_draft)

    diagram = commands.add_parser(
        "diagram", help="redraw docs/data-model.svg from the ontology and shapes (needs Graphviz)"
    )
    diagram.add_argument("-o", "--output", type=Path, help="folder (default: docs/)")
    diagram.set_defaults(run=run_diagram)

    serve = commands.add_parser(
        "serve", help="serve the SPARQL endpoint, a query page and the site over HTTP"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any free)")
    serve.add_argument(
        "--site", type=Path, metavar="DIR", help="a built site to serve (default: build one)"
    )
    serve.add_argument(
        "--workers", type=_positive_int, default=2, help="query worker processes (default 2)"
    )
    serve.add_argument(
        "--timeout", type=timeout_seconds, default=10.0, help="seconds a query may run (default 10)"
    )
    serve.add_argument(
        "--max-rows",
        type=_positive_int,
        default=10_000,
        help="rows or triples per answer (default 10000)",
    )
    serve.add_argument(
        "--header-timeout",
        type=timeout_seconds,
        default=10.0,
        metavar="SECONDS",
        help="close a connection that has not sent a request's headers in time (default 10)",
    )
    serve.add_argument(
        "--max-connections", type=_positive_int, default=256, help="open connections (default 256)"
    )
    add_memory_option(serve)
    serve.set_defaults(run=run_serve)

    site = commands.add_parser(
        "site", help="build the static linked-data site (pages, RDF documents, downloads, VoID)"
    )
    site.add_argument("-o", "--output", type=Path, default=Path("site"), help="output folder")
    site.add_argument(
        "--endpoint", type=endpoint_url, metavar="URL", help="SPARQL endpoint to name in VoID"
    )
    site.add_argument(
        "--site-url",
        type=site_url,
        metavar="URL",
        help="absolute address of the site's root, for sitemap.xml (default: the w3id.org base)",
    )
    site.set_defaults(run=run_site)

    conneg = commands.add_parser(
        "conneg",
        help="write deploy/'s nginx and Apache content-negotiation rules from the table "
        "wegokg serve answers from",
    )
    conneg.add_argument(
        "--check", action="store_true", help="only check that they are up to date (exit 1 if not)"
    )
    conneg.set_defaults(run=run_conneg)

    coverage = commands.add_parser(
        "coverage", help="show which sentences of each article the quotes cite or explain"
    )
    coverage.add_argument("--format", choices=("text", "json"), default="text")
    coverage.set_defaults(run=run_coverage)

    tour = commands.add_parser(
        "tour", help="validate, then show a few stored queries on the embedded engine"
    )
    tour.add_argument("--lang", choices=("en", "ko"), default="en")
    tour.set_defaults(run=run_tour)
    return parser


def endpoint_url(text: str) -> str:
    """argparse type of every --endpoint: an absolute http(s) URL that is a valid IRI."""
    from wegokg.core.iri import endpoint_problem

    if problem := endpoint_problem(text):
        raise argparse.ArgumentTypeError(problem)
    return text


def positive_number(text: str, unit: str = "", whole: bool = False) -> int | float:
    """The one check of every numeric option: a finite number above 0, a whole one if ``whole``.
    nan, inf, 0 and negative values are usage errors (exit 2)."""
    try:
        number = int(text) if whole else float(text)
    except ValueError:
        number = 0
    if not 0 < number < float("inf"):
        kind = "a whole number of at least 1" if whole else "a positive number"
        raise argparse.ArgumentTypeError(f"give {kind}{unit}, not {text!r}")
    return number


def timeout_seconds(text: str) -> float:
    """argparse type of every --timeout: a positive number of seconds."""
    return positive_number(text, " of seconds")


def site_url(text: str) -> str:
    """argparse type of --site-url: an absolute http(s) URL, checked as --endpoint is."""
    from wegokg.core.iri import endpoint_problem

    if problem := endpoint_problem(text, "the site's address"):
        raise argparse.ArgumentTypeError(problem)
    return text


def add_endpoint_options(parser: argparse.ArgumentParser, help: str) -> None:
    """--endpoint URL, --timeout SECONDS and --max-memory MB, for every command that runs
    queries on an endpoint or the embedded engine."""
    from wegokg.core.iri import DEFAULT_TIMEOUT

    parser.add_argument("--endpoint", type=endpoint_url, metavar="URL", help=help)
    parser.add_argument(
        "--timeout",
        type=timeout_seconds,
        default=None,
        metavar="SECONDS",
        help=f"stop a query (on the endpoint or the embedded engine) after this many seconds in "
        f"all ({DEFAULT_TIMEOUT:g})",
    )
    add_memory_option(parser)


def add_memory_option(parser: argparse.ArgumentParser) -> None:
    from wegokg.core.iri import DEFAULT_MAX_MEMORY_MB

    parser.add_argument(
        "--max-memory",
        type=_positive_int,
        default=DEFAULT_MAX_MEMORY_MB,
        metavar="MB",
        help="stop a query that needs more than this many megabytes beyond the loaded data "
        f"({DEFAULT_MAX_MEMORY_MB})",
    )


def say(message: str) -> None:
    """A notice on stderr, while a command is running."""
    print(f"wegokg: {message}", file=sys.stderr, flush=True)


def run_validate(args: argparse.Namespace) -> int:
    if args.list_checks:
        from wegokg.validation.checker_registry import CHECKERS

        print(CHECKERS.listing(), end="")
        return OK
    from wegokg.validation.context import relative
    from wegokg.validation.report import ValidationReport
    from wegokg.validation.report_formats import render

    if args.output:
        from wegokg.core.atomic_publish import file_target

        file_target(args.output)  # a device, a pipe or a folder: refused before validating
    root = _root()
    failure: WegokgError | None = None
    if args.format == "text" and not args.output:
        return _stream_validation(args)
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
    if getattr(args, "verbose", False):
        _say_how_validated(report)
    text = render(report.capped(args.max_violations), args.format, root, _version())
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
    return OK if report.conforms else FAILED


def _stream_validation(args: argparse.Namespace) -> int:
    """The text report on stdout, each violation printed as soon as a checker finds it."""
    from wegokg.validation.report import TextStream
    from wegokg.validation.run import validate

    stream = TextStream(sys.stdout, args.max_violations)
    report = _cache["report"] = validate(_repository(), on_violation=stream)
    if getattr(args, "verbose", False):
        _say_how_validated(report)
    stream.finish(report)
    return OK if report.conforms else FAILED


def _say_how_validated(report) -> None:
    """With -v: which route the SHACL shapes took (the report says so only for pySHACL)."""
    from wegokg.validation.shacl import Route

    notes = list(report.notes)
    if "shacl" in report.checks and not any(n.startswith("shacl:") for n in notes):
        notes.append(f"shacl: {Route(True).note()}")
    for note in notes:
        say(note)


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
    from wegokg.core.errors import LocatedToolError
    from wegokg.query.engines import QuerySyntaxError
    from wegokg.query.results import iris_in, lookup_labels, render, terminal_columns

    stored = _stored_query(args.name)
    values = _resolve_names(stored, _with_lang(stored, _parameters(args.param), args.lang))
    stored.bind(values)  # a bad value is refused before an engine is made
    engine = _engine(args.engine, args.endpoint, args.timeout, args.max_memory)
    for warning in stored.warnings(values, engine):
        say(f"warning: {warning}")
    try:
        results = stored.select(engine, values)
    except QuerySyntaxError as error:
        # The user typed nothing wrong: the stored query itself is broken (exit 3).
        raise LocatedToolError(
            stored.file.path, None, f"the stored query does not parse: {error}"
        ) from None
    labels = lookup_labels(engine, iris_in(results), args.lang) if args.format == "table" else {}
    sys.stdout.write(render(results, args.format, labels, terminal_columns()))
    return OK


def run_sparql(args: argparse.Namespace) -> int:
    from wegokg.query.engines import UpdateRefusedError, check_nesting, query_form
    from wegokg.query.results import (
        GRAPH_FORMATS,
        iris_in,
        lookup_labels,
        render_answer,
        terminal_columns,
    )

    text = _query_text(args.query, args.file)
    form = query_form(text)
    if form == "UPDATE":
        raise UsageError(UpdateRefusedError())
    graph_result = form in ("CONSTRUCT", "DESCRIBE")
    fmt = args.format or ("turtle" if graph_result else "table")
    if graph_result != (fmt in GRAPH_FORMATS):
        allowed = "turtle, ntriples or jsonld" if graph_result else "table, csv, tsv or json"
        raise UsageError(f"a {form} query prints as {allowed}, not {fmt}")
    check_nesting(text)  # before the data is loaded
    engine = _engine(args.engine, args.endpoint, args.timeout, args.max_memory)
    answer = engine.query(text)
    labels = {}
    if fmt == "table" and form == "SELECT":
        labels = lookup_labels(engine, iris_in(answer), args.lang)
    sys.stdout.write(render_answer(answer, fmt, labels, terminal_columns()))
    return OK


def run_reconcile(args: argparse.Namespace) -> int:
    from wegokg.server.reconcile.service import ReconcileService
    from wegokg.server.reconcile.spreadsheet import reconcile_file

    extend = [name for name in (args.extend or "").split(",") if name.strip()]
    service = ReconcileService.from_repository(_repository())
    text, summary = reconcile_file(args.file, args.column, service, args.type, extend, args.output)
    if text is not None:
        sys.stdout.write(text)
    say(summary.line() + (f"; written to {args.output}" if args.output else ""))
    return OK


def run_search(args: argparse.Namespace) -> int:
    from rdflib import Literal, URIRef

    from wegokg.core.namespaces import shorten
    from wegokg.query.engines import Results
    from wegokg.query.results import render, terminal_columns
    from wegokg.query.search import nearest_names, search

    index = _name_index()
    matches = search(index, args.text, args.lang)
    if not matches:
        nearest = nearest_names(index, args.text)
        hint = f"; nearest names: {', '.join(nearest)}" if nearest else ""
        raise Failure(f"no resource is named like {args.text!r}{hint}")
    rows = tuple(
        (
            URIRef(m.entry.iri),
            Literal(
                ", ".join(shorten(t) for t in m.entry.types)
                if args.format == "table"
                else " ".join(m.entry.types)
            ),
            Literal(m.entry.label_en or ""),
            Literal(m.entry.label_ko or ""),
            Literal(m.how),
        )
        for m in matches[: args.limit]
    )
    results = Results(("resource", "type", "label_en", "label_ko", "match"), rows)
    sys.stdout.write(render(results, args.format, columns=terminal_columns()))
    if len(matches) > args.limit and args.format == "table":
        print(f"({len(matches) - args.limit} more; raise --limit to see them)")
    return OK


def run_export(args: argparse.Namespace) -> int:
    from wegokg.core.loading import load_store
    from wegokg.publish.exports import check_export_folder, export

    check_export_folder(args.output or _default_output())  # before the slow validation
    report = _validate()
    if not report.conforms:
        print(report.to_text(), file=sys.stderr)
        raise Failure("the data does not validate, so nothing was exported")
    output = args.output or _default_output()
    _remove_leftovers(output, "export")
    try:
        written = export(  # from a pyoxigraph store: no rdflib Dataset unless JSON-LD asks
            load_store(_repository()), output, args.format or ["all"], _version(), args.endpoint,
            args.view,
        )  # fmt: skip
    except OSError as error:
        raise ToolError(f"cannot write to {output}: {error}") from None
    for path in written:
        print(path)
    return OK


def run_release(args: argparse.Namespace) -> int:
    from wegokg.publish.release import release_repository

    report = _validate()
    if not report.conforms:
        print(report.to_text(), file=sys.stderr)
        raise Failure("the data does not validate, so nothing was released")
    repository = _repository()
    output = args.output or (
        repository.root / "release" if repository.is_checkout else Path("release")
    )
    try:
        folder = release_repository(repository, output, _version())
    except OSError as error:
        raise ToolError(f"cannot write to {output}: {error}") from None
    for path in sorted(folder.iterdir()):
        print(path)
    return OK


def run_load(args: argparse.Namespace) -> int:
    import os

    from wegokg.core.namespaces import shorten
    from wegokg.publish.upload import Credentials, Store, count_triples, prune, upload
    from wegokg.query.engines import EndpointEngine

    method = args.method or ("gsp" if args.graph_store else "update")
    if method == "gsp" and not args.graph_store:
        raise UsageError("--method gsp needs --graph-store URL (the store's Graph Store endpoint)")
    target = args.graph_store if method == "gsp" else (args.update or args.endpoint)
    user = args.user or os.environ.get("WEGOKG_USER")
    credentials = None
    if user:
        password = os.environ.get(args.password_env)
        if password is None:
            raise UsageError(
                f"set the password for {user!r} in the environment variable {args.password_env} "
                "(or name another one with --password-env)"
            )
        credentials = Credentials(user, password)
    store = Store(target, method, credentials, args.timeout, default_graph=args.default_graph)
    # Loading publishes, so it holds the data to the same standard as export does.
    report = _validate()
    if not report.conforms:
        print(report.to_text(), file=sys.stderr)
        raise Failure("the data does not validate, so nothing was loaded")
    loaded = upload(_dataset(), store, notice=say)
    remote = EndpointEngine(args.endpoint, args.timeout, notice=say)
    if args.prune:
        for graph in prune(store, remote, [graph.graph for graph in loaded], notice=say):
            print(f"{shorten(graph)}  deleted: no source of the repository holds it any more")
    counts = count_triples(remote, [graph.graph for graph in loaded])
    wrong = []
    for graph in loaded:
        print(f"{shorten(graph.graph)}  {graph.triples} triples sent, {counts[graph.graph]} stored")
        if counts[graph.graph] != graph.triples:
            wrong.append(shorten(graph.graph))
    if wrong:
        raise Failure(
            f"{args.endpoint} does not hold what was sent for {', '.join(wrong)}; is it the query "
            "endpoint of the same store, with the named graphs kept apart?"
        )
    return OK


def run_stats(args: argparse.Namespace) -> int:
    from wegokg.query.stats import compute_stats

    print(compute_stats(_dataset()).to_text())
    return OK


def run_fmt(args: argparse.Namespace) -> int:
    from wegokg.curate.turtle_format import check_file, format_file

    if args.files:
        files = args.files
    else:
        repository = _repository()
        repository.require_checkout("wegokg fmt")
        files = repository.turtle_files()
    if not files:
        raise Failure(f"found no Turtle files to format in {_root()}")
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
    from wegokg.core.repository import read_stored_text
    from wegokg.validation.evidence import find_quote

    raw = read_stored_text(args.source, _repository().texts_folder)  # a UsageError if refused
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{args.source} is not UTF-8 (byte {error.start}): {error.reason}"
        ) from None
    spans = find_quote(text, args.text)
    if not spans:
        raise Failure(f"the text does not occur in {args.source}; copy it character for character")
    for start, end in spans:
        print(f"oa:start {start} ;\noa:end {end} ;")
    if len(spans) > 1:
        print(f"(the text occurs {len(spans)} times; pick the occurrence you mean)")
    return OK


def run_draft(args: argparse.Namespace) -> int:
    from wegokg.curate.draft import DraftOptions, draft_report

    options = DraftOptions(args.publisher, args.date, args.slug, args.body_start, args.body_end)
    sys.stdout.write(
        draft_report(_repository(), args.text_file, args.output, options, args.force, args.format)
    )
    return OK


def run_diagram(args: argparse.Namespace) -> int:
    from wegokg.publish.diagram import write_diagram

    repository = _repository()
    repository.require_checkout("wegokg diagram")
    for path in write_diagram(repository, args.output or repository.docs_folder):
        print(path)
    return OK


def run_serve(args: argparse.Namespace) -> int:
    from wegokg.server.serve import ServerSettings, serve

    if args.site is not None and not (args.site / "index.html").is_file():
        raise UsageError(f"--site {args.site}: no index.html there; build it with 'wegokg site'")
    if args.workers < 1 or args.timeout <= 0 or args.max_rows < 1:
        raise UsageError("--workers, --timeout and --max-rows must be positive")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port number (0-65535)")
    # Serving publishes, so it holds the data to the standard of site, export and load.
    report = _validate()
    if not report.conforms:
        print(report.to_text(), file=sys.stderr)
        raise Failure("the data does not validate, so it is not served; fix it, then start again")
    settings = ServerSettings(
        args.host, args.port, args.site, args.workers, args.timeout, args.max_rows,
        header_timeout=args.header_timeout, max_connections=args.max_connections,
        max_memory=args.max_memory * 2**20,
    )  # fmt: skip
    serve(settings, _repository())
    return OK


def run_conneg(args: argparse.Namespace) -> int:
    from wegokg.publish.negotiation_rules import (
        DeployRulesError,
        stale_deploy_files,
        write_deploy_files,
    )

    repository = _repository()
    repository.require_checkout("wegokg conneg")
    deploy = repository.root / "deploy"
    try:
        changed = stale_deploy_files(deploy) if args.check else write_deploy_files(deploy)
    except DeployRulesError as error:
        raise Failure(str(error)) from None
    except OSError as error:
        raise ToolError(f"cannot update the rules in {deploy}: {error}") from None
    for path in changed:
        print(f"{'out of date' if args.check else 'rewrote'} {path}")
    if args.check and changed:
        raise Failure(f"{len(changed)} file(s) in deploy/ are out of date: run 'wegokg conneg'")
    return OK


def run_site(args: argparse.Namespace) -> int:
    from wegokg.core.namespaces import BASE
    from wegokg.publish.release import repository_releases
    from wegokg.publish.site import build_site, check_output_folder

    check_output_folder(args.output)  # before the slow validation
    report = _validate()
    if not report.conforms:
        print(report.to_text(), file=sys.stderr)
        raise Failure("the data does not validate, so no site was built")
    repository = _repository()
    _remove_leftovers(args.output, "site")
    try:
        summary = build_site(
            _dataset(),
            args.output,
            catalog=_catalog(),
            version=_version(),
            shapes=repository.shapes,
            diagram=repository.diagram_file,
            endpoint=args.endpoint,
            site_url=args.site_url or BASE,
            releases=repository_releases(repository),
        )
    except OSError as error:
        raise ToolError(f"cannot write the site to {args.output}: {error}") from None
    print(f"{summary.out_dir}: {summary.pages} pages, {summary.files} files")
    return OK


def run_coverage(args: argparse.Namespace) -> int:
    from wegokg.validation.coverage import coverage

    report = coverage(_dataset(), _repository().data_folder)
    sys.stdout.write(report.to_json() + "\n" if args.format == "json" else report.to_text())
    return OK


def run_tour(args: argparse.Namespace) -> int:
    from wegokg.query.results import iris_in, lookup_labels, to_table

    report = _validate()
    print(report.to_text())
    if not report.conforms:
        return FAILED
    engine = _engine("auto", None)
    catalog = _catalog()
    for name in TOUR:
        stored = catalog.get(name)
        results = stored.select(engine)
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
    from wegokg.core.repository import Repository

    if "repository" not in _cache:
        args = _cache.get("args")
        repository = Repository.find(getattr(args, "root", None))
        if repository.origin == "bundled" or getattr(args, "verbose", False):
            print(f"wegokg: dataset: {repository.label}", file=sys.stderr)
        _cache["repository"] = repository
        _report_progress(repository)
    return _cache["repository"]


def _report_progress(repository) -> None:
    """Progress on stderr on a terminal, and in logs for data large enough that steps take a
    while; a small repository's runs stay quiet (one-line errors stay one line)."""
    from wegokg.core import progress
    from wegokg.query.engines import AUTO_OXIGRAPH_BYTES

    if sys.stderr.isatty() or repository.texts_size() > AUTO_OXIGRAPH_BYTES:
        progress.enable()


def _root() -> Path:
    return _repository().root


def _dataset():
    return _repository().dataset


def _validate():
    from wegokg.validation.run import validate

    if "report" not in _cache:
        _cache["report"] = validate(_repository())
    return _cache["report"]


def _positive_int(text: str) -> int:
    return positive_number(text, whole=True)


def _catalog():
    from wegokg.query.catalog import QueryCatalog

    return QueryCatalog.from_repository(_repository())


def _engine(
    name: str, endpoint: str | None, timeout: float | None = None, max_memory: int | None = None
):
    """The engine for a command: the endpoint if given (with its total deadline), else ``name``
    over this run's data, its queries run in a worker under the time limit (seconds) and the
    memory cap (MB)."""
    from wegokg.core.iri import DEFAULT_MAX_MEMORY_MB
    from wegokg.core.remote import DEFAULT_TIMEOUT
    from wegokg.query.engines import choose_engine, make_engine

    timeout = timeout or DEFAULT_TIMEOUT
    if endpoint:
        return make_engine(endpoint=endpoint, timeout=timeout, notice=say)
    repository = _repository()
    if name == "auto":
        name = choose_engine(repository)
        if getattr(_cache.get("args"), "verbose", False):
            print(f"wegokg: engine: {name} (--engine auto)", file=sys.stderr)
    limits = {"timeout": timeout, "max_memory": (max_memory or DEFAULT_MAX_MEMORY_MB) * 2**20}
    if name == "rdflib":
        return make_engine("rdflib", dataset=repository.dataset, **limits)
    return make_engine(name, repository=repository, **limits)


def _remove_leftovers(output: Path, kind: str) -> None:
    """Remove what a killed run of this command left beside ``output``, and say so."""
    import os

    from wegokg.core.leftovers import remove_leftovers

    real = Path(os.path.realpath(output))
    for path in remove_leftovers(real.parent, kind, real.name):
        say(f"removed {path}, left by an interrupted {kind} (its process is gone)")


def _default_output() -> Path:
    repository = _repository()
    return repository.root / "export" if repository.is_checkout else Path("export")


def _stored_query(name: str):
    return _catalog().get(name)


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


def _query_text(text: str | None, file: Path | None) -> str:
    if (text is None) == (file is None):
        raise UsageError("give the query either as text or with -f FILE (one of the two)")
    if file is None:
        return text
    from wegokg.core.queryfile import read_query_text

    return read_query_text(file)


def _name_index():
    from wegokg.query.search import name_index

    if "names" not in _cache:
        _cache["names"] = name_index(_dataset())
    return _cache["names"]


def _resolve_names(stored, values: dict[str, str]) -> dict[str, str]:
    """A value of an IRI parameter that is not an IRI is taken as a name of one resource."""
    from wegokg.core.iri import looks_like_iri
    from wegokg.query.catalog import CatalogError, expand_iri
    from wegokg.query.search import NameResolutionError, UnknownNameError, resolve

    resolved = dict(values)
    for parameter in stored.parameters:
        value = values.get(parameter.name)
        if parameter.type != "iri" or value is None:
            continue
        try:
            expand_iri(value.strip(), "")
        except CatalogError:
            if looks_like_iri(value.strip()):
                parameter.to_term(value)  # an IRI with a fault: this says what the fault is
            try:
                resolved[parameter.name] = f"<{resolve(_name_index(), value)}>"
            except UnknownNameError as error:
                raise UsageError(
                    f"parameter {parameter.name!r} takes {parameter.type_phrase} or the name of "
                    f"one resource; {error}"
                ) from None
            except NameResolutionError as error:
                raise UsageError(f"--param {parameter.name}: {error}") from None
    return resolved


def _with_lang(stored, values: dict[str, str], lang: str) -> dict[str, str]:
    """--lang also picks the language of a query that has a ``lang`` parameter, unless
    --param lang=… says otherwise."""
    if "lang" not in values and any(p.name == "lang" for p in stored.parameters):
        return {**values, "lang": lang}
    return values


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return USAGE


class _VersionAction(argparse.Action):
    """--version, with the version read only when asked for (importlib.metadata is slow to load,
    and every command builds the parser)."""

    def __init__(self, option_strings, dest, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"{parser.prog} {_version()}")
        parser.exit()


def _version() -> str:
    from wegokg.core.repository import package_version

    return package_version()


if __name__ == "__main__":
    sys.exit(main())
