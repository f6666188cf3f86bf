"""wegokg serve: a SPARQL 1.1 Protocol endpoint that real clients (SPARQLWrapper, curl,
'wegokg query run --endpoint') can use, which answers every stored query as the embedded engine
does, refuses every write, stops a runaway query at its time limit while serving others, caps
result size, sends CORS headers and negotiates the site's documents."""

from __future__ import annotations

import contextlib
import csv
import http.client
import io
import json
import shutil
import signal
import subprocess
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import ROOT, free_port, require
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from support.accept_matrix import ACCEPT_MATRIX
from support.wegokg_server import WEGOKG, running, start, stop, workers_of

from wegokg.query.catalog import QueryCatalog
from wegokg.query.engines import EndpointEngine, RdflibEngine
from wegokg.query.results import to_csv, to_tsv

pytestmark = pytest.mark.server

CATALOG = QueryCatalog.from_folder(ROOT / "queries")
SEONGNAM = "https://w3id.org/wegokg/id/city/seongnam"
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
# A runaway in constant memory, which only the time limit stops (RUNAWAY may reach the memory cap).
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
EVERYTHING = "SELECT * WHERE { ?s ?p ?o }"
PREFIXES = "PREFIX city: <https://w3id.org/wegokg/id/city/>\n"


def call(server, method, path, body=None, headers=None):
    """One HTTP exchange, redirects not followed: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def ask_sparql(server, query, accept="*/*", method="GET"):
    if method == "GET":
        return call(server, "GET", "/sparql?" + urlencode({"query": query}), None,
                    {"Accept": accept})  # fmt: skip
    form = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
    return call(server, "POST", "/sparql", urlencode({"query": query}).encode(), form)


@pytest.fixture(scope="module")
def embedded(dataset):
    return RdflibEngine(dataset)


# -- Every stored query, through real clients --------------------------------------------------


@pytest.mark.parametrize("name", [q.name for q in CATALOG])
def test_every_stored_query_through_the_endpoint_gives_the_embedded_rows(
    name, wegokg_server, embedded
):
    query = CATALOG.get(name).render()
    served = EndpointEngine(wegokg_server.endpoint).select(query)
    assert served == embedded.select(query)


def test_wegokg_query_run_with_endpoint_prints_what_the_embedded_engine_prints(wegokg_server):
    def run(*extra):
        return subprocess.run(
            [str(WEGOKG), "query", "run", "city-profile", "--param", "city=city:goyang",
             "--format", "csv", *extra],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip

    remote, local = run("--endpoint", wegokg_server.endpoint), run()
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout
    assert "city/goyang" in remote.stdout


def test_sparqlwrapper_reads_select_ask_and_construct(wegokg_server, embedded):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(wegokg_server.endpoint)
    client.setReturnFormat(JSON)
    client.setQuery(PREFIXES + "SELECT ?label WHERE { city:seongnam rdfs:label ?label }")
    client.addCustomParameter("dummy", "1")  # unknown parameters are ignored, as they should be
    client.setQuery(
        PREFIXES + "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?label WHERE { city:seongnam rdfs:label ?label } ORDER BY ?label"
    )
    labels = [b["label"]["value"] for b in client.queryAndConvert()["results"]["bindings"]]
    rows = embedded.select(client.queryString).as_dicts()
    assert labels == sorted(r["label"].value for r in rows)
    assert "성남시" in labels

    client.setQuery(PREFIXES + "ASK { city:seongnam ?p ?o }")
    assert client.queryAndConvert()["boolean"] is True

    client.setQuery(PREFIXES + "CONSTRUCT { city:seongnam ?p ?o } WHERE { city:seongnam ?p ?o }")
    client.setReturnFormat(TURTLE)
    served = Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert isomorphic(served, _embedded_graph(embedded, client.queryString))
    assert len(served) > 5


def _embedded_graph(engine, query):
    graph = Graph()
    for triple in engine.dataset.query(query):
        graph.add(triple)
    return graph


# -- Formats, by Accept header, with curl -------------------------------------------------------


@pytest.fixture(scope="module")
def curl():
    binary = shutil.which("curl")
    require(binary is not None, "curl (Debian package curl)")
    return binary


def run_curl(curl, *args):
    done = subprocess.run([curl, "-sS", "-D", "-", *args], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    head, _, body = done.stdout.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:])}
    return int(lines[0].split()[1]), headers, body.decode()


def test_curl_gets_csv_and_tsv_as_the_embedded_engine_writes_them(curl, wegokg_server, embedded):
    query = CATALOG.get("award-winners").render()
    expected = embedded.select(query)
    for accept, render in (("text/csv", to_csv), ("text/tab-separated-values", to_tsv)):
        status, headers, body = run_curl(curl, "-H", f"Accept: {accept}", "--data-urlencode",
                                         f"query={query}", wegokg_server.endpoint)  # fmt: skip
        assert status == 200
        assert headers["content-type"].startswith(accept)
        assert body == render(expected)


def test_curl_gets_json_and_xml_results_with_the_same_bindings(curl, wegokg_server, embedded):
    query = CATALOG.get("executive-committee").render()
    expected = embedded.select(query)
    url = wegokg_server.endpoint + "?" + urlencode({"query": query})
    status, headers, body = run_curl(curl, "-H", "Accept: application/sparql-results+json", url)
    assert (status, headers["content-type"]) == (200, "application/sparql-results+json")
    document = json.loads(body)
    assert document["head"]["vars"] == list(expected.variables)
    assert len(document["results"]["bindings"]) == len(expected.rows) > 0

    status, headers, body = run_curl(curl, "-H", "Accept: application/sparql-results+xml", url)
    assert (status, headers["content-type"]) == (200, "application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(body.encode())
    assert [v.get("name") for v in root.iterfind("r:head/r:variable", ns)] == list(
        expected.variables
    )
    results = root.findall("r:results/r:result", ns)
    assert len(results) == len(expected.rows)
    first = {b.get("name"): "".join(b.itertext()) for b in results[0].iterfind("r:binding", ns)}
    assert first == {k: v.value for k, v in expected.as_dicts()[0].items()}


def test_a_query_posted_as_application_sparql_query_is_answered(curl, wegokg_server):
    status, _, body = run_curl(curl, "-H", "Content-Type: application/sparql-query", "-H",
                               "Accept: text/csv", "--data-binary",
                               PREFIXES + "SELECT ?s WHERE { ?s ?p city:seongnam } LIMIT 1",
                               wegokg_server.endpoint)  # fmt: skip
    assert status == 200
    assert body.startswith("s\r\nhttps://w3id.org/wegokg/id/")


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
     ("application/n-triples", "nt")],
)  # fmt: skip
def test_construct_and_describe_answer_in_the_accepted_rdf_format(
    accept, rdflib_format, wegokg_server, embedded
):
    construct = PREFIXES + "CONSTRUCT { city:seongnam ?p ?o } WHERE { city:seongnam ?p ?o }"
    status, headers, body = ask_sparql(wegokg_server, construct, accept)
    assert status == 200
    assert headers["Content-Type"].startswith(accept)
    served = Graph().parse(data=body, format=rdflib_format)
    assert isomorphic(served, _embedded_graph(embedded, construct))

    status, headers, body = ask_sparql(wegokg_server, f"DESCRIBE <{SEONGNAM}>", accept)
    assert status == 200
    described = Graph().parse(data=body, format=rdflib_format)
    assert set(described.subjects()) >= {URIRef(SEONGNAM)}
    assert set(served) <= set(described)


def test_a_format_the_query_cannot_give_is_answered_406(wegokg_server):
    status, _, body = ask_sparql(wegokg_server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "image/png")
    assert status == 406
    assert b"application/sparql-results+json" in body


def test_get_without_a_query_describes_the_service(wegokg_server):
    status, headers, body = call(wegokg_server, "GET", "/sparql")
    assert status == 200
    assert headers["Content-Type"].startswith("text/turtle")
    description = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = URIRef(wegokg_server.endpoint)
    assert (service, URIRef(sd + "endpoint"), service) in description
    assert (service, URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")) in description
    names = set(description.objects(None, URIRef(sd + "name")))
    assert URIRef("https://w3id.org/wegokg/id/source/newspim-2021-10-13") in names


def test_a_syntax_error_is_answered_400_with_its_line_and_column(wegokg_server):
    status, _, body = ask_sparql(wegokg_server, "SELECT * WHERE {\n  ?s ?p }")
    assert status == 400
    assert b"2:" in body and b"not valid SPARQL" in body


# -- Read-only ---------------------------------------------------------------------------------

INSERT = f'INSERT DATA {{ <{SEONGNAM}> <urn:x:hacked> "yes" }}'


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("POST", "/sparql", urlencode({"update": INSERT}), "application/x-www-form-urlencoded"),
        ("POST", "/sparql", INSERT, "application/sparql-update"),
        ("POST", "/sparql", urlencode({"query": INSERT}), "application/x-www-form-urlencoded"),
        ("GET", "/sparql?" + urlencode({"update": INSERT}), None, None),
        ("POST", "/update", urlencode({"update": INSERT}), "application/x-www-form-urlencoded"),
        ("PUT", f"/store?graph={SEONGNAM}", f'<{SEONGNAM}> <urn:x:hacked> "yes" .', "text/turtle"),
        ("POST", "/store?default", f'<{SEONGNAM}> <urn:x:hacked> "yes" .', "text/turtle"),
        ("DELETE", f"/store?graph={SEONGNAM}", None, None),
        ("PUT", "/sparql", INSERT, "application/sparql-update"),
    ],
)
def test_updates_and_graph_store_writes_are_refused(method, path, body, content_type,
                                                    wegokg_server):  # fmt: skip
    headers = {"Content-Type": content_type} if content_type else {}
    status, _, answer = call(wegokg_server, method, path, body and body.encode(), headers)
    assert status == 403
    assert b"read-only" in answer
    status, _, answer = ask_sparql(wegokg_server, "ASK { ?s <urn:x:hacked> ?o }")
    assert json.loads(answer)["boolean"] is False


def test_a_federated_query_is_refused_without_contacting_anyone(wegokg_server):
    status, _, body = ask_sparql(
        wegokg_server, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    )
    assert status == 403
    assert b"SERVICE" in body


def test_the_server_listens_on_loopback_only_by_default(wegokg_server):
    listening = [
        line.split()[1]
        for path in ("/proc/net/tcp", "/proc/net/tcp6")
        for line in Path(path).read_text().splitlines()[1:]
        if line.split()[3] == "0A" and int(line.split()[1].split(":")[1], 16) == wegokg_server.port
    ]
    assert listening == [f"0100007F:{wegokg_server.port:04X}"]


# -- Limits ------------------------------------------------------------------------------------


def test_a_runaway_query_is_stopped_at_the_time_limit_while_another_client_is_served(
    wegokg_server, embedded
):
    runaway = {}

    def run_away():
        runaway["answer"] = ask_sparql(wegokg_server, ENDLESS)

    before = set(workers_of(wegokg_server.process.pid))
    thread = threading.Thread(target=run_away)
    thread.start()
    time.sleep(0.3)  # let the runaway query take its worker first
    query = CATALOG.get("award-winners").render()
    answered_meanwhile = EndpointEngine(wegokg_server.endpoint).select(query)
    runaway_still_running = thread.is_alive()
    thread.join(60)

    assert answered_meanwhile == embedded.select(query)
    assert runaway_still_running, "the other client was answered only after the runaway query"
    status, _, body = runaway["answer"]
    assert status == 503
    assert b"time limit of 2 s" in body
    # The overrunning worker was killed and replaced by a new one; the other one, the short
    # lane's and its spare are untouched.
    for _ in range(300):
        after = set(workers_of(wegokg_server.process.pid))
        if len(after) == 4 and after != before:
            break
        time.sleep(0.1)
    assert len(after) == 4 and len(after & before) == 3
    assert ask_sparql(wegokg_server, "ASK {}")[0] == 200


def test_the_result_cap_cuts_rows_and_says_so_in_the_headers(wegokg_server):
    status, headers, body = ask_sparql(wegokg_server, EVERYTHING)
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 100
    assert headers["X-SPARQL-MaxRows"] == "100"
    assert headers["X-Result-Truncated"] == "true"

    status, headers, body = ask_sparql(wegokg_server, EVERYTHING, "text/csv")
    assert len(list(csv.reader(io.StringIO(body.decode())))) == 1 + 100

    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    status, headers, body = ask_sparql(wegokg_server, construct, "application/n-triples")
    assert len(Graph().parse(data=body, format="nt")) == 100
    assert headers["X-Result-Truncated"] == "true"


def test_an_answer_within_the_cap_carries_no_truncation_headers(wegokg_server):
    status, headers, _ = ask_sparql(wegokg_server, EVERYTHING + " LIMIT 100")
    assert status == 200
    assert "X-Result-Truncated" not in headers


# -- CORS --------------------------------------------------------------------------------------


def test_cross_origin_clients_may_query(wegokg_server):
    origin = {"Origin": "https://example.org"}
    status, headers, _ = call(wegokg_server, "GET", "/sparql?query=ASK%7B%7D", None, origin)
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"

    preflight = {**origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}  # fmt: skip
    status, headers, _ = call(wegokg_server, "OPTIONS", "/sparql", None, preflight)
    assert status == 200
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


# -- The site: content negotiation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "suffix", "content_type"),
    [
        ("text/html", ".html", "text/html"),
        ("text/turtle", ".ttl", "text/turtle"),
        ("application/ld+json", ".jsonld", "application/ld+json"),
        ("application/n-triples", ".nt", "application/n-triples"),
        ("text/turtle;q=0.5, application/ld+json", ".jsonld", "application/ld+json"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", ".html", "text/html"),
    ],
)
def test_a_resource_iri_redirects_to_the_document_the_client_accepts(
    accept, suffix, content_type, wegokg_server, tiny_site
):
    status, headers, _ = call(wegokg_server, "GET", "/id/city/seongnam", None, {"Accept": accept})
    assert status == 303
    assert headers["Location"] == f"/id/city/seongnam{suffix}"
    assert "Accept" in headers["Vary"]

    status, headers, body = call(wegokg_server, "GET", headers["Location"], None,
                                 {"Accept": accept})  # fmt: skip
    assert status == 200
    assert headers["Content-Type"].startswith(content_type)
    assert "Accept" in headers["Vary"]
    assert body == (tiny_site / f"id/city/seongnam{suffix}").read_bytes()


def test_the_home_page_and_unknown_paths(wegokg_server, tiny_site):
    status, _, body = call(wegokg_server, "GET", "/")
    assert (status, body) == (200, (tiny_site / "index.html").read_bytes())
    assert call(wegokg_server, "GET", "/id/city/atlantis")[0] == 404


@pytest.mark.parametrize("path", ["/../conftest.py", "/id/../../etc/passwd", "/%2e%2e/etc/passwd"])
def test_no_file_outside_the_site_is_served(path, wegokg_server):
    status, _, body = call(wegokg_server, "GET", path)
    assert status == 404
    assert b"root:" not in body


# -- The query page ----------------------------------------------------------------------------


def test_the_query_page_lists_the_stored_queries_and_runs_them(wegokg_server):
    status, headers, body = call(wegokg_server, "GET", "/query")
    page = body.decode()
    assert status == 200
    assert "script-src" not in headers["Content-Security-Policy"]  # so no script may run
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "<script" not in page and "<style" not in page
    assert '<link rel="stylesheet" href="/query.css">' in page
    for stored in CATALOG:
        assert f"/query?{urlencode({'query': stored.render()})}".replace("&", "&amp;") in page

    query = CATALOG.get("award-winners").render()
    status, _, body = call(wegokg_server, "GET", "/query?" + urlencode({"query": query}))
    page = body.decode()
    assert status == 200
    assert "<table>" in page
    assert 'href="/id/city/goyang"' in page


def test_the_query_page_stylesheet_is_a_file_of_its_own(wegokg_server):
    status, headers, body = call(wegokg_server, "GET", "/query.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert b"textarea" in body


def test_the_query_page_shows_hostile_values_as_text(wegokg_server):
    query = (
        'SELECT ?text ?link WHERE { VALUES (?text ?link) { ("<script>alert(1)</script>\\"><img '
        'src=x onerror=alert(2)> &amp;" <javascript:alert(3)>) } }'
    )
    status, _, body = call(wegokg_server, "POST", "/query", urlencode({"query": query}).encode(),
                           {"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    page = body.decode()
    assert status == 200
    assert "<script>alert" not in page and "<img" not in page
    # The quote mark may be written &quot; or &#34;: both are text, neither closes an attribute.
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;{}&gt;&lt;img"
    assert escaped.format("&quot;") in page or escaped.format("&#34;") in page
    assert "&amp;amp;" in page
    assert 'href="javascript' not in page
    assert "javascript:alert(3)" in page


def test_the_query_page_shows_a_refused_query_as_an_error(wegokg_server):
    status, _, body = call(wegokg_server, "GET", "/query?" + urlencode({"query": INSERT}))
    assert status == 403
    assert "read-only" in body.decode()


# -- Starting and stopping ---------------------------------------------------------------------


@pytest.mark.parametrize(("stop_signal", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 0)])
def test_the_server_stops_cleanly_mid_query_and_reaps_its_workers(
    stop_signal, status, tmp_path, tiny_site
):
    with running(free_port(), tmp_path, "--timeout", "600", "--site", str(tiny_site)) as server:
        workers = workers_of(server.process.pid)
        assert len(workers) == 4  # two, the short lane's and its spare
        busy = threading.Thread(target=lambda: _swallow(ask_sparql, server, RUNAWAY))
        busy.start()
        time.sleep(0.5)
        server.process.send_signal(stop_signal)
        assert server.process.wait(timeout=60) == status
        busy.join(60)
    assert not [pid for pid in workers if _alive(pid)]
    assert not list(tmp_path.glob("wegokg-serve-*")), "the scratch folder was left behind"
    assert "Traceback" not in server.log.read_text()


def test_killing_the_server_mid_request_loses_nothing(tmp_path, embedded, tiny_site):
    port = free_port()
    query = CATALOG.get("executive-committee").render()
    server = None
    try:
        server = start(port, tmp_path, "--timeout", "60", "--site", str(tiny_site))
        before = EndpointEngine(server.endpoint).select(query)
        workers = workers_of(server.process.pid)
        interrupted = threading.Thread(target=lambda: _swallow(ask_sparql, server, RUNAWAY))
        interrupted.start()
        time.sleep(0.5)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=10)
        interrupted.join(30)
        for _ in range(100):  # the busy worker is killed with its parent, not left running
            if not [pid for pid in workers if _alive(pid)]:
                break
            time.sleep(0.1)
        assert not [pid for pid in workers if _alive(pid)]

        server = start(port, tmp_path, "--site", str(tiny_site))
        assert EndpointEngine(server.endpoint).select(query) == before == embedded.select(query)
    finally:
        if server is not None:
            stop(server)


def test_a_port_in_use_is_a_usage_error_without_traceback(wegokg_server):
    done = subprocess.run([str(WEGOKG), "serve", "--port", str(wegokg_server.port)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)  # fmt: skip
    assert done.returncode == 2
    assert "cannot listen on 127.0.0.1" in done.stderr
    assert "Traceback" not in done.stderr


def _alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


def _swallow(function, *args):
    with contextlib.suppress(OSError):  # the connection breaks when the server is killed
        function(*args)


@pytest.mark.parametrize(("accept", "expected"), ACCEPT_MATRIX)
def test_the_site_folder_answers_by_the_negotiation_table(accept, expected, tiny_site):
    """The answer 'wegokg serve' gives a resource IRI is the table's choice, from which the
    nginx and Apache rules in deploy/ are generated (tests/publish/test_site_conneg.py runs all
    three)."""
    from wegokg.publish.site_files import SiteFolder

    status, location, _ = SiteFolder(tiny_site).find("/id/city/seongnam", accept)
    if expected is None:
        assert status == 406
        assert "text/turtle" in location  # the message names what is offered
    else:
        assert (status, location) == (303, f"/id/city/seongnam.{expected}")


def test_no_acceptable_document_is_answered_406_with_what_is_offered(wegokg_server):
    status, headers, body = call(wegokg_server, "GET", "/id/city/seongnam", None,
                                 {"Accept": "application/rdf+xml"})  # fmt: skip
    assert status == 406
    assert "Accept" in headers["Vary"]
    assert b"application/ld+json" in body
