"""The points a bilingual fact-check raised about single facts, each read against its quote.

Each test states what the article's words allow, so that a later edit cannot drift back.
"""

from __future__ import annotations

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDFS, SKOS, XSD

WEGO = Namespace("https://w3id.org/wegokg/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
ID = "https://w3id.org/wegokg/id/"
NEWSPIM = URIRef(ID + "source/newspim-2021-10-13")


def _label(dataset, node: URIRef, lang: str) -> str:
    (label,) = [o for o in dataset.objects(node, RDFS.label) if o.language == lang]
    return str(label)


def test_newspim_dateline_is_recorded_from_its_byline(dataset):
    """'[서울=뉴스핌] 이동훈 기자': the story was filed in Seoul, and the byline quote says so."""
    assert set(dataset.objects(NEWSPIM, SCHEMA.locationCreated)) == {URIRef(ID + "city/seoul")}
    quotes = {str(dataset.value(q, OA.exact)) for q in dataset.objects(NEWSPIM, WEGO.evidence)}
    assert any(quote.startswith("[서울=뉴스핌]") for quote in quotes)


def test_remark_without_subject_is_not_given_one_in_english(dataset):
    """'…앞장서겠다' has no subject; the speaker talks as WeGO's president and as mayor."""
    remark = URIRef(ID + "fact/oh-se-hoon-remark-3")
    english = _label(dataset, remark, "en")
    assert "Seoul will" not in english
    assert "we will lead" in english


def test_duty_2_translates_the_general_assemblys_constitution(dataset):
    """'총회 정관 개정 논의': the General Assembly's constitution, and no source says more."""
    duty = URIRef(ID + "fact/executive-committee-duty-2")
    assert "총회 정관" in _label(dataset, duty, "ko")
    assert "General Assembly" in _label(dataset, duty, "en")
    assert list(dataset.objects(duty, SKOS.editorialNote)) == []


def test_newspims_attendance_counts_are_plans_as_of_its_date(dataset):
    """'…참여해 머리를 맞댄다', written on 13 October, five days before the assembly."""
    for name in ("attending-cities", "attending-people"):
        claim = URIRef(ID + f"fact/wego-general-assembly-5-{name}-newspim")
        assert dataset.value(claim, WEGO.prospective) == Literal(True)
        assert dataset.value(claim, WEGO.asOf) == Literal("2021-10-13", datatype=XSD.date)
    disagreement = URIRef(ID + "fact/disagreement-5th-general-assembly-attendance")
    comments = {o.language: str(o) for o in dataset.objects(disagreement, RDFS.comment)}
    assert "A plan meets a report" in comments["en"]
    assert "계획과 보도가 만난다" in comments["ko"]
