"""Output to a terminal that is not UTF-8, and output that must fit a terminal (issue 16, §3)."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata

import pytest
from conftest import ROOT


def run(*args: str, cwd=ROOT, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wegokg.cli.main", *args],
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


# -- Tables that fit the terminal, and search's machine formats --------------------------------

PARTICIPATIONS = (
    "https://w3id.org/wegokg/id/fact/wego-general-assembly-5-award-ceremony-participation-"
)


def widest_line(text: str) -> int:
    """Columns the widest line takes in a terminal: Korean and other wide characters take two."""
    return max(
        sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        for line in text.splitlines()
    )


@pytest.mark.parametrize(
    "command",
    [("search", "officials"), ("search", "wego"), ("query", "run", "host-city-bids"),
     ("query", "run", "counts-over-time", "--lang", "ko")],
)  # fmt: skip
def test_tables_fit_a_terminal_of_80_columns(command, monkeypatch):
    from support.inprocess import wegokg

    monkeypatch.setenv("COLUMNS", "80")
    done = wegokg(*command)
    assert done.returncode == 0, done.stderr
    assert widest_line(done.stdout) <= 80, done.stdout


def test_search_never_cuts_an_iri_so_that_two_rows_look_the_same(monkeypatch):
    from support.inprocess import wegokg

    monkeypatch.setenv("COLUMNS", "80")
    lines = wegokg("search", "officials").stdout.splitlines()
    width = len(lines[1].split("  ")[0])  # the first column's dashes
    flat = "".join(line[:width].strip() for line in lines[2:-1])  # wrapped pieces joined
    for city in ("george-town", "goyang", "istanbul", "mexico-city", "sao-paulo", "seongnam"):
        assert f"award-ceremony-participation-{city}" in flat
    assert "…" not in flat


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_search_writes_csv_tsv_and_json_with_full_iris(fmt):
    import csv
    import io
    import json

    from support.inprocess import wegokg

    done = wegokg("search", "officials", "--format", fmt)
    assert done.returncode == 0, done.stderr
    if fmt == "json":
        bindings = json.loads(done.stdout)["results"]["bindings"]
        iris = [b["resource"]["value"] for b in bindings]
    elif fmt == "csv":
        iris = [row["resource"] for row in csv.DictReader(io.StringIO(done.stdout))]
    else:
        iris = [line.split("\t")[0].strip("<>") for line in done.stdout.splitlines()[1:]]
    # The six participations contain the word; near misses (role:official, …) may follow them.
    assert len([iri for iri in iris if iri.startswith(PARTICIPATIONS)]) == 6
    assert all(iri.startswith("https://w3id.org/wegokg/id/") for iri in iris)
    assert "…" not in done.stdout
