"""The validation report: what is wrong, where it is written, and how bad it is."""

from __future__ import annotations

import json
from dataclasses import asdict, astuple, dataclass, field
from itertools import groupby

from wegokg.namespaces import shorten

SEVERITIES = ("ERROR", "WARN", "INFO")


@dataclass(frozen=True, order=True)
class Violation:
    """One problem found in the data.

    ``check`` names what found it: ``shacl``, ``evidence``, ``terms``, or a quality check from
    shapes/checks/. ``shape`` is the SHACL shape or the check's name.
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


@dataclass
class ValidationReport:
    """All problems found, sorted by file, line and focus node."""

    violations: list[Violation] = field(default_factory=list)

    def __post_init__(self) -> None:
        # None sorts before any text: two violations may differ only in a missing path or value.
        self.violations = sorted(
            set(self.violations), key=lambda v: tuple((x is not None, x) for x in astuple(v))
        )

    @property
    def conforms(self) -> bool:
        """True when nothing of severity ERROR was found."""
        return not any(v.severity == "ERROR" for v in self.violations)

    def count(self, severity: str) -> int:
        return sum(1 for v in self.violations if v.severity == severity)

    def to_json(self) -> str:
        return json.dumps(
            {
                "conforms": self.conforms,
                "counts": {s: self.count(s) for s in SEVERITIES},
                "violations": [asdict(v) for v in self.violations],
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
                for v in items:
                    where = f" [{shorten(v.path)}]" if v.path else ""
                    value = f" (value: {shorten(v.value)})" if v.value else ""
                    lines.append(f"    {v.severity} {shorten(v.shape)}{where}: {v.message}{value}")
        errors, warnings = self.count("ERROR"), self.count("WARN")
        verdict = "conforms" if self.conforms else "does not conform"
        lines.append(f"The data {verdict}: {errors} error(s), {warnings} warning(s).")
        return "\n".join(lines)
