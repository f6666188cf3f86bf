"""Stored SPARQL files: a header of ``# key: value`` comments, then the query.

A value may go on over indented comment lines (``#   more``). Both the query catalog in queries/
and the quality checks in shapes/checks/ are stored this way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from wegokg.errors import LocatedDataError

_KEY = re.compile(r"^#\s*([A-Za-z][\w-]*)\s*:\s?(.*)$")
_MORE = re.compile(r"^#\s{2,}(\S.*)$")


class QueryFileError(LocatedDataError, ValueError):
    """A stored query whose header cannot be read. ``str()`` reads ``path:line: message``."""


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


def read_query_file(path: Path) -> QueryFile:
    """Read a stored query and its header."""
    from wegokg.repository import read_utf8

    text = read_utf8(path)
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
