"""Publish files atomically: one file (``validate -o``, ``fmt``) or a whole folder (``export``,
``site``, ``release``), the one way every command writes what it publishes.

The rules, the same for every command:

- A reader sees the old content or the new, never half of it: a file is written beside its
  target and renamed over it; a folder is staged beside its target and exchanged with it in one
  step (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames, so a reader may briefly find
  no folder but never a mix).
- SIGINT, SIGTERM and SIGHUP are held back while the disk changes; one that arrives then takes
  effect once the new content is in place and the staging is gone, so nothing is left behind.
  Staging and temporary names carry the process number (wegokg.core.leftovers), so that what
  SIGKILL leaves is removed by the next run: the next write of the same file removes the
  temporaries of that file whose process is gone.
- A symbolic link is written through: the file or folder it points to is replaced and the link
  stays a link. A device, a pipe, a socket or a folder where a file is expected (or a file where
  a folder is expected) is refused with an OutputPathError (exit 2), before anything is opened.
- A replaced file keeps its permission bits; a new file or folder gets those of the umask.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import signal
import stat
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from wegokg.core.errors import UsageError
from wegokg.core.leftovers import remove_leftovers, scratch_file_name, scratch_prefix


class OutputPathError(UsageError):
    """The output named cannot be written: a device, a pipe or a folder where a file belongs,
    or a file where a folder belongs (exit 2)."""


HELD_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP})


@contextmanager
def signals_held_back() -> Iterator[None]:
    """Hold back SIGINT, SIGTERM and SIGHUP; whichever arrived takes effect at the end."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives signals in Python
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


# -- One file --------------------------------------------------------------------------------


def file_target(path: Path) -> Path:
    """The real path that writing ``path`` replaces: a symbolic link is followed (written
    through); an OutputPathError if that is not a regular file nor absent. Nothing is opened."""
    target = Path(os.path.realpath(path))
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return target
    except OSError as error:
        raise OutputPathError(f"{path}: cannot be written ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise OutputPathError(
            f"{path} is {_kind(info.st_mode)}, not a regular file; choose a file to write"
        )
    return target


def write_file(path: Path, content: bytes) -> Path:
    """Replace the file at ``path`` (through a symbolic link) with ``content`` in one step; the
    path written. See the module's rules."""
    target = file_target(Path(path))
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~current_umask()
    remove_leftovers(target.parent, "write", target.name, file_suffix=".tmp")
    with signals_held_back():
        temporary = _fresh_name(target, "write", ".tmp")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                os.fchmod(handle.fileno(), mode)
                handle.write(content)
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    return target


# -- A whole folder --------------------------------------------------------------------------


def folder_target(out_dir: Path) -> Path:
    """The real path of the folder to publish into (a symbolic link is followed); an
    OutputPathError if something other than a folder is there."""
    target = Path(os.path.realpath(out_dir))
    if os.path.lexists(target) and not target.is_dir():
        raise OutputPathError(f"{target} exists and is not a folder; choose another -o")
    return target


def publish_folder(
    out_dir: Path, files: Mapping[str, bytes], kind: str, carry: Iterable[str] = ()
) -> Path:
    """Make ``out_dir`` hold exactly ``files`` (relative paths, ``/``-separated) plus the files
    ``carry`` names from its present content, replacing the previous content in one step; the
    real path published. ``kind`` names the staging folders (wegokg.core.leftovers).

    Carried files are hard-linked (or copied) into the new content with their permissions;
    carried symbolic links stay links. The caller decides what may be replaced: this function
    removes whatever the old folder held besides what it carries."""
    out_dir = folder_target(Path(out_dir))
    carry = sorted(set(carry))
    with signals_held_back():
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        leftover: Path | None = _fresh_folder(out_dir, kind, "new")
        try:
            mode = 0o777 & ~current_umask()
            for name, content in sorted(files.items()):
                target = leftover / name
                _make_parents(target.parent, leftover, mode)
                with open(target, "xb") as handle:  # mode 0666 minus the umask
                    handle.write(content)
            for name in carry:
                target = leftover / name
                _make_parents(target.parent, leftover, mode)
                _carry(out_dir / name, target)
            if not out_dir.exists():
                os.rename(leftover, out_dir)
                leftover = None
            elif not _exchange(leftover, out_dir):
                aside = _fresh_name(out_dir, kind, "-old")
                os.rename(out_dir, aside)
                os.rename(leftover, out_dir)
                leftover = aside
            # After the exchange, ``leftover`` holds the previous content.
        finally:
            if leftover is not None:
                shutil.rmtree(leftover, ignore_errors=True)
    return out_dir


def _make_parents(folder: Path, root: Path, mode: int) -> None:
    if folder == root or folder.is_dir():
        return
    _make_parents(folder.parent, root, mode)
    os.mkdir(folder, mode)


def _carry(source: Path, target: Path) -> None:
    info = os.lstat(source)
    if stat.S_ISLNK(info.st_mode):
        os.symlink(os.readlink(source), target)
    elif stat.S_ISREG(info.st_mode):
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError:
            shutil.copy2(source, target, follow_symlinks=False)
    else:
        raise OutputPathError(f"{source} is {_kind(info.st_mode)}; it cannot be kept")


def _fresh_folder(path: Path, kind: str, purpose: str) -> Path:
    """A new hidden folder beside ``path``, with the umask's mode."""
    while True:
        sibling = path.with_name(f"{scratch_prefix(kind, path.name)}{purpose}-{_token()}")
        try:
            os.mkdir(sibling, 0o777)
            return sibling
        except FileExistsError:
            continue


def _fresh_name(path: Path, kind: str, suffix: str) -> Path:
    """A name beside ``path`` that nothing has, named for this process (wegokg.core.leftovers)."""
    while True:
        sibling = path.with_name(scratch_file_name(kind, path.name, suffix))
        if not os.path.lexists(sibling):
            return sibling


def _token() -> str:
    return secrets.token_hex(4)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step; False where the system cannot (then nothing moved)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def current_umask() -> int:
    mask = os.umask(0o022)  # the only way to read the umask is to set it
    os.umask(mask)
    return mask


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"
