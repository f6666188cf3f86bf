"""Progress on long steps (parsing, validating, exporting), on stderr, so that a big job never
runs in silence.

Silent unless the command line turns it on: library users get no output they did not ask for. On
a terminal a step shows a bar that is cleared when it ends; elsewhere (CI logs) a step that is
still running after a second says so in one line, and says when it is done.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

_enabled = False
_stream: TextIO = sys.stderr
DELAY = 1.0  # seconds before a step is worth mentioning


def enable(stream: TextIO | None = None) -> None:
    """Report progress on ``stream`` (standard error by default) from now on."""
    global _enabled, _stream
    _enabled = True
    _stream = stream or sys.stderr


def disable() -> None:
    global _enabled
    _enabled = False


class Step:
    """One step in progress; ``advance()`` counts units of work done out of ``total``."""

    def __init__(self, label: str, total: int | None, stream: TextIO) -> None:
        self.label, self.total, self.stream = label, total, stream
        self.done = 0
        self.started = time.monotonic()
        self.terminal = stream.isatty()
        self.announced = False
        self._drawn = 0.0
        self._timer: threading.Timer | None = None
        if not self.terminal:
            self._timer = threading.Timer(DELAY, self._announce)
            self._timer.daemon = True
            self._timer.start()

    def advance(self, units: int = 1) -> None:
        self.done += units
        now = time.monotonic()
        if self.terminal and now - self.started > DELAY and now - self._drawn > 0.1:
            self._drawn = now
            self.stream.write("\r" + self._bar())
            self.stream.flush()

    def _bar(self) -> str:
        if not self.total:
            return f"wegokg: {self.label} … {self.done}"
        filled = int(30 * min(self.done, self.total) / self.total)
        return (
            f"wegokg: {self.label} [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}"
        )

    def _announce(self) -> None:
        self.announced = True
        self.stream.write(f"wegokg: {self.label} …\n")
        self.stream.flush()

    def finish(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        elapsed = time.monotonic() - self.started
        if self.terminal and self._drawn:
            self.stream.write("\r" + " " * len(self._bar()) + "\r")
        if self.announced or (self.terminal and elapsed > DELAY):
            self.stream.write(f"wegokg: {self.label}: done in {elapsed:.1f} s\n")
        self.stream.flush()


class _Silent:
    def advance(self, units: int = 1) -> None:
        pass


@contextmanager
def step(label: str, total: int | None = None) -> Iterator[Step | _Silent]:
    """Report a step while its body runs: ``with step("parsing", len(files)) as s: s.advance()``."""
    if not _enabled:
        yield _Silent()
        return
    current = Step(label, total, _stream)
    try:
        yield current
    finally:
        current.finish()
