"""Stored SPARQL files: a header of ``# key: value`` comments, then the query.

A value may go on over indented comment lines (``#   more``). Both the query catalog in queries/
and the quality checks in shapes/checks/ are stored this way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from wegokg.core.errors import LocatedDataError, LocatedToolError, ToolError

_KEY = re.compile(r"^#\s*([A-Za-z][\w-]*)\s*:\s?(.*)$")
_MORE = re.compile(r"^#\s{2,}(\S.*)$")


class QueryFileError(LocatedDataError, ValueError):
    """A stored query whose header cannot be read. ``str()`` reads ``path:line: message``."""


class UnusableQueryError(LocatedToolError, QueryFileError):
    """A stored query that cannot run at all (it does not parse, it is nested too deeply, it is
    not a SELECT or ASK, it reads outside the dataset): like unusable shapes, the tool's input is
    broken, not the data (exit 3)."""


@dataclass(frozen=True)
class QueryFile:
    """One stored query: its name (the file stem), its header entries and its text."""

    name: str
    path: Path
    text: str
    header: tuple[tuple[str, str, int], ...]  # (key, value, line), in file order

    def get(self, key: str, default: str | None = None) -> str | None:
        """The value of the first header entry named ``key``."""
        for k, value, _ in self.header:
            if k == key:
                return value
        return default

    def all(self, key: str) -> list[tuple[str, int]]:
        """Every (value, line) of the header entries named ``key``."""
        return [(value, line) for k, value, line in self.header if k == key]


# The largest query read from a file or standard input: the server's limit for a request's query.
MAX_QUERY_FILE_BYTES = 1_000_000
BYTE_ORDER_MARK = "\ufeff"


class QueryTextError(ToolError, ValueError):
    """A query file (``sparql -f``) that cannot be used: not a regular file, too large, not
    UTF-8."""


def read_query_text(path: Path | str) -> str:
    """The text of a query file given on the command line, or of standard input for ``-``.

    Only a regular file or standard input is read, never more than MAX_QUERY_FILE_BYTES (so
    /dev/zero or a pipe cannot exhaust memory or block), and a byte-order mark at the start is
    dropped."""
    import sys

    from wegokg.core.file_reading import UnreadableFileError, read_regular_file

    if str(path) == "-":
        raw = sys.stdin.buffer.read(MAX_QUERY_FILE_BYTES + 1)
        if len(raw) > MAX_QUERY_FILE_BYTES:
            raise QueryTextError(
                f"the query on standard input is over the {MAX_QUERY_FILE_BYTES} bytes size limit"
            )
    else:
        try:
            raw = read_regular_file(Path(path), MAX_QUERY_FILE_BYTES)
        except UnreadableFileError as error:
            raise QueryTextError(f"cannot read the query from {path}: {error.message}") from None
    try:
        return raw.decode("utf-8").removeprefix(BYTE_ORDER_MARK)
    except UnicodeDecodeError as error:
        where = "standard input" if str(path) == "-" else str(path)
        raise QueryTextError(
            f"cannot read the query from {where}: byte {error.start} is not UTF-8; save it as UTF-8"
        ) from None


def read_query_file(path: Path) -> QueryFile:
    """Read a stored query and its header; a byte-order mark at the start is dropped."""
    from wegokg.core.file_reading import read_utf8

    text = read_utf8(path).removeprefix(BYTE_ORDER_MARK)
    header: list[list] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        if (more := _MORE.match(line)) and header:
            header[-1][1] += " " + more.group(1).strip()
        elif key := _KEY.match(line):
            header.append([key.group(1), key.group(2).strip(), number])
        elif line.strip("# "):
            raise QueryFileError(path, number, "a header line must read '# key: value'")
    return QueryFile(path.stem, path, text, tuple((k, v, n) for k, v, n in header))
