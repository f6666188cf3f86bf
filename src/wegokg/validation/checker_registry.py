"""The checker registry: every checker that ``wegokg validate`` runs, in run order, the one list
that the report formats, the command line, the tests and the README's table of checkers read.

Like pySHACL's ``ALL_CONSTRAINT_COMPONENTS``, a checker is added with its own file (a class with
``name``, ``help``, ``severity`` and ``check(context)``; see
``wegokg.validation.context.Checker``) and
one line in ``CHECKERS`` below. Entries are ``"module:Class"`` strings, imported when the registry
is first read, so that importing this module (for the command line's help) costs nothing.
"""

from __future__ import annotations

import importlib
import re
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from wegokg.validation.report import LOAD, SEVERITIES, LoadCheck

if TYPE_CHECKING:
    from wegokg.validation.context import Checker

# A check's name is a rule id in SARIF, a test suite in JUnit and a word in messages.
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
# What a checker reads (its ``reads``; "store" if it says nothing): "files" if only the
# repository's files, so that it can run while the store loads (wegokg.validation.run).
READS = ("store", "files")


class CheckerRegistry:
    """Checker classes in run order, each under its own name."""

    def __init__(self, entries: Iterable[str | type] = ()) -> None:
        self._entries: list[str | type] = []
        self._resolved: list[type[Checker]] | None = None
        for entry in entries:
            self.register(entry)

    def register(self, entry: str | type) -> None:
        """Add a checker after the others: a class, checked at once, or ``"module:Class"``,
        imported and checked when the registry is first read."""
        if not isinstance(entry, str):
            self._declared(entry)
        self._entries.append(entry)
        self._resolved = None

    def unregister(self, name: str) -> None:
        """Remove the checker called ``name``; ValueError if there is none."""
        for entry, checker in zip(list(self._entries), self.classes(), strict=True):
            if checker.name == name:
                self._entries.remove(entry)
                self._resolved = None
                return
        raise ValueError(f"no checker is registered as {name!r}")

    def classes(self) -> list[type[Checker]]:
        """The registered checker classes, in run order."""
        if self._resolved is None:
            resolved = [self._declared(self._import(entry)) for entry in self._entries]
            names = [checker.name for checker in resolved]
            twice = sorted({name for name in names if names.count(name) > 1})
            if twice:
                raise ValueError(f"checkers registered twice under one name: {', '.join(twice)}")
            self._resolved = resolved
        return list(self._resolved)

    def __iter__(self) -> Iterator[type[Checker]]:
        return iter(self.classes())

    def __len__(self) -> int:
        return len(self._entries)

    def names(self) -> list[str]:
        return [checker.name for checker in self.classes()]

    def checkers(self) -> list[Checker]:
        """A fresh instance of every checker, in run order: what ``validate`` runs."""
        return [checker() for checker in self.classes()]

    def describe(self, check: str) -> type[Checker] | LoadCheck | None:
        """What a report's check name stands for: a registered checker, ``LOAD``, or None."""
        if check == LOAD.name:
            return LOAD
        return next((checker for checker in self.classes() if checker.name == check), None)

    def help(self, check: str) -> str:
        """The help text of a check named in a report (the fix hint of a SARIF rule)."""
        described = self.describe(check)
        return described.help if described is not None else "See the message of each result."

    def listing(self) -> str:
        """The checkers for a terminal: each name and default severity, then its help."""
        lines = []
        for checker in self.classes():
            lines.append(f"{checker.name} ({checker.severity})")
            lines += textwrap.wrap(
                " ".join(checker.help.split()), 96, initial_indent="  ", subsequent_indent="  "
            )
        return "\n".join(lines) + "\n"

    def table(self) -> str:
        """The README's table of checkers, in Markdown: name, default severity and help."""
        rows = ["| check | default severity | what it finds, and how to fix it |", "|---|---|---|"]
        for described in [*self.classes(), LOAD]:
            text = " ".join(described.help.split()).replace("|", "\\|")
            rows.append(f"| `{described.name}` | {described.severity} | {text} |")
        return "\n".join(rows) + "\n"

    @staticmethod
    def _import(entry: str | type) -> type:
        if not isinstance(entry, str):
            return entry
        module, _, attribute = entry.partition(":")
        if not attribute:
            raise ValueError(f"a checker entry is 'module:Class', not {entry!r}")
        return getattr(importlib.import_module(module), attribute)

    @staticmethod
    def _declared(checker: type) -> type[Checker]:
        """The class itself, once it is seen to declare what every format needs."""
        where = f"{checker.__module__}.{checker.__qualname__}"
        name = getattr(checker, "name", None)
        if not isinstance(name, str) or not _NAME.match(name) or name == LOAD.name:
            raise ValueError(
                f"{where}.name must be a lower-case word (letters, digits, '-') other than "
                f"'{LOAD.name}', not {name!r}"
            )
        help = getattr(checker, "help", None)
        if not isinstance(help, str) or "Fix:" not in help or "\n\n" in help.strip():
            raise ValueError(
                f"{where}.help must be one paragraph: what the check finds, then 'Fix:' and how"
            )
        if getattr(checker, "severity", None) not in SEVERITIES:
            raise ValueError(f"{where}.severity must be one of {', '.join(SEVERITIES)}")
        if not callable(getattr(checker, "check", None)):
            raise ValueError(f"{where} needs a check(context) method")
        if getattr(checker, "reads", "store") not in READS:
            raise ValueError(f"{where}.reads must be one of {', '.join(READS)}")
        return checker


def reads_files(checker: object) -> bool:
    """Whether the checker reads only the files, not the loaded store."""
    return getattr(checker, "reads", "store") == "files"


# The checkers, in run order. The text report prints each violation as it is found, so the
# checker that finds the most kinds of fault (SHACL: one shape per class) runs first, as soon as
# the store is loaded, in the calling process; the others that read the store run beside it in a
# worker process, and the term and query checks, which read the files themselves, in another one
# while the store loads (wegokg.validation.run). One line per checker.
CHECKERS = CheckerRegistry(
    [
        "wegokg.validation.shacl:ShaclChecker",
        "wegokg.validation.evidence:EvidenceChecker",
        "wegokg.validation.checks:QualityChecker",
        "wegokg.validation.coverage:CoverageChecker",
        "wegokg.validation.terms:TermChecker",
        "wegokg.validation.queries:QueryChecker",
    ]
)


def write_table(readme: Path) -> bool:
    """Put ``CHECKERS.table()`` between the README's ``<!-- checkers: … -->`` and
    ``<!-- /checkers -->`` lines; True if that changed the file."""
    text = readme.read_text(encoding="utf-8")
    table = re.compile(r"(<!-- checkers:[^\n]*-->\n)(.*?)(<!-- /checkers -->)", re.S)
    if not table.search(text):
        raise ValueError(f"{readme} has no <!-- checkers: ... --> ... <!-- /checkers --> lines")
    new = table.sub(lambda m: m.group(1) + CHECKERS.table() + m.group(3), text, count=1)
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":  # python -m wegokg.validation.checker_registry [README.md]
    import sys

    if len(sys.argv) > 1:
        print("rewritten" if write_table(Path(sys.argv[1])) else "up to date", sys.argv[1])
    else:
        print(CHECKERS.table(), end="")
