"""Citable releases: `wegokg release` writes one folder per version whose checksums verify, whose
DCAT description lists each file and links the version before it, and which is byte-identical
when built twice; the version is written once; CITATION.cff validates with cffconvert."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from wegokg.core.namespaces import DEFAULT_ENDPOINT
from wegokg.core.repository import Repository
from wegokg.core.version import VERSION
from wegokg.publish.examples import catalog_graph
from wegokg.publish.release import (
    CHANGELOG_FILE,
    DESCRIPTION_FILE,
    SUMS_FILE,
    ReleaseError,
    build_release,
    changelog_versions,
    release_iri,
)
from wegokg.query.catalog import QueryCatalog

DCAT = "http://www.w3.org/ns/dcat#"


def _release(dataset, out: Path, version: str = VERSION, changelog: Path | None = None) -> Path:
    repository = Repository.find(ROOT)
    return build_release(
        dataset,
        out,
        version=version,
        changelog=changelog or ROOT / CHANGELOG_FILE,
        shapes=repository.shapes,
        catalog_rdf=catalog_graph(QueryCatalog.from_repository(repository), DEFAULT_ENDPOINT),
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def release(dataset, tmp_path_factory) -> Path:
    return _release(dataset, tmp_path_factory.mktemp("releases"))


def test_a_release_holds_every_dump_view_shapes_and_catalog(release):
    assert release.name == VERSION
    names = set(_files(release))
    assert {"wegokg.ttl", "wegokg.nt", "wegokg.nq", "wegokg.trig", "wegokg.jsonld"} <= names
    assert {"wegokg.rdf", "wegokg-schema.jsonld", "shapes.ttl", "catalog.ttl"} <= names
    assert {"wego.ttl", "wego-with-imports.ttl", "void.ttl", SUMS_FILE, DESCRIPTION_FILE} <= names


def test_the_checksums_of_a_release_verify(release):
    files = _files(release)
    listed = {}
    for line in files[SUMS_FILE].decode("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == set(files) - {SUMS_FILE}
    for name, digest in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--check", "--quiet", SUMS_FILE], cwd=release, check=True)


def test_the_dcat_description_lists_each_file(release):
    graph = Graph().parse(release / DESCRIPTION_FILE, format="turtle")
    me = release_iri(VERSION)
    assert (me, RDF.type, URIRef(DCAT + "Dataset")) in graph
    distributions = set(graph.objects(me, URIRef(DCAT + "distribution")))
    urls = {str(graph.value(d, URIRef(DCAT + "downloadURL"))) for d in distributions}
    names = {url.rsplit("/", 1)[1] for url in urls}
    assert names == set(_files(release)) - {DESCRIPTION_FILE}
    for d in distributions:
        assert (d, RDF.type, URIRef(DCAT + "Distribution")) in graph
        name = str(graph.value(d, URIRef(DCAT + "downloadURL"))).rsplit("/", 1)[1]
        size = graph.value(d, URIRef(DCAT + "byteSize"))
        if name != SUMS_FILE:
            assert int(size) == (release / name).stat().st_size, name
    assert str(graph.value(me, OWL.versionInfo)) == VERSION


def test_the_same_version_gives_the_same_bytes(release, tmp_path):
    """Built again in another process, under another hash seed, through the command."""
    environment = dict(os.environ, PYTHONHASHSEED="7", WEGOKG_ROOT=str(ROOT))
    subprocess.run(
        [sys.executable, "-m", "wegokg.cli.main", "release", "-o", str(tmp_path)],
        check=True,
        capture_output=True,
        env=environment,
        cwd=ROOT,
    )
    assert _files(tmp_path / VERSION) == _files(release)


def test_a_version_links_the_version_before_it(dataset, tmp_path):
    changelog = tmp_path / CHANGELOG_FILE
    text = (ROOT / CHANGELOG_FILE).read_text(encoding="utf-8")
    changelog.write_text(
        text.replace("## [Unreleased]", "## [Unreleased]\n\n## [9.9.0] - 2027-01-01", 1),
        encoding="utf-8",
    )
    folder = _release(dataset, tmp_path / "out", "9.9.0", changelog)
    graph = Graph().parse(folder / DESCRIPTION_FILE, format="turtle")
    previous = graph.value(release_iri("9.9.0"), URIRef(DCAT + "previousVersion"))
    assert previous == release_iri(VERSION)


def test_a_version_without_a_changelog_entry_is_refused_and_nothing_is_written(dataset, tmp_path):
    with pytest.raises(ReleaseError, match=r"no entry '## \[7\.0\.0\]"):
        _release(dataset, tmp_path / "out", "7.0.0")
    assert not (tmp_path / "out").exists()


def test_the_command_refuses_a_missing_entry_in_one_line(tmp_path, checkout_copy):
    (checkout_copy / CHANGELOG_FILE).write_text("# Changelog\n\n## [Unreleased]\n")
    result = subprocess.run(
        [sys.executable, "-m", "wegokg.cli.main", "--root", str(checkout_copy), "release"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"no entry '## [{VERSION}]" in result.stderr
    assert not (checkout_copy / "release").exists()


def test_the_version_is_written_once_and_every_file_that_states_it_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "src/wegokg/core/version.py"
    ontology = Graph().parse(ROOT / "ontology" / "wego.ttl")
    onto = URIRef("https://w3id.org/wegokg/ontology")
    assert str(ontology.value(onto, OWL.versionInfo)) == VERSION
    assert str(ontology.value(onto, OWL.versionIRI)).endswith("/" + VERSION)
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf'^version: "{re.escape(VERSION)}"$', citation, re.M)
    codemeta = json.loads((ROOT / "codemeta.json").read_text(encoding="utf-8"))
    assert codemeta["version"] == VERSION
    assert codemeta["softwareRequirements"] == project["project"]["dependencies"]
    assert VERSION in [v.number for v in changelog_versions(ROOT / CHANGELOG_FILE)]


def test_citation_cff_validates_with_cffconvert():
    from conftest import require
    from support.cffconvert import cffconvert

    executable, reason = cffconvert()
    require(executable is not None, reason)
    result = subprocess.run(
        [executable, "--validate", "-i", str(ROOT / "CITATION.cff")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout


def test_cffconvert_refuses_a_citation_without_authors(tmp_path):
    from conftest import require
    from support.cffconvert import cffconvert

    executable, reason = cffconvert()
    require(executable is not None, reason)
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    broken = tmp_path / "CITATION.cff"
    broken.write_text(re.sub(r"^authors:\n  - name: .*\n", "", text, flags=re.M), encoding="utf-8")
    assert "authors" not in broken.read_text(encoding="utf-8")
    result = subprocess.run([executable, "--validate", "-i", str(broken)], capture_output=True)
    assert result.returncode != 0


def test_the_readme_says_how_to_cite():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## How to cite" in readme
    assert "CITATION.cff" in readme


def test_the_command_refuses_invalid_data_and_writes_nothing(checkout_copy):
    from support.inprocess import wegokg

    people = checkout_copy / "data" / "curated" / "people.ttl"
    people.write_text(
        people.read_text(encoding="utf-8").replace('"오세훈"@ko', '"오세훈"@ja'), encoding="utf-8"
    )
    done = wegokg("release", "-o", "out", cwd=checkout_copy)
    assert done.returncode == 1
    assert "nothing was released" in done.stderr
    assert not (checkout_copy / "out").exists()


def test_a_release_folder_holding_other_files_is_refused(dataset, tmp_path):
    from wegokg.publish.release import ReleaseFolderError

    folder = tmp_path / "releases" / VERSION
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(ReleaseFolderError, match="notes.txt"):
        _release(dataset, tmp_path / "releases")
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
