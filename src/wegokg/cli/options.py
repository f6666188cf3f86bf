"""What every command shares: the argparse types of numbers and URLs, the common options, notices
on stderr, and the run's ``Workspace``, made once per run when a command first needs it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path


def say(message: str) -> None:
    """A notice on stderr, while a command is running."""
    print(f"wegokg: {message}", file=sys.stderr, flush=True)


def workspace(args: argparse.Namespace):
    """The run's Workspace, over the repository found once: --root, $WEGOKG_ROOT, the checkout
    around the current folder, or the bundled dataset (said on stderr, since the user did not
    choose it). It is kept on ``args``, so that nothing outlives the run."""
    found = getattr(args, "workspace", None)
    if found is None:
        from wegokg.service.workspace import Workspace

        verbose = getattr(args, "verbose", False)
        found = Workspace(getattr(args, "root", None), notice=say, verbose=verbose)
        if found.repository.origin == "bundled" or verbose:
            say(f"dataset: {found.repository.label}")
        _report_progress(found.repository)
        args.workspace = found
    return found


def _report_progress(repository) -> None:
    """Progress on stderr on a terminal, and in logs for data large enough that steps take a
    while; a small repository's runs stay quiet (one-line errors stay one line)."""
    from wegokg.core import progress
    from wegokg.query.engines import AUTO_OXIGRAPH_BYTES

    if sys.stderr.isatty() or repository.texts_size() > AUTO_OXIGRAPH_BYTES:
        progress.enable()


def check_or_rewrite(
    paths: Iterable[Path],
    canonical: Callable[[Path], str | None],
    *,
    check: bool,
    verbs: tuple[str, str],
    advice: str,
) -> int:
    """The loop of every command that keeps generated or canonical files up to date (``fmt``,
    ``conneg``). ``canonical(path)`` is the text the file should hold, or None if it holds it.
    With ``check``, each file that is not up to date is listed after ``verbs[0]`` and the run
    fails (exit 1, ``N file(s) {advice}``); without, each is rewritten in one step (through a
    symbolic link, keeping its mode: wegokg.core.atomic_publish.write_file) and listed after
    ``verbs[1]``. A file that cannot be read or written is a one-line error naming it (exit 3)."""
    from wegokg.core.atomic_publish import write_file
    from wegokg.core.errors import OK, DataError, ToolError

    changed = []
    for path in paths:
        try:
            text = canonical(path)
            if text is not None and not check:
                write_file(path, text.encode("utf-8"))
        except OSError as error:
            raise ToolError(f"{path}: {error}") from None
        if text is not None:
            changed.append(path)
    for path in changed:
        print(f"{verbs[0] if check else verbs[1]} {path}")
    if check and changed:
        raise DataError(f"{len(changed)} file(s) {advice}")
    return OK


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


def positive_int(text: str) -> int:
    return positive_number(text, whole=True)


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
        type=positive_int,
        default=DEFAULT_MAX_MEMORY_MB,
        metavar="MB",
        help="stop a query that needs more than this many megabytes beyond the loaded data "
        f"({DEFAULT_MAX_MEMORY_MB})",
    )


def help_of(parser: argparse.ArgumentParser):
    """A handler that prints ``parser``'s help (a command group given no action): exit 2."""

    def run(args: argparse.Namespace) -> int:
        from wegokg.core.errors import USAGE

        parser.print_help()
        return USAGE

    return run
