"""Two builds of the site are byte-identical, whatever order Python's hash tables happen to take
(rdflib keeps a property's values in sets, whose order changes with PYTHONHASHSEED)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


def _build(out: Path, seed: str) -> dict[str, bytes]:
    environment = dict(os.environ, PYTHONHASHSEED=seed, WEGOKG_ROOT=str(ROOT))
    subprocess.run(
        [sys.executable, "-m", "wegokg.cli.main", "site", "-o", str(out)],
        check=True,
        capture_output=True,
        env=environment,
        cwd=ROOT,
    )
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Two builds of the site, with different hash seeds (each build takes seconds: the tests
    share them)."""
    folder = tmp_path_factory.mktemp("sites")
    return _build(folder / "one", "1"), _build(folder / "two", "2")


def test_two_builds_of_the_site_are_byte_identical(builds):
    first, second = builds
    assert sorted(first) == sorted(second)
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == []
    assert any(name.endswith(".jsonld") and b"sameAs" in first[name] for name in first)


def test_the_site_lists_every_release_and_carries_this_one(builds):
    """The home page lists the versions of CHANGELOG.md; the release of this version is written
    under releases/VERSION/, byte for byte as `wegokg release` writes it."""
    from wegokg.core.version import VERSION
    from wegokg.publish.release import CHANGELOG_FILE, DESCRIPTION_FILE, changelog_versions

    site = builds[0]
    home = site["index.html"].decode("utf-8")
    for version in changelog_versions(ROOT / CHANGELOG_FILE):
        assert f'href="releases/{version.number}/{DESCRIPTION_FILE}"' in home
    void = site[".well-known/void"].decode("utf-8")
    assert f"<https://w3id.org/wegokg/dataset/{VERSION}>" in void
    released = {n for n in site if n.startswith(f"releases/{VERSION}/")}
    assert f"releases/{VERSION}/SHA256SUMS" in released
    assert f"releases/{VERSION}/{DESCRIPTION_FILE}" in released
