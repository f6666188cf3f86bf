"""The commands that publish the data: export, release, load, site, serve, conneg and diagram.
Each that publishes validates first, through ``Workspace.require_valid``."""

from __future__ import annotations

import argparse
from pathlib import Path

from wegokg.cli.options import (
    add_memory_option,
    check_or_rewrite,
    endpoint_url,
    positive_int,
    site_url,
    timeout_seconds,
    workspace,
)
from wegokg.core.errors import OK, DataError, ToolError, UsageError
from wegokg.publish.formats import EXPORT_CHOICES, LOAD_METHODS, VIEWS


def add_commands(commands) -> None:
    export = commands.add_parser("export", help="write the dataset in RDF formats")
    export.add_argument(
        "--format",
        action="append",
        choices=EXPORT_CHOICES,
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
        choices=VIEWS,
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

    _add_load(commands)

    serve = commands.add_parser(
        "serve", help="serve the SPARQL endpoint, a query page and the site over HTTP"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any free)")
    serve.add_argument(
        "--site", type=Path, metavar="DIR", help="a built site to serve (default: build one)"
    )
    serve.add_argument(
        "--workers", type=positive_int, default=2, help="query worker processes (default 2)"
    )
    serve.add_argument(
        "--timeout", type=timeout_seconds, default=10.0, help="seconds a query may run (default 10)"
    )
    serve.add_argument(
        "--max-rows",
        type=positive_int,
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
        "--max-connections", type=positive_int, default=256, help="open connections (default 256)"
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

    diagram = commands.add_parser(
        "diagram", help="redraw docs/data-model.svg from the ontology and shapes (needs Graphviz)"
    )
    diagram.add_argument("-o", "--output", type=Path, help="folder (default: docs/)")
    diagram.set_defaults(run=run_diagram)


def _add_load(commands) -> None:
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
        choices=LOAD_METHODS,
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


def run_export(args: argparse.Namespace) -> int:
    written = workspace(args).export(args.output, args.format or ["all"], args.endpoint, args.view)
    for path in written:
        print(path)
    return OK


def run_release(args: argparse.Namespace) -> int:
    for path in sorted(workspace(args).release(args.output).iterdir()):
        print(path)
    return OK


def run_load(args: argparse.Namespace) -> int:
    from wegokg.core.namespaces import shorten

    outcome = workspace(args).load_into(
        args.endpoint, args.graph_store, args.update, args.method, args.user, args.password_env,
        args.timeout, args.default_graph, args.prune,
    )  # fmt: skip
    for graph in outcome.pruned:
        print(f"{shorten(graph)}  deleted: no source of the repository holds it any more")
    for graph in outcome.loaded:
        stored = outcome.counts[graph.graph]
        print(f"{shorten(graph.graph)}  {graph.triples} triples sent, {stored} stored")
    if outcome.wrong:
        raise DataError(
            f"{args.endpoint} does not hold what was sent for "
            f"{', '.join(shorten(g) for g in outcome.wrong)}; is it the query endpoint of the "
            "same store, with the named graphs kept apart?"
        )
    return OK


def run_serve(args: argparse.Namespace) -> int:
    from wegokg.server.serve import ServerSettings, serve

    if args.site is not None and not (args.site / "index.html").is_file():
        raise UsageError(f"--site {args.site}: no index.html there; build it with 'wegokg site'")
    if args.workers < 1 or args.timeout <= 0 or args.max_rows < 1:
        raise UsageError("--workers, --timeout and --max-rows must be positive")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port number (0-65535)")
    work = workspace(args)
    # Serving publishes, so it holds the data to the standard of site, export and load.
    work.require_valid("it is not served; fix it, then start again")
    settings = ServerSettings(
        args.host, args.port, args.site, args.workers, args.timeout, args.max_rows,
        header_timeout=args.header_timeout, max_connections=args.max_connections,
        max_memory=args.max_memory * 2**20,
    )  # fmt: skip
    serve(settings, work.repository)
    return OK


def run_site(args: argparse.Namespace) -> int:
    summary = workspace(args).site(args.output, args.endpoint, args.site_url)
    print(f"{summary.out_dir}: {summary.pages} pages, {summary.files} files")
    return OK


def run_conneg(args: argparse.Namespace) -> int:
    from wegokg.publish.negotiation_rules import DeployRulesError, deploy_changes

    repository = workspace(args).repository
    repository.require_checkout("wegokg conneg")
    deploy = repository.root / "deploy"
    try:
        changes = deploy_changes(deploy)
    except DeployRulesError as error:
        raise DataError(str(error)) from None
    except OSError as error:
        raise ToolError(f"cannot update the rules in {deploy}: {error}") from None
    return check_or_rewrite(
        changes,
        changes.get,
        check=args.check,
        verbs=("out of date", "rewrote"),
        advice="in deploy/ are out of date: run 'wegokg conneg'",
    )


def run_diagram(args: argparse.Namespace) -> int:
    from wegokg.publish.diagram import write_diagram

    repository = workspace(args).repository
    repository.require_checkout("wegokg diagram")
    for path in write_diagram(repository, args.output or repository.docs_folder):
        print(path)
    return OK
