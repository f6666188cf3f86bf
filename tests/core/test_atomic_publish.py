"""Every command that publishes (``validate -o``, ``fmt``, ``export``, ``site``) writes the same
way (issue 13, §4): through a symbolic link, never over a device, a pipe or a folder, and a
refused output is refused before anything is opened for writing."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from support.inprocess import wegokg

from wegokg.core.atomic_publish import OutputPathError, publish_folder, write_file

# Every file opened for writing in this process, while a test watches (audit hooks cannot be
# removed, so the hook stays and records only into the list that is set).
WRITES: list[str] | None = None


def _watch(event: str, args: tuple) -> None:
    if WRITES is None:
        return
    if event == "open" and args[0] is not None:
        mode, flags = args[1], args[2]
        writing = (mode and any(c in str(mode) for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR)
        )
        if writing:
            WRITES.append(os.fsdecode(args[0]) if not isinstance(args[0], int) else "")


sys.addaudithook(_watch)


@pytest.fixture
def writes():
    global WRITES
    WRITES = []
    try:
        yield WRITES
    finally:
        WRITES = None


def odd_output(tmp_path: Path, kind: str) -> Path:
    """A path where a file is asked for, but something else is there."""
    path = tmp_path / "report.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "device":  # a link to /dev/null: followed, and refused without opening it
        path.symlink_to("/dev/null")
    return path


def untouched(path: Path, kind: str) -> bool:
    if kind == "fifo":
        return stat.S_ISFIFO(os.lstat(path).st_mode)
    if kind == "folder":
        return path.is_dir() and not any(path.iterdir())
    return path.is_symlink() and os.readlink(path) == "/dev/null"


KINDS = ["fifo", "device", "folder"]


@pytest.mark.parametrize("kind", KINDS)
def test_validate_refuses_to_write_its_report_over_a_pipe_a_device_or_a_folder(
    tmp_path, kind, writes
):
    output = odd_output(tmp_path, kind)
    done = wegokg("validate", "--format", "json", "-o", str(output), cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and str(output) in done.stderr, done.stderr
    assert "not a regular file" in done.stderr
    assert untouched(output, kind)
    assert not [w for w in writes if w.startswith(("/dev", str(tmp_path)))], writes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_validate_writes_its_report_through_a_symbolic_link(tmp_path):
    (tmp_path / "reports").mkdir()
    target = tmp_path / "reports" / "latest.json"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "report.json"
    link.symlink_to(Path("reports") / "latest.json")
    done = wegokg("validate", "--format", "json", "-o", str(link), cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text().startswith("{")
    assert target.stat().st_mode & 0o777 == 0o640  # a replaced file keeps its permissions
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "reports"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["latest.json"]


@pytest.mark.parametrize("kind", KINDS)
def test_write_file_refuses_what_is_not_a_regular_file_before_opening_anything(
    tmp_path, kind, writes
):
    output = odd_output(tmp_path, kind)
    with pytest.raises(OutputPathError, match="not a regular file"):
        write_file(output, b"report")
    assert untouched(output, kind)
    assert writes == []


def test_write_file_refuses_the_real_device_unopened(writes):
    with pytest.raises(OutputPathError, match="a device"):
        write_file(Path("/dev/null"), b"never")
    assert writes == []
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_new_file_gets_the_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        write_file(tmp_path / "new.txt", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["new.txt"]


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_fmt_refuses_a_pipe_or_a_device_unwritten(tmp_path, kind, writes):
    path = tmp_path / "data.ttl"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/null")
    done = wegokg("fmt", str(path), cwd=tmp_path)
    assert done.returncode == 3, done.stderr  # read first: an unreadable file, as the table says
    assert "not a regular file" in done.stderr
    assert not [w for w in writes if w.startswith(("/dev", str(tmp_path)))], writes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.ttl"]


def test_fmt_through_a_link_keeps_the_link_and_the_mode(tmp_path):
    target = tmp_path / "real.ttl"
    target.write_bytes((ROOT / "data" / "curated" / "cities.ttl").read_bytes() + b"\n\n")
    target.chmod(0o600)
    link = tmp_path / "link.ttl"
    link.symlink_to("real.ttl")
    done = wegokg("fmt", str(link), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and target.stat().st_mode & 0o777 == 0o600
    assert not target.read_bytes().endswith(b"\n\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.ttl", "real.ttl"]


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_export_refuses_a_pipe_or_a_device_as_its_folder(tmp_path, kind, writes):
    output = tmp_path / "export"
    if kind == "fifo":
        os.mkfifo(output)
    else:
        output.symlink_to("/dev/null")
    done = wegokg("export", "-o", str(output), cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert "not a folder" in done.stderr and done.stderr.count("\n") == 1
    assert not [w for w in writes if w.startswith(("/dev", str(tmp_path)))], writes
    assert [p.name for p in tmp_path.iterdir()] == ["export"]


def test_export_through_a_symbolic_link_keeps_the_link(tmp_path):
    from support.small_dataset import small_dataset

    from wegokg.publish.exports import export

    (tmp_path / "real").mkdir()
    link = tmp_path / "export"
    link.symlink_to("real")
    export(small_dataset(), link, ["turtle"], "1.0")
    export(small_dataset(), link, ["ntriples"], "2.0")
    assert link.is_symlink()
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["void.ttl", "wegokg.nt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export", "real"]


def test_publish_folder_carries_what_it_is_told_and_removes_the_rest(tmp_path):
    out = tmp_path / "out"
    publish_folder(out, {"a.txt": b"1", "sub/b.txt": b"2"}, "test")
    (out / "sub" / "mine").write_text("keep")
    (out / "link").symlink_to("a.txt")
    publish_folder(out, {"c.txt": b"3"}, "test", carry=["sub/mine", "link"])
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "c.txt",
        "link",
        "sub",
        "sub/mine",
    ]
    assert os.readlink(out / "link") == "a.txt"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
