"""The one IRI check (wegokg.core.iri): RFC 3987 and the project's rules, shared by every caller."""

from __future__ import annotations

import pytest

from wegokg.core.iri import endpoint_problem, iri_problem, is_iri, is_relative, looks_like_iri

GOOD = [
    "https://w3id.org/wegokg/id/city/seongnam",
    "https://w3id.org/wegokg/ontology#City",
    "http://example.org/a?b=c&d=e#f",
    "https://ko.wikipedia.org/wiki/성남시",
    "https://example.org/%EC%84%B1",
    "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
    "mailto:someone@example.org",
    "http://[::1]:8080/sparql",
    "https://example.org/a?q=\ue000",  # iprivate, in the query part only
]

BAD = [
    ("", "does not start with a scheme"),
    ("seongnam", "does not start with a scheme"),
    ("/id/city/seongnam", "does not start with a scheme"),
    ("#City", "does not start with a scheme"),
    ("../a", "does not start with a scheme"),
    ("//example.org/a", "does not start with a scheme"),
    ("_:b0", "does not start with a scheme"),
    ("https://example.org/a b", "U+0020 SPACE at position 21"),
    ("https://example.org/a\tb", "U+0009"),
    ("https://example.org/a<b>", "U+003C"),
    ('https://example.org/a"b', "U+0022"),
    ("https://example.org/a{b}", "U+007B"),
    ("https://example.org/a\\b", "U+005C"),
    ("https://example.org/a#b#c", "more than one '#'"),
    ("https://example.org/%zz", "'%' at position 20 is not followed by two hex digits"),
    ("https://example.org/a%4", "not followed by two hex digits"),
    ("https://example.org/a]b", "]"),  # allowed characters, in the wrong place (oxiri says so)
    ("https://example.org/\ue000", "U+E000"),  # iprivate outside the query part
    ("https://example.org/a\u00a0b", "U+00A0 NO-BREAK SPACE at position 21"),
    ("https://example.org/a\u200bb", "U+200B ZERO WIDTH SPACE"),
    ("https://example.org/\ufeffa", "U+FEFF"),
    ("https://example.org/a\u3000", "U+3000 IDEOGRAPHIC SPACE"),
    ("https://example.org/a\u2060", "U+2060 WORD JOINER"),
]


@pytest.mark.parametrize("iri", GOOD)
def test_a_usable_iri_has_no_problem(iri):
    assert iri_problem(iri) is None
    assert is_iri(iri)


@pytest.mark.parametrize(("iri", "problem"), BAD)
def test_an_unusable_iri_is_named_with_its_fault(iri, problem):
    found = iri_problem(iri)
    assert found is not None and problem in found
    assert not is_iri(iri)


@pytest.mark.parametrize("char", ["\u00a0", "\u200b", "\u200d", "\ufeff", "\u3000"])
def test_loaded_data_may_keep_an_invisible_character_for_the_quality_check(char):
    iri = f"https://example.org/a{char}b"
    assert iri_problem(iri) is not None
    assert iri_problem(iri, allow_invisible=True) is None


def test_a_space_is_refused_even_where_invisible_characters_are_allowed():
    assert "U+0020" in iri_problem("https://example.org/a b", allow_invisible=True)


@pytest.mark.parametrize(
    ("value", "relative"),
    [("https://a.org/", False), ("urn:x", False), ("a/b", True), ("#x", True), ("1a:b", True)],
)
def test_a_reference_without_a_scheme_is_relative(value, relative):
    assert is_relative(value) is relative


@pytest.mark.parametrize(
    ("value", "meant"),
    [("<seongnam>", True), ("wego:City", True), ("https://a.org/", True), ("Seongnam", False),
     ("성남시", False), ("note: a", False), ("x:", False)],
)  # fmt: skip
def test_text_meant_as_an_iri_is_told_from_a_name(value, meant):
    assert looks_like_iri(value) is meant


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://127.0.0.1:7878/query", None),
        ("https://query.wikidata.org/sparql", None),
        ("sparql", "is not a valid IRI"),
        ("http://x y/", "is not a valid IRI"),
        ("ftp://example.org/sparql", "is not an http(s) URL"),
        ("http:///sparql", "names no host"),
        ("http://example.org:port/", "is not a valid IRI"),  # oxiri reads the port
        ("http://exa_mple!.org/", "has a host name that is not one"),
        ("http://example.org/\u200b", "is not a valid IRI"),
    ],
)
def test_an_endpoint_is_a_usable_iri_and_an_http_url_with_a_host(url, problem):
    found = endpoint_problem(url)
    assert (found is None) if problem is None else (problem in found)


@pytest.mark.parametrize(
    ("iri", "link"),
    [
        ("https://ko.wikipedia.org/wiki/성남시", True),
        ("HTTP://example.org/a", True),
        ("javascript:alert(1)", False),
        ("https://example.org/a\u200bb", False),
        ("https://example.org/a b", False),
        ("https://example.org/a]b", False),
    ],
)
def test_the_site_links_only_a_usable_http_iri(iri, link):
    from wegokg.publish.site.layout import is_web_link

    assert is_web_link(iri) is link
