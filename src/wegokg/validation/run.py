"""Run the checkers: every registered checker (``wegokg.validation.checker_registry.CHECKERS``),
in its order, over one shared ``ValidationContext``, into one ``ValidationReport``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
) -> ValidationReport:
    """Validate ontology plus data with every checker. Raises LoadError if a file cannot be
    parsed at all, and a ToolError if a checker cannot run (unusable shapes, a broken check)."""
    context = ValidationContext(_repository(root, extra_files))
    checkers = default_checkers() if checkers is None else checkers
    violations: list[Violation] = []
    for checker in checkers:
        with step(f"validating: {checker.name}"):
            violations.extend(checker.check(context))
    return ValidationReport(
        violations, checks=tuple(c.name for c in checkers), notes=tuple(context.notes)
    )
