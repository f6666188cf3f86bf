"""Run the checkers: every registered checker (``wegokg.validation.checker_registry.CHECKERS``),
in its order, over one shared ``ValidationContext``, into one ``ValidationReport``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from wegokg.core.loading import _repository
from wegokg.core.progress import step
from wegokg.core.repository import Repository
from wegokg.validation.checker_registry import CHECKERS
from wegokg.validation.context import Checker, ValidationContext
from wegokg.validation.report import ValidationReport, Violation


def default_checkers() -> list[Checker]:
    """Every registered checker, in run order (``wegokg.validation.checker_registry.CHECKERS``)."""
    return CHECKERS.checkers()


def validate(
    root: Path | str | Repository | None = None,
    extra_files: Iterable[Path] = (),
    checkers: Sequence[Checker] | None = None,
    on_violation: Callable[[Violation], None] | None = None,
) -> ValidationReport:
    """Validate ontology plus data with every checker. Raises LoadError if a file cannot be
    parsed at all, and a ToolError if a checker cannot run (unusable shapes, a broken check).

    ``on_violation``, if given, is called with each violation as soon as a checker finds it (each
    once, in the order found), so that a report can be shown while the other checkers run."""
    context = ValidationContext(_repository(root, extra_files))
    checkers = default_checkers() if checkers is None else checkers
    violations = list(found_violations(context, checkers, on_violation))
    return ValidationReport(
        violations, checks=tuple(c.name for c in checkers), notes=tuple(context.notes)
    )


def found_violations(
    context: ValidationContext,
    checkers: Sequence[Checker],
    on_violation: Callable[[Violation], None] | None = None,
) -> Iterator[Violation]:
    """Each checker's violations as it finds them, each distinct violation once."""
    seen: set[Violation] = set()
    for checker in checkers:
        with step(f"validating: {checker.name}"):
            for violation in checker.check(context):
                if violation not in seen:
                    seen.add(violation)
                    if on_violation is not None:
                        on_violation(violation)
                    yield violation
