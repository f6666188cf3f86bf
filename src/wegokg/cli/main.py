"""The ``wegokg`` command: the parser, and errors mapped to exit codes, here and nowhere else.

Each group of commands lives in a module of its own (validation_commands, query_commands,
publish_commands, curate_commands), which adds its parsers and holds its handlers; a handler
parses, calls one method of the run's ``Workspace`` (or one library function) and prints. Exit
codes (see ``wegokg.core.errors``): 0 ok, 1 invalid data or a failed check, 2 a usage error, 3
the tool could not run. Imports are lazy so that ``wegokg --help`` loads neither rdflib nor
pyshacl, and a query never loads pyshacl.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from wegokg.cli import curate_commands, publish_commands, query_commands, validation_commands
from wegokg.core.errors import CANNOT_RUN, OK, USAGE, WegokgError

# The groups of commands, each adding its own parsers.
COMMAND_GROUPS = (validation_commands, query_commands, publish_commands, curate_commands)

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
    try:
        return args.run(args)
    except WegokgError as error:
        report = getattr(error, "report", None)  # the data did not validate: show why first
        if report is not None:
            print(report.to_text(), file=sys.stderr)
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
    for group in COMMAND_GROUPS:
        group.add_commands(commands)
    return parser


class _VersionAction(argparse.Action):
    """--version, with the version read only when asked for (importlib.metadata is slow to load,
    and every command builds the parser)."""

    def __init__(self, option_strings, dest, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from wegokg.core.repository import package_version

        print(f"{parser.prog} {package_version()}")
        parser.exit()


if __name__ == "__main__":
    sys.exit(main())
