"""The run of the compiled queries over the pyoxigraph store: all at once, once per target, or
as a candidate query and its FILTER [NOT] EXISTS tests, each run once.

The queries are independent, and pyoxigraph lets go of Python's lock while it evaluates one, so
they run on a few threads (one per core, at most ``WORKERS``); their results are reported in the
order of the queries, as one thread would give them."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from wegokg.validation.shacl.queries import Query
from wegokg.validation.shacl.results import ShaclResult

WORKERS = 4


@dataclass
class CompiledShapes:
    queries: list[Query]

    def run(self, store) -> Iterator[ShaclResult]:
        """Every result, each reported once (the union graph may hold a statement twice)."""
        seen: set[ShaclResult] = set()
        workers = max(1, min(WORKERS, _cores(), len(self.queries)))
        with ThreadPoolExecutor(workers, thread_name_prefix="shacl") as pool:
            futures = [pool.submit(_results, store, query) for query in self.queries]
            for future in futures:
                for result in future.result():
                    if result not in seen:
                        seen.add(result)
                        yield result


def _cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _results(store, query: Query) -> list[ShaclResult]:
    """The results of one query, on a worker thread. pyoxigraph's query solutions must be dropped
    on the thread that made them: an error leaves here without its traceback, whose frames hold
    them and would otherwise be collected later on another thread."""
    try:
        return _evaluate(store, query)
    except Exception as error:
        failure = error
    cause: BaseException | None = failure
    while cause is not None:
        cause.__traceback__ = None
        cause = cause.__cause__ or cause.__context__
    raise failure


def _evaluate(store, query: Query) -> list[ShaclResult]:
    import pyoxigraph

    if query.tests:
        rows: Iterable = _set_tests(store, query)
    elif query.per_focus is None:
        rows = store.query(query.sparql, use_default_graph_as_union=True)
    else:
        rows = _per_focus(store, query, pyoxigraph.Variable("this"))
    return [result for row in rows for result in query.make(row)]


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
