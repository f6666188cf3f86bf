"""A single-file write killed by SIGKILL (which nothing can hold back) leaves its temporary file
beside the target; the next write of the same file removes it, and nothing else (issue 13, §4)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT
from support.inprocess import wegokg

# `wegokg fmt FILE` with os.replace, the step after the temporary file is written and before it
# replaces the target, made to say so and wait: the test kills the process there.
DRIVER = """
import os
import sys
import time

def held(*args):
    print("written", flush=True)
    time.sleep(600)

os.replace = held
from wegokg.cli.main import main
main(["fmt", sys.argv[1]])
"""


def test_the_next_fmt_removes_the_temporary_a_killed_fmt_left(tmp_path):
    path = tmp_path / "cities.ttl"
    canonical = (ROOT / "data" / "curated" / "cities.ttl").read_bytes()
    path.write_bytes(canonical + b"\n\n")  # not in the canonical layout: fmt rewrites it
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(path)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        said = driver.stdout.readline().strip()
    finally:
        driver.kill()
        _, stderr = driver.communicate(timeout=60)
    assert said == "written", stderr
    (temporary,) = [p for p in tmp_path.iterdir() if p != path]
    assert temporary.name.startswith(f".cities.ttl.wegokg-write-{driver.pid}-")
    assert temporary.read_bytes() == canonical  # written in full, never renamed
    assert path.read_bytes() == canonical + b"\n\n"

    # What the next run must leave: a temporary of a running process (this one, which runs the
    # next fmt), and names the tool did not make or made for another file.
    pid = driver.pid
    kept = [
        tmp_path / f".cities.ttl.wegokg-write-{os.getpid()}-0123abcd.tmp",
        tmp_path / f".cities.ttl.wegokg-write-{pid}-0123abcd.tmp.bak",
        tmp_path / f".cities.ttl.wegokg-write-{pid}-not-hex.tmp",
        tmp_path / f".other.ttl.wegokg-write-{pid}-0123abcd.tmp",
        tmp_path / f"cities.ttl.wegokg-write-{pid}-0123abcd.tmp",
    ]
    for other in kept:
        other.write_bytes(b"not the tool's to remove")
    folder = tmp_path / f".cities.ttl.wegokg-write-{pid}-89abcdef.tmp"
    folder.mkdir()  # a folder of that name is not a temporary file

    path.write_bytes(canonical + b"\n\n")
    done = wegokg("fmt", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == canonical
    assert not temporary.exists()
    assert all(other.read_bytes() == b"not the tool's to remove" for other in kept)
    assert folder.is_dir()
    assert sorted(tmp_path.iterdir()) == sorted([path, folder, *kept])
