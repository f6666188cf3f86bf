"""The one term writer: every value, however hostile, comes back from a SPARQL engine unchanged."""

import pyoxigraph
import pytest
from rdflib import BNode, Literal, URIRef

from wegokg.core.terms import TermError, term_text, to_oxigraph

HOSTILE = [
    'a "quoted" value',
    "back\\slash and \\u0022 written out",
    "line\nbreak\rand\ttab",
    "control \x01 \x1f \x7f characters",
    '" } ; DROP ALL ; SELECT * { "',
    "한국어 라벨 \u2028 separator",
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("form", ["plain", "lang", "typed"])
def test_written_literals_come_back_unchanged_from_sparql(text, form):
    literal = {
        "plain": Literal(text),
        "lang": Literal(text, lang="ko"),
        "typed": Literal(text, datatype=URIRef("https://example.org/type")),
    }[form]
    rows = list(pyoxigraph.Store().query(f"SELECT ?v WHERE {{ BIND({term_text(literal)} AS ?v) }}"))
    assert rows[0]["v"] == to_oxigraph(literal)


def test_iris_are_checked_before_they_are_written():
    assert term_text(URIRef("https://example.org/a")) == "<https://example.org/a>"
    with pytest.raises(TermError, match="not a valid IRI"):
        term_text(URIRef("https://example.org/a> } <x"))
    with pytest.raises(TermError, match="not a valid IRI"):
        term_text(URIRef("relative/path"))


def test_blank_nodes_are_refused_where_they_cannot_be_written():
    assert term_text(BNode("b1")) == "_:b1"
    with pytest.raises(TermError, match="blank node"):
        term_text(BNode("b1"), allow_blank=False)


def test_pyoxigraph_terms_are_written_the_same_as_rdflib_terms():
    for text in HOSTILE:
        assert term_text(Literal(text, lang="en")) == term_text(
            pyoxigraph.Literal(text, language="en")
        )


def test_something_not_a_term_is_refused():
    with pytest.raises(TermError, match="not an RDF term"):
        to_oxigraph(42)
