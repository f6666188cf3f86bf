"""The checker for the stored queries of queries/: each one must read as the catalog reads it."""

from __future__ import annotations

from collections.abc import Iterator

from wegokg.core.queryfile import QueryFileError
from wegokg.query.catalog import read_stored_query
from wegokg.validation.context import ValidationContext, relative
from wegokg.validation.report import Violation


class QueryChecker:
    """The checker for the stored queries of queries/: each one must read as the catalog reads
    it (a complete header, parameters it uses, a SELECT or ASK that parses)."""

    name = "queries"
    severity = "ERROR"
    reads = "files"
    help = (
        "Every stored query of queries/ is a SELECT or an ASK that parses, over the repository's "
        "own dataset, with a complete header; a query that cannot run is refused by `query run` "
        "and by `site`. Fix: correct it at the line shown; `wegokg sparql -f FILE` runs it."
    )

    def check(self, context: ValidationContext) -> Iterator[Violation]:
        for path in context.repository.query_files():
            try:
                read_stored_query(path)
            except QueryFileError as error:
                yield Violation(
                    file=relative(path),
                    line=error.line or 1,
                    focus_node=path.stem,
                    severity=self.severity,
                    check=self.name,
                    shape=path.stem,
                    message=error.message,
                )
