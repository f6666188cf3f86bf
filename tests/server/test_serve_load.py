"""wegokg serve under load: 20 clients at once on loopback, each going through the whole mix of
stored queries and page requests (from a different place in it) PASSES times, get no error at
all. The work is fixed, not the time (540 requests with PASSES = 1, 11 s at a load average of 4):
WEGOKG_LOAD_PASSES asks for more. The test prints (and saves to the artifacts folder) the
throughput and the p50 and p99 latencies; docs/reliability.md records them.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import statistics
import threading
import time
import urllib.request
from urllib.parse import urlencode

import pytest
from conftest import ROOT, free_port
from support.wegokg_server import running

from wegokg.query.catalog import QueryCatalog

pytestmark = [pytest.mark.server, pytest.mark.load]

CLIENTS = 20
PASSES = int(os.environ.get("WEGOKG_LOAD_PASSES", 1))
TIMEOUT_SECONDS = 300.0  # for the whole run: a client still busy then is a failure
CATALOG = QueryCatalog.from_folder(ROOT / "queries")
PAGES = [
    ("/", "text/html"),
    ("/query", "text/html"),
    ("/search.html", "text/html"),
    ("/id/city/seongnam", "text/html"),
    ("/id/city/seongnam", "text/turtle"),
    ("/id/city/goyang", "application/ld+json"),
    ("/sparql", "text/turtle"),
]


def requests_to_make(base: str) -> list[tuple[str, urllib.request.Request]]:
    """The mix: every stored query through the endpoint, and the pages a visitor opens. (Each
    request is copied before use: urllib keeps redirect counts on the Request object.)"""
    mix = []
    for stored in CATALOG:
        body = urlencode({"query": stored.render()}).encode()
        mix.append((f"query {stored.name}", urllib.request.Request(
            f"{base}/sparql", data=body,
            headers={"Accept": "application/sparql-results+json",
                     "Content-Type": "application/x-www-form-urlencoded"})))  # fmt: skip
    for path, accept in PAGES:
        mix.append((f"page {path} {accept}", urllib.request.Request(
            base + path, headers={"Accept": accept})))  # fmt: skip
    stored = CATALOG.get("award-winners").render()
    mix.append(("page /query?query=…", urllib.request.Request(
        f"{base}/query?{urlencode({'query': stored})}")))  # fmt: skip
    return mix


def test_twenty_clients_at_once_get_no_error(built_site, tmp_path, artifacts):
    with running(free_port(), tmp_path, "--site", str(built_site)) as server:
        mix = requests_to_make(server.url)
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + TIMEOUT_SECONDS

        def client(number: int) -> None:
            start = number % len(mix)
            for name, template in itertools.islice(
                itertools.cycle(mix), start, start + PASSES * len(mix)
            ):
                if time.monotonic() >= stop_at:
                    return
                request = copy.copy(template)
                started = time.monotonic()
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        response.read()
                        status = response.status
                except Exception as error:  # every failure counts, whatever its kind
                    with lock:
                        errors.append(f"{name}: {error}")
                    continue
                with lock:
                    latencies.append(time.monotonic() - started)
                    if status != 200:
                        errors.append(f"{name}: HTTP {status}")

        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.0, stop_at - time.monotonic()) + 60)
        elapsed = time.monotonic() - started
        assert not any(t.is_alive() for t in threads), "a client did not stop"

    figures = {
        "clients": CLIENTS,
        "passes": PASSES,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "errors": len(errors),
        "throughput_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(1000 * statistics.quantiles(latencies, n=100)[98], 1)
        if len(latencies) >= 100
        else None,
        "max_ms": round(1000 * max(latencies), 1) if latencies else None,
    }
    (artifacts / "serve-load.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nload test figures: {figures}")
    assert errors == []
    assert len(latencies) == CLIENTS * PASSES * len(mix)  # every request of every client
