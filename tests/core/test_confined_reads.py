"""A stored text is read only from inside data/sources/ (issue 12, section 2).

Every read of a wego:textFile, and of the file ``wegokg quote`` is given, goes through
``wegokg.core.repository.read_stored_text``. It refuses a path with '..', an absolute path, a path
that a symbolic link takes out of the folder, anything but a regular file, and a file over the
size limit; and its error names only the rule, never the hash, size or content of the file.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest
from support.inprocess import wegokg

from wegokg.core.repository import MAX_STORED_TEXT_BYTES, StoredTextError, read_stored_text

SECRET = "the password is hunter2. nobody may read this line.\n"
SECRET_HASH = hashlib.sha256(SECRET.encode("utf-8")).hexdigest()


@pytest.fixture
def layout(tmp_path) -> Path:
    """data/sources/ with one stored text, and a secret file beside data/."""
    sources = tmp_path / "repo" / "data" / "sources"
    sources.mkdir(parents=True)
    (sources / "a.txt").write_text("성남시 stored text\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    return tmp_path / "repo" / "data"


def refusal(text_file: str, data: Path) -> str:
    """The rule that read_stored_text gives for the wego:textFile, checked to tell nothing."""
    with pytest.raises(StoredTextError) as caught:
        read_stored_text(text_file, data / "sources", relative_to=data)
    message = str(caught.value)
    for leak in (SECRET[:12], "hunter2", SECRET_HASH, str(len(SECRET.encode()))):
        assert leak not in message
    return caught.value.rule


def finishes(call) -> object:
    """The call's result, from a thread given ten seconds: a read that blocks fails the test
    instead of hanging it."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except Exception as error:  # handed to the test below
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "the read blocked"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_a_stored_text_inside_the_folder_is_read(layout):
    raw = read_stored_text("sources/a.txt", layout / "sources", relative_to=layout)
    assert raw.decode("utf-8") == "성남시 stored text\n"


def test_dot_dot_climbing_out_is_refused(layout):
    assert "'..'" in refusal("sources/../../secret.txt", layout)
    # even when it climbs back in
    assert "'..'" in refusal("sources/../sources/a.txt", layout)


def test_an_absolute_path_is_refused(layout):
    assert "absolute path" in refusal(str(layout.parent.parent / "secret.txt"), layout)
    assert "absolute path" in refusal("/etc/passwd", layout)


def test_a_symbolic_link_pointing_out_is_refused(layout):
    (layout / "sources" / "link.txt").symlink_to(layout.parent.parent / "secret.txt")
    assert "outside data/sources/" in refusal("sources/link.txt", layout)
    (layout / "sources" / "folder").symlink_to(layout.parent.parent, target_is_directory=True)
    assert "outside data/sources/" in refusal("sources/folder/secret.txt", layout)


def test_a_sources_folder_that_is_a_link_is_refused(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sources").symlink_to(tmp_path / "elsewhere")
    assert "symbolic link" in refusal("sources/secret.txt", tmp_path / "data")


def test_a_fifo_is_refused_without_blocking(layout):
    os.mkfifo(layout / "sources" / "pipe.txt")
    rule = finishes(lambda: refusal("sources/pipe.txt", layout))
    assert "not a regular file" in rule


def test_dev_zero_is_refused_however_it_is_named(layout):
    (layout / "sources" / "zero.txt").symlink_to("/dev/zero")
    assert "outside data/sources/" in finishes(lambda: refusal("sources/zero.txt", layout))
    assert "absolute path" in refusal("/dev/zero", layout)
    with pytest.raises(StoredTextError, match="outside data/sources/"):
        read_stored_text("/dev/zero", layout / "sources")  # as `wegokg quote /dev/zero` gives it


def test_a_one_gigabyte_sparse_file_is_refused_unread(layout):
    big = layout / "sources" / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(1024**3)
    assert big.stat().st_size > MAX_STORED_TEXT_BYTES
    rule = refusal("sources/big.txt", layout)
    assert "size limit" in rule and str(1024**3) not in rule


def test_a_folder_is_refused(layout):
    assert "not a regular file" in refusal("sources", layout)


# -- Through the commands, on a checkout whose data tries to read a file outside ------------


def leaking_source(path: str, sha256: str) -> str:
    """A news article whose wego:textFile is ``path``, with a quote and an extent into it."""
    return f"""@prefix wego: <https://w3id.org/wegokg/ontology#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix source: <https://w3id.org/wegokg/id/source/> .
@prefix quote: <https://w3id.org/wegokg/id/quote/> .

source:leak a wego:NewsArticle ;
    wego:textFile "{path}" ;
    wego:sha256 "{sha256}" ;
    wego:bodyStart 0 ;
    wego:bodyEnd {len(SECRET) - 1} ;
    wego:evidence quote:leak .

quote:leak a wego:Quote ;
    prov:wasQuotedFrom source:leak ;
    oa:exact "성남시 위고" ;
    oa:start 4 ;
    oa:end 10 .
"""


@pytest.mark.parametrize(
    "text_file,hash_given",
    [
        ("sources/../../../secret.txt", "0" * 64),  # a wrong hash: the check would print the real
        ("sources/link.txt", SECRET_HASH),  # the right hash: the check would print the offsets
        ("SECRET", "0" * 64),  # the absolute path of the secret file
    ],
    ids=["dot-dot", "link-out", "absolute"],
)
def test_the_data_of_a_fork_cannot_make_a_command_show_a_file_outside(
    dataset_copy, text_file, hash_given
):
    secret = dataset_copy.parent / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    (dataset_copy / "data" / "sources" / "link.txt").symlink_to(secret)
    text_file = str(secret) if text_file == "SECRET" else text_file
    (dataset_copy / "data" / "articles" / "leak.ttl").write_text(
        leaking_source(text_file, hash_given), encoding="utf-8"
    )
    validated = wegokg("validate", cwd=dataset_copy)
    covered = wegokg("coverage", cwd=dataset_copy)
    for done in (validated, covered):
        shown = done.stdout + done.stderr
        assert SECRET_HASH not in shown
        assert not any(word in shown for word in ("hunter2", "password", "nobody may"))
    assert validated.returncode == 1 and covered.returncode == 0, validated.stderr
    assert "cannot be read" in validated.stdout


# -- The repository's other files: a link may not take a command out of the repository ------


@pytest.mark.parametrize(
    "link,command",
    [
        ("data/curated/names.ttl", ["validate"]),
        ("data/articles/leak.ttl", ["query", "list"]),
        ("ontology/wego.ttl", ["stats"]),
        ("shapes/checks/leak.rq", ["validate"]),
        ("queries/leak.rq", ["query", "run", "leak"]),
        ("docs/data-model.svg", ["site", "-o", "site"]),
    ],
    ids=["curated", "article", "ontology", "check", "query", "diagram"],
)
def test_a_link_out_of_the_repository_is_refused_unread(dataset_copy, link, command):
    secret = dataset_copy.parent / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")  # as Turtle or SPARQL, a syntax error would show it
    path = dataset_copy / link
    path.unlink(missing_ok=True)
    path.symlink_to(secret)
    done = wegokg(*command, cwd=dataset_copy)
    assert done.returncode == 3, done.stderr
    assert "symbolic link out of the repository" in done.stderr and link in done.stderr
    assert not any(word in done.stdout + done.stderr for word in ("hunter2", "password"))
    assert not (dataset_copy / "site").exists()


def test_a_link_inside_the_repository_is_read(dataset_copy):
    names = dataset_copy / "data" / "curated" / "cities.ttl"
    moved = dataset_copy / "cities-kept-elsewhere.ttl"
    names.rename(moved)
    names.symlink_to(Path("..", "..", moved.name))
    done = wegokg("search", "성남", cwd=dataset_copy)  # the labels of cities.ttl
    assert done.returncode == 0, done.stderr
    assert "Seongnam" in done.stdout


# -- The fork's SPARQL: a shape, a check or a stored query may not read a document by FROM -----


@pytest.mark.parametrize("clause", ["FROM <file://{secret}>", "FROM NAMED <file://{secret}>"])
def test_a_fork_s_shape_cannot_read_a_file_by_from(dataset_copy, clause):
    """A SPARQL rule with FROM would make rdflib (pySHACL's route) read the file: refused, exit 3,
    before any engine sees it."""
    secret = dataset_copy.parent / "secret.nt"
    secret.write_text(
        f'<https://example.org/s> <https://example.org/p> "{SECRET.strip()}" .\n', encoding="utf-8"
    )
    rule = clause.format(secret=secret)
    with (dataset_copy / "shapes" / "rules.ttl").open("a", encoding="utf-8") as rules:
        rules.write(
            "\n<https://example.org/LeakShape> a <http://www.w3.org/ns/shacl#NodeShape> ;\n"
            "    <http://www.w3.org/ns/shacl#targetNode> <https://example.org/x> ;\n"
            "    <http://www.w3.org/ns/shacl#sparql> [\n"
            f'        <http://www.w3.org/ns/shacl#select> """SELECT $this ?value {rule} '
            'WHERE { ?s ?p ?value }""" ] .\n'
        )
    done = wegokg("validate", cwd=dataset_copy)
    shown = done.stdout + done.stderr
    assert done.returncode == 3, shown
    assert "FROM" in shown and "LeakShape" in shown
    assert not any(word in shown for word in ("hunter2", "password", "nobody may"))
