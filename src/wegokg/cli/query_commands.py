"""The commands that ask the graph: query (list, show, run), sparql, search and stats."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wegokg.cli.options import add_endpoint_options, help_of, positive_int, say, workspace
from wegokg.core.errors import OK, DataError, UsageError
from wegokg.query.formats import ENGINE_CHOICES, GRAPH_FORMATS, LANGUAGES, RESULT_FORMATS


def add_commands(commands) -> None:
    query = commands.add_parser("query", help="list, show and run the stored queries")
    query_commands = query.add_subparsers(title="query commands", metavar="ACTION")
    listing = query_commands.add_parser("list", help="list the stored queries")
    listing.add_argument("--lang", choices=LANGUAGES, default="en", help="title language")
    listing.set_defaults(run=run_query_list)
    show = query_commands.add_parser("show", help="print a stored query and its parameters")
    show.add_argument("name")
    show.set_defaults(run=run_query_show)
    run = query_commands.add_parser("run", help="run a stored query")
    run.add_argument("name")
    run.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="bind a parameter"
    )
    _add_engine_option(run)
    add_endpoint_options(run, "run on this SPARQL 1.1 endpoint instead")
    run.add_argument("--format", choices=RESULT_FORMATS, default="table")
    run.add_argument("--lang", choices=LANGUAGES, default="en", help="label language (table)")
    run.set_defaults(run=run_query_run)
    query.set_defaults(run=help_of(query))

    sparql = commands.add_parser(
        "sparql",
        help="run your own SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)",
        description="Run any SPARQL query on the embedded engine or an endpoint. SELECT and ASK "
        "print as table (default), csv, tsv, json or xml; CONSTRUCT and DESCRIBE as turtle "
        "(default), ntriples or jsonld. UPDATE is refused.",
    )
    sparql.add_argument("query", nargs="?", help="the query text (or use -f)")
    sparql.add_argument(
        "-f", "--file", type=Path, help="read the query from this file (- for standard input)"
    )
    _add_engine_option(sparql)
    add_endpoint_options(sparql, "run on this SPARQL 1.1 endpoint instead")
    sparql.add_argument("--format", choices=(*RESULT_FORMATS, *GRAPH_FORMATS))
    sparql.add_argument("--lang", choices=LANGUAGES, default="en", help="label language (table)")
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
    search.add_argument("--lang", choices=LANGUAGES, help="match names in this language only")
    search.add_argument(
        "--limit", type=positive_int, default=20, help="at most this many (default 20)"
    )
    search.add_argument(
        "--format",
        choices=RESULT_FORMATS,
        default="table",
        help="table (default), or csv, tsv, json or xml with full IRIs (SPARQL 1.1 results "
        "formats)",
    )
    search.set_defaults(run=run_search)

    stats = commands.add_parser("stats", help="counts by class, facts by source, coverage")
    stats.set_defaults(run=run_stats)


def _add_engine_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=ENGINE_CHOICES,
        default="auto",
        help="auto (default): oxigraph, which loads no rdflib; rdflib gives the same rows, slower",
    )


def run_query_list(args: argparse.Namespace) -> int:
    work = workspace(args)
    catalog = work.catalog
    if not len(catalog):
        raise DataError(
            f"there are no stored queries in {work.repository.root / 'queries'} (one .rq file each)"
        )
    width = max(len(q.name) for q in catalog)
    for q in catalog:
        title = q.title_ko if args.lang == "ko" else q.title
        print(f"{q.name:<{width}}  {title}")
    return OK


def run_query_show(args: argparse.Namespace) -> int:
    print(workspace(args).catalog.get(args.name).text, end="")
    return OK


def run_query_run(args: argparse.Namespace) -> int:
    from wegokg.query.results import iris_in, lookup_labels, render, terminal_columns

    answer = workspace(args).run_stored(
        args.name, parameters(args.param), args.lang, args.engine, args.endpoint, args.timeout,
        args.max_memory,
    )  # fmt: skip
    for warning in answer.warnings:
        say(f"warning: {warning}")
    results, engine = answer.results, answer.engine
    labels = lookup_labels(engine, iris_in(results), args.lang) if args.format == "table" else {}
    sys.stdout.write(render(results, args.format, labels, terminal_columns()))
    return OK


def parameters(pairs: list[str]) -> dict[str, str]:
    """The values of --param NAME=VALUE, each name once."""
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


def run_sparql(args: argparse.Namespace) -> int:
    from wegokg.query.engines import UpdateRefusedError, check_nesting, query_form
    from wegokg.query.results import iris_in, lookup_labels, render_answer, terminal_columns

    text = _query_text(args.query, args.file)
    form = query_form(text)
    if form == "UPDATE":
        raise UsageError(UpdateRefusedError())
    graph_result = form in ("CONSTRUCT", "DESCRIBE")
    fmt = args.format or ("turtle" if graph_result else "table")
    if graph_result != (fmt in GRAPH_FORMATS):
        allowed = _one_of(GRAPH_FORMATS if graph_result else RESULT_FORMATS)
        raise UsageError(f"a {form} query prints as {allowed}, not {fmt}")
    check_nesting(text)  # before the data is loaded
    if args.endpoint:  # no repository is needed (nor found) to ask an endpoint
        from wegokg.service.workspace import endpoint_engine

        engine = endpoint_engine(args.endpoint, args.timeout, say)
    else:
        engine = workspace(args).engine(args.engine, None, args.timeout, args.max_memory)
    answer = engine.query(text)
    labels = {}
    if fmt == "table" and form == "SELECT":
        labels = lookup_labels(engine, iris_in(answer), args.lang)
    sys.stdout.write(render_answer(answer, fmt, labels, terminal_columns()))
    return OK


def _one_of(names: tuple[str, ...]) -> str:
    return f"{', '.join(names[:-1])} or {names[-1]}"


def _query_text(text: str | None, file: Path | None) -> str:
    if (text is None) == (file is None):
        raise UsageError("give the query either as text or with -f FILE (one of the two)")
    if file is None:
        return text
    from wegokg.core.queryfile import read_query_text

    return read_query_text(file)


def run_search(args: argparse.Namespace) -> int:
    from pyoxigraph import Literal, NamedNode

    from wegokg.core.namespaces import shorten
    from wegokg.query.engines import Results
    from wegokg.query.results import render, terminal_columns

    matches = workspace(args).search(args.text, args.lang)
    rows = tuple(
        (
            NamedNode(m.entry.iri),
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


def run_stats(args: argparse.Namespace) -> int:
    from wegokg.query.stats import compute_stats

    print(compute_stats(workspace(args).dataset).to_text())
    return OK
