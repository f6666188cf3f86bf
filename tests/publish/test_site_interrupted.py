"""A site build interrupted by SIGINT, SIGTERM or SIGHUP at any moment leaves no scratch folder
or temporary file beside the site, and the site is the whole earlier one or the whole new one
(issue 13, §4: before, SIGTERM left the scratch folder in 5 of 7 tries)."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

TRIES_PER_SIGNAL = 3

# Builds the small hostile site over and over, so that a signal sent at a random moment lands
# in any part of a build: while pages are made in memory, or while the disk changes.
DRIVER = """
import sys
from pathlib import Path
from rdflib import Dataset
from wegokg.query.catalog import QueryCatalog
from wegokg.publish.site import build_site
fixtures = Path(sys.argv[2])
dataset = Dataset(default_union=True)
dataset.parse(fixtures / "hostile.trig", format="trig")
catalog = QueryCatalog.from_folder(fixtures / "queries")
out = Path(sys.argv[1])
build_site(dataset, out, catalog=catalog, version="1.0")
print("ready", flush=True)
while True:
    build_site(dataset, out, catalog=catalog, version="2.0")
    build_site(dataset, out, catalog=catalog, version="1.0")
"""
FIXTURES = ROOT / "tests" / "fixtures" / "site"


def whole_site(out: Path) -> bool:
    """Every file the site's marker lists is there, and nothing else but the marker."""
    listed = (out / ".wegokg-site").read_text(encoding="utf-8").splitlines()
    present = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    return present == set(listed[1:]) | {".wegokg-site"}


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_during_a_site_build_leaves_nothing_beside_the_site(tmp_path, stop):
    chance = random.Random(f"site-{stop}")
    for attempt in range(TRIES_PER_SIGNAL):
        out = tmp_path / f"try{attempt}" / "site"
        out.parent.mkdir()
        process = subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(out), str(FIXTURES)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout.readline() == "ready\n"
        started = time.monotonic()
        time.sleep(chance.uniform(0.0, 1.5))
        process.send_signal(stop)
        try:
            process.wait(timeout=60)
        finally:
            process.kill()  # a build loop that did not stop must not outlive the test
            process.wait()
        waited = time.monotonic() - started
        assert process.returncode != 0, "the build loop ended by itself"
        assert sorted(p.name for p in out.parent.iterdir()) == ["site"], (attempt, waited)
        assert whole_site(out), attempt
