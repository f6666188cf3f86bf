"""Fuzzing the load-and-validate path with Turtle mutated from the real data (issue 9, section 5).

Each round takes one of the repository's Turtle files, mutates its bytes (a flipped byte, a cut,
a duplicated, deleted or swapped line, a random Unicode character), puts it in place in a scratch
copy of the repository and validates. A normal report and a located LoadError are the only
acceptable outcomes; anything else fails the test, and the input is saved so that it can be added
to tests/fixtures/fuzz/, whose files are replayed by the test below it.

With CI=true it fuzzes a fixed sequence: seed 13, 100 rounds (25 s on two busy cores), the same
inputs on every run, so that CI fails only on a change of the code, never by chance. Outside CI
it explores:
a random seed for 5 s of rounds, and what it finds is kept in tests/fixtures/fuzz/. The
variables WEGOKG_FUZZ_SEED, WEGOKG_FUZZ_ROUNDS and WEGOKG_FUZZ_SECONDS override the seed, the
number of rounds and the time budget (the seed is printed, so that a failure can be reproduced).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import time
from pathlib import Path

import pytest
from conftest import IN_CI, ROOT
from support.layout import copy_repository

from wegokg.core.errors import LocatedError
from wegokg.validation.report import ValidationReport
from wegokg.validation.run import validate
from wegokg.validation.shacl import ShapesError

FIXTURES = ROOT / "tests" / "fixtures" / "fuzz"
# CI: a fixed seed and a fixed number of rounds, no clock. Elsewhere: a random seed, 5 s of rounds.
SEED = int(os.environ.get("WEGOKG_FUZZ_SEED", 13 if IN_CI else random.randrange(2**32)))
ROUNDS = int(os.environ["WEGOKG_FUZZ_ROUNDS"]) if "WEGOKG_FUZZ_ROUNDS" in os.environ else None
SECONDS = float(os.environ["WEGOKG_FUZZ_SECONDS"]) if "WEGOKG_FUZZ_SECONDS" in os.environ else None
if ROUNDS is None and SECONDS is None:
    ROUNDS, SECONDS = (100, None) if IN_CI else (None, 5.0)
FOLDERS = ("ontology", "shapes", "data/curated", "data/articles", "data/reference")
CHARACTERS = ['"', "'", "<", ">", ".", ";", ",", "[", "]", "(", ")", "{", "}", "#", "\\", "@",
              "\n", "\x00", "\ufeff", "\u00a0", "\u200b", "성", "\U0001f600", "\udcff"]  # fmt: skip


def turtle_files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for f in FOLDERS for p in (root / f).glob("*.ttl"))


def mutate(data: bytes, chance: random.Random) -> bytes:
    """One to three random mutations of the file's bytes."""
    for _ in range(chance.randint(1, 3)):
        lines = data.split(b"\n")
        kind = chance.choice(("flip", "cut", "duplicate", "delete", "swap", "insert"))
        if kind == "flip" and data:
            at = chance.randrange(len(data))
            data = data[:at] + bytes([data[at] ^ (1 << chance.randrange(8))]) + data[at + 1 :]
        elif kind == "cut":
            data = data[: chance.randrange(len(data) + 1)]
        elif kind == "duplicate":
            at = chance.randrange(len(lines))
            data = b"\n".join(lines[:at] + [lines[at]] + lines[at:])
        elif kind == "delete" and len(lines) > 1:
            at = chance.randrange(len(lines))
            data = b"\n".join(lines[:at] + lines[at + 1 :])
        elif kind == "swap" and len(lines) > 1:
            a, b = chance.randrange(len(lines)), chance.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            data = b"\n".join(lines)
        else:
            at = chance.randrange(len(data) + 1)
            text = chance.choice(CHARACTERS).encode("utf-8", errors="surrogatepass")
            data = data[:at] + text + data[at:]
    return data


def outcome(root: Path) -> str | None:
    """None for an acceptable outcome, else a description of what went wrong."""
    try:
        report = validate(root)
    except LocatedError as error:
        if not error.path or not error.message or "Traceback" in str(error):
            return f"a located error that says nowhere what is wrong: {error!r}"
        return None
    except ShapesError as error:  # shapes the mutation broke: named as such, said in one line
        if "shapes" not in str(error) or "\n" in str(error):
            return f"a shapes error that says nowhere what is wrong: {error!r}"
        return None
    except Exception as error:  # anything else is the bug the fuzzer looks for
        return f"{type(error).__name__}: {error}"
    if not isinstance(report, ValidationReport):
        return f"validate returned {report!r}"
    report.to_text()
    report.to_json()
    return None


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return copy_repository(tmp_path_factory.mktemp("fuzz"))


def fixture_name(relative: Path, data: bytes) -> str:
    return f"{str(relative).replace('/', '__')}.{hashlib.sha256(data).hexdigest()[:12]}.ttl"


@pytest.mark.fuzz
def test_mutated_data_gives_a_report_or_a_located_error(scratch, tmp_path):
    rounds, failures = fuzz(scratch, tmp_path, SEED, ROUNDS, SECONDS)
    print(f"fuzz: seed {SEED}, {rounds} rounds, {len(failures)} failure(s)")
    assert rounds > 0
    assert ROUNDS is None or rounds == ROUNDS or len(failures) == 3
    assert not failures, (
        f"seed {SEED}: copy the saved inputs to tests/fixtures/fuzz/ and fix them:\n"
        + "\n".join(failures)
    )


def fuzz(
    scratch: Path, saved_in: Path, seed: int, rounds: int | None, seconds: float | None
) -> tuple[int, list[str]]:
    """Mutate, validate and restore, for ``rounds`` rounds or ``seconds`` (whichever ends first),
    or until three failures; the number of rounds done and the failures."""
    chance = random.Random(seed)
    files = turtle_files(scratch)
    originals = {f: (scratch / f).read_bytes() for f in files}
    done, failures = 0, []
    deadline = None if seconds is None else time.monotonic() + seconds
    while len(failures) < 3:
        if rounds is not None and done >= rounds:
            break
        if deadline is not None and time.monotonic() >= deadline:
            break
        relative = chance.choice(files)
        mutated = mutate(originals[relative], chance)
        (scratch / relative).write_bytes(mutated)
        try:
            problem = outcome(scratch)
        finally:
            (scratch / relative).write_bytes(originals[relative])
        done += 1
        if problem:
            saved = saved_in / fixture_name(relative, mutated)
            saved.write_bytes(mutated)
            failures.append(f"{relative}: {problem}\n  input saved as {saved}")
    return done, failures


@pytest.mark.parametrize(
    "fixture", sorted(FIXTURES.glob("*.ttl")), ids=lambda p: p.name.partition(".")[0]
)
def test_inputs_that_once_crashed_give_a_report_or_a_located_error(scratch, fixture):
    relative = Path(fixture.name.partition(".")[0].replace("__", "/") + ".ttl")
    original = (scratch / relative).read_bytes()
    shutil.copyfile(fixture, scratch / relative)
    try:
        assert outcome(scratch) is None
    finally:
        (scratch / relative).write_bytes(original)
