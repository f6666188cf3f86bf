"""The query catalog: stored queries carry their metadata, parameters are typed and bound safely,
and every query is written so that any SPARQL engine gives the same rows."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode
from rdflib import Literal, URIRef

from wegokg.core.queryfile import QueryFileError
from wegokg.query.catalog import (
    CatalogError,
    Parameter,
    QueryCatalog,
    UnknownQueryError,
    insert_values,
    read_stored_query,
    sparql_term,
)
from wegokg.query.engines import RdflibEngine

CATALOG = QueryCatalog.from_folder(ROOT / "queries")


@pytest.mark.parametrize("query", list(CATALOG), ids=lambda q: q.name)
def test_every_query_states_its_question_and_use(query):
    assert query.title.endswith("?") and query.title_ko.endswith("?")
    assert query.description and query.use and query.keywords


@pytest.mark.parametrize("query", list(CATALOG), ids=lambda q: q.name)
def test_every_query_gives_distinct_ordered_rows(query):
    # A store's own union default graph (Virtuoso's, Oxigraph's --union-default-graph) may repeat
    # a statement that two sources share, and an unordered result may come back in any order:
    # DISTINCT and ORDER BY make every store agree, not only those that hold the set union.
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    assert re.search(r"\bSELECT\s+DISTINCT\b", body)
    assert re.search(r"\bORDER\s+BY\b", body)


def test_an_unknown_query_suggests_near_names():
    with pytest.raises(UnknownQueryError) as caught:
        CATALOG.get("award-winner")
    assert caught.value.suggestions[0] == "award-winners"
    assert "Did you mean: award-winners" in str(caught.value)


def test_an_undeclared_parameter_is_refused_with_the_declared_ones():
    with pytest.raises(CatalogError, match=r"no parameter 'town' \(its parameters: city\)"):
        CATALOG.get("city-profile").render({"town": "city:seoul"})


@pytest.mark.parametrize(
    "value",
    ["not an iri", "<http://x> } ; DROP ALL", 'http://a"b', "http://a>b", "city:seoul> } #"],
)
def test_an_ill_typed_iri_is_refused(value):
    with pytest.raises(CatalogError, match="takes an IRI"):
        CATALOG.get("city-profile").render({"city": value})


def test_values_are_typed():
    param = read_stored_query(ROOT / "queries" / "city-profile.rq").parameters[0]
    assert param.to_term("city:seoul") == NamedNode("https://w3id.org/wegokg/id/city/seoul")
    assert param.to_term("<https://example.org/x>") == NamedNode("https://example.org/x")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for kind, given, written in (("integer", " +05", "5"), ("date", "2021-10-13", "2021-10-13"),
                                 ("boolean", "true", "true")):  # fmt: skip
        typed = Parameter("x", kind, None, "").to_term(given)
        assert typed == OxLiteral(written, datatype=NamedNode(xsd + kind))
    assert Parameter("x", "string", None, "").to_term("서울") == OxLiteral("서울")


def test_a_string_value_cannot_escape_its_literal(dataset):
    hostile = 'en") } UNION { ?subject ?aspect ?statement . BIND("x'
    query = CATALOG.get("aims-and-themes").render({"lang": hostile})
    assert RdflibEngine(dataset).select(query).rows == ()


def test_sparql_terms_are_escaped():
    assert sparql_term(Literal('a"b\\c\nd')) == '"a\\"b\\\\c\\nd"'
    assert sparql_term(Literal("서울", lang="ko")) == '"서울"@ko'
    integer = URIRef("http://www.w3.org/2001/XMLSchema#integer")
    assert sparql_term(Literal("5", datatype=integer)) == f'"5"^^<{integer}>'
    with pytest.raises(CatalogError):
        sparql_term(URIRef("http://a b"))


def test_values_go_inside_the_where_clause_not_inside_strings_or_iris():
    query = (
        "PREFIX ex: <http://example.org/x#>\n# a comment with { a brace\n"
        'SELECT ?s WHERE { ?s ?p "{" }'
    )
    bound = insert_values(query, {"s": URIRef("http://example.org/a")})
    assert bound.index("VALUES (?s)") > bound.index("WHERE {")
    assert bound.startswith("PREFIX ex: <http://example.org/x#>\n# a comment with { a brace")


def test_a_header_without_a_title_is_refused(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("# description: no title\nSELECT DISTINCT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n")
    with pytest.raises(QueryFileError, match=r"bad\.rq:1: the header needs a '# title:' line"):
        read_stored_query(path)


def stored_query_file(folder, name: str, param: str) -> object:
    """A stored query with a complete header, the given parameter line, and a fixed body."""
    header = "".join(f"# {k}: x\n" for k in ("title", "title-ko", "description", "keywords", "use"))
    path = folder / f"{name}.rq"
    body = "SELECT DISTINCT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n"
    path.write_text(f"{header}# param: {param}\n{body}")
    return path


def test_a_parameter_the_query_does_not_use_is_refused(tmp_path):
    path = stored_query_file(tmp_path, "unused", "city (iri) A city.")
    with pytest.raises(QueryFileError, match=r"unused\.rq:6: parameter \?city is not used"):
        read_stored_query(path)


def test_a_parameter_without_default_must_be_given(tmp_path):
    path = stored_query_file(tmp_path, "needs", "s (iri) A node.")
    with pytest.raises(CatalogError, match="needs --param s="):
        read_stored_query(path).render({})
