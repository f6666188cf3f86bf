"""The invalid fixtures of tests/fixtures/invalid/ and what each expects, read by the tests of the
shapes (tests/data/test_shapes.py) and by the tests that validate the fixtures another way
(tests/validation/test_independent_engine.py, tests/validation/test_shacl_fast_path.py).

A fixture's lines ``# expect: SHAPE FOCUS`` name, as prefixed names, the shape that must report
the focus node; ``# expect-check: CHECK FOCUS`` names a check that is not SHACL the same way."""

from __future__ import annotations

import re
from pathlib import Path

from support.layout import ROOT
from wegokg.core.namespaces import PREFIXES

INVALID = ROOT / "tests" / "fixtures" / "invalid"
FIXTURES = sorted(INVALID.glob("*.ttl"))

EXPECT = re.compile(r"^#\s*expect:(.*)$")
EXPECT_CHECK = re.compile(r"^#\s*expect-check:(.*)$")


def expand(name: str) -> str:
    """``prefix:local`` -> the full IRI, with the prefixes of wegokg.core.namespaces.PREFIXES."""
    prefix, colon, local = name.partition(":")
    if not colon or prefix not in PREFIXES:
        raise ValueError(f"{name!r} is not a prefixed name with a prefix of PREFIXES")
    return PREFIXES[prefix] + local


def expectations(path: Path, pattern: re.Pattern = EXPECT) -> list[tuple[str, str]]:
    """The fixture's ``# expect: SHAPE FOCUS`` lines as (shape IRI, focus node IRI) pairs."""
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = pattern.match(line)
        if match is None:
            continue
        parts = match.group(1).split()
        if len(parts) != 2:
            raise ValueError(f"{path.name}:{number}: write '{line.split(':')[0]}: X FOCUS'")
        shape, focus = parts
        pairs.append((shape if pattern is EXPECT_CHECK else expand(shape), expand(focus)))
    return pairs


def check_expectations(path: Path) -> list[tuple[str, str]]:
    """The fixture's ``# expect-check: CHECK FOCUS`` lines as (check name, focus IRI) pairs."""
    return expectations(path, EXPECT_CHECK)


def fixture_id(path: Path) -> str:
    return path.stem
