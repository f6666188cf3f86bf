"""What an interrupted run leaves behind (issue 16, §4 and §5): a signal during the server's
start-up leaves nothing, and what SIGKILL leaves is recognised by name and removed by the next
run, which says so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, free_port
from support.inprocess import wegokg

WEGOKG = [sys.executable, "-m", "wegokg.cli.main"]


def dead_pid() -> int:
    """The number of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(done.stdout)


@pytest.mark.parametrize("stop", [signal.SIGHUP, signal.SIGQUIT, signal.SIGTERM])
def test_a_signal_during_start_up_leaves_no_scratch_folder(tmp_path, stop):
    process = subprocess.Popen(
        [*WEGOKG, "serve", "--port", str(free_port())],  # builds a site first: a slow start
        cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp_path)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("wegokg-serve-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert list(tmp_path.glob("wegokg-serve-*")), "the server made no scratch folder"
    process.send_signal(stop)
    out, err = process.communicate(timeout=60)
    assert "serving http" not in out, "the signal came after the start-up; nothing was tested"
    assert process.returncode == 0, err
    assert f"stopped by {stop.name}" in err
    assert "Traceback" not in err
    assert not list(tmp_path.iterdir()), "the scratch folder was left behind"


def test_the_next_server_removes_what_a_killed_one_left(tmp_path, tiny_site):
    from support.wegokg_server import running

    killed = tmp_path / f"wegokg-serve-{dead_pid()}-abcd1234"
    (killed / "site").mkdir(parents=True)
    (killed / "wegokg.nq").write_text("<a:b> <a:c> <a:d> .\n")
    alive = tmp_path / f"wegokg-serve-{os.getpid()}-efgh5678"  # a server still running
    alive.mkdir()
    with running(free_port(), tmp_path, "--site", str(tiny_site)) as server:
        log = server.log.read_text()
    assert not killed.exists()
    assert alive.is_dir()
    assert f"removed {killed}" in log


@pytest.mark.parametrize("command", ["export", "site"])
def test_the_next_export_or_site_removes_the_staging_folder_of_a_killed_one(tmp_path, command):
    output = tmp_path / "out"
    killed = tmp_path / f".out.wegokg-{command}-{dead_pid()}-new-abcd1234"
    killed.mkdir()
    (killed / "wegokg.ttl").write_text("half")
    alive = tmp_path / f".out.wegokg-{command}-{os.getpid()}-new-efgh5678"
    alive.mkdir()
    other = tmp_path / f".other.wegokg-{command}-{dead_pid()}-new-abcd1234"  # not this output's
    other.mkdir()
    done = wegokg(command, "-o", str(output))
    assert done.returncode == 0, done.stderr
    assert not killed.exists()
    assert alive.is_dir() and other.is_dir()
    assert f"removed {killed}" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, other.name, "out"])


def test_the_server_refuses_data_that_does_not_validate(tmp_path_factory, checkout_copy, tiny_site):
    scratch = tmp_path_factory.mktemp("scratch")
    article = checkout_copy / "data" / "articles" / "seongnam-2021-10-20.ttl"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace('"2023-12-31"^^xsd:date', '"2023년 말"', 1), encoding="utf-8")
    done = subprocess.run(
        [*WEGOKG, "serve", "--port", str(free_port()), "--site", str(tiny_site)],
        cwd=checkout_copy, env={**os.environ, "TMPDIR": str(scratch)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "schema:endDate" in done.stderr
    assert "the data does not validate, so it is not served" in done.stderr
    assert "serving http" not in done.stdout
    assert not list(scratch.iterdir())
