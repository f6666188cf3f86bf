"""The wheel carries the dataset: installed in a fresh venv, outside any checkout, the command and
the library work on the bundled data."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, require

pytestmark = pytest.mark.package
CITY = "https://w3id.org/wegokg/id/city/"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A scratch venv with the wheel built from this checkout installed in it."""
    folder = tmp_path_factory.mktemp("package")
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(folder / "dist"), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    require(build.returncode == 0 or "No module named build" not in build.stderr,
            "the 'build' package (pip install -e '.[dev]')")  # fmt: skip
    assert build.returncode == 0, build.stdout + build.stderr
    wheel = next((folder / "dist").glob("wegokg-*.whl"))
    venv = folder / "venv"
    # A venv without pip of its own (ensurepip takes 4 s of CPU); this pip installs into it.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)  # fmt: skip
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--quiet", "--disable-pip-version-check", str(wheel)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert pip.returncode == 0, pip.stderr
    outside = folder / "elsewhere"
    outside.mkdir()
    return {"bin": venv / "bin", "cwd": outside, "wheel": wheel}


def run(installed: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(installed["bin"] / args[0]), *args[1:]],
        cwd=installed["cwd"], capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_wheel_holds_the_dataset_files(installed):
    import zipfile

    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for relative in (
        "ontology/wego.ttl",
        "shapes/core.ttl",
        "queries/award-winners.rq",
        "data/curated/cities.ttl",
        "data/sources/000_fa9aa0f98d6df127.txt",
    ):
        assert f"wegokg/_data/{relative}" in names


def test_the_installed_command_queries_the_bundled_data(installed):
    done = run(installed, "wegokg", "query", "run", "host-city-bids", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert "dataset: bundled" in done.stderr
    rows = done.stdout.strip().splitlines()
    assert rows[0].startswith("bidder,")
    assert (
        {"https://w3id.org/wegokg/id/city/mexico-city", "https://w3id.org/wegokg/id/city/sao-paulo"}
        <= {  # noqa: E501
            row.split(",")[0] for row in rows[1:]
        }
    )


def test_the_installed_library_loads_and_validates_the_bundled_data(installed):
    code = (
        "import wegokg\n"
        "dataset = wegokg.load()\n"
        "report = wegokg.validate()\n"
        "print(len(list(dataset.graphs())) > 3, report.conforms)\n"
    )
    done = run(installed, "python", "-c", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


def test_the_installed_package_renders_pages_from_its_templates(installed):
    import zipfile

    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for relative in ("templates/frame.html", "templates/query.html", "static/search.js"):
        assert f"wegokg/publish/site/{relative}" in names
    code = (
        "from wegokg.server.query_page import render_page, stylesheet\n"
        "page = render_page([], '<b>', None, None, 10)\n"
        "print('&lt;b&gt;</textarea>' in page, b'textarea' in stylesheet())\n"
    )
    done = run(installed, "python", "-c", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]
