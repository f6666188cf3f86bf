"""Content negotiation for real: Debian's nginx and Apache httpd, each with the rules shipped in
deploy/, serve a built site on 127.0.0.1, and each Accept header gets the right status, Location
and media type."""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from conftest import ROOT, free_port, require

from wegokg.site import choose_document

pytestmark = pytest.mark.server

SEONGNAM = "/id/city/seongnam"
DEPLOY = ROOT / "deploy"


def start_server(command: list[str], port: int, log: Path):
    """Start a web server, wait until it answers on 127.0.0.1:port, and yield a request function."""
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

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
                    details = log.read_text() if log.exists() else server.stderr.read().decode()
                    pytest.fail(f"{command[0]} did not start: {details}")
                time.sleep(0.05)
        yield request
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def nginx(site: Path, scratch: Path):
    """Debian's nginx with deploy/nginx/wegokg-accept.conf and wegokg-site.conf."""
    binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    require(binary is not None, "Debian's nginx (apt-get install nginx)")
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
    include {DEPLOY / "nginx" / "wegokg-accept.conf"};
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {site};
        include {DEPLOY / "nginx" / "wegokg-site.conf"};
    }}
}}
""",
        encoding="utf-8",
    )
    command = [binary, "-c", str(config), "-p", str(scratch)]
    check = subprocess.run([*command[:1], "-t", *command[1:]], capture_output=True, text=True)
    assert check.returncode == 0, f"nginx rejects the configuration:\n{check.stderr}"
    yield from start_server(command, port, scratch / "error.log")


def apache(site: Path, scratch: Path, rules: Path = DEPLOY / "apache.conf"):
    """Debian's Apache httpd with deploy/apache.conf in the site's <Directory> block."""
    binary = shutil.which("apache2") or shutil.which("apache2", path="/usr/sbin:/sbin")
    require(binary is not None, "Debian's Apache httpd (apt-get install apache2)")
    modules = Path("/usr/lib/apache2/modules")
    port = free_port()
    loads = "\n".join(
        f"LoadModule {name}_module {modules / f'mod_{name}.so'}"
        for name in ("mpm_event", "authz_core", "mime", "rewrite", "headers", "dir")
    )
    # As root, httpd serves as an unprivileged user, which also checks that the site is readable.
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    config = scratch / "httpd.conf"
    config.write_text(
        f"""ServerRoot {scratch}
ServerName localhost
Listen 127.0.0.1:{port}
PidFile {scratch / "httpd.pid"}
DefaultRuntimeDir {scratch}
ErrorLog {scratch / "error.log"}
LogLevel warn
TypesConfig /etc/mime.types
{user}{loads}
DocumentRoot {site}
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory {site}>
    AllowOverride None
    Require all granted
    Include {rules}
</Directory>
""",
        encoding="utf-8",
    )
    command = [binary, "-f", str(config), "-DFOREGROUND"]
    check = subprocess.run([binary, "-f", str(config), "-t"], capture_output=True, text=True)
    assert check.returncode == 0, f"httpd rejects the configuration:\n{check.stderr}"
    yield from start_server(command, port, scratch / "error.log")


SERVERS = {"nginx": nginx, "apache": apache}


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(request, built_site, tmp_path_factory):
    """A real web server on 127.0.0.1 over the built site; yields a function making a request."""
    scratch = tmp_path_factory.mktemp(request.param)
    yield from SERVERS[request.param](built_site, scratch)


ACCEPT_CASES = [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("text/turtle;q=1.0, application/rdf+xml;q=0.5, text/html;q=0.1", "ttl"),
    ("application/json, application/ld+json", "jsonld"),
    ("application/rdf+xml, text/turtle;q=0.9", "ttl"),
    ("*/*", "html"),
    (None, "html"),
]


@pytest.mark.parametrize(("accept", "extension"), ACCEPT_CASES)
def test_the_python_rule_chooses_the_document_as_the_servers_do(accept, extension):
    assert choose_document(accept) == extension


@pytest.mark.parametrize(("accept", "extension"), ACCEPT_CASES)
def test_a_resource_iri_is_answered_with_303_to_the_document_the_client_accepts(
    server, accept, extension
):
    status, headers, _ = server(SEONGNAM, accept)
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
def test_each_document_is_served_with_its_media_type(server, extension, media_type):
    status, headers, body = server(f"{SEONGNAM}.{extension}", "text/html")
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in headers.get("Vary", "")
    assert b"Seongnam" in body and "성남시".encode() in body


def test_following_the_redirect_gives_rdf_about_the_resource(server):
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    _, headers, _ = server(SEONGNAM, "text/turtle")
    location = headers["Location"].split("127.0.0.1", 1)[-1].split("/", 1)[-1]
    status, headers, body = server("/" + location, "text/turtle")
    graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
    iri = URIRef("https://w3id.org/wegokg/id/city/seongnam")
    assert (iri, RDF.type, URIRef("https://w3id.org/wegokg/ontology#City")) in graph


def test_the_ontology_iri_negotiates_too(server):
    for accept, extension in (("text/html", "html"), ("text/turtle", "ttl")):
        status, headers, _ = server("/ontology", accept)
        assert status == 303
        assert headers["Location"].endswith(f"/ontology.{extension}")


def test_void_is_served_as_turtle_at_its_well_known_address(server):
    status, headers, body = server("/.well-known/void", "text/turtle")
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == "text/turtle"
    assert b"void:Dataset" in body


def test_stored_queries_are_served_as_sparql(server):
    status, headers, body = server("/queries/city-profile.rq")
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == "application/sparql-query"
    assert b"SELECT" in body


def test_an_unknown_resource_is_not_found(server):
    status, _, _ = server("/id/city/atlantis", "text/turtle")
    assert status == 404


def test_the_home_page_is_served(server):
    status, headers, body = server("/", "text/html")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "WeGO 지식 그래프".encode() in body


@pytest.fixture(scope="module")
def w3id(tmp_path_factory):
    """Apache httpd with deploy/w3id.htaccess on an empty folder, as w3id.org would run it."""
    scratch = tmp_path_factory.mktemp("w3id")
    # A folder the server's workers may enter (pytest's own temporary folders are private).
    folder = Path(tempfile.mkdtemp(prefix="wegokg-w3id-"))
    folder.chmod(0o755)
    try:
        yield from apache(folder, scratch, DEPLOY / "w3id.htaccess")
    finally:
        folder.rmdir()


@pytest.mark.parametrize(("accept", "extension"), ACCEPT_CASES)
def test_the_w3id_rules_send_a_resource_iri_to_the_document_on_the_site(w3id, accept, extension):
    status, headers, _ = w3id(SEONGNAM, accept)
    assert status == 303
    assert headers["Location"] == f"https://wegokg.example.org{SEONGNAM}.{extension}"


def test_the_w3id_rules_send_anything_else_to_the_same_path_on_the_site(w3id):
    status, headers, _ = w3id("/download/wegokg.ttl")
    assert status == 302
    assert headers["Location"] == "https://wegokg.example.org/download/wegokg.ttl"
    status, headers, _ = w3id("/ontology", "text/turtle")
    assert (status, headers["Location"]) == (303, "https://wegokg.example.org/ontology.ttl")
