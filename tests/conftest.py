"""Shared fixtures: the repository, its loaded dataset, and a real Oxigraph SPARQL server."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from support.layout import ROOT, copy_repository

IN_CI = os.environ.get("CI") == "true"


def require(condition: bool, reason: str) -> None:
    """Skip, loudly, when a real component is missing; in CI, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this component: {reason}")
    pytest.skip(f"COMPONENT MISSING, TEST NOT RUN: {reason}")


@pytest.fixture
def checkout_copy(tmp_path) -> Path:
    """A scratch copy of the whole checkout (without its venvs, git folder, packages and exports),
    for a test to break."""
    return copy_repository(tmp_path, whole=True)


@pytest.fixture
def dataset_copy(tmp_path) -> Path:
    """A scratch copy of the dataset's folders only (ontology, data, shapes, queries, docs): a
    repository every command accepts, for a test to break, at a fifth of the cost."""
    return copy_repository(tmp_path)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def dataset():
    from wegokg.core.loading import load

    return load(ROOT)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str | None:
    beside_python = Path(sys.executable).with_name("oxigraph")
    return str(beside_python) if beside_python.exists() else shutil.which("oxigraph")


@pytest.fixture(scope="session")
def oxigraph_endpoint(dataset, tmp_path_factory):
    """A read-only Oxigraph server on 127.0.0.1 holding the dataset, with the set union of its
    named graphs as its default graph (as the embedded engines have it); yields its query URL."""
    from wegokg.core.loading import dataset_nquads

    binary = oxigraph_binary()
    require(binary is not None, "the oxigraph server (pip install oxigraph)")
    folder = tmp_path_factory.mktemp("oxigraph")
    quads = folder / "wegokg.nq"
    quads.write_bytes(dataset_nquads(dataset))
    store = folder / "store"
    subprocess.run(
        [binary, "load", "--location", str(store), "--file", str(quads)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    server = subprocess.Popen(
        [binary, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    err = server.stderr.read().decode() if server.stderr else ""
                    pytest.fail(f"the oxigraph server did not start: {err}")
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


TINY_SITE = {
    "index.html": '<!DOCTYPE html><html lang="en"><title>wegokg</title><h1>wegokg</h1></html>\n',
    "id/city/seongnam.html": '<!DOCTYPE html><html lang="ko"><title>성남시</title></html>\n',
    "id/city/seongnam.ttl": "<https://w3id.org/wegokg/id/city/seongnam> a <urn:x:City> .\n",
    "id/city/seongnam.jsonld": '{"@id": "https://w3id.org/wegokg/id/city/seongnam"}\n',
    "id/city/seongnam.nt": "<https://w3id.org/wegokg/id/city/seongnam> a <urn:x:City> .\n",
}


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory) -> Path:
    """A four-document site, standing in for 'wegokg site' where only serving is tested."""
    folder = tmp_path_factory.mktemp("site")
    for name, text in TINY_SITE.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def wegokg_server(tiny_site, tmp_path_factory):
    """'wegokg serve' on 127.0.0.1 with a 2 s time limit and a 100-row cap, over tiny_site."""
    from support.wegokg_server import running

    scratch = tmp_path_factory.mktemp("serve")
    with running(free_port(), scratch, "--site", str(tiny_site), "--timeout", "2",
                 "--max-rows", "100") as server:  # fmt: skip
        yield server


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where tests leave files for people to look at (screenshots, figures): $WEGOKG_ARTIFACTS,
    else tests/artifacts/ (not committed)."""
    folder = Path(os.environ.get("WEGOKG_ARTIFACTS") or ROOT / "tests" / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def oxigraph_store(tmp_path_factory):
    """A writable, empty Oxigraph server on 127.0.0.1, for loading into (a RemoteStore)."""
    from support.stores import start_oxigraph

    binary = oxigraph_binary()
    require(binary is not None, "the oxigraph server (pip install oxigraph)")
    server, store = start_oxigraph(binary, tmp_path_factory.mktemp("oxigraph-store"), free_port())
    try:
        yield store
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def virtuoso_store(tmp_path_factory):
    """A scratch Virtuoso (Debian's virtuoso-opensource) on 127.0.0.1 (a RemoteStore)."""
    from support.stores import VIRTUOSO_INI, start_virtuoso, stop_virtuoso

    require(
        bool(shutil.which("virtuoso-t") and shutil.which("isql-vt") and VIRTUOSO_INI.exists()),
        "Virtuoso (Debian: apt-get install virtuoso-opensource)",
    )
    sql_port, http_port = free_port(), free_port()
    server, store = start_virtuoso(tmp_path_factory.mktemp("virtuoso"), sql_port, http_port)
    try:
        yield store
    finally:
        stop_virtuoso(server, sql_port, store.password)


@pytest.fixture(scope="session")
def built_site(dataset, tmp_path_factory):
    """The site of the repository's data, built once per run (pytest-xdist's workers share it)
    into a folder that every user may read (a web server's workers run as another user), removed
    at the end."""
    import tempfile

    from support.shared import shared_folder

    from wegokg.core.loading import load_shapes
    from wegokg.publish.site import build_site
    from wegokg.query.catalog import QueryCatalog

    def build() -> Path:
        folder = Path(tempfile.mkdtemp(prefix="wegokg-site-"))
        folder.chmod(0o755)
        try:
            build_site(
                dataset,
                folder / "site",
                catalog=QueryCatalog.from_repository(ROOT),
                version="0.1.0",
                shapes=load_shapes(ROOT),
                diagram=ROOT / "docs" / "data-model.svg",
            )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return folder

    with shared_folder(tmp_path_factory, "built-site", build) as folder:
        yield folder / "site"


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C must reach the commands the tests interrupt. A shell without job control starts a
    background command with SIGINT ignored, which every child would inherit (and Python then
    installs no KeyboardInterrupt): the signal tests would wait for processes that cannot stop."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Let a selected test module start slow work at once, to overlap with the tests before it.

    A module does so by defining ``start_in_background(items)``, which receives its selected
    tests (tests/data/test_shapes.py, tests/validation/test_independent_engine.py). Under
    pytest-xdist every worker collects every test, so there the modules do their work when their
    tests ask for it."""
    if os.environ.get("PYTEST_XDIST_WORKER") or session.config.option.collectonly:
        return
    by_module: dict[object, list[pytest.Item]] = {}
    for item in session.items:
        if isinstance(item, pytest.Function):
            by_module.setdefault(item.module, []).append(item)
    for module, items in by_module.items():
        start = getattr(module, "start_in_background", None)
        if callable(start):
            start(items)
            _started.append(module)


_started: list[object] = []


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Drop the background work that no test is left to read (after -x or Ctrl-C)."""
    for module in _started:
        stop = getattr(module, "stop_in_background", None)
        if callable(stop):
            stop()


LONG_MARKERS = ("fuzz", "load", "node", "package", "browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the modules that hold a long test (the markers in ``LONG_MARKERS``) first, whole.

    pytest-xdist's ``--dist worksteal`` (pyproject.toml) gives each worker one half of this list
    and lets a worker that runs out take the other's last pending tests. So a module's tests stay
    together in one worker, and its module-scoped fixtures (servers, a built site, the cross-check
    of the two SHACL engines) are set up once rather than in each worker; and the long tests start
    early, rather than at the end where one worker would wait alone for them."""
    long_modules = {
        item.nodeid.partition("::")[0]
        for item in items
        if any(item.get_closest_marker(marker) for marker in LONG_MARKERS)
    }
    items.sort(key=lambda item: item.nodeid.partition("::")[0] not in long_modules)
