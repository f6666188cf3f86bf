"""Scratch and staging folders that name the process that made them, so that what a killed run
left behind (SIGKILL, a power cut) is recognised and removed by the next run.

A folder is named ``PREFIX<pid>-<rest>``: ``.export.wegokg-export-4242-new-1a2b3c4d`` beside an
export, ``.site.wegokg-site-4242-…`` beside a site, ``wegokg-serve-4242-…`` in the temporary
folder. The next run removes those whose process is gone, and says so; a folder of a process
that is still running (another export into the same place) is left alone.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path


def scratch_prefix(kind: str, name: str = "") -> str:
    """The start of a scratch folder's name for this process: ``.NAME.wegokg-KIND-PID-`` beside
    an output NAME, or ``wegokg-KIND-PID-`` when no name is given."""
    return f"{_base(kind, name)}{os.getpid()}-"


def remove_leftovers(folder: Path, kind: str, name: str = "") -> list[Path]:
    """Remove the scratch folders of ``kind`` (for output ``name``) in ``folder`` whose process
    has ended; the folders removed."""
    pattern = re.compile(re.escape(_base(kind, name)) + r"(\d+)-")
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        match = pattern.match(entry.name)
        if not match or not entry.is_dir(follow_symlinks=False):
            continue
        if _alive(int(match.group(1))):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue  # another user's: not ours to remove
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
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
