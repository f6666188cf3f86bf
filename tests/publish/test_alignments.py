"""Every class and property of the wego vocabulary has a documented alignment decision, and the
table in docs/alignments.md is the one the ontology generates. The consistency checks
(alignment-domain-range, owl-lite) have invalid fixtures in tests/fixtures/invalid/, run by
tests/data/test_shapes.py; here they are shown to catch a sub-property that its target's domain or
range contradicts."""

from __future__ import annotations

from conftest import ROOT

from wegokg.core.repository import Repository
from wegokg.publish.alignments import TABLE_FILE, alignment_table, alignments
from wegokg.query.engines import OxigraphEngine
from wegokg.validation.checks import load_checks, run_checks


def test_every_wego_class_and_property_has_one_alignment_note():
    found = alignments(Repository.find(ROOT).vocabulary)
    assert len(found) > 100
    assert [str(a.term) for a in found if not a.note] == []
    decided = [a for a in found if a.links or a.inherited]
    assert len(decided) > len(found) / 2


def test_the_alignment_table_in_docs_is_current():
    repository = Repository.find(ROOT)
    committed = (repository.docs_folder / TABLE_FILE).read_text(encoding="utf-8")
    assert committed == alignment_table(repository.vocabulary), (
        "docs/alignments.md is out of date: run `python -m wegokg.publish.alignments`"
    )


def _check_rows(extra: str) -> set[tuple[str, str, str]]:
    import pyoxigraph

    repository = Repository.find(ROOT)
    store = pyoxigraph.Store()
    for path in repository.vocabulary_files():
        store.load(path.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE)
    store.load(extra.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    checks = [c for c in load_checks(repository.checks_folder) if c.name.startswith(("al", "owl"))]
    return {
        (r.check.name, r.focus_node, r.value or "")
        for r in run_checks(OxigraphEngine(store), checks)
    }


PREFIXES = """
@prefix wego: <https://w3id.org/wegokg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
W = "https://w3id.org/wegokg/ontology#"


def test_the_repository_vocabulary_passes_both_checks():
    assert _check_rows("") == set()


def test_a_sub_property_outside_the_targets_schema_domain_is_reported():
    # wego:secretariatIn's domain is org:Organization, which schema:location does not include.
    rows = _check_rows(PREFIXES + "wego:secretariatIn rdfs:subPropertyOf schema:location .")
    assert rows == {("alignment-domain-range", W + "secretariatIn", "https://schema.org/location")}


def test_a_sub_property_whose_range_the_target_excludes_is_reported():
    # wego:rank is an integer; schema:startDate takes a date.
    rows = _check_rows(PREFIXES + "wego:rank rdfs:subPropertyOf schema:startDate .")
    assert ("alignment-domain-range", W + "rank", "https://schema.org/startDate") in rows


def test_a_sub_property_outside_an_rdfs_domain_is_reported():
    # org:memberDuring is said of an org:Membership; wego:forTerm of an election.
    rows = _check_rows(PREFIXES + "wego:forTerm rdfs:subPropertyOf org:memberDuring .")
    assert rows == {
        ("alignment-domain-range", W + "forTerm", "http://www.w3.org/ns/org#memberDuring")
    }


def test_a_class_aligned_with_a_property_is_reported():
    rows = _check_rows(PREFIXES + "wego:Venue rdfs:subClassOf schema:location .")
    assert ("alignment-domain-range", W + "Venue", "https://schema.org/location") in rows


def test_an_annotation_that_is_not_declared_breaks_owl_lite():
    rows = _check_rows(PREFIXES + "wego:City schema:sameAs schema:City .")
    assert rows == {("owl-lite", W + "City", "https://schema.org/sameAs")}
