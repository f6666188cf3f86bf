"""How the endpoint reads requests: content negotiation by the Accept header's q-values, and
which query texts are refused before they run (updates, federated queries) and which are not."""

from __future__ import annotations

import pytest

from wegokg.server.sparql_protocol import (
    GRAPH_ACCEPT,
    RESULT_ACCEPT,
    ProtocolError,
    check_query,
    negotiate,
    read_request,
)


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "json"),
        ("*/*", "json"),
        ("text/csv", "csv"),
        ("text/*", "csv"),
        ("text/csv;q=0.5, application/sparql-results+xml", "xml"),
        ("application/sparql-results+json,application/json,text/javascript", "json"),
        # Equal weight and specificity: the endpoint's order decides, as on the site
        # (wegokg.publish.negotiation), not the order of the header (this chose tsv before).
        ("text/tab-separated-values, text/csv", "csv"),
        ("text/csv, text/tab-separated-values", "csv"),
        ("text/tab-separated-values, text/csv;q=0.9", "tsv"),
        ("text/*;q=0.2, text/csv;q=0.1, application/xml;q=0.3", "xml"),
        ("text/csv;q=1.5, text/tab-separated-values;q=0.4", "tsv"),  # q=1.5 is invalid: ignored
        ("application/sparql-results+json;q=0, application/json;q=0, */*;q=0.1", "xml"),
        ("image/png", None),
    ],
)
def test_results_format_follows_the_accept_header(accept, chosen):
    assert negotiate(accept, RESULT_ACCEPT) == chosen


def test_the_endpoint_reads_accept_with_the_sites_parser(monkeypatch):
    """One Accept parser: the endpoint's choice goes through negotiation.parse_accept."""
    import wegokg.publish.negotiation
    import wegokg.server.sparql_protocol

    seen = []

    def spy(header):
        seen.append(header)
        return wegokg.publish.negotiation.parse_accept(header)

    monkeypatch.setattr(wegokg.server.sparql_protocol, "parse_accept", spy)
    assert negotiate("text/csv", RESULT_ACCEPT) == "csv"
    assert seen == ["text/csv"]
    assert not hasattr(wegokg.server.sparql_protocol, "AcceptRange")


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("*/*", "turtle"),
        ("application/turtle,text/turtle", "turtle"),
        ("application/ld+json", "jsonld"),
        ("text/turtle;q=0.9, application/n-triples", "ntriples"),
        ("application/sparql-results+json", None),
    ],
)
def test_graph_format_follows_the_accept_header(accept, chosen):
    assert negotiate(accept, GRAPH_ACCEPT) == chosen


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <a:b> <a:b> <a:b> }",
        "PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ex:p ?o }",
        "# a comment first\nBASE <http://example.org/> LOAD <http://example.org/x>",
        "  clear all",
        "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_an_update_is_refused_as_read_only(update):
    with pytest.raises(ProtocolError) as refused:
        check_query(update)
    assert refused.value.status == 403
    assert "read-only" in refused.value.message


def test_service_is_refused_but_the_word_in_a_string_iri_or_comment_is_not():
    with pytest.raises(ProtocolError, match="SERVICE"):
        check_query("SELECT * { service <http://example.org/sparql> { ?s ?p ?o } }")
    check_query(
        'SELECT * { ?s <http://example.org/SERVICE> "SERVICE" ; ex:SERVICE ?o } # SERVICE x\n'
    )
    check_query("SELECT ?insert WHERE { ?insert ?p ?o }")


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("application/sparql-update", b"INSERT DATA {}", 403),
        ("multipart/form-data; boundary=x", b"--x--", 415),
        ("application/sparql-query", b"\xff\xfe", 400),
        ("application/x-www-form-urlencoded", b"query=ASK{}&query=ASK{}", 400),
    ],
)
def test_unusable_requests_are_refused_with_a_status_and_reason(content_type, body, status):
    with pytest.raises(ProtocolError) as refused:
        read_request("POST", [], content_type, body)
    assert refused.value.status == status
    assert refused.value.message
