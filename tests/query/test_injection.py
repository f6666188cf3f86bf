"""No parameter value can change a stored query's structure: proven with generated values rather
than sampled (issue 9, section 2).

For every parameter of every stored query, hypothesis throws strings at it: quotes, triple
quotes, braces, '#', newlines, backslashes, control characters and any Unicode, and IRIs holding
'>', spaces or '"'. The rendered query is parsed by rdflib, and its algebra, with literal values
and the bound IRI masked, must be the same as with a plain value. An IRI that is not one is
refused with a clear CatalogError.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from wegokg.core.terms import to_rdflib
from wegokg.query.catalog import CatalogError, QueryCatalog

CATALOG = QueryCatalog.from_repository(ROOT)
PARAMETERS = [(q.name, p) for q in CATALOG for p in q.parameters]
PLAIN = {"iri": "https://w3id.org/wegokg/id/plain", "string": "plain", "integer": "1",
         "date": "2021-10-18", "boolean": "true"}  # fmt: skip

NASTY_PIECES = ['"', '"""', "'", "'''", "}", "{", "#", "\n", "\r", "\\", "\\u0022", ">", "<", " ",
                "\x00", "\x01", "\x1f", "\x7f", "\u2028", "\ufeff", "?x", "$y", ".", ";", "UNION",
                "} } DROP ALL #", '" } ; DELETE WHERE { ?s ?p ?o } #', "FILTER(false)"]  # fmt: skip
hostile_text = st.lists(
    st.one_of(st.sampled_from(NASTY_PIECES), st.text(max_size=8)), max_size=6
).map("".join)
hostile_iri = st.builds(
    "".join,
    st.lists(
        st.one_of(
            st.sampled_from(["https://w3id.org/wegokg/id/", "city:", "<https://x/", ">", '"', " "]),
            st.sampled_from(NASTY_PIECES),
            st.text(max_size=6),
        ),
        min_size=1,
        max_size=5,
    ),
)
FORBIDDEN_IN_IRI = set('<>"{}|^`\\ ') | {chr(c) for c in range(0x21)} | {"\x7f"}

BOUNDED = settings(
    max_examples=20, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip


def shape(node: object, bound: object) -> object:
    """The algebra as nested tuples, with literals and the bound term masked."""
    if isinstance(node, CompValue | dict):
        return (
            getattr(node, "name", "dict"),
            tuple((str(k), shape(v, bound)) for k, v in node.items()),
        )
    if isinstance(node, list | tuple):
        return tuple(shape(item, bound) for item in node)
    if isinstance(node, set | frozenset):
        return tuple(sorted(repr(shape(item, bound)) for item in node))
    if isinstance(node, Literal):
        return "LITERAL"
    if isinstance(node, BNode):
        return "BNODE"
    if isinstance(node, URIRef) and node == bound:
        return "BOUND"
    return repr(node)


def algebra_shape(query_name: str, parameter: str, value: str) -> object:
    stored = CATALOG.get(query_name)
    bound = to_rdflib(stored.bind({parameter: value})[parameter])
    return shape(prepareQuery(stored.render({parameter: value})).algebra, bound)


@pytest.fixture(scope="module")
def plain_shapes() -> dict[tuple[str, str], object]:
    return {(q, p.name): algebra_shape(q, p.name, PLAIN[p.type]) for q, p in PARAMETERS}


def test_every_stored_query_has_parameters_to_attack():
    assert {p.type for _, p in PARAMETERS} >= {"iri", "string"}


@pytest.mark.parametrize("query_name,parameter", [(q, p) for q, p in PARAMETERS if p.type != "iri"],
                         ids=lambda x: getattr(x, "name", x))  # fmt: skip
@BOUNDED
@given(value=hostile_text)
@example(value='"""')
@example(value='" } ; DROP ALL ; SELECT * { #')
@example(value="\\")
@example(value="\x00\x01\n\r\t\u2028")
def test_no_string_changes_the_query_structure(plain_shapes, query_name, parameter, value):
    try:
        got = algebra_shape(query_name, parameter.name, value)
    except CatalogError as error:
        assert parameter.type != "string", f"a string was refused: {error}"
        assert f"parameter {parameter.name!r} takes" in str(error)
        return
    assert got == plain_shapes[(query_name, parameter.name)]


@pytest.mark.parametrize("query_name,parameter", [(q, p) for q, p in PARAMETERS if p.type == "iri"],
                         ids=lambda x: getattr(x, "name", x))  # fmt: skip
@BOUNDED
@given(value=hostile_iri)
@example(value="https://x/a> . ?s ?p ?o . <https://x/b")
@example(value="https://x/a b")
@example(value='https://x/a"b')
@example(value="https://x/\x01")
@example(value="city:seongnam")
def test_no_iri_changes_the_query_structure_and_a_bad_one_is_refused(
    plain_shapes, query_name, parameter, value
):
    stored = CATALOG.get(query_name)
    try:
        bound = stored.bind({parameter.name: value})[parameter.name]
    except CatalogError as error:
        assert f"parameter {parameter.name!r} takes an IRI" in str(error)
        return
    assert not FORBIDDEN_IN_IRI & set(bound.value), f"accepted a bad IRI: {bound.value!r}"
    assert (
        algebra_shape(query_name, parameter.name, value)
        == plain_shapes[(query_name, parameter.name)]
    )


INVALID_IRIS = ["https://x/a>b", "https://x/a b", 'https://x/a"b', "https://x/\x01",
                "<https://x/{}>", "https://x/%g0"]  # fmt: skip


@pytest.mark.parametrize("value", INVALID_IRIS)
def test_an_invalid_iri_is_refused_with_a_clear_message(value):
    with pytest.raises(CatalogError, match=r"parameter 'city' takes an IRI .*, not .*: "):
        CATALOG.get("city-profile").render({"city": value})
