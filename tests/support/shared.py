"""A folder that the pytest-xdist workers of one run build once and share.

Each worker has session fixtures of its own, so an expensive one (the built site) would be built
once in each worker. ``shared_folder`` builds it in the first worker that asks and lends it to the
others, counting its users in a small state file beside the workers' temporary folders, under a
lock; the last user to finish removes it. Without xdist it is an ordinary session fixture's body.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of this test run that every worker sees: the parent of a worker's own."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _locked(path: Path) -> Iterator[dict]:
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = json.loads(path.read_text()) if path.exists() else {"folder": None, "users": 0}
        yield state
        path.write_text(json.dumps(state))


@contextmanager
def shared_folder(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[], Path]
) -> Iterator[Path]:
    """Yield the folder ``build()`` returns, building it only if no worker holds one now; remove
    it (with shutil.rmtree) when its last user is done."""
    state_file = _run_folder(tmp_path_factory) / f"shared-{name}.json"
    with _locked(state_file) as state:
        if state["folder"] is None or not Path(state["folder"]).exists():
            state.update(folder=str(build()), users=0)
        state["users"] += 1
        folder = Path(state["folder"])
    try:
        yield folder
    finally:
        with _locked(state_file) as state:
            state["users"] -= 1
            if state["users"] <= 0:
                shutil.rmtree(state["folder"], ignore_errors=True)
                state.update(folder=None, users=0)
