"""The source index: where each subject is written (file and line), found by a quick scan of
the Turtle text rather than by parsing, for the file and line of every error message."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wegokg.core.file_reading import read_regular_file

if TYPE_CHECKING:
    from wegokg.core.parsing import GraphFile


_SUBJECT_LINE = re.compile(r"^(<[^>]*>|[A-Za-z][\w-]*:[^\s;,]*)")
# The lines that can matter: a prefix declaration or a subject at the start of a line. Most lines
# of a Turtle file are indented, so finding these with one search over the text, rather than
# looking at every line in Python, is what keeps the index quick at 10^6 triples.
_INDEXED_LINE = re.compile(r"^(?:[@Pp][Pp]?[Rr][Ee][Ff][Ii][Xx]|<|[A-Za-z][\w-]*:)", re.MULTILINE)
# Line ends that str.splitlines knows and a search by "\n" does not: such a text is read line
# by line, so that every line number stays what it was.
_OTHER_LINE_ENDS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _subject_lines(text: str) -> Iterable[tuple[str, int]]:
    """(IRI, line number) of every line that starts with a subject, in order."""
    if _OTHER_LINE_ENDS.search(text):
        numbered: Iterable[tuple[int, str]] = enumerate(text.splitlines(), 1)
    else:
        numbered = _candidate_lines(text)
    prefixes: dict[str, str] = {}
    for number, line in numbered:
        if line.startswith("@prefix") or line.upper().startswith("PREFIX"):
            parts = line.split()
            if len(parts) >= 3:
                prefixes[parts[1].rstrip(":")] = parts[2].strip("<>")
            continue
        match = _SUBJECT_LINE.match(line)
        if not match:
            continue
        token = match.group(1)
        if token.startswith("<"):
            yield token[1:-1], number
        else:
            prefix, _, local = token.partition(":")
            if prefix in prefixes:
                yield prefixes[prefix] + local, number


def _candidate_lines(text: str) -> Iterable[tuple[int, str]]:
    """(line number, line) of the lines ``_INDEXED_LINE`` may match; no other line is indexed."""
    number, counted = 1, 0
    for match in _INDEXED_LINE.finditer(text):
        start = match.start()
        number += text.count("\n", counted, start)
        counted = start
        end = text.find("\n", start)
        yield number, text[start : len(text) if end == -1 else end]


@dataclass
class SourceIndex:
    """Where each subject is written: IRI -> [(file, line)], for error messages."""

    locations: dict[str, list[tuple[Path, int]]]
    graph_paths: dict[str, list[Path]]

    @classmethod
    def build(cls, files: Iterable[GraphFile]) -> SourceIndex:
        locations: dict[str, list[tuple[Path, int]]] = {}
        graph_paths: dict[str, list[Path]] = {}
        for item in files:
            graph_paths.setdefault(str(item.graph), []).append(item.path)
            text = read_regular_file(item.path).decode("utf-8", errors="replace")
            for iri, number in _subject_lines(text):
                locations.setdefault(iri, []).append((item.path, number))
        return cls(locations, graph_paths)

    def locate(self, iri: str, graph: str | None = None) -> tuple[Path, int] | None:
        """The first place the subject is written, preferring the file of ``graph``."""
        places = self.locations.get(iri, [])
        if graph is not None:
            paths = self.graph_paths.get(graph, [])
            for place in places:
                if place[0] in paths:
                    return place
        return places[0] if places else None
