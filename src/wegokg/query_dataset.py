"""What dataset every query sees, on every engine: the repository's named graphs, and as the
default graph their SET union (a statement that two sources share is one statement).

A query cannot choose another dataset: ``FROM`` and ``FROM NAMED`` are refused, as is ``SERVICE``
(and the protocol's ``default-graph-uri`` and ``named-graph-uri``), so that no engine fetches a
document or calls a server because a query names one. ``GRAPH <iri> { … }`` reads one source.
"""

from __future__ import annotations

import re

from wegokg.errors import UsageError

FROM_REFUSED = (
    "FROM and FROM NAMED are refused: every query runs over the repository's own dataset, whose "
    "default graph is the union of its named graphs; read one source with GRAPH <iri> { … }"
)
SERVICE_REFUSED = "SERVICE is refused: wegokg runs no federated queries and calls no other server"


class DatasetClauseRefusedError(UsageError, ValueError):
    """A query that names its own dataset (FROM, FROM NAMED)."""


class ServiceRefusedError(UsageError, ValueError):
    """A query that calls another endpoint (SERVICE)."""


# Comments, strings and IRIs, which may contain any word without it being a keyword.
_NOT_CODE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*"
)
# A keyword stands alone: not part of a variable (?from), a prefixed or local name (from:x,
# ex:a.from, ex:from), a blank node label (_:from) or a language tag (@from).
_BEFORE, _AFTER = r"(?<![\w:?$.@\\%-])", r"(?![\w:-])"
_FROM = re.compile(_BEFORE + r"FROM" + _AFTER, re.IGNORECASE)
_SERVICE = re.compile(_BEFORE + r"SERVICE" + _AFTER, re.IGNORECASE)


def code_only(query: str) -> str:
    """The query with comments removed and strings and IRIs blanked, so that keywords are found
    only where they are keywords."""

    def blank(match: re.Match) -> str:
        text = match.group(0)
        return "<>" if text.startswith("<") else '""' if text[0] in "\"'" else ""

    return _NOT_CODE.sub(blank, query)


def check_dataset(query: str) -> None:
    """Refuse a query that would read anything but the repository's dataset (see the module)."""
    code = code_only(query)
    if _SERVICE.search(code):
        raise ServiceRefusedError(SERVICE_REFUSED)
    if _FROM.search(code):
        raise DatasetClauseRefusedError(FROM_REFUSED)
