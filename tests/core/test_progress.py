"""Progress on stderr: silent by default, one line for a step that runs long outside a terminal,
a bar on a terminal."""

from __future__ import annotations

import io
import time

import pytest

from wegokg.core import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.05)
    yield
    progress.disable()


def test_progress_is_silent_unless_enabled(capsys):
    with progress.step("parsing", 3) as step:
        step.advance()
    assert capsys.readouterr().err == ""


def test_a_long_step_in_a_log_is_announced_and_closed():
    log = io.StringIO()
    progress.enable(log)
    with progress.step("parsing", 2):
        time.sleep(0.3)
    lines = log.getvalue().splitlines()
    assert lines[0] == "wegokg: parsing …"
    assert lines[1].startswith("wegokg: parsing: done in ")


def test_a_short_step_in_a_log_says_nothing():
    log = io.StringIO()
    progress.enable(log)
    with progress.step("parsing", 2) as step:
        step.advance(2)
    time.sleep(0.1)  # the announcement would have fired by now, had the step not ended
    assert log.getvalue() == ""


def test_a_terminal_shows_a_bar_with_the_count():
    screen = Terminal()
    progress.enable(screen)
    with progress.step("parsing", 4) as step:
        time.sleep(0.1)
        step.advance(2)
    assert "[###############...............] 2/4" in screen.getvalue()
    assert "parsing: done in" in screen.getvalue()
