"""Content negotiation for real: Debian's nginx and Apache httpd, each with the rules shipped in
deploy/, and `wegokg serve`, serve a built site on 127.0.0.1, and each Accept header gets the
document the table of wegokg.publish.negotiation chooses, with the right status, Location and
media type.
The rules in deploy/ are generated from that table, and checked to be up to date."""

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
from support.accept_matrix import ACCEPT_MATRIX

from wegokg.cli.options import check_or_rewrite
from wegokg.publish.negotiation import choose
from wegokg.publish.negotiation_rules import (
    choose_by_rules,
    deploy_changes,
    nginx_accept_conf,
    stale_deploy_files,
)

pytestmark = pytest.mark.server

SEONGNAM = "/id/city/seongnam"
DEPLOY = ROOT / "deploy"


def requester(port: int):
    """A function making one request to 127.0.0.1:port: (status, headers, body), the headers
    case-insensitive."""

    def request(path: str, accept: str | None = None, method: str = "GET"):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            headers = {} if accept is None else {"Accept": accept}
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    return request


def start_server(command: list[str], port: int, log: Path):
    """Start a web server, wait until it answers on 127.0.0.1:port, and yield a request function."""
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    request = requester(port)
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


def serve(site: Path, scratch: Path):
    """`wegokg serve --site` over the built site."""
    from support.wegokg_server import running

    port = free_port()
    with running(port, scratch, "--site", str(site)):
        yield requester(port)


SERVERS = {"nginx": nginx, "apache": apache, "serve": serve}


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(request, built_site, tmp_path_factory):
    """A real web server on 127.0.0.1 over the built site; yields a function making a request."""
    scratch = tmp_path_factory.mktemp(request.param)
    yield from SERVERS[request.param](built_site, scratch)


# -- The table, and the rules generated from it -----------------------------------------------


@pytest.mark.parametrize(("accept", "expected"), ACCEPT_MATRIX)
def test_the_table_chooses_by_q_value_then_specificity_then_its_own_order(accept, expected):
    chosen = choose(accept)
    assert (chosen.suffix if chosen else None) == expected


def _random_headers(count: int, seed: int = 13) -> list[str]:
    """Accept headers built from the pieces that matter: offered types, wildcards, other types,
    misspellings, valid and invalid q-values, parameters and spaces."""
    import random

    kinds = ["text/html", "text/turtle", "application/ld+json", "application/n-triples", "text/*",
             "application/*", "*/*", "image/png", "application/rdf+xml", "TEXT/Turtle",
             "text/turtles", "*/turtle", "text", ""]  # fmt: skip
    weights = ["", "q=1", "q=1.0", "q=1.000", "q=0", "q=0.", "q=0.5", "q=0.55", "q=0.555",
               "q=0.5555", "q=2", "q=1.5", "Q=0.3", "q=abc", "q=0.001", "q=.5"]  # fmt: skip
    parameters = ["", "level=1", 'profile="http://www.w3.org/ns/json-ld#compacted"', "bad",
                  'a="x;y"', "charset=utf-8"]  # fmt: skip
    chance = random.Random(seed)
    headers = []
    for _ in range(count):
        elements = []
        for _ in range(chance.randint(1, 5)):
            parts = [chance.choice(kinds), chance.choice(parameters), chance.choice(weights)]
            separator = chance.choice([";", "; ", " ;"])
            element = separator.join(part for part in parts if part)
            elements.append(chance.choice(["", " "]) + element + chance.choice(["", " ", "\t"]))
        headers.append(",".join(elements))
    return headers


def test_the_generated_rules_choose_what_the_table_chooses():
    """The patterns nginx and Apache run, run here with Python's re, on 1,500 headers."""
    differences = []
    for accept in [a for a, _ in ACCEPT_MATRIX] + _random_headers(1500):
        chosen = choose(accept)
        if choose_by_rules(accept) != (chosen.suffix if chosen else None):
            differences.append((accept, chosen, choose_by_rules(accept)))
    assert differences == []


def test_the_rules_in_deploy_are_generated_from_the_table():
    assert stale_deploy_files(DEPLOY) == [], "run 'wegokg conneg' and commit deploy/"


def test_stale_rules_are_found_and_rewritten(tmp_path, capsys):
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy)
    nginx_map = copy / "nginx" / "wegokg-accept.conf"
    nginx_map.write_text(nginx_map.read_text().replace("10003", "10002", 1))
    apache_rules = copy / "apache.conf"
    apache_rules.write_text(apache_rules.read_text().replace("WEGOKG_DOC:nt]", "WEGOKG_DOC:ttl]"))
    assert stale_deploy_files(copy) == [nginx_map, apache_rules]
    changes = deploy_changes(copy)
    check_or_rewrite(changes, changes.get, check=False, verbs=("stale", "rewrote"), advice="")
    assert capsys.readouterr().out == f"rewrote {nginx_map}\nrewrote {apache_rules}\n"
    assert stale_deploy_files(copy) == []
    assert nginx_map.read_text() == nginx_accept_conf()
    assert (copy / "apache.conf").read_text() == (DEPLOY / "apache.conf").read_text()


# -- The servers ------------------------------------------------------------------------------


@pytest.mark.parametrize(("accept", "expected"), ACCEPT_MATRIX)
def test_every_server_answers_a_resource_iri_with_the_document_the_table_chooses(
    server, accept, expected
):
    status, headers, _ = server(SEONGNAM, accept)
    assert "Accept" in headers.get("Vary", "")
    if expected is None:
        assert status == 406
    else:
        assert status == 303
        assert headers["Location"].endswith(f"{SEONGNAM}.{expected}")


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


def test_every_server_agrees_with_the_table_on_random_headers(server):
    differences = []
    for accept in _random_headers(200, seed=31):
        status, headers, _ = server(SEONGNAM, accept)
        chosen = choose(accept)
        answer = headers["Location"].rsplit(".", 1)[-1] if status == 303 else status
        if answer != (chosen.suffix if chosen else 406):
            differences.append((accept, answer, chosen))
    assert differences == []


def test_a_document_is_served_whatever_the_accept_header(server):
    """Only resource IRIs are negotiated: a document asked for by name is never a 406."""
    for accept in ("image/png", "text/turtle;q=0", "*/*;q=0"):
        status, headers, _ = server(f"{SEONGNAM}.ttl", accept)
        assert (status, headers["Content-Type"].split(";")[0]) == (200, "text/turtle")


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


@pytest.mark.parametrize(("accept", "expected"), ACCEPT_MATRIX)
def test_the_w3id_rules_send_a_resource_iri_to_the_document_the_table_chooses(
    w3id, accept, expected
):
    status, headers, _ = w3id(SEONGNAM, accept)
    if expected is None:
        assert status == 406
    else:
        assert status == 303
        assert headers["Location"] == f"https://wegokg.example.org{SEONGNAM}.{expected}"


def test_the_w3id_rules_send_anything_else_to_the_same_path_on_the_site(w3id):
    status, headers, _ = w3id("/download/wegokg.ttl")
    assert status == 302
    assert headers["Location"] == "https://wegokg.example.org/download/wegokg.ttl"
    status, headers, _ = w3id("/ontology", "text/turtle")
    assert (status, headers["Location"]) == (303, "https://wegokg.example.org/ontology.ttl")


def test_the_conneg_command_checks_and_rewrites_the_rules(checkout_copy):
    from support.wegokg_server import WEGOKG

    def wegokg(*args: str) -> subprocess.CompletedProcess:
        command = [str(WEGOKG), "--root", str(checkout_copy), "conneg", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=60)

    assert wegokg("--check").returncode == 0
    rules = checkout_copy / "deploy" / "w3id.htaccess"
    rules.write_text(rules.read_text().replace("[E=WEGOKG_DOC:jsonld]", "[E=WEGOKG_DOC:nt]"))
    stale = wegokg("--check")
    assert stale.returncode == 1
    assert "w3id.htaccess" in stale.stdout and "wegokg conneg" in stale.stderr
    assert wegokg().returncode == 0
    assert rules.read_text() == (DEPLOY / "w3id.htaccess").read_text()
    assert wegokg("--check").returncode == 0
