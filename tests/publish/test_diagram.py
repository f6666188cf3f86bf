"""The data-model picture in docs/ is drawn from the current ontology and shapes."""

from __future__ import annotations

from conftest import ROOT

from wegokg.publish.diagram import dot_digest, model_dot


def test_the_committed_dot_is_up_to_date():
    committed = (ROOT / "docs" / "data-model.dot").read_text(encoding="utf-8")
    assert committed == model_dot(ROOT), "run 'wegokg diagram' and commit docs/"


def test_the_committed_svg_was_drawn_from_that_dot():
    dot = (ROOT / "docs" / "data-model.dot").read_text(encoding="utf-8")
    svg = (ROOT / "docs" / "data-model.svg").read_text(encoding="utf-8")
    assert dot_digest(dot) in svg, "run 'wegokg diagram' and commit docs/"


def test_the_picture_shows_the_claim_and_evidence_pattern():
    dot = model_dot(ROOT)
    assert '"Claim" -> "Quote" [label="wego:evidence"]' in dot
    assert '"Quote" -> "SourceDocument" [label="prov:wasQuotedFrom"]' in dot
    assert '"Membership" -> "Claim" [arrowhead=empty, style=dashed]' in dot
