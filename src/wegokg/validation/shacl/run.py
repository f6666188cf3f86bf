"""The run of the compiled queries over the pyoxigraph store: all at once, once per target, or
as a candidate query and its FILTER [NOT] EXISTS tests, each run once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from wegokg.validation.shacl.queries import Query
from wegokg.validation.shacl.results import ShaclResult


@dataclass
class CompiledShapes:
    queries: list[Query]

    def run(self, store) -> Iterator[ShaclResult]:
        """Every result, each reported once (the union graph may hold a statement twice)."""
        import pyoxigraph

        seen: set[ShaclResult] = set()
        for query in self.queries:
            if query.tests:
                rows: Iterable = _set_tests(store, query)
            elif query.per_focus is None:
                rows = store.query(query.sparql, use_default_graph_as_union=True)
            else:
                rows = _per_focus(store, query, pyoxigraph.Variable("this"))
            for row in rows:
                for result in query.make(row):
                    if result not in seen:
                        seen.add(result)
                        yield result


def _set_tests(store, query: Query) -> list[dict]:
    """The candidates that pass every test, each test run once over all of them: pyoxigraph
    plans a FILTER [NOT] EXISTS without the focus node bound, so inside the query each test
    would scan the store once per candidate."""
    candidates = [row["this"] for row in store.query(query.sparql, use_default_graph_as_union=True)]
    for negated, test in query.tests:
        found = {row["this"] for row in store.query(test, use_default_graph_as_union=True)}
        candidates = [c for c in candidates if (c in found) != negated]
    return [{"this": c} for c in candidates]


def _per_focus(store, query: Query, this) -> Iterator:
    targets = store.query(query.per_focus, use_default_graph_as_union=True)
    for target in list(targets):
        yield from store.query(
            query.sparql, use_default_graph_as_union=True, substitutions={this: target["this"]}
        )
