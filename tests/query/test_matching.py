"""The name-matching engine: names compared without case, accents, spacing or punctuation, Korean
municipal suffixes and their romanizations taken off, near misses scored by rapidfuzz, and
``match`` only for one resource with the exact name."""

from __future__ import annotations

import pytest

from wegokg.core.namespaces import ID, WEGO
from wegokg.core.repository import Repository
from wegokg.query.matching import NameIndex, UnknownTypeError, name_keys, normalize

EX = "http://example.org/"


def small_index() -> NameIndex:
    names = [
        (EX + "seongnam", "Seongnam", "en", "label"),
        (EX + "seongnam", "성남시", "ko", "label"),
        (EX + "springfield-il", "Springfield", "en", "label"),
        (EX + "springfield-ma", "Springfield", "en", "label"),
        (EX + "george-town", "George Town", "en", "label"),
        (EX + "george-town", "조지타운", "ko", "label"),
        (EX + "malaysia", "Malaysia", "en", "label"),
    ]
    types = {
        EX + "seongnam": [EX + "City"],
        EX + "springfield-il": [EX + "City"],
        EX + "springfield-ma": [EX + "Town"],
        EX + "george-town": [EX + "City"],
        EX + "malaysia": [EX + "Country"],
    }
    return NameIndex.from_names(names, types, {EX + "City": [EX + "Place"]})


@pytest.mark.parametrize(
    "first, second",
    [
        ("George Town", "Georgetown"),
        ("São Paulo", "SAO PAULO"),
        ("Straße", "STRASSE"),
        ("Ulaanbaatar", "ulaan-baatar"),
        ("‘Green Connectivity’", "Green Connectivity"),
        ("성남 시", "성남시"),
    ],
)
def test_normalize_ignores_case_accents_spacing_and_punctuation(first, second):
    assert normalize(first) == normalize(second)


def test_normalize_keeps_different_names_apart():
    assert normalize("성남") != normalize("서울")
    assert normalize("Seoul") != normalize("Seou")


@pytest.mark.parametrize("name", ["성남", "성남시", "Seongnam-si", "Seongnam", "SEONGNAM SI"])
def test_municipal_suffixes_give_one_key(name):
    assert name_keys(name) & (name_keys("성남") | name_keys("Seongnam"))


def test_a_suffix_is_not_taken_off_a_name_that_merely_ends_in_it():
    assert name_keys("Tbilisi") == {"tbilisi"}
    assert name_keys("Mexico City") == {"mexicocity"}
    assert name_keys("시") == {"시"}


def test_an_exact_name_is_an_unambiguous_match():
    [first, *_] = small_index().match("georgetown")
    assert (first.iri, first.score, first.match) == (EX + "george-town", 100.0, True)


def test_the_candidate_is_named_in_the_language_of_the_query():
    assert small_index().match("조지타운")[0].name == "조지타운"
    assert small_index().match("George Town")[0].name == "George Town"


def test_a_language_counts_only_the_names_in_it():
    assert small_index().match("George Town", lang="ko") == []
    assert small_index().match("조지타운", lang="ko")[0].name == "조지타운"


def test_an_ambiguous_name_is_never_a_match():
    candidates = small_index().match("Springfield")
    assert {c.iri for c in candidates if c.score == 100} == {
        EX + "springfield-il",
        EX + "springfield-ma",
    }
    assert not any(c.match for c in candidates)


def test_a_type_filter_settles_an_ambiguous_name_and_counts_subclasses():
    index = small_index()
    [only] = [c for c in index.match("Springfield", types=[EX + "City"]) if c.score == 100]
    assert (only.iri, only.match) == (EX + "springfield-il", True)
    assert index.match("Seongnam", types=[EX + "Place"])[0].iri == EX + "seongnam"
    assert index.match("Seongnam", types=[EX + "Country"]) == []


def test_a_near_miss_scores_below_100_and_is_not_a_match():
    [first, *_] = small_index().match("Seongnma")
    assert first.iri == EX + "seongnam"
    assert 75 <= first.score < 100
    assert not first.match


def test_an_unknown_name_has_no_candidate():
    assert small_index().match("Quetzaltenango") == []
    assert small_index().match("  ?! ") == []


# -- On the real data ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index(root):
    return NameIndex.from_repository(Repository(root))


CITY, COUNTRY = ID + "city/", ID + "country/"


@pytest.mark.parametrize(
    "query, types, top, match",
    [
        ("Seongnam", None, CITY + "seongnam", True),  # English label
        ("성남시", None, CITY + "seongnam", True),  # Korean label
        ("성남", None, CITY + "seongnam", True),  # Korean without its suffix
        ("Seongnam-si", None, CITY + "seongnam", True),  # romanized suffix
        ("Georgetown", None, CITY + "george-town", True),  # spacing
        ("SAO PAULO", None, CITY + "sao-paulo", True),  # accents and case
        ("상파울루시", None, CITY + "sao-paulo", True),  # Korean alternative name
        ("Mexico", None, COUNTRY + "mexico", True),  # not Mexico City
        ("Seongnma", ["City"], CITY + "seongnam", False),  # a typo: near, never a match
        ("Post", None, None, False),  # a class and a property share the name
    ],
)
def test_real_names_find_their_resource(index, query, types, top, match):
    candidates = index.match(query, types=types)
    assert candidates
    if top is not None:
        assert candidates[0].iri == top
    assert candidates[0].match is match


def test_the_real_index_reads_labels_and_alternative_names_with_types(index):
    names = {(e.name, e.lang, e.kind) for e in index.names_of(CITY + "anyang")}
    assert names == {
        ("Anyang", "en", "label"),
        ("안양시", "ko", "label"),
        ("Anyang (Gyeonggi)", "en", "alt"),
        ("안양", "ko", "alt"),
    }
    assert index.types_of(CITY + "anyang") == (WEGO + "City",)


def test_a_type_is_given_by_iri_prefixed_name_or_name(index):
    assert index.resolve_type("City") == WEGO + "City"
    assert index.resolve_type("wego:City") == WEGO + "City"
    assert index.resolve_type(WEGO + "City") == WEGO + "City"
    with pytest.raises(UnknownTypeError, match="no class is named 'Planet'"):
        index.resolve_type("Planet")


def test_the_index_skips_a_broken_file_instead_of_failing(root, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        '<http://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "x', "utf-8"
    )
    index = NameIndex.from_repository(Repository(root, extra_files=[broken]))
    assert index.skipped == (str(broken),)
    assert index.match("Seongnam")[0].iri == CITY + "seongnam"
