"""Write query results: the W3C SPARQL 1.1 JSON, XML, CSV and TSV results formats, and a table for
reading in a terminal with names in Korean or English; ASK answers as true or false; and the graphs
of CONSTRUCT and DESCRIBE as Turtle, N-Triples or JSON-LD (with its context inline).
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from typing import TYPE_CHECKING

import pyoxigraph

from wegokg.core.namespaces import PREFIXES, shorten
from wegokg.query.engines import Answer, QueryEngine, Results, Term
from wegokg.query.formats import GRAPH_FORMATS, RESULT_FORMATS  # noqa: F401 (GRAPH_FORMATS: re-exported)

if TYPE_CHECKING:
    from rdflib import Graph

FORMATS = RESULT_FORMATS
SPARQL_RESULTS_XML = "http://www.w3.org/2005/sparql-results#"


def solutions_of(results: Results):
    """The rows as pyoxigraph's ``QuerySolutions``, which its serializers write. They are read
    from the rows' TSV (each term in N-Triples syntax, as pyoxigraph writes it, one line a row),
    pyoxigraph's parser doing the reading."""
    lines = ["\t".join(f"?{v}" for v in results.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in results.rows]
    return pyoxigraph.parse_query_results(
        "\n".join(lines) + "\n", pyoxigraph.QueryResultsFormat.TSV
    )


def serialize(answer, fmt: str) -> bytes:
    """pyoxigraph's ``QuerySolutions`` or ``QueryBoolean`` in a SPARQL results format (json,
    xml, csv or tsv), written by pyoxigraph: the W3C formats, byte for byte what it writes."""
    import pyoxigraph

    formats = pyoxigraph.QueryResultsFormat
    chosen = {"json": formats.JSON, "xml": formats.XML, "csv": formats.CSV, "tsv": formats.TSV}
    written = answer.serialize(format=chosen[fmt])
    if fmt == "xml":
        # XML 1.0 cannot carry most control characters at all, even escaped, and pyoxigraph
        # writes them as they are; a literal holding one would make the whole document
        # unreadable, so it shows as U+FFFD instead. (No byte of another UTF-8 character
        # matches these.)
        written = _XML_FORBIDDEN.sub("\ufffd".encode(), written)
    return written


_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]|\ufffe|\uffff".encode())


def first_rows(solutions, max_rows: int):
    """(the first ``max_rows`` of pyoxigraph's ``QuerySolutions``, as ``QuerySolutions``; whether
    there were more). pyoxigraph writes them as TSV, one line a row, and the writing is stopped
    once a row past the cap arrives, so a huge answer costs no more than ``max_rows`` rows."""
    import pyoxigraph

    kept = _Lines(max_rows + 1)  # the header and the rows
    with contextlib.suppress(_Enough):
        solutions.serialize(kept, pyoxigraph.QueryResultsFormat.TSV)
    tsv = b"".join(kept.parts)
    return pyoxigraph.parse_query_results(tsv, pyoxigraph.QueryResultsFormat.TSV), kept.more


class _Enough(Exception):
    pass


class _Lines:
    """A binary sink that keeps the first ``wanted`` lines and stops the writer after them."""

    def __init__(self, wanted: int) -> None:
        self.left, self.parts, self.more = wanted, [], False

    def write(self, data: bytes) -> int:
        data = bytes(data)
        if self.left <= 0:
            self.more = bool(data)
            raise _Enough
        position = 0
        while self.left > 0 and (end := data.find(b"\n", position)) >= 0:
            position, self.left = end + 1, self.left - 1
        if self.left > 0:
            self.parts.append(data)
            return len(data)
        self.parts.append(data[:position])
        self.more = position < len(data)
        if self.more:
            raise _Enough
        return len(data)

    def flush(self) -> None:
        pass


def to_json(results: Results) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    return serialize(solutions_of(results), "json").decode()


def to_csv(results: Results) -> str:
    """SPARQL 1.1 Query Results CSV Format: plain values, CRLF line ends."""
    return serialize(solutions_of(results), "csv").decode()


def to_tsv(results: Results) -> str:
    """SPARQL 1.1 Query Results TSV Format: terms in Turtle syntax."""
    return serialize(solutions_of(results), "tsv").decode()


def to_xml(results: Results) -> str:
    """SPARQL Query Results XML Format (second edition)."""
    return serialize(solutions_of(results), "xml").decode()


def boolean_to(value: bool, fmt: str) -> str:
    """An ASK answer in a SPARQL results format, as pyoxigraph writes it (CSV and TSV, which
    the W3C leaves undefined for ASK, as the bare word true or false)."""
    import pyoxigraph

    document = '{"head":{},"boolean":%s}' % ("true" if value else "false")
    answer = pyoxigraph.parse_query_results(document, pyoxigraph.QueryResultsFormat.JSON)
    return serialize(answer, fmt).decode()


def to_table(
    results: Results,
    labels: dict[str, str] | None = None,
    max_width: int = 60,
    columns: int | None = None,
) -> str:
    """A plain-text table. IRIs show as their label (from ``labels``) or as a prefixed name.
    Text cells wider than ``max_width`` columns are cut with an ellipsis (csv and json keep all).
    With ``columns`` (the terminal's width) the widest text columns are narrowed until a line
    fits, down to ``MIN_COLUMN``; then the columns of IRIs, which are wrapped onto more lines
    and never cut (two cut IRIs could look the same)."""
    labels = labels or {}
    header = list(results.variables)
    cells = [[_cell(t, labels) for t in row] for row in results.rows]
    widths, whole = [], []
    for j, name in enumerate(header):
        column = [row[j] for row in cells]
        whole.append(any(not cuttable for _, cuttable in column))
        shown = [_width(text) if not cuttable else min(_width(text), max_width)
                 for text, cuttable in column]  # fmt: skip
        widths.append(max([_width(name), *shown]))
    if columns is not None:
        room = columns - 2 * (len(header) - 1)
        for narrowing in (False, True):  # text columns first, then the IRI columns
            while sum(widths) > room:
                shrinkable = [
                    j
                    for j, w in enumerate(widths)
                    if whole[j] == narrowing and w > max(MIN_COLUMN, _width(header[j]))
                ]
                if not shrinkable:
                    break
                widths[max(shrinkable, key=lambda j: widths[j])] -= 1
    lines = [_line(header, widths), "  ".join("-" * w for w in widths)]
    for row in cells:
        parts = [
            _wrap(text, widths[j]) if not cuttable else [_cut(text, widths[j])]
            for j, (text, cuttable) in enumerate(row)
        ]
        for k in range(max(len(p) for p in parts) if parts else 1):
            lines.append(_line([p[k] if k < len(p) else "" for p in parts], widths))
    count = len(cells)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


MIN_COLUMN = 12  # a text column is narrowed to fit the terminal, but not below this


def render(
    results: Results, fmt: str, labels: dict[str, str] | None = None, columns: int | None = None
) -> str:
    if fmt in ("json", "csv", "tsv", "xml"):
        return _ended(serialize(solutions_of(results), fmt).decode())
    return to_table(results, labels, columns=columns)


def _ended(text: str) -> str:
    """pyoxigraph ends JSON and XML without a line end; a terminal wants one."""
    return text if text.endswith("\n") else text + "\n"


def ask_to_text(answer: bool, fmt: str) -> str:
    """An ASK answer: the word true or false in a table, else as ``boolean_to`` writes it."""
    if fmt == "table":
        return ("true" if answer else "false") + "\n"
    return _ended(boolean_to(answer, fmt))


def graph_to_text(graph: Graph, fmt: str) -> str:
    """A CONSTRUCT or DESCRIBE graph, sorted, with the project's prefixes."""
    from rdflib import Graph

    if fmt == "ntriples":
        from wegokg.core.terms import ntriples_lines

        return "".join(f"{line.decode('utf-8')}\n" for line in ntriples_lines(graph))
    bound = Graph()
    for prefix, namespace in PREFIXES.items():
        bound.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(graph):
        bound.add(triple)
    if fmt == "jsonld":
        # The context is written inline: nothing is ever fetched to read or write this JSON-LD.
        raw = bound.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
        import json  # here: the table, the default, does not need it

        return json.dumps(json.loads(raw), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return bound.serialize(format="turtle")


def render_answer(
    answer: Answer, fmt: str, labels: dict[str, str] | None = None, columns: int | None = None
) -> str:
    """Any query's answer in the chosen format (checked by the caller against its kind)."""
    if isinstance(answer, bool):
        return ask_to_text(answer, fmt)
    if not isinstance(answer, Results):  # an rdflib Graph
        return graph_to_text(answer, fmt)
    return render(answer, fmt, labels, columns)


def iris_in(results: Results) -> list[str]:
    """Every IRI in the results, for looking up labels."""
    return sorted({t.value for row in results.rows for t in row if type(t) is pyoxigraph.NamedNode})


def _display(term: Term | None, labels: dict[str, str]) -> str:
    if term is None:
        return ""
    if type(term) is pyoxigraph.NamedNode:
        return labels.get(term.value) or shorten(term.value)
    if type(term) is pyoxigraph.Literal:
        return " ".join(term.value.split())
    return str(term)  # a blank node: _:label


def _cell(term: Term | None, labels: dict[str, str]) -> tuple[str, bool]:
    """The text of a cell, and whether it may be cut (an IRI without a label may not)."""
    text = _display(term, labels)
    return text, not (type(term) is pyoxigraph.NamedNode and term.value not in labels)


def terminal_columns() -> int | None:
    """The width to fit tables to: $COLUMNS, else the terminal's; None when the output goes to
    a file or a pipe (scripts get whole lines)."""
    import os
    import sys

    given = os.environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        if sys.stdout.isatty():
            import shutil

            return shutil.get_terminal_size().columns
    except (AttributeError, ValueError, OSError):
        pass
    return None


def _wrap(text: str, width: int) -> list[str]:
    """The text in pieces of at most ``width`` columns, nothing left out."""
    pieces, piece, used = [], "", 0
    for ch in text:
        columns = _columns(ch)
        if piece and used + columns > width:
            pieces.append(piece)
            piece, used = "", 0
        piece, used = piece + ch, used + columns
    return [*pieces, piece]


def _cut(text: str, max_width: int) -> str:
    if _width(text) <= max_width:
        return text
    kept, used = [], 0
    for ch in text:
        used += _columns(ch)
        if used > max_width - 1:
            break
        kept.append(ch)
    return "".join(kept) + "…"


def _width(text: str) -> int:
    """Columns the text takes in a terminal: Korean and other wide characters take two."""
    return sum(map(_columns, text))


def _columns(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        cell + " " * (width - _width(cell)) for cell, width in zip(cells, widths, strict=True)
    )


def lookup_labels(engine: QueryEngine, iris: list[str], lang: str) -> dict[str, str]:
    """rdfs:label of each IRI in ``lang``, asked of the same engine that ran the query."""
    if not iris:
        return {}
    values = " ".join(f"<{iri}>" for iri in iris)
    query = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f"SELECT ?s ?label WHERE {{ VALUES ?s {{ {values} }} ?s rdfs:label ?label . "
        f'FILTER (LANG(?label) = "{lang}") }}'
    )
    return {row["s"].value: row["label"].value for row in engine.select(query).as_dicts()}
