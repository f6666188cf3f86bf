"""How long the reconciliation service takes to answer a batch of 100 queries on the real data
(issue 15's target: at most 200 ms), in process and over HTTP against `wegokg serve`.

    .venv/bin/python benchmarks/reconcile_batch.py [--repeat 30] [--no-http]

The batch is every English and Korean label of the data's cities, countries and organizations,
then the same names written differently (no spaces, upper case, with a municipal suffix, one
letter swapped) and a few unknown names, cut at 100 queries. It prints the median, the fastest
and the slowest of ``--repeat`` runs, after one warm-up run. No figure is asserted anywhere: the
results go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEGOKG = Path(sys.executable).with_name("wegokg")


def batch_of_100(service) -> dict:
    """100 queries built from the data's own labels: exact, respelled, misspelt and unknown."""
    from wegokg.core.namespaces import ID

    kinds = ("city/", "country/", "organization/")
    names = [
        entry.name
        for entry in service.index.entries
        if entry.kind == "label" and entry.iri.startswith(tuple(ID + k for k in kinds))
    ]
    respelled = []
    for name in names:
        respelled.append(name.replace(" ", "").upper())
        respelled.append(name + ("시" if any("\uac00" <= c <= "\ud7a3" for c in name) else "-si"))
        if len(name) > 3:
            respelled.append(name[0] + name[2] + name[1] + name[3:])  # two letters swapped
    unknown = ["Atlantis", "Gotham", "El Dorado", "아틀란티스", "Shangri-La", "Springfield"]
    queries = (names + unknown + respelled)[:100]
    assert len(queries) == 100, f"only {len(queries)} queries"
    return {f"q{i}": {"query": q, "limit": 5} for i, q in enumerate(queries)}


def timed(call, repeat: int) -> list[float]:
    call()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def show(label: str, times: list[float]) -> None:
    print(
        f"{label:<44} median {statistics.median(times):6.1f} ms   "
        f"fastest {min(times):6.1f} ms   slowest {max(times):6.1f} ms   ({len(times)} runs)"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def over_http(batch: dict, repeat: int) -> list[float]:
    """Start `wegokg serve` (with an empty site), post the batch as OpenRefine does, stop it."""
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        site.mkdir()
        (site / "index.html").write_text("<!DOCTYPE html><title>-</title>\n", encoding="utf-8")
        server = subprocess.Popen(
            [str(WEGOKG), "serve", "--port", str(port), "--site", str(site)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "TMPDIR": scratch},
        )
        url = f"http://127.0.0.1:{port}/reconcile"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(url, timeout=5).read()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("wegokg serve did not start") from None
                    time.sleep(0.1)
            body = urllib.parse.urlencode({"queries": json.dumps(batch)}).encode()

            def post() -> None:
                request = urllib.request.Request(url, data=body)
                with urllib.request.urlopen(request, timeout=30) as response:
                    answer = json.loads(response.read())
                assert len(answer) == 100

            return timed(post, repeat)
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-http", action="store_true", help="only the in-process figure")
    args = parser.parse_args()

    from wegokg.core.repository import Repository
    from wegokg.server.reconcile.service import ReconcileService

    start = time.perf_counter()
    service = ReconcileService.from_repository(Repository(ROOT))
    built = (time.perf_counter() - start) * 1000
    batch = batch_of_100(service)
    answer = service.reconcile(batch)
    matched = sum(any(c["match"] for c in r["result"]) for r in answer.values())
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"1-minute load average {load:.1f}")  # fmt: skip
    print(f"data: {len(service.index.entries)} names; batch: 100 queries, {matched} matched")
    print(f"{'building the index and facts (once, at start)':<44} {built:6.1f} ms")
    show("batch of 100, in process", timed(lambda: service.reconcile(batch), args.repeat))
    if not args.no_http:
        show("batch of 100, POST /reconcile over HTTP", over_http(batch, args.repeat))


if __name__ == "__main__":
    main()
