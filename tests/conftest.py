"""Shared fixtures: the repository, its loaded dataset, and a real Oxigraph SPARQL server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI") == "true"


def require(condition: bool, reason: str) -> None:
    """Skip, loudly, when a real component is missing; in CI, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this component: {reason}")
    pytest.skip(f"COMPONENT MISSING, TEST NOT RUN: {reason}")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def dataset():
    from wegokg.load import load

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
    """A read-only Oxigraph server on 127.0.0.1 holding the dataset; yields its query URL."""
    binary = oxigraph_binary()
    require(binary is not None, "the oxigraph server (pip install oxigraph)")
    folder = tmp_path_factory.mktemp("oxigraph")
    quads = folder / "wegokg.nq"
    quads.write_bytes(dataset.serialize(format="nquads", encoding="utf-8"))
    store = folder / "store"
    subprocess.run(
        [binary, "load", "--location", str(store), "--file", str(quads)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    server = subprocess.Popen(
        [binary, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
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


def pytest_collection_finish(session: pytest.Session) -> None:
    """Let a selected test module start slow work at once, to overlap with the tests before it.

    A module does so by defining ``start_in_background(items)``, which receives its selected
    tests (tests/test_shapes.py, tests/test_independent_engine.py). Under pytest-xdist every worker
    collects every test, so there the modules do their work when their tests ask for it."""
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
