"""Output to a terminal that is not UTF-8, and output that must fit a terminal (issue 16, §3)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT


def run(*args: str, cwd=ROOT, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wegokg.cli", *args],
        cwd=cwd, capture_output=True, timeout=120, env={**os.environ, **env},
    )  # fmt: skip


@pytest.mark.parametrize("encoding", ["ascii", "cp949", "euc-kr"])
def test_a_terminal_that_is_not_utf8_gets_replacement_characters_not_a_traceback(encoding):
    searched = run("search", "성남", PYTHONIOENCODING=encoding)
    queried = run(
        "query", "run", "host-city-bids", "--engine", "rdflib",
        PYTHONIOENCODING=encoding,
    )  # fmt: skip
    for done in (searched, queried):
        assert done.returncode == 0, done.stderr.decode(encoding, "replace")
        assert b"Traceback" not in done.stderr
    assert b"city:seongnam" in searched.stdout
    assert b"(2 rows)" in queried.stdout and b"Mexico City" in queried.stdout


def test_a_validation_report_in_korean_reaches_an_ascii_terminal(checkout_copy):
    article = checkout_copy / "data" / "articles" / "seongnam-2021-10-20.ttl"
    text = article.read_text(encoding="utf-8")
    # The report quotes the Korean value.
    article.write_text(text.replace('"2023-12-31"^^xsd:date', '"2023년 말"', 1), encoding="utf-8")
    done = run("validate", cwd=checkout_copy, PYTHONIOENCODING="ascii")
    assert b"Traceback" not in done.stderr
    assert done.returncode == 1
    assert b"schema:endDate" in done.stdout


# -- One locator for syntax errors ------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [("stats",), ("search", "x"), ("query", "run", "host-city-bids")]
)
def test_a_syntax_error_on_the_last_line_is_named_at_that_line(checkout_copy, command):
    from support.inprocess import wegokg

    cities = checkout_copy / "data" / "curated" / "cities.ttl"
    with open(cities, "a", encoding="utf-8") as handle:
        handle.write("city:x a garbage garbage .\n")
    last = len(cities.read_text(encoding="utf-8").splitlines())
    engine = ("--engine", "rdflib") if command[0] == "query" else ()
    done = wegokg(*command, *engine, cwd=checkout_copy)
    assert done.returncode == 1
    assert f"cities.ttl:{last}: " in done.stderr, done.stderr
    assert "garbage" in done.stderr and "ulaanbaatar" not in done.stderr
