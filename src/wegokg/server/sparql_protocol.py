"""The SPARQL 1.1 Protocol, as this read-only server speaks it: reading a query out of a GET or
POST request, choosing the answer's format from the Accept header, refusing updates and remote
SERVICE calls, and describing the service (SPARQL 1.1 Service Description).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from wegokg.core.sparql_text import QueryTooDeepError, check_nesting, query_form
from wegokg.publish.negotiation import parse_accept, weigh
from wegokg.query.query_dataset import (
    FROM_REFUSED,
    DatasetClauseRefusedError,
    ServiceRefusedError,
    check_dataset,
)
from wegokg.query.sparql_jobs import GRAPH_TYPES, RESULT_TYPES, Job

MAX_QUERY_BYTES = 1_000_000

# Media types a client may ask for, each with the format that answers it, in the server's order
# of preference: the first entry of each table is the default when the client accepts anything,
# and the earlier of two types the client weighs alike wins.
RESULT_ACCEPT = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/xml": "xml",
}
GRAPH_ACCEPT = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",  # the media type N-Triples had before it got its own
}
# The ``format`` parameter some clients send (SPARQLWrapper does) instead of an Accept header.
FORMAT_NAMES = {
    "json": "json",
    "xml": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "turtle",
    "ttl": "turtle",
    "json-ld": "jsonld",
    "jsonld": "jsonld",
    "n-triples": "ntriples",
    "ntriples": "ntriples",
    "nt": "ntriples",
}


class ProtocolError(Exception):
    """A request the endpoint refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def negotiate(header: str | None, offers: dict[str, str]) -> str | None:
    """The name of the offer the client prefers, by the site's rule
    (wegokg.publish.negotiation, RFC 9110 section 12.5.1): the highest q-value, then the type
    the client named most specifically, then the first in ``offers``. The order of the ranges in
    the header does not matter. None when nothing offered is acceptable."""
    ranges = parse_accept(header)
    best, best_key = None, (0, 0)
    for media_type, name in offers.items():
        key = weigh(ranges, media_type)
        if key[0] > 0 and key > best_key:
            best, best_key = name, key
    return best


def read_request(
    method: str, url_params: list[tuple[str, str]], content_type: str, body: bytes
) -> tuple[dict[str, list[str]], str | None]:
    """The protocol parameters of a request and the query text (None when there is none).

    GET carries everything in the URL; POST carries either a form (``query=…``) or the query
    itself as an ``application/sparql-query`` body, with graphs in the URL."""
    params: dict[str, list[str]] = {}
    for name, value in url_params:
        params.setdefault(name, []).append(value)
    media_type = content_type.split(";")[0].strip().lower()
    if method == "POST":
        if len(body) > MAX_QUERY_BYTES:
            raise ProtocolError(413, f"the request body is over {MAX_QUERY_BYTES} bytes")
        if media_type == "application/sparql-update":
            raise _read_only()
        if media_type == "application/sparql-query":
            params["query"] = [_utf8(body)]
        elif media_type == "application/x-www-form-urlencoded":
            for name, value in parse_qsl(_utf8(body), keep_blank_values=True):
                params.setdefault(name, []).append(value)
        else:
            raise ProtocolError(
                415,
                "send the query as application/x-www-form-urlencoded (query=…) or as an "
                f"application/sparql-query body, not {media_type or 'no content type'}",
            )
    if "update" in params:
        raise _read_only()
    queries = params.get("query", [])
    if len(queries) > 1:
        raise ProtocolError(400, "give one query parameter, not several")
    return params, (queries[0] if queries else None)


def make_job(params: dict[str, list[str]], query: str, accept: str | None) -> Job:
    """A job for the query workers, with the formats the client accepts."""
    check_query(query)
    given = [*params.get("format", []), *params.get("output", [])]
    unknown = [v for v in given if v.lower() not in FORMAT_NAMES]
    if unknown:
        raise ProtocolError(
            406, f"unknown format {unknown[0]!r}; choose one of {', '.join(sorted(FORMAT_NAMES))}"
        )
    wanted = [FORMAT_NAMES[v.lower()] for v in given]
    if params.get("default-graph-uri") or params.get("named-graph-uri"):
        raise ProtocolError(400, FROM_REFUSED.replace("FROM and FROM NAMED", _DATASET_PARAMS))
    result_format = next((w for w in wanted if w in RESULT_TYPES), None)
    graph_format = next((w for w in wanted if w in GRAPH_TYPES), None)
    if not wanted:  # no format parameter: the Accept header decides
        result_format = negotiate(accept, RESULT_ACCEPT)
        graph_format = negotiate(accept, GRAPH_ACCEPT)
    # A format that does not fit the query's form (turtle for a SELECT) leaves that form's
    # format None: the worker answers 406, as it does for an Accept header it cannot meet.
    return Job(
        query=query,
        result_format=result_format,
        graph_format=graph_format,
    )


_DATASET_PARAMS = "FROM, FROM NAMED, default-graph-uri and named-graph-uri"


def check_query(query: str) -> None:
    """Refuse, before running it, what a read-only, offline endpoint must not do."""
    if not query.strip():
        raise ProtocolError(400, "the query is empty")
    try:
        check_nesting(query)
    except QueryTooDeepError as error:
        raise ProtocolError(400, str(error)) from None
    if query_form(query) == "UPDATE":
        raise _read_only()
    try:
        check_dataset(query)
    except ServiceRefusedError as error:
        raise ProtocolError(403, str(error)) from None
    except DatasetClauseRefusedError as error:
        raise ProtocolError(400, str(error)) from None


def _read_only() -> ProtocolError:
    return ProtocolError(
        403,
        "this endpoint is read-only: SPARQL UPDATE and Graph Store writes are refused. The data "
        "comes from the repository's files; change them and restart the server.",
    )


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(400, f"the request body is not UTF-8 (byte {error.start})") from None


def service_description(endpoint: str, named_graphs: list[str]) -> str:
    """SPARQL 1.1 Service Description of this endpoint, in Turtle."""
    from rdflib import BNode, Graph, Namespace, URIRef
    from rdflib.namespace import RDF

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    graph = Graph()
    graph.bind("sd", sd)
    graph.bind("formats", formats)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, service))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    graph.add((service, sd.feature, sd.UnionDefaultGraph))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "JSON-LD", "N-Triples"):  # fmt: skip
        graph.add((service, sd.resultFormat, formats[name]))
    dataset, default = BNode("dataset"), BNode("default")
    graph.add((service, sd.defaultDataset, dataset))
    graph.add((dataset, RDF.type, sd.Dataset))
    graph.add((dataset, sd.defaultGraph, default))
    graph.add((default, RDF.type, sd.Graph))
    for iri in named_graphs:
        named = BNode(f"graph{len(list(graph.objects(dataset, sd.namedGraph)))}")
        graph.add((dataset, sd.namedGraph, named))
        graph.add((named, RDF.type, sd.NamedGraph))
        graph.add((named, sd.name, URIRef(iri)))
    return graph.serialize(format="turtle")
