"""The ``wegokg`` command. Each subcommand parses its arguments and calls one library function.

Exit codes: 0 ok, 1 invalid data or a failed check, 2 a usage error. Imports are lazy so that
``wegokg --help`` loads neither rdflib nor pyshacl, and a query never loads pyshacl.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from wegokg.namespaces import shorten

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
    run.add_argument("--endpoint", metavar="URL", help="run on this SPARQL 1.1 endpoint instead")
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
    sparql.add_argument("--engine", choices=("rdflib", "oxigraph"), default="rdflib")
    sparql.add_argument("--endpoint", metavar="URL", help="run on this SPARQL 1.1 endpoint instead")
    sparql.add_argument(
        "--format", choices=("table", "csv", "tsv", "json", "turtle", "ntriples", "jsonld")
    )
    sparql.add_argument("--lang", choices=("en", "ko"), default="en", help="label language (table)")
    sparql.set_defaults(run=run_sparql)

    search = commands.add_parser(
        "search",
        help="find resources by name, in Korean or English",
        description="Find resources by label or alternative name, ignoring case and accents "
        "(São Paulo = Sao Paulo). Whole-name matches come first, then names that start with the "
        "text, then names that contain it.",
    )
    search.add_argument("text", help="a name or part of one")
    search.add_argument("--lang", choices=("en", "ko"), help="match names in this language only")
    search.add_argument("--limit", type=int, default=20, help="at most this many (default 20)")
    search.set_defaults(run=run_search)

    export = commands.add_parser("export", help="write the dataset in RDF formats")
    export.add_argument(
        "--format",
        action="append",
        choices=("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml", "all"),
        help="a format to write (repeatable; default: all)",
    )
    export.add_argument("-o", "--output", type=Path, default=Path("export"), help="output folder")
    export.add_argument("--endpoint", metavar="URL", help="SPARQL endpoint to name in void.ttl")
    export.set_defaults(run=run_export)

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
        "--endpoint", metavar="URL", required=True, help="the store's SPARQL query endpoint"
    )
    load.add_argument("--graph-store", metavar="URL", help="its Graph Store Protocol URL")
    load.add_argument(
        "--update", metavar="URL", help="its SPARQL Update endpoint (default: --endpoint)"
    )
    load.add_argument(
        "--method",
        choices=("gsp", "update"),
        help="how to write (default: gsp with --graph-store, else update)",
    )
    load.add_argument("--user", help="user name (default: $WEGOKG_USER)")
    load.add_argument(
        "--password-env",
        metavar="VAR",
        default="WEGOKG_PASSWORD",
        help="the environment variable holding the password (default: WEGOKG_PASSWORD)",
    )
    load.add_argument(
        "--timeout", type=float, default=120.0, help="seconds allowed for each request"
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
    report = _validate()
    print(report.to_json() if args.format == "json" else report.to_text())
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
    from wegokg.catalog import CatalogError
    from wegokg.engines import EngineError, make_engine
    from wegokg.results import iris_in, lookup_labels, render

    stored = _stored_query(args.name)
    try:
        text = stored.render(_resolve_names(stored, _parameters(args.param)))
    except CatalogError as error:
        raise UsageError(error) from None
    try:
        engine = make_engine(args.engine, args.endpoint, _dataset() if not args.endpoint else None)
        results = engine.select(text)
        labels = (
            lookup_labels(engine, iris_in(results), args.lang) if args.format == "table" else {}
        )
    except EngineError as error:
        raise Failure(error) from None
    sys.stdout.write(render(results, args.format, labels))
    return OK


def run_sparql(args: argparse.Namespace) -> int:
    from wegokg.engines import EngineError, UpdateRefusedError, make_engine, query_form
    from wegokg.results import GRAPH_FORMATS, iris_in, lookup_labels, render_answer

    text = _query_text(args.query, args.file)
    form = query_form(text)
    if form == "UPDATE":
        raise UsageError(UpdateRefusedError())
    graph_result = form in ("CONSTRUCT", "DESCRIBE")
    fmt = args.format or ("turtle" if graph_result else "table")
    if graph_result != (fmt in GRAPH_FORMATS):
        allowed = "turtle, ntriples or jsonld" if graph_result else "table, csv, tsv or json"
        raise UsageError(f"a {form} query prints as {allowed}, not {fmt}")
    try:
        engine = make_engine(args.engine, args.endpoint, _dataset() if not args.endpoint else None)
        answer = engine.query(text)
        labels = {}
        if fmt == "table" and form == "SELECT":
            labels = lookup_labels(engine, iris_in(answer), args.lang)
    except EngineError as error:
        raise Failure(error) from None
    sys.stdout.write(render_answer(answer, fmt, labels))
    return OK


def run_search(args: argparse.Namespace) -> int:
    from rdflib import Literal, URIRef

    from wegokg.engines import Results
    from wegokg.results import to_table
    from wegokg.search import nearest_names, search

    index = _name_index()
    matches = search(index, args.text, args.lang)
    if not matches:
        nearest = nearest_names(index, args.text)
        hint = f"; nearest names: {', '.join(nearest)}" if nearest else ""
        raise Failure(f"no resource is named like {args.text!r}{hint}")
    rows = tuple(
        (
            URIRef(m.entry.iri),
            Literal(", ".join(shorten(t) for t in m.entry.types)),
            Literal(m.entry.label_en or ""),
            Literal(m.entry.label_ko or ""),
            Literal(m.how),
        )
        for m in matches[: args.limit]
    )
    results = Results(("resource", "type", "label_en", "label_ko", "match"), rows)
    sys.stdout.write(to_table(results))
    if len(matches) > args.limit:
        print(f"({len(matches) - args.limit} more; raise --limit to see them)")
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


def run_load(args: argparse.Namespace) -> int:
    import os

    from wegokg.engines import EndpointEngine, EngineError
    from wegokg.export import ExportError
    from wegokg.upload import Credentials, Store, UploadError, count_triples, upload

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
    store = Store(target, method, credentials, args.timeout)
    # Loading publishes, so it holds the data to the same standard as export does.
    if "report" not in _cache:
        _cache["report"] = _validate()
    report = _cache["report"]
    if not report.conforms:
        print(report.to_text(), file=sys.stderr)
        raise Failure("the data does not validate, so nothing was loaded")
    try:
        loaded = upload(_dataset(), store)
        remote = EndpointEngine(args.endpoint, args.timeout)
        counts = count_triples(remote, [graph.graph for graph in loaded])
    except (UploadError, ExportError, EngineError) as error:
        raise Failure(error) from None
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
    from wegokg.stats import compute_stats

    print(compute_stats(_dataset()).to_text())
    return OK


def run_fmt(args: argparse.Namespace) -> int:
    from wegokg.turtle_format import TurtleFormatError, check_file, format_file

    root = _root()
    files = args.files or _turtle_files(root)
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
    values = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise UsageError(f"write --param NAME=VALUE, not {pair!r}")
        values[name.strip()] = value
    return values


def _query_text(text: str | None, file: Path | None) -> str:
    if (text is None) == (file is None):
        raise UsageError("give the query either as text or with -f FILE (one of the two)")
    if file is None:
        return text
    try:
        return sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the query from {file}: {error}") from None


def _name_index():
    from wegokg.search import name_index

    if "names" not in _cache:
        _cache["names"] = name_index(_dataset())
    return _cache["names"]


def _resolve_names(stored, values: dict[str, str]) -> dict[str, str]:
    """A value of an IRI parameter that is not an IRI is taken as a name of one resource."""
    from wegokg.catalog import CatalogError, expand_iri
    from wegokg.search import NameResolutionError, UnknownNameError, resolve

    resolved = dict(values)
    for parameter in stored.parameters:
        value = values.get(parameter.name)
        if parameter.type != "iri" or value is None:
            continue
        try:
            expand_iri(value.strip(), "")
        except CatalogError:
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
