"""The requests of the reconciliation API (spec sections 4.1 and 5.1), read and checked: a
batch of queries, and a data extension request, each refused in one line when malformed or
too large."""

from __future__ import annotations

import json
from dataclasses import dataclass

from wegokg.core.errors import UsageError
from wegokg.server.reconcile.facts import BY_ID, PROPERTIES, SOURCE_SUFFIX

MAX_QUERIES = 1000  # per batch
MAX_LIMIT = 100  # candidates per query
MAX_IDS = 1000  # resources per extension request
MAX_QUERY_LENGTH = 500  # characters of one name: fuzzy scoring grows with it


class ReconcileRequestError(UsageError):
    """A request the service cannot answer: malformed JSON, too many queries, an unknown type."""


@dataclass(frozen=True)
class Query:
    """One query of a batch (spec 4.1)."""

    query: str
    types: tuple[str, ...] = ()
    limit: int = 10
    properties: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (pid, values: IRIs or texts)


def parse_batch(batch: str | dict) -> dict[str, Query]:
    document = _json(batch, "queries")
    if not isinstance(document, dict):
        raise ReconcileRequestError("queries must be a JSON object of keyed queries")
    if len(document) > MAX_QUERIES:
        raise ReconcileRequestError(
            f"a batch holds at most {MAX_QUERIES} queries, not {len(document)}"
        )
    queries = {}
    for key, item in document.items():
        if not isinstance(item, dict) or not isinstance(item.get("query"), str):
            raise ReconcileRequestError(f"query {key!r} needs a 'query' string")
        if len(item["query"]) > MAX_QUERY_LENGTH:
            raise ReconcileRequestError(
                f"query {key!r} is {len(item['query'])} characters long; a name has at most "
                f"{MAX_QUERY_LENGTH}"
            )
        types = item.get("type") or ()
        types = (types,) if isinstance(types, str) else tuple(str(t) for t in types)
        limit = item.get("limit", 10)
        if not isinstance(limit, int | float) or limit < 0:
            raise ReconcileRequestError(f"query {key!r}: limit must be a number of candidates")
        properties = []
        for prop in item.get("properties") or ():
            if not isinstance(prop, dict) or not isinstance(prop.get("pid"), str):
                raise ReconcileRequestError(f"query {key!r}: each property needs a 'pid'")
            values = prop.get("v")
            values = values if isinstance(values, list) else [values]
            texts = tuple(
                str(v["id"]) if isinstance(v, dict) and "id" in v else str(v)
                for v in values
                if v is not None
            )
            properties.append((prop["pid"], texts))
        queries[str(key)] = Query(
            item["query"], types, min(int(limit), MAX_LIMIT), tuple(properties)
        )
    return queries


def parse_extension(request: str | dict) -> tuple[list[str], list[str]]:
    document = _json(request, "extend")
    if not isinstance(document, dict):
        raise ReconcileRequestError("extend must be a JSON object with ids and properties")
    ids, props = document.get("ids"), document.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ReconcileRequestError("extend needs 'ids', a list of identifiers")
    if len(ids) > MAX_IDS:
        raise ReconcileRequestError(f"extend takes at most {MAX_IDS} ids at once, not {len(ids)}")
    if not isinstance(props, list) or not all(isinstance(p, dict) and "id" in p for p in props):
        raise ReconcileRequestError("extend needs 'properties', a list of objects with an 'id'")
    wanted = [str(p["id"]) for p in props]
    unknown = [p for p in wanted if p.removesuffix(SOURCE_SUFFIX) not in BY_ID]
    if unknown:
        known = ", ".join(p.id for p in PROPERTIES)
        raise ReconcileRequestError(f"unknown properties {', '.join(unknown)}; known: {known}")
    return ids, wanted


def _json(value: str | dict, name: str) -> object:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError as error:
        raise ReconcileRequestError(f"{name} is not JSON: {error}") from None
    except RecursionError:
        raise ReconcileRequestError(f"{name} is nested too deeply") from None
