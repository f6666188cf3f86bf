"""``wegokg reconcile FILE --column NAME``: reconcile a column of a CSV or TSV file against the
graph without OpenRefine, by the same service ``/reconcile`` answers with.

Beside the chosen column it adds ``wegokg_iri``, ``wegokg_label``, ``score`` and ``match``, then
one column per extended property and one with each value's source. Every other column and row is
kept as it was. Only an unambiguous exact name fills ``wegokg_iri``: an ambiguous or unknown name
is marked in ``match`` and never guessed. The file's encoding (UTF-8, with Excel's byte-order mark
if it had one), delimiter and line endings are kept; the input is never written to.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from wegokg.core.atomic_publish import write_file
from wegokg.core.errors import ToolError, UsageError
from wegokg.core.namespaces import shorten
from wegokg.query.matching import script_language
from wegokg.server.reconcile.facts import BY_ID, GROUPS, SOURCE_SUFFIX, expand
from wegokg.server.reconcile.requests import Query
from wegokg.server.reconcile.service import ReconcileService

ADDED = ("wegokg_iri", "wegokg_label", "score", "match")
MATCHED, AMBIGUOUS, UNMATCHED = "matched", "ambiguous", "unmatched"
JOIN = " | "  # between the values of one cell, in the same order as in its source column


@dataclass
class Table:
    """A delimited text file as read: header, rows, and how to write it back the same way."""

    header: list[str]
    rows: list[list[str]]
    delimiter: str
    bom: bool
    newline: str


@dataclass
class Summary:
    rows: int = 0
    counts: Counter = field(default_factory=Counter)

    def line(self) -> str:
        parts = [f"{self.counts[k]} {k}" for k in (MATCHED, AMBIGUOUS, UNMATCHED)]
        if self.counts["empty"]:
            parts.append(f"{self.counts['empty']} empty")
        return f"{self.rows} rows: " + ", ".join(parts)


def read_table(path: Path) -> Table:
    """A CSV or TSV file (TSV by its .tsv/.tab suffix or by tabs and no commas in its header)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ToolError(f"cannot read {path}: {error.strerror or error}") from None
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{path} is not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start}): "
            "save it as UTF-8 CSV"
        ) from None
    first = text.split("\n", 1)[0]
    if path.suffix.lower() in (".tsv", ".tab") or ("\t" in first and "," not in first):
        delimiter = "\t"
    else:
        delimiter = ","
    newline = "\r\n" if "\r\n" in text else "\n"
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise UsageError(f"{path} is not a readable CSV file: {error}") from None
    if not records:
        raise UsageError(f"{path} is empty: it needs a header row naming its columns")
    return Table(records[0], records[1:], delimiter, bom, newline)


def reconcile_table(
    table: Table,
    column: str,
    service: ReconcileService,
    type_name: str | None = None,
    extend: list[str] | None = None,
) -> tuple[Table, Summary]:
    """The table with the reconciliation columns (and extended ones) right after ``column``."""
    if column not in table.header:
        raise UsageError(
            f"no column {column!r}; the columns are: {', '.join(repr(h) for h in table.header)}"
        )
    try:
        properties = expand(extend or [])
    except KeyError as error:
        known = ", ".join([*GROUPS, *(p for p in BY_ID if p not in GROUPS)])
        raise UsageError(f"--extend {error.args[0]!r} is not a property; known: {known}") from None
    added = [*ADDED, *(p + s for p in properties for s in ("", SOURCE_SUFFIX))]
    clash = [name for name in added if name in table.header]
    if clash:
        raise UsageError(
            f"the file already has the column(s) {', '.join(clash)}: was it reconciled before? "
            "Reconcile the original file"
        )
    types = (service.index.resolve_type(type_name),) if type_name else ()
    index = table.header.index(column)
    at = index + 1
    summary = Summary(rows=len(table.rows))
    rows = []
    for row in table.rows:
        name = row[index] if len(row) > index else ""
        cells = _cells(service, name.strip(), types, properties, summary)
        padded = row + [""] * (at - len(row)) if len(row) < at else row
        rows.append(padded[:at] + cells + padded[at:])
    header = table.header[:at] + added + table.header[at:]
    return Table(header, rows, table.delimiter, table.bom, table.newline), summary


def _cells(service, name: str, types, properties: list[str], summary: Summary) -> list[str]:
    blank = [""] * (2 * len(properties))
    if not name:
        summary.counts["empty"] += 1
        return ["", "", "", ""] + blank
    candidates = service.candidates(Query(name, types, limit=5))
    exact = [c for c in candidates if c.score == 100]
    if len(exact) == 1:
        summary.counts[MATCHED] += 1
        [found] = exact
        lang = script_language(name)
        extension = service.extend(
            {"ids": [found.iri], "properties": [{"id": p} for p in _with_sources(properties)]},
            lang=lang,
        )["rows"][found.iri]
        values = []
        for prop in properties:
            values.append(JOIN.join(_text(v) for v in extension[prop]))
            values.append(JOIN.join(v["id"] for v in extension[prop + SOURCE_SUFFIX]))
        return [found.iri, found.name, _score(found.score), MATCHED, *values]
    if exact:
        summary.counts[AMBIGUOUS] += 1
        listed = JOIN.join(f"{shorten(c.iri)} ({c.name})" for c in exact)
        return ["", "", _score(100.0), f"{AMBIGUOUS}: {listed}", *blank]
    summary.counts[UNMATCHED] += 1
    if candidates:
        best = candidates[0]
        note = f"{UNMATCHED}: nearest {shorten(best.iri)} ({best.name})"
        return ["", "", _score(best.score), note, *blank]
    return ["", "", "", UNMATCHED, *blank]


def _with_sources(properties: list[str]) -> list[str]:
    return [p + s for p in properties for s in ("", SOURCE_SUFFIX)]


def _text(value: dict) -> str:
    for key in ("name", "str", "int", "float", "date"):
        if key in value:
            return str(value[key])
    return ""


def _score(score: float) -> str:
    return f"{score:g}"


def render_table(table: Table) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=table.delimiter, lineterminator=table.newline)
    writer.writerows([table.header, *table.rows])
    return out.getvalue()


def write_table(table: Table, output: Path, source: Path) -> None:
    """Write ``table`` to ``output`` whole or not at all (a temporary file, then a rename);
    never over the input."""
    if output.resolve() == source.resolve():
        raise UsageError(f"-o {output} is the input file: write the result to another file")
    data = ("\ufeff" if table.bom else "") + render_table(table)
    try:
        write_file(output, data.encode("utf-8"))
    except OSError as error:
        raise ToolError(f"cannot write {output}: {error.strerror or error}") from None


def reconcile_file(
    path: Path,
    column: str,
    service: ReconcileService,
    type_name: str | None = None,
    extend: list[str] | None = None,
    output: Path | None = None,
) -> tuple[str | None, Summary]:
    """Reconcile a file: written to ``output`` (and None returned), or returned as text."""
    table, summary = reconcile_table(read_table(path), column, service, type_name, extend)
    if output is None:
        return render_table(table), summary
    write_table(table, output, path)
    return None, summary
