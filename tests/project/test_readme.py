"""The README stays true: its library example runs, and the commands it documents exist."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

from wegokg.cli.main import build_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_the_library_example_runs():
    (example,) = code_blocks("python")
    done = subprocess.run(
        [sys.executable, "-c", example], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("True ")


def test_every_documented_command_exists():
    parser = build_parser()
    commands = set(re.findall(r"`wegokg ([a-z]+)", README))
    actions = parser._subparsers._group_actions[0].choices  # argparse keeps them here
    assert commands and commands <= set(actions), commands - set(actions)


def test_the_two_commands_are_there():
    setup, tests = code_blocks("sh")[:2]
    assert setup.strip().startswith("python3 -m venv .venv && .venv/bin/pip install -e '.[dev]'")
    assert "wegokg tour" in setup
    assert tests.strip() == ".venv/bin/python -m pytest"


def test_the_table_of_checkers_is_the_registrys():
    from wegokg.validation.checker_registry import CHECKERS

    found = re.search(r"<!-- checkers:[^\n]*-->\n(.*?)<!-- /checkers -->", README, flags=re.S)
    assert found, "the README lost its table of checkers and the comments around it"
    assert found.group(1) == CHECKERS.table(), (
        "the README's table of checkers differs from the registry: write it again with "
        "`python -m wegokg.validation.checker_registry README.md`"
    )


def test_adding_a_checker_names_the_registry_as_it_is():
    from wegokg.validation import checker_registry

    section = README.split("### Adding a checker", 1)[1].split("\n## ", 1)[0]
    assert "src/wegokg/validation/checker_registry.py" in section and "`CHECKERS`" in section
    assert checker_registry.__file__.endswith("src/wegokg/validation/checker_registry.py")
