"""The errors wegokg raises, in one family, and the exit code each one means.

Like pySHACL's ``errors.py``: every error the toolkit raises on purpose is a ``WegokgError``, and
the command line maps it to an exit code in one place (``wegokg.cli.main.main``):

- 0: ok;
- 1: the data is invalid or a check failed (``DataError``);
- 2: the command was called wrongly (``UsageError``);
- 3: the tool could not run: unusable shapes, an endpoint that is down, an unreadable file
  (``ToolError``).

A ``LocatedError`` also says where: ``str()`` reads ``path:line: message``.
"""

from __future__ import annotations

from pathlib import Path

OK, INVALID, USAGE, CANNOT_RUN = 0, 1, 2, 3


class WegokgError(Exception):
    """Any error wegokg raises on purpose; ``exit_code`` is what the command line exits with."""

    exit_code = CANNOT_RUN


class DataError(WegokgError):
    """The data is invalid, or a check of it failed."""

    exit_code = INVALID


class UsageError(WegokgError):
    """The command or function was called wrongly: a bad option, parameter or name."""

    exit_code = USAGE


class ToolError(WegokgError):
    """The tool could not run: a missing program, an endpoint that is down, an unreadable file."""

    exit_code = CANNOT_RUN


class LocatedError(WegokgError):
    """An error at a place in a file. ``str()`` reads ``path:line: message``."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        # Whole, with its place, when a worker process passes it on (wegokg.validation.run).
        return type(self), (self.path, self.line, self.message)


class LocatedDataError(LocatedError, DataError):
    """Bad data at a place in a file: a Turtle syntax error, a broken stored query."""


class LocatedToolError(LocatedError, ToolError):
    """A file the tool cannot use at all: unreadable, or not UTF-8."""


class RepositoryError(ToolError):
    """No usable dataset: the folder is not a complete wegokg repository."""
