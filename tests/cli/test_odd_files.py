"""Files that are not what they seem (issue 16, section 1): links to nothing, link loops, pipes,
devices and folders where a file is expected. Every command names the file in one line and exits
3; nothing blocks and nothing is read without limit. Every file is read through
``wegokg.core.repository.read_regular_file``."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from support.inprocess import wegokg

from wegokg.curate.turtle_format import check_file

COMMANDS = {
    "validate": ["validate"],
    "query list": ["query", "list"],
    "stats": ["stats"],
    "search": ["search", "seongnam"],
    "export": ["export", "-o", "{tmp}/export"],
    "site": ["site", "-o", "{tmp}/site"],
    "coverage": ["coverage"],
    "fmt --check": ["fmt", "--check"],
}


def in_a_process(*args: str, cwd: Path, stdin=None) -> subprocess.CompletedProcess:
    """The command in a process of its own, under 1 GB of memory and a time limit far above its
    need: a read that blocks or does not end fails the test instead of hanging the suite."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))

    return subprocess.run(
        [sys.executable, "-m", "wegokg.cli.main", *args],
        cwd=cwd, capture_output=True, text=True, timeout=60, preexec_fn=limit_memory,
        stdin=stdin,
    )  # fmt: skip


def one_line_naming(done, path: Path) -> bool:
    lines = done.stderr.strip().splitlines()
    return len(lines) == 1 and str(path) in lines[0] and "Traceback" not in done.stdout


@pytest.mark.parametrize("kind", ["dangling", "loop"])
@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_broken_link_in_data_stops_every_command_with_one_line(
    dataset_copy, tmp_path, kind, command
):
    link = dataset_copy / "data" / "curated" / "broken.ttl"
    link.symlink_to("nowhere.ttl" if kind == "dangling" else "broken.ttl")
    done = wegokg(*(part.format(tmp=tmp_path) for part in command), cwd=dataset_copy)
    assert done.returncode == 3, done.stderr
    assert one_line_naming(done, link), done.stderr
    assert ("to nothing" if kind == "dangling" else "loop") in done.stderr


@pytest.mark.parametrize("command", [["validate"], ["fmt", "--check"]], ids=" ".join)
def test_a_fifo_in_data_does_not_block(dataset_copy, command):
    fifo = dataset_copy / "data" / "articles" / "pipe.ttl"
    os.mkfifo(fifo)
    done = in_a_process(*command, cwd=dataset_copy)
    assert done.returncode == 3 and one_line_naming(done, fifo), done.stderr
    assert "not a regular file" in done.stderr


def test_a_fifo_named_to_fmt_does_not_block(tmp_path):
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    done = in_a_process("fmt", "--check", str(fifo), cwd=tmp_path)
    assert done.returncode == 3 and "not a regular file" in done.stderr


@pytest.mark.parametrize("source", ["/dev/zero", "FIFO", "FOLDER"])
def test_sparql_reads_only_a_regular_file_of_limited_size(tmp_path, source):
    if source == "FIFO":
        source = str(tmp_path / "query.fifo")
        os.mkfifo(source)
    elif source == "FOLDER":
        source = str(tmp_path)
    done = in_a_process("sparql", "-f", source, cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    assert one_line_naming(done, Path(source)), done.stderr


def test_sparql_refuses_a_query_file_over_the_size_limit(tmp_path):
    from wegokg.core.queryfile import MAX_QUERY_FILE_BYTES

    query = tmp_path / "big.rq"
    query.write_text("ASK {}" + " " * MAX_QUERY_FILE_BYTES, encoding="utf-8")
    done = wegokg("sparql", "-f", str(query))
    assert done.returncode == 3 and "size limit" in done.stderr


def test_quote_on_a_folder_is_one_line():
    done = wegokg("quote", "data/sources", "x")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "not a regular file" in done.stderr


def test_fmt_formats_the_target_of_a_link_and_keeps_the_link(tmp_path):
    from conftest import ROOT

    target = tmp_path / "cities.ttl"
    target.write_bytes((ROOT / "data" / "curated" / "cities.ttl").read_bytes() + b"\n\n")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    assert check_file(target) is not None
    done = wegokg("fmt", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.resolve() == target
    assert check_file(target) is None


# -- A byte-order mark at the start of a query file ------------------------------------------


def test_sparql_accepts_a_query_file_that_starts_with_a_byte_order_mark(tmp_path):
    query = tmp_path / "bom.rq"
    query.write_bytes("\ufeffASK { ?s ?p ?o }".encode())
    done = wegokg("sparql", "-f", str(query))
    assert done.returncode == 0, done.stderr
    assert "true" in done.stdout


def test_a_stored_query_that_starts_with_a_byte_order_mark_runs(dataset_copy):
    stored = dataset_copy / "queries" / "award-winners.rq"
    stored.write_bytes("\ufeff".encode() + stored.read_bytes())
    done = wegokg("query", "run", "award-winners", "--format", "csv", cwd=dataset_copy)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) > 1


def test_sparql_reads_standard_input_only_up_to_the_size_limit(tmp_path):
    with open("/dev/zero", "rb") as zeros:
        done = in_a_process("sparql", "-f", "-", cwd=tmp_path, stdin=zeros)
    assert done.returncode == 3 and "size limit" in done.stderr, done.stderr
