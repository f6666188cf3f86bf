"""What dataset every query sees, on every engine: the repository's named graphs, and as the
default graph their SET union (a statement that two sources share is one statement).

A query cannot choose another dataset: ``FROM`` and ``FROM NAMED`` are refused, as is ``SERVICE``
(and the protocol's ``default-graph-uri`` and ``named-graph-uri``), so that no engine fetches a
document or calls a server because a query names one. ``GRAPH <iri> { … }`` reads one source.
"""

from __future__ import annotations

from wegokg.core.errors import UsageError
from wegokg.core.sparql_text import keywords

FROM_REFUSED = (
    "FROM and FROM NAMED are refused: every query runs over the repository's own dataset, whose "
    "default graph is the union of its named graphs; read one source with GRAPH <iri> { … }"
)
SERVICE_REFUSED = "SERVICE is refused: wegokg runs no federated queries and calls no other server"


class DatasetClauseRefusedError(UsageError, ValueError):
    """A query that names its own dataset (FROM, FROM NAMED)."""


class ServiceRefusedError(UsageError, ValueError):
    """A query that calls another endpoint (SERVICE)."""


def check_dataset(query: str) -> None:
    """Refuse a query that would read anything but the repository's dataset (see the module)."""
    words = keywords(query)
    if "SERVICE" in words:
        raise ServiceRefusedError(SERVICE_REFUSED)
    if "FROM" in words:
        raise DatasetClauseRefusedError(FROM_REFUSED)
