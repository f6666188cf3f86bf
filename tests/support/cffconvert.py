"""cffconvert, the Citation File Format's own validator, in a venv of its own.

cffconvert 2.0 (the newest) requires jsonschema<4, and the dev extra requires jsonschema>=4.18 for
the report-format tests, so the two cannot share the project's venv. The tests install the pinned
version of tests/cffconvert/requirements.txt into tests/cffconvert/.venv on first use, as they
install the JavaScript SHACL engine from its lock file; ``python -m support.cffconvert`` (with
tests/ on the path, as .ci/run does) installs it ahead. ``pip install -r
tests/cffconvert/requirements.txt`` into any other venv works as well (``$WEGOKG_CFFCONVERT``
names its cffconvert).
"""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

from support.layout import ROOT

FOLDER = ROOT / "tests" / "cffconvert"
VENV = FOLDER / ".venv"
TIMEOUT_SECONDS = 300


@functools.cache
def cffconvert() -> tuple[str | None, str]:
    """(the cffconvert executable, or None; the reason it is missing)."""
    named = os.environ.get("WEGOKG_CFFCONVERT")
    if named:
        return (named, "") if Path(named).is_file() else (None, f"{named} does not exist")
    executable = VENV / "bin" / "cffconvert"
    with open(FOLDER / "requirements.txt", "rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not executable.is_file():
                reason = _install()
                if reason:
                    return None, reason
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return str(executable), ""


def _install() -> str | None:
    shutil.rmtree(VENV, ignore_errors=True)
    # A venv without pip of its own (ensurepip takes 4 s of CPU); this venv's pip installs into it.
    steps = [
        [sys.executable, "-m", "venv", "--without-pip", str(VENV)],
        [sys.executable, "-m", "pip", "--python", str(VENV / "bin" / "python"), "install", "-q",
         "--disable-pip-version-check", "-r", str(FOLDER / "requirements.txt")],
    ]  # fmt: skip
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        if done.returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            return f"cannot install cffconvert ({' '.join(step[:3])}): {done.stderr.strip()[-300:]}"
    return None


if __name__ == "__main__":  # install it now, outside the timed test run
    executable, reason = cffconvert()
    print(executable or reason)
    sys.exit(0 if executable else 1)
