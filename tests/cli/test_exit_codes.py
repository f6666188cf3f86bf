"""The README's table of exit codes holds, row by row (issue 16, §3).

The cases are read from the table in README.md, so the table and the tests cannot drift apart:
a row without a setup here, or a setup without a row, fails."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from support.inprocess import wegokg
from support.layout import copy_repository

TABLE = re.compile(r"<!-- exit-code-cases -->\n\| case .*\n\|---.*\n((?:\|.*\n)+)")


def readme_cases() -> list[tuple[str, str, int]]:
    block = TABLE.search((ROOT / "README.md").read_text(encoding="utf-8")).group(1)
    rows = []
    for line in block.splitlines():
        case, example, code = (cell.strip() for cell in line.strip("|").split("|"))
        rows.append((case, example, int(code)))
    return rows


def invalid_data(tmp_path):
    copy = copy_repository(tmp_path)
    article = copy / "data" / "articles" / "seongnam-2021-10-20.ttl"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace('"2023-12-31"^^xsd:date', '"2023년 말"', 1), encoding="utf-8")
    return ("--root", str(copy), "validate")


def folder_with_other_files(tmp_path, command):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine\n")
    return (command, "-o", str(tmp_path / "out"))


def query_file(tmp_path, content: bytes | None, name="query.rq"):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    return ("sparql", "-f", str(path))


def broken_shapes(tmp_path):
    copy = copy_repository(tmp_path)
    with open(copy / "shapes" / "core.ttl", "a", encoding="utf-8") as shapes:
        shapes.write("\n garbage { ;;\n")
    return ("--root", str(copy), "validate")


def broken_stored_query(tmp_path):
    copy = copy_repository(tmp_path)
    header = (copy / "queries" / "host-city-bids.rq").read_text(encoding="utf-8").splitlines()
    kept = [line for line in header if line.startswith("# ") and not line.startswith("# param")]
    (copy / "queries" / "broken.rq").write_text(
        "\n".join(kept) + "\nSELECT ?x WHERE { ?x ?y \n", encoding="utf-8"
    )
    return ("--root", str(copy), "query", "run", "broken")


SETUPS = {
    "the data does not validate": invalid_data,
    "an unknown stored query": lambda tmp: ("query", "run", "no-such-query"),
    "a query with a syntax error": lambda tmp: ("sparql", "SELEC ?x"),
    "an output folder holding files of yours": lambda tmp: folder_with_other_files(tmp, "export"),
    "the same for the site": lambda tmp: folder_with_other_files(tmp, "site"),
    "an output folder that is a file": lambda tmp: ("export", "-o", "/etc/hostname"),
    "an output file that is a folder, a pipe or a device": lambda tmp: ("validate", "-o", str(tmp)),
    "a query file that is missing": lambda tmp: query_file(tmp, None),
    "a query file that is not UTF-8": lambda tmp: query_file(
        tmp, "SELECT ?café {}".encode("latin-1")
    ),
    "a query file that is a folder": lambda tmp: ("sparql", "-f", str(tmp)),
    "a shapes file that does not parse": broken_shapes,
    "a stored query that does not parse": broken_stored_query,
    "an endpoint that is down": lambda tmp: (
        "query",
        "run",
        "host-city-bids",
        "--endpoint",
        "http://127.0.0.1:9/sparql",
        "--timeout",
        "5",
    ),  # fmt: skip
}


def test_every_row_of_the_table_has_a_case_here_and_back():
    assert sorted(case for case, _, _ in readme_cases()) == sorted(SETUPS)


@pytest.mark.parametrize(
    ("case", "example", "code"), readme_cases(), ids=[row[0] for row in readme_cases()]
)
def test_the_readme_exit_code_holds(case, example, code, tmp_path):
    args = SETUPS[case](tmp_path)
    done = wegokg(*args, cwd=ROOT)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    said = done.stdout if code == 1 else done.stderr  # a report, or one line saying why
    assert said.strip(), done


def test_export_checks_its_folder_before_the_slow_validation(tmp_path):
    root_args = invalid_data(tmp_path)[:2]
    args = folder_with_other_files(tmp_path, "export")
    done = wegokg(*root_args, *args, cwd=ROOT)
    assert done.returncode == 2, done.stderr  # not 1: the data was never validated
    assert "did not write" in done.stderr
