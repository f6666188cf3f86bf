"""Data-quality checks that SHACL cannot express, one SPARQL file each in shapes/checks/.

Like ROBOT's report queries, each file's header states the problem, the principle and the fix;
shapes/checks/profile.tsv gives each check its severity. A check's SELECT returns one row per
offence, with the offending resource in ``?focus`` (and, if it matters, the named graph in
``?graph`` and an offending value in ``?value`` or ``?other``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wegokg.core.file_reading import checked_file, list_files, read_utf8
from wegokg.core.queryfile import QueryFile, QueryFileError, read_query_file
from wegokg.query.engines import EngineError, QueryEngine, QueryTooDeepError
from wegokg.validation.report import SEVERITIES, Violation

if TYPE_CHECKING:
    from wegokg.validation.context import ValidationContext


@dataclass(frozen=True)
class Check:
    query: QueryFile
    severity: str

    @property
    def name(self) -> str:
        return self.query.name


@dataclass(frozen=True)
class CheckResult:
    check: Check
    focus_node: str
    graph: str | None
    value: str | None


def load_checks(folder: Path) -> list[Check]:
    """The checks in ``folder``, each with the severity its profile gives it."""
    profile_path = folder / "profile.tsv"
    severities: dict[str, str] = {}
    for number, line in enumerate(read_utf8(checked_file(profile_path, folder)).splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("check\t"):
            continue
        name, _, severity = line.partition("\t")
        if severity not in SEVERITIES:
            raise QueryFileError(profile_path, number, f"severity must be one of {SEVERITIES}")
        severities[name] = severity
    checks = []
    for path in list_files(folder, "*.rq"):
        query = read_query_file(path)
        if query.name not in severities:
            raise QueryFileError(profile_path, 1, f"check {query.name!r} has no severity here")
        for key in ("title", "problem", "principle", "fix"):
            if not query.get(key):
                raise QueryFileError(path, 1, f"the header needs a '# {key}:' line")
        checks.append(Check(query, severities[query.name]))
    return checks


def run_checks(engine: QueryEngine, checks: list[Check]) -> list[CheckResult]:
    """Run every check on an engine whose default graph is the union of the named graphs."""
    results = []
    for check in checks:
        try:
            rows = engine.select(check.query.text).as_dicts()
        except (EngineError, QueryTooDeepError) as error:
            raise EngineError(f"{check.query.path}: {error}") from None
        for values in rows:
            other = values.get("value", values.get("other"))
            results.append(
                CheckResult(
                    check,
                    values["focus"].value,
                    values["graph"].value if "graph" in values else None,
                    other.value if other is not None else None,
                )
            )
    return results


class QualityChecker:
    """The checker for the quality checks in shapes/checks/, run on the pyoxigraph store."""

    name = "quality"
    severity = "ERROR"  # each check's own is in shapes/checks/profile.tsv
    help = (
        "The quality checks of shapes/checks/: rules that SHACL cannot express (named graphs, "
        "orphans, quotes outside an article's body...), one SPARQL query each, whose header states "
        "the problem, the principle and the fix, and whose severity shapes/checks/profile.tsv "
        "gives. Fix: as the message says: it gives the check's title and the fix of its header."
    )

    def check(self, context: ValidationContext) -> Iterator[Violation]:
        from wegokg.validation.context import relative

        for result in run_checks(context.engine, load_checks(context.repository.checks_folder)):
            query = result.check.query
            file, line = context.locate(result.focus_node, result.graph)
            if line == 0:
                file, line = relative(query.path), 1
            yield Violation(
                file=file,
                line=line,
                focus_node=result.focus_node,
                severity=result.check.severity,
                check=self.name,
                shape=result.check.name,
                message=f"{query.get('title')}. Fix: {query.get('fix')}",
                value=result.value,
            )
