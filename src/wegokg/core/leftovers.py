"""Scratch and staging folders, and the temporary files of single-file writes, that name the
process that made them, so that what a killed run left behind (SIGKILL, a power cut) is
recognised and removed by the next run.

A folder is named ``PREFIX<pid>-<rest>``: ``.export.wegokg-export-4242-new-1a2b3c4d`` beside an
export, ``.site.wegokg-site-4242-…`` beside a site, ``wegokg-serve-4242-…`` in the temporary
folder. A temporary file is named ``PREFIX<pid>-<8 hex digits><suffix>``, exactly:
``.report.json.wegokg-write-4242-1a2b3c4d.tmp`` beside report.json. The next run removes those
whose process is gone (a folder's with a notice); one of a process that is still running
(another export into the same place), or another user's, is left alone, and so is anything of
another name.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from pathlib import Path


def scratch_prefix(kind: str, name: str = "") -> str:
    """The start of a scratch folder's name for this process: ``.NAME.wegokg-KIND-PID-`` beside
    an output NAME, or ``wegokg-KIND-PID-`` when no name is given."""
    return f"{_base(kind, name)}{os.getpid()}-"


def scratch_file_name(kind: str, name: str, suffix: str) -> str:
    """A new name for a temporary file of this process beside the output ``name``."""
    return f"{scratch_prefix(kind, name)}{secrets.token_hex(4)}{suffix}"


def remove_leftovers(
    folder: Path, kind: str, name: str = "", file_suffix: str | None = None
) -> list[Path]:
    """Remove the scratch folders of ``kind`` (for output ``name``) in ``folder`` whose process
    has ended, or with ``file_suffix`` the temporary files that ``scratch_file_name`` named
    (regular files only); what was removed."""
    if file_suffix is None:
        pattern = re.compile(re.escape(_base(kind, name)) + r"(\d+)-")
    else:
        pattern = re.compile(
            re.escape(_base(kind, name)) + r"(\d+)-[0-9a-f]{8}" + re.escape(file_suffix)
        )
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        match = pattern.fullmatch(entry.name) if file_suffix else pattern.match(entry.name)
        if not match:
            continue
        if not (entry.is_file if file_suffix else entry.is_dir)(follow_symlinks=False):
            continue
        if _alive(int(match.group(1))):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue  # another user's: not ours to remove
        except OSError:
            continue
        if file_suffix is None:
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
        if not os.path.lexists(entry.path):
            removed.append(Path(entry.path))
    return sorted(removed)


def _base(kind: str, name: str) -> str:
    return f".{name}.wegokg-{kind}-" if name else f"wegokg-{kind}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except OverflowError:
        return False
    return True
