"""Queries that cannot hurt (issue 12, section 4): a query nested deeper than the limit is
refused before any engine parses it; on the embedded engines a query runs under --timeout and
--max-memory and stops on Ctrl-C; in serve, runaways on every worker do not keep a short query
from another client waiting, and a worker that dies is logged with its reason and answered 503."""

from __future__ import annotations

import contextlib
import http.client
import signal
import subprocess
import threading
import time
from urllib.parse import urlencode

import pytest
from conftest import ROOT, free_port
from support.inprocess import wegokg
from support.wegokg_server import WEGOKG, children_of, running, start

from wegokg.core.errors import UsageError
from wegokg.core.sparql_text import MAX_NESTING, code_only, nesting_depth
from wegokg.query.engines import EndpointEngine, QueryTooDeepError, make_engine
from wegokg.query.worker_process import QueryStoppedError

DEEP = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
# Runaways: a cross product of the graph with itself three times (10^10 rows). Counted, it runs
# for hours in constant memory; sorted, it grows by gigabytes a second.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
GROWING = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"


# -- Deep nesting -----------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_query_nested_3000_deep_exits_2_with_one_line(engine):
    # A process of its own: before the limit, pyoxigraph's parser crashed it (exit 139).
    done = subprocess.run(
        [str(WEGOKG), "sparql", DEEP, "--engine", engine],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1
    assert f"deeper than the limit of {MAX_NESTING}" in done.stderr


def test_a_stored_query_nested_too_deep_is_refused_by_query_run(checkout_copy):
    deep = "SELECT ?x WHERE " + "{" * 200 + " ?x ?p ?o " + "}" * 200 + "\n"
    (checkout_copy / "queries" / "deep.rq").write_text(
        "# title: How deep?\n# title-ko: 얼마나 깊은가?\n# description: Nested too deep.\n"
        "# keywords: test\n# use: Tests.\n" + deep
    )
    done = wegokg("query", "run", "deep", "--engine", "oxigraph", cwd=checkout_copy)
    # A stored query that cannot run is the tool's unusable input, as broken shapes are (exit 3).
    assert done.returncode == 3, done.stderr
    assert "deeper than the limit" in done.stderr


def test_a_quality_check_nested_too_deep_fails_validation_naming_its_file(checkout_copy):
    check = checkout_copy / "shapes" / "checks" / "graph-evidence.rq"
    header = "".join(line for line in check.read_text().splitlines(True) if line.startswith("#"))
    check.write_text(header + DEEP + "\n")
    done = wegokg("validate", cwd=checkout_copy)
    assert done.returncode == 3, done.stderr
    assert "graph-evidence.rq" in done.stderr and "deeper than the limit" in done.stderr


@pytest.mark.parametrize("name", ["rdflib", "oxigraph"])
def test_every_embedded_engine_refuses_a_deep_query_before_parsing(dataset, name):
    engine = make_engine(name, dataset=dataset)
    with pytest.raises(QueryTooDeepError):
        engine.query(DEEP)
    with pytest.raises(QueryTooDeepError):
        engine.select(DEEP)


def test_an_endpoint_engine_refuses_a_deep_query_without_sending_it():
    engine = EndpointEngine("http://127.0.0.1:9/sparql", timeout=1)  # nothing listens there
    with pytest.raises(QueryTooDeepError):
        engine.select(DEEP)
    with pytest.raises(QueryTooDeepError):
        engine.query(DEEP)


def test_parentheses_too_deep_for_rdflib_are_a_usage_error(dataset):
    query = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 40 + "true" + ")" * 40 + ") } LIMIT 1"
    with pytest.raises(UsageError, match="nests too deeply for rdflib's parser"):
        make_engine("rdflib", dataset=dataset).select(query)
    assert len(make_engine("oxigraph", dataset=dataset).select(query).rows) == 1


def test_a_query_at_the_limit_runs(dataset):
    query = "SELECT * WHERE " + "{" * MAX_NESTING + " ?s ?p ?o " + "}" * MAX_NESTING + " LIMIT 1"
    assert len(make_engine("oxigraph", dataset=dataset).select(query).rows) == 1


@pytest.mark.parametrize(
    ("query", "depth"),
    [
        ('SELECT * { ?s ?p "{{{{ (((( [[[[" }', 1),  # brackets in a string
        ("SELECT * { ?s ?p '''{{{\n{{{''' }", 1),  # in a long string
        ('SELECT * { ?s ?p """a ""{{{""" }', 1),  # quotes inside a long string
        ('SELECT * { ?s ?p "a \\" {{{" }', 1),  # an escaped quote
        ("SELECT * { # {{{{{{\n ?s ?p ?o }", 1),  # in a comment
        ("SELECT * { ?s <http://x/#{{> ?o }", 1),  # not an IRI: '{' cannot be in one
        ("SELECT * { ?s <http://x/#> ?o } # {{{{", 1),  # '#' inside an IRI is not a comment
        ("SELECT * { ?s ex:a\\' {{{ ?o ex:b\\' }}} }", 4),  # escaped quotes of prefixed names
        ("SELECT * { ?s ex:a\\# {{{ ?o }}} }", 4),  # an escaped '#' starts no comment
        ("SELECT * WHERE \\u007B\\u007B ?s ?p ?o }}", 2),  # escapes rdflib expands
        ('SELECT * { <x\\u0022> <p> <o> {{{ ?x ?y "a" }}} }', 4),  # ... and pyoxigraph does not
        ("SELECT * { FILTER(?a<(((?b)))&&(((?c)))>?d) }", 5),  # '<' as less-than, not an IRI
        ('SELECT * { ?s ?p "never ends {{{ }', 4),  # parsing stops there; counting does not
        ("SELECT * { ?s ?p [ ?q [ ?r ( ?x ) ] ] }", 4),
    ],
)
def test_nesting_is_counted_in_code_only(query, depth):
    assert nesting_depth(query) == depth


def test_the_code_keeps_keywords_and_blanks_strings_iris_and_comments():
    query = 'SELECT * { SERVICE <http://x/> { ?s ?p "SERVICE" } } # SERVICE'
    assert code_only(query) == 'SELECT * { SERVICE <> { ?s ?p "" } } '


def test_a_megabyte_of_strings_and_brackets_is_scanned():
    # The server scans every query it is sent (up to 1 MB) before anything else: a scan that
    # backtracked on strings, or looked again for the end of every unclosed one, would be slow.
    assert nesting_depth('SELECT * { ?s ?p "' + "x{" * 500_000 + '" }') == 1
    assert nesting_depth('"""' + "{" * 1_000_000) == 1_000_000
    assert nesting_depth('"""' * 300_000) == 0


# -- Time and memory limits on the embedded engines ---------------------------------------------


def _run(*args: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run(
        [str(WEGOKG), *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    return done, time.monotonic() - started


def test_a_runaway_on_oxigraph_ends_with_exit_3_at_its_timeout():
    done, seconds = _run("sparql", ENDLESS, "--engine", "oxigraph", "--timeout", "3")
    assert done.returncode == 3, done.stderr
    assert "time limit of 3 s" in done.stderr and done.stderr.count("\n") == 1
    assert 3 <= seconds < 15


def test_a_runaway_on_rdflib_ends_with_exit_3_at_its_timeout():
    done, seconds = _run("sparql", ENDLESS, "--engine", "rdflib", "--timeout", "1")
    assert done.returncode == 3, done.stderr
    assert "time limit of 1 s" in done.stderr
    assert seconds < 15


def test_a_runaway_that_grows_is_stopped_at_its_memory_cap():
    done, _ = _run("sparql", GROWING, "--engine", "oxigraph", "--max-memory", "200")
    assert done.returncode == 3, done.stderr
    assert "needed more than its memory limit of 200 MB (--max-memory)" in done.stderr
    assert done.stderr.count("\n") == 1  # the worker's own abort message is not shown


def test_ctrl_c_stops_a_runaway_within_a_second():
    command = [str(WEGOKG), "sparql", ENDLESS, "--engine", "oxigraph", "--timeout", "600"]
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not (workers := children_of(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert workers, "the query never reached its worker"
        time.sleep(0.5)  # the worker is deep in the query now
        process.send_signal(signal.SIGINT)
        interrupted = time.monotonic()
        status = process.wait(timeout=30)
        assert time.monotonic() - interrupted < 1.0
    finally:
        process.kill()
        process.wait()
    assert status == 130
    assert not any(_alive(pid) for pid in workers)


def test_an_engine_answers_again_after_a_query_was_stopped(dataset):
    engine = make_engine("oxigraph", dataset=dataset, timeout=1)
    with pytest.raises(QueryStoppedError, match="time limit of 1 s"):
        engine.query(ENDLESS)
    assert engine.query("ASK { ?s ?p ?o }") is True
    assert len(engine.select("SELECT * WHERE { ?s ?p ?o } LIMIT 3").rows) == 3
    engine.close()


# -- serve ------------------------------------------------------------------------------------


def _ask(port: int, query: str, timeout: float = 60, source: str = "127.0.0.1"):
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0)
    )
    try:
        connection.request("GET", "/sparql?" + urlencode({"query": query}))
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.server
def test_with_every_worker_busy_on_a_runaway_a_short_query_is_answered_within_a_second(
    tmp_path, tiny_site
):
    workers = 2
    server = start(free_port(), tmp_path, "--site", str(tiny_site), "--workers", str(workers),
                   "--timeout", "60")  # fmt: skip
    try:
        # As many runaways as workers, plus one more: each worker has one, and the last one,
        # stopped on the short lane after 0.5 s, waits for a worker.
        runaways = [
            threading.Thread(target=_swallow, args=(_ask, server.port, ENDLESS))
            for _ in range(workers + 1)
        ]
        for thread in runaways:
            thread.start()
        time.sleep(1.5)
        assert _slowest_of_50_short_queries(server) < 1.0
        assert all(thread.is_alive() for thread in runaways), "a runaway ended too soon"
        logged = server.log.read_text()
        assert "killed: its query ran past the short lane's limit of 0.5 s" in logged

        # However many more arrive: one client sends a new runaway every second from each of
        # four threads, leaving the old ones running or queued.
        flooding = threading.Event()
        flooding.set()

        def flood() -> None:
            while flooding.is_set():
                _swallow(_ask, server.port, ENDLESS, 1.0)

        floods = [threading.Thread(target=flood) for _ in range(4)]
        for thread in floods:
            thread.start()
        time.sleep(2)
        try:
            assert _slowest_of_50_short_queries(server) < 1.0
        finally:
            flooding.clear()
    finally:
        server.process.kill()  # its workers die with it; no need to wait for the runaways
        server.process.wait()
    for thread in runaways + floods:
        thread.join(30)


def _slowest_of_50_short_queries(server) -> float:
    """The p99 of 50 tries, which is the slowest, of ASK {} from another client's address."""
    seconds = []
    for _ in range(50):
        started = time.monotonic()
        status, body = _ask(server.port, "ASK {}", timeout=30, source="127.0.0.2")
        seconds.append(time.monotonic() - started)
        assert (status, body.count(b"true")) == (200, 1)
    return max(seconds)


@pytest.mark.server
def test_a_worker_that_dies_is_logged_with_its_reason_and_answered_503(tmp_path, tiny_site):
    with running(free_port(), tmp_path, "--site", str(tiny_site), "--max-memory", "150",
                 "--timeout", "60") as server:  # fmt: skip
        status, body = _ask(server.port, GROWING)
        assert status == 503, body
        assert b"needed more than its memory limit of 150 MB" in body
        assert _ask(server.port, "ASK {}")[0] == 200
        status, body = _ask(server.port, DEEP)
        assert status == 400 and b"deeper than the limit" in body and body.count(b"\n") == 1
    log = server.log.read_text()
    assert "stopped: it needed more than its memory limit of 150 MB" in log
    assert "Traceback" not in log


def _swallow(function, *args):
    with contextlib.suppress(OSError):  # the connection breaks when the server stops, or times out
        return function(*args)
    return None


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            text = stat.read()
    except OSError:
        return False
    return text[text.rindex(")") + 2] not in "ZX"
