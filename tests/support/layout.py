"""Where the checkout is (``ROOT``, the one definition the tests use), and scratch copies of it for
a test to break."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A repository every command accepts, at a fifth of the cost of a copy of the whole checkout.
DATASET_FOLDERS = ("ontology", "data", "shapes", "queries", "docs")
NOT_COPIED = (".venv", ".git", "node_modules", "export", "__pycache__")


def copy_repository(into: Path, *, whole: bool = False) -> Path:
    """A scratch copy at ``into/repo``: the dataset's folders (``DATASET_FOLDERS``), or with
    ``whole`` the whole checkout without its venvs, git folder, packages and exports (for the
    tests that need pyproject.toml, deploy/, CHANGELOG.md and the like). Links are copied as
    links."""
    copy = into / "repo"
    if whole:
        shutil.copytree(ROOT, copy, symlinks=True, ignore=shutil.ignore_patterns(*NOT_COPIED))
    else:
        for folder in DATASET_FOLDERS:
            shutil.copytree(ROOT / folder, copy / folder, symlinks=True)
    return copy
