"""An export interrupted by SIGINT or SIGTERM at any moment leaves no partial file, and a reader
of the output folder sees the whole old set or the whole new one, never a mix (issue 9). Files
get the umask's permissions."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from support.small_dataset import small_dataset

from wegokg.publish.exports import ExportError, export

TRIES_PER_SIGNAL = 8

# Exports a small dataset over and over, alternating between two sets (turtle only, version 1.0;
# all formats, version 2.0), so that a signal sent at a random moment mostly lands while files are
# being written. Serializing the real data would take most of the time instead.
DRIVER = """
import sys
from pathlib import Path
sys.path[:0] = sys.argv[2:]
from support.small_dataset import small_dataset
from test_export_interrupted import OLD, NEW
from wegokg.publish.exports import export
dataset, out = small_dataset(), Path(sys.argv[1])
export(dataset, out, *OLD)
print("ready", flush=True)
while True:
    export(dataset, out, *NEW)
    export(dataset, out, *OLD)
"""
OLD = (["turtle"], "1.0")
NEW = (["all"], "2.0")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


@pytest.fixture(scope="module")
def old_and_new_sets(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    folder = tmp_path_factory.mktemp("sets")
    export(small_dataset(), folder / "old", *OLD)
    export(small_dataset(), folder / "new", *NEW)
    return snapshot(folder / "old"), snapshot(folder / "new")


def run_until_signalled(out: Path, signum: int, delay: float) -> subprocess.CompletedProcess:
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(out), str(Path(__file__).parent), str(ROOT / "tests")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    ready = driver.stdout.readline().strip()
    if ready == "ready":
        time.sleep(delay)
        driver.send_signal(signum)
    try:
        stdout, stderr = driver.communicate(timeout=120)
    finally:
        driver.kill()  # an export loop that did not stop must not outlive the test
        driver.wait()
    assert ready == "ready", stderr
    return subprocess.CompletedProcess(driver.args, driver.returncode, stdout, stderr)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_export_leaves_the_old_set_or_the_new_one_and_no_debris(
    signum, old_and_new_sets, tmp_path
):
    old, new = old_and_new_sets
    seen = {"old": 0, "new": 0}
    chance = random.Random(f"{signum}-{os.getpid()}")
    for attempt in range(TRIES_PER_SIGNAL):
        place = tmp_path / f"try-{attempt}"
        place.mkdir()
        out = place / "export"
        done = run_until_signalled(out, signum, chance.uniform(0.05, 0.5))
        assert done.returncode != 0, "the driver ended without being interrupted"
        found = snapshot(out)
        assert found in (old, new), f"try {attempt}: a mix of two sets: {sorted(found)}"
        seen["old" if found == old else "new"] += 1
        assert sorted(p.name for p in place.iterdir()) == ["export"], "debris beside the folder"
    print(f"{signal.Signals(signum).name}: {seen}")


def test_exported_files_get_the_permissions_of_the_umask(dataset, tmp_path):
    previous = os.umask(0o022)
    try:
        written = export(dataset, tmp_path / "out", ["turtle"], "1.0")
    finally:
        os.umask(previous)
    assert {oct(path.stat().st_mode & 0o777) for path in written} == {oct(0o644)}
    assert oct((tmp_path / "out").stat().st_mode & 0o777) == oct(0o755)


def test_a_new_export_replaces_the_whole_previous_set(dataset, tmp_path):
    export(dataset, tmp_path / "out", ["all"], "1.0")
    export(dataset, tmp_path / "out", ["turtle"], "1.0")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["void.ttl", "wegokg.ttl"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_export_refuses_to_replace_a_folder_holding_other_files(dataset, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match="notes.txt"):
        export(dataset, tmp_path, ["turtle"], "1.0")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
