"""The rules for reading a file: the one way every file of the repository is read (a regular
file, within a size limit, never a pipe or a device), and a stored source text (confined to
data/sources/, checked on its path before it is opened)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from wegokg.core.errors import LocatedDataError, LocatedToolError, UsageError
from wegokg.core.layout import TEXTS_FOLDER


class LoadError(LocatedDataError):
    """A data file that cannot be loaded. ``str()`` reads ``path:line: message``."""


class UnreadableFileError(LocatedToolError):
    """A file that cannot be read at all (missing, no permission)."""


# The most a file of the repository (Turtle, a stored query) may hold, and a stored source
# text: far above any real file (a 10^6-triple Turtle file is about 30 MB), and low enough that a
# sparse file cannot exhaust memory.
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_STORED_TEXT_BYTES = 16 * 1024 * 1024


def regular_file_problem(path: Path) -> str | None:
    """Why ``path`` is not a regular file one may read (following links), or None if it is one:
    a dangling link, a link loop, a folder, a pipe or a device."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return _open_problem(path, error)
    if not stat.S_ISREG(mode):
        return "it is not a regular file (a folder, a pipe or a device); only files are read"
    return None


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES, follow: bool = True) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes: the one way every file of the
    repository, and every query file, is read (``open_regular_file`` streams one instead).

    The file is opened without blocking (a pipe cannot make the read wait for a writer), checked
    with ``fstat`` before anything is read, and never read past ``limit``: a device such as
    /dev/zero, a pipe or a huge file is refused in a moment, with an UnreadableFileError.
    ``follow=False`` refuses a symbolic link as the last part of the path."""
    with open_regular_file(path, limit, follow) as handle:
        try:
            raw = handle.read(limit + 1)
        except OSError as error:
            raise UnreadableFileError(
                path, None, f"cannot read the file: {error.strerror}"
            ) from None
    if len(raw) > limit:  # it grew while being read
        raise UnreadableFileError(path, None, f"it is over the {_size(limit)} size limit")
    return raw


def open_regular_file(path: Path, limit: int = MAX_FILE_BYTES, follow: bool = True) -> BinaryIO:
    """A regular file of at most ``limit`` bytes, open for reading, checked as read_regular_file
    checks it, for a parser that reads only as much as it needs."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise UnreadableFileError(path, None, _open_problem(path, error)) from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        os.close(descriptor)
        raise UnreadableFileError(
            path,
            None,
            "it is not a regular file (a folder, a pipe or a device)"
            if not stat.S_ISREG(info.st_mode)
            else f"it is over the {_size(limit)} size limit",
        )
    return os.fdopen(descriptor, "rb")


def _open_problem(path: Path, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "it is a symbolic link in a loop"
    if error.errno == errno.ENOENT and path.is_symlink():
        return "it is a symbolic link to nothing (a dangling link)"
    return f"cannot read the file: {error.strerror or error}"


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


def read_utf8(path: Path) -> str:
    """A file of the repository as text; a byte that is not UTF-8 is a LoadError at its line."""
    raw = read_regular_file(path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        byte = raw[error.start : error.start + 1].hex()
        raise LoadError(
            path, line, f"byte 0x{byte} at column {column} is not UTF-8: save the file as UTF-8"
        ) from None


class StoredTextError(UsageError, ValueError):
    """A path that may not be read as a stored source text. The message says which rule the path
    breaks, and nothing about the file it names (neither its size, its hash nor its content)."""

    def __init__(self, path: Path | str, rule: str) -> None:
        self.path = str(path)
        self.rule = rule
        super().__init__(f"{path}: {rule}")


def read_stored_text(path: Path | str, sources: Path, relative_to: Path | None = None) -> bytes:
    """The bytes of one stored source text: the one way every command reads a wego:textFile
    (the evidence check, the coverage report, and everything that runs them) or the file that
    ``wegokg quote`` is given.

    ``sources`` is the folder of the stored texts (data/sources/). ``path`` is relative to
    ``relative_to`` (data/, for a wego:textFile, which must then be relative), else to the current
    folder. The path is accepted only when it has no ``..``, when it lies inside ``sources`` once
    every symbolic link is resolved (so that no link points out), and when it names a regular file
    of at most MAX_STORED_TEXT_BYTES. These rules are checked on the path before the file is
    opened, so a refused file outside ``sources`` is never opened, hashed or shown; otherwise a
    StoredTextError says which rule was broken."""
    given = Path(path)
    if relative_to is not None:
        if given.is_absolute():
            raise StoredTextError(
                path,
                f"an absolute path is refused; write the path relative to data/, as "
                f"{TEXTS_FOLDER.removeprefix('data/')}/NAME",
            )
        given = relative_to / given
    if ".." in Path(path).parts:
        raise StoredTextError(
            path, f"a path with '..' is refused; a stored text is a file inside {TEXTS_FOLDER}/"
        )
    if sources.is_symlink():
        raise StoredTextError(
            path,
            f"{TEXTS_FOLDER}/ is a symbolic link; the stored texts must be in the folder itself",
        )
    folder = Path(os.path.realpath(sources))
    resolved = Path(os.path.realpath(given))
    if not resolved.is_relative_to(folder):
        raise StoredTextError(
            path,
            f"it lies outside {TEXTS_FOLDER}/ (as written or through a symbolic link); "
            f"only the stored texts in {TEXTS_FOLDER}/ are read",
        )
    try:
        return read_regular_file(resolved, MAX_STORED_TEXT_BYTES, follow=False)
    except UnreadableFileError as error:
        raise StoredTextError(path, error.message) from None


def list_files(folder: Path, pattern: str, within: Path | None = None) -> list[Path]:
    """The files of ``folder`` that match ``pattern``, each checked by ``checked_file``."""
    return [checked_file(path, within or folder) for path in sorted(folder.glob(pattern))]


def checked_file(path: Path, within: Path) -> Path:
    """``path``, if it is a regular file that lies inside ``within`` once its links are resolved.

    Anything else (a dangling link, a link loop, a pipe, a folder named like a file, or a link out
    of the repository) stops every command with one line naming it, before anything is read: the
    files of a fork cannot make a command read, and so show in an error, a file of the machine."""
    if problem := regular_file_problem(path):
        raise UnreadableFileError(path, None, problem)
    if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(within)):
        raise UnreadableFileError(
            path, None, "it is a symbolic link out of the repository; only its own files are read"
        )
    return path
