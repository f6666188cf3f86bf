"""Start ``wegokg serve`` as a real process on 127.0.0.1 for the tests, and stop it again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

WEGOKG = Path(sys.executable).with_name("wegokg")


@dataclass
class RunningServer:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return f"{self.url}/sparql"


def start(port: int, scratch: Path, *options: str) -> RunningServer:
    """Start the server and wait until its endpoint answers (at most 60 s)."""
    log = scratch / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(WEGOKG), "serve", "--port", str(port), *options],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(scratch)},
        )
    server = RunningServer(process, port, log)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{server.endpoint}?query=ASK%7B%7D", timeout=5).read()
            return server
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(server)
                raise RuntimeError(f"wegokg serve did not start:\n{log.read_text()}") from None
            time.sleep(0.1)


def stop(server: RunningServer) -> int:
    """SIGTERM, as a service manager would stop it; the exit status."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
    return server.process.returncode


@contextmanager
def running(port: int, scratch: Path, *options: str) -> Iterator[RunningServer]:
    server = start(port, scratch, *options)
    try:
        yield server
    finally:
        stop(server)


def workers_of(pid: int) -> list[int]:
    """The query worker processes of a server (multiprocessing's own resource tracker, which
    leaves by itself once the server is gone, is not one)."""
    return [p for p in children_of(pid) if b"spawn_main" in _command_line(p)]


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid``, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name, in parentheses, may hold spaces; the fields after it are fixed.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found
