"""undeclared-disagreement compares typed values: a coarser date agrees with a finer one inside
it (issue 16, §5). The agreeing fixture is added to the repository's own data, as the invalid
fixtures of test_shapes are."""

from __future__ import annotations

import pytest
from conftest import ROOT

from wegokg import validate

AGREEING = ROOT / "tests" / "fixtures" / "agreeing" / "coarser-date-inside-finer.ttl"
DATING = "https://w3id.org/wegokg/id/fact/wego-general-assembly-5-dating-newspim"


def disagreements(tmp_path, month: str | None = None) -> list:
    fixture = AGREEING
    if month is not None:
        fixture = tmp_path / "dating.ttl"
        fixture.write_text(
            AGREEING.read_text(encoding="utf-8").replace('"2021-10"', f'"{month}"'),
            encoding="utf-8",
        )
    report = validate(ROOT, extra_files=[fixture])
    return [v for v in report.violations if v.shape == "undeclared-disagreement"]


def test_a_month_agrees_with_a_day_inside_it(tmp_path):
    assert disagreements(tmp_path) == []


@pytest.mark.parametrize("month", ["2021-11", "2020-10"])
def test_a_month_that_does_not_hold_the_day_disagrees(tmp_path, month):
    found = disagreements(tmp_path, month)
    assert [v.focus_node for v in found] == [DATING]
