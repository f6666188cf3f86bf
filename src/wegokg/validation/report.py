"""The validation report: what is wrong, where it is written, and how bad it is."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, astuple, dataclass, field, replace
from itertools import groupby
from typing import TextIO

from wegokg.core.namespaces import shorten
from wegokg.validation.formats import COVERAGE_FORMATS, REPORT_FORMATS  # noqa: F401 (re-exported)

SEVERITIES = ("ERROR", "WARN", "INFO")


@dataclass(frozen=True)
class LoadCheck:
    """Not a checker: a file that cannot be loaded at all. The machine-readable formats report it
    as one violation of the check ``load`` (``ValidationReport.from_load_error``), so it is
    described as the checkers are, and every format reads its help from the same place."""

    name: str = "load"
    help: str = (
        "A file cannot be parsed at all, so nothing in the data could be checked. Fix: correct "
        "it at the line shown (for Turtle, 'wegokg fmt FILE' shows the syntax error again)."
    )
    severity: str = "ERROR"


LOAD = LoadCheck()


@dataclass(frozen=True, order=True)
class Violation:
    """One problem found in the data.

    ``check`` names what found it: a checker of ``wegokg.validation.checker_registry.CHECKERS``,
    or ``load`` for a file that could not be loaded at all. ``shape`` is the SHACL shape or the
    check's name. ``component`` is the SHACL constraint component that failed, for SHACL results.
    """

    file: str
    line: int
    focus_node: str
    severity: str
    check: str
    shape: str
    message: str
    path: str | None = None
    value: str | None = None
    component: str | None = None


@dataclass
class ValidationReport:
    """All problems found, sorted by file, line and focus node.

    ``checks`` names the checks that ran, so that a report can list the ones that passed.
    ``omitted`` counts, per (check, severity), the violations left out by ``capped``: they still
    count for ``conforms`` and ``count``, so a cap never turns a failing report into a passing one.
    """

    violations: list[Violation] = field(default_factory=list)
    checks: tuple[str, ...] = ()
    omitted: dict[tuple[str, str], int] = field(default_factory=dict)
    # How the checks ran, one INFO line each in every format (which SHACL route, and why).
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # None sorts before any text: two violations may differ only in a missing path or value.
        self.violations = sorted(
            set(self.violations), key=lambda v: tuple((x is not None, x) for x in astuple(v))
        )

    @classmethod
    def from_load_error(cls, file: str, line: int | None, message: str) -> ValidationReport:
        """A report of a file that could not be loaded: one ERROR located where it stopped."""
        failure = Violation(
            file=file,
            line=line or 0,
            focus_node=file,
            severity=LOAD.severity,
            check=LOAD.name,
            shape=LOAD.name,
            message=message,
        )
        return cls([failure], checks=(LOAD.name,))

    @property
    def conforms(self) -> bool:
        """True when nothing of severity ERROR was found, shown or omitted."""
        shown = any(v.severity == "ERROR" for v in self.violations)
        return not shown and not any(n for (_, s), n in self.omitted.items() if s == "ERROR")

    def count(self, severity: str) -> int:
        shown = sum(1 for v in self.violations if v.severity == severity)
        return shown + sum(n for (_, s), n in self.omitted.items() if s == severity)

    @property
    def omitted_count(self) -> int:
        return sum(self.omitted.values())

    @property
    def all_checks(self) -> list[str]:
        """The checks that ran and those that reported something, in a stable order."""
        found = {v.check for v in self.violations} | {check for check, _ in self.omitted}
        return list(self.checks) + sorted(found - set(self.checks))

    def capped(self, limit: int) -> ValidationReport:
        """The first ``limit`` violations in the report's order; the rest counted in ``omitted``."""
        rest = Counter((v.check, v.severity) for v in self.violations[limit:])
        rest.update(self.omitted)
        return replace(self, violations=self.violations[:limit], omitted=dict(sorted(rest.items())))

    def omitted_summary(self) -> str:
        """One line saying how many violations were left out, per check and severity."""
        parts = ", ".join(
            f"{check} {severity} {n}" for (check, severity), n in self.omitted.items()
        )
        return f"{self.omitted_count} more violation(s) not shown ({parts})"

    def to_json(self) -> str:
        omitted = [
            {"check": check, "severity": severity, "count": n}
            for (check, severity), n in self.omitted.items()
        ]
        return json.dumps(
            {
                "conforms": self.conforms,
                "counts": {s: self.count(s) for s in SEVERITIES},
                "violations": [asdict(v) for v in self.violations],
                "omitted": omitted,
                "notes": list(self.notes),
            },
            ensure_ascii=False,
            indent=2,
        )

    def to_text(self) -> str:
        """A readable report, grouped by file and then by focus node."""
        lines: list[str] = []
        for file, in_file in groupby(self.violations, key=lambda v: v.file):
            lines.append(file)
            by_node = sorted(in_file, key=lambda v: (v.line, v.focus_node))
            for (line, node), items in groupby(by_node, key=lambda v: (v.line, v.focus_node)):
                lines.append(f"  {file}:{line}: {shorten(node)}")
                lines += [_text_line(v) for v in items]
        lines += self.text_ending()
        return "\n".join(lines)

    def text_ending(self) -> list[str]:
        """The text report's last lines: what was left out, the notes and the verdict."""
        lines = [self.omitted_summary()] if self.omitted else []
        lines += [f"INFO {note}" for note in self.notes]
        errors, warnings = self.count("ERROR"), self.count("WARN")
        verdict = "conforms" if self.conforms else "does not conform"
        lines.append(f"The data {verdict}: {errors} error(s), {warnings} warning(s).")
        return lines


class TextStream:
    """The text report written while validation runs: each violation as soon as it is found.

    The layout is ``to_text``'s, applied in the order the violations are found (the checkers'
    run order) rather than sorted: a file's name starts a group whenever the file changes, and
    ``file:line: node`` whenever the focus node does. Violations found in sorted order give
    exactly ``to_text``'s lines. Only the first ``limit`` found are shown; ``finish`` counts
    the rest, as ``ValidationReport.capped`` does, and ends with the notes and the verdict.
    """

    def __init__(self, out: TextIO, limit: int | None = None) -> None:
        self.out = out
        self.limit = limit
        self.shown: list[Violation] = []
        self._file: str | None = None
        self._node: tuple[int, str] | None = None

    def __call__(self, violation: Violation) -> None:
        if self.limit is not None and len(self.shown) >= self.limit:
            return
        self.shown.append(violation)
        lines = []
        if violation.file != self._file:
            lines.append(violation.file)
            self._file, self._node = violation.file, None
        if (violation.line, violation.focus_node) != self._node:
            lines.append(f"  {violation.file}:{violation.line}: {shorten(violation.focus_node)}")
            self._node = (violation.line, violation.focus_node)
        lines.append(_text_line(violation))
        self.out.write("\n".join(lines) + "\n")
        self.out.flush()

    def finish(self, report: ValidationReport) -> None:
        """The last lines, for ``report``: the validation whose violations were streamed."""
        rest = Counter((v.check, v.severity) for v in report.violations)
        rest.subtract((v.check, v.severity) for v in self.shown)
        rest.update(report.omitted)
        omitted = {key: n for key, n in sorted(rest.items()) if n > 0}
        ending = replace(report, violations=self.shown, omitted=omitted).text_ending()
        self.out.write("\n".join(ending) + "\n")
        self.out.flush()


def _text_line(v: Violation) -> str:
    where = f" [{shorten(v.path)}]" if v.path else ""
    value = f" (value: {visible(shorten(v.value))})" if v.value else ""
    return f"    {v.severity} {shorten(v.shape)}{where}: {v.message}{value}"


def visible(text: str) -> str:
    """The text with each invisible character (a no-break or zero-width space, a byte-order mark,
    a direction mark) shown as <U+XXXX>: in an IRI it is the fault the reader must see."""
    import unicodedata

    return "".join(
        f"<U+{ord(c):04X}>"
        if c != " " and unicodedata.category(c) in ("Zs", "Zl", "Zp", "Cf", "Cc")
        else c
        for c in text
    )
