"""Run the wegokg command inside the test process, and get what ``subprocess.run`` would give.

A ``wegokg`` subprocess spends most of its 0.4 s of CPU starting Python and importing rdflib;
in the test process those are done once. ``wegokg(*args)`` calls ``wegokg.cli.main.main`` with the
given arguments, current folder and environment, captures what it prints, and returns the exit
status: a usage error that argparse reports by exiting is exit status 2, as in a shell. An
exception that escapes ``main`` is not caught: it fails the test with its traceback, where a
subprocess would have printed the traceback and exited 1.

Tests about the process itself still start one: which modules a command imports, signals, the
installed entry point, the README's commands, and anything that depends on the hash seed.
"""

from __future__ import annotations

import io
import os
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from support.layout import ROOT
from wegokg.cli.main import main


def wegokg(
    *args: str, cwd: Path | str = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``wegokg ARGS`` run in ``cwd`` with ``env`` (default: this process's environment)."""
    out, err = io.StringIO(), io.StringIO()
    saved_cwd, saved_env = os.getcwd(), dict(os.environ)
    try:
        os.chdir(cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit:  # argparse: --help, --version and usage errors
                code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["wegokg", *args], code, out.getvalue(), err.getvalue())
