"""Content negotiation for real: Debian's nginx, with the rules shipped in deploy/nginx/, serves a
built site on 127.0.0.1, and each Accept header gets the right status, Location and media type."""

from __future__ import annotations

import http.client
import shutil
import subprocess
import time

import pytest
from conftest import ROOT, free_port, require

pytestmark = pytest.mark.server

SEONGNAM = "/id/city/seongnam"


@pytest.fixture(scope="module")
def nginx(built_site, tmp_path_factory):
    """nginx on 127.0.0.1 over the built site; yields a function making one request."""
    binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    require(binary is not None, "Debian's nginx (apt-get install nginx)")
    scratch = tmp_path_factory.mktemp("nginx")
    port = free_port()
    temp_paths = "\n".join(
        f"    {kind}_temp_path {scratch / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = scratch / "nginx.conf"
    config.write_text(
        f"""daemon off;
worker_processes 1;
pid {scratch / "nginx.pid"};
error_log {scratch / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
{temp_paths}
    include {ROOT / "deploy" / "nginx" / "wegokg-accept.conf"};
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {built_site};
        include {ROOT / "deploy" / "nginx" / "wegokg-site.conf"};
    }}
}}
""",
        encoding="utf-8",
    )
    check = subprocess.run(
        [binary, "-t", "-c", str(config), "-p", str(scratch)], capture_output=True, text=True
    )
    assert check.returncode == 0, f"nginx rejects the configuration:\n{check.stderr}"
    server = subprocess.Popen(
        [binary, "-c", str(config), "-p", str(scratch)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    def request(path: str, accept: str | None = None, method: str = "GET"):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request(method, path, headers={"Accept": accept} if accept else {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                request("/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log = scratch / "error.log"
                    details = log.read_text() if log.exists() else server.stderr.read().decode()
                    pytest.fail(f"nginx did not start: {details}")
                time.sleep(0.05)
        yield request
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.mark.parametrize(
    ("accept", "extension"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/n-triples", "nt"),
        ("text/turtle;q=1.0, application/rdf+xml;q=0.5, text/html;q=0.1", "ttl"),
        ("application/json, application/ld+json", "jsonld"),
        ("*/*", "html"),
        (None, "html"),
    ],
)
def test_a_resource_iri_is_answered_with_303_to_the_document_the_client_accepts(
    nginx, accept, extension
):
    status, headers, _ = nginx(SEONGNAM, accept)
    assert status == 303
    assert headers["Location"].endswith(f"{SEONGNAM}.{extension}")
    assert "Accept" in headers.get("Vary", "")


@pytest.mark.parametrize(
    ("extension", "media_type"),
    [
        ("html", "text/html"),
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
    ],
)
def test_each_document_is_served_with_its_media_type(nginx, extension, media_type):
    status, headers, body = nginx(f"{SEONGNAM}.{extension}", "text/html")
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in headers.get("Vary", "")
    assert b"Seongnam" in body and "성남시".encode() in body


def test_following_the_redirect_gives_rdf_about_the_resource(nginx):
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    _, headers, _ = nginx(SEONGNAM, "text/turtle")
    location = headers["Location"].split("127.0.0.1", 1)[-1].split("/", 1)[-1]
    status, headers, body = nginx("/" + location, "text/turtle")
    graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
    iri = URIRef("https://w3id.org/wegokg/id/city/seongnam")
    assert (iri, RDF.type, URIRef("https://w3id.org/wegokg/ontology#City")) in graph


def test_the_ontology_iri_negotiates_too(nginx):
    for accept, extension in (("text/html", "html"), ("text/turtle", "ttl")):
        status, headers, _ = nginx("/ontology", accept)
        assert status == 303
        assert headers["Location"].endswith(f"/ontology.{extension}")


def test_void_is_served_as_turtle_at_its_well_known_address(nginx):
    status, headers, body = nginx("/.well-known/void", "text/turtle")
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == "text/turtle"
    assert b"void:Dataset" in body


def test_stored_queries_are_served_as_sparql(nginx):
    status, headers, body = nginx("/queries/city-profile.rq")
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == "application/sparql-query"
    assert b"SELECT" in body


def test_an_unknown_resource_is_not_found(nginx):
    status, _, _ = nginx("/id/city/atlantis", "text/turtle")
    assert status == 404


def test_the_home_page_is_served(nginx):
    status, headers, body = nginx("/", "text/html")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "WeGO 지식 그래프".encode() in body
