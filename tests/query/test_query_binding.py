"""Parameters are bound, not pasted: the embedded engines bind them with their own mechanism, and
an endpoint gets a VALUES block at the outer WHERE group, which a parse finds (never inside a
CONSTRUCT template, an EXISTS in the projection or a string). Stored queries are SELECT or ASK that
parse; any other is refused when the catalog is read, by `wegokg validate` and by `wegokg site`."""

from __future__ import annotations

import json

import pyoxigraph
import pytest
from conftest import ROOT
from rdflib import URIRef
from support.inprocess import wegokg

from wegokg.core.queryfile import QueryFileError
from wegokg.query.catalog import CatalogError, QueryCatalog, insert_values, read_stored_query
from wegokg.query.engines import OxigraphEngine, RdflibEngine
from wegokg.query.query_binding import outer_where, with_values

SEONGNAM = URIRef("https://w3id.org/wegokg/id/city/seongnam")
BOUND = {"city": SEONGNAM}
VALUES = f"VALUES (?city) {{ (<{SEONGNAM}>) }}"
CONSTRUCT = "CONSTRUCT { ?city ?p ?o } WHERE { ?city ?p ?o }"
EXISTS_IN_PROJECTION = "SELECT ?p (EXISTS { ?city ?p ?x } AS ?e) WHERE { ?city ?p ?o }"
NO_WHERE_KEYWORD = "SELECT DISTINCT ?p # the WHERE group { follows\n{ ?city ?p ?o }"
SUBQUERY = "SELECT ?p ?n { SELECT ?p (COUNT(*) AS ?n) WHERE { ?city ?p ?o } GROUP BY ?p }"
NESTED_SUBQUERY = "SELECT ?p ?n { { SELECT ?p (COUNT(*) AS ?n) { ?city ?p ?o } GROUP BY ?p } }"


def parses(query: str) -> None:
    pyoxigraph.Store().query(query)  # raises SyntaxError if not


def outer_group(query: str) -> str:
    where = outer_where(query)
    return where.text[where.open : where.close + 1]


def test_values_go_into_the_where_clause_of_a_construct_not_its_template():
    bound = insert_values(CONSTRUCT, BOUND)
    parses(bound)
    assert bound.startswith("CONSTRUCT { ?city ?p ?o } WHERE {")
    assert VALUES in outer_group(bound)


def test_values_go_into_the_where_clause_not_an_exists_in_the_projection():
    bound = insert_values(EXISTS_IN_PROJECTION, BOUND)
    parses(bound)
    assert bound.startswith("SELECT ?p (EXISTS { ?city ?p ?x } AS ?e) WHERE {")
    assert bound.index(VALUES) > bound.index("WHERE {")


def test_values_go_into_a_where_group_without_the_where_keyword():
    bound = insert_values(NO_WHERE_KEYWORD, BOUND)
    parses(bound)
    assert bound.index(VALUES) > bound.index("\n{")


@pytest.mark.parametrize("query", [SUBQUERY, NESTED_SUBQUERY], ids=["bare", "in-a-group"])
def test_values_go_around_a_subquery_not_into_it(query):
    bound = insert_values(query, BOUND)
    parses(bound)
    assert bound.index(VALUES) < bound.index("SELECT ?p (COUNT")


@pytest.fixture(scope="module")
def engines(dataset):
    return {"rdflib": RdflibEngine(dataset), "oxigraph": OxigraphEngine.from_dataset(dataset)}


# rdflib cannot evaluate EXISTS in a projection, and it lets a VALUES outside a subquery bind
# the subquery's own variables: those shapes are checked on pyoxigraph only.
SHAPES = {
    "construct": (CONSTRUCT, ("rdflib", "oxigraph")),
    "no where keyword": (NO_WHERE_KEYWORD, ("rdflib", "oxigraph")),
    "exists in projection": (EXISTS_IN_PROJECTION, ("oxigraph",)),
    "subquery": (SUBQUERY, ("oxigraph",)),
    "ask": ("ASK { ?city ?p ?o }", ("rdflib", "oxigraph")),
    "projected parameter": ("SELECT ?city ?p { ?city ?p ?o }", ("rdflib", "oxigraph")),
}


def _rows(answer):
    if isinstance(answer, bool):
        return answer
    if hasattr(answer, "rows"):
        return sorted(answer.rows, key=lambda row: [repr(t) for t in row])
    return set(answer)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_an_engine_s_own_binding_gives_the_rows_of_the_values_block(engines, shape):
    query, on = SHAPES[shape]
    for name in on:
        engine = engines[name]
        bound = _rows(engine.query(query, BOUND))
        assert bound == _rows(engine.query(with_values(query, BOUND))), name
        if shape not in ("subquery", "ask"):  # the parameter narrows the answer
            assert bound != _rows(engine.query(query)), name


def test_the_embedded_engines_bind_with_their_own_mechanism(engines, monkeypatch):
    seen = {}
    store = engines["oxigraph"].store
    monkeypatch.setattr(
        engines["oxigraph"],
        "store",
        type(
            "Spy",
            (),
            {"query": lambda self, q, **kw: seen.update(ox=(q, kw)) or store.query(q, **kw)},
        )(),
    )
    query = "SELECT ?city ?p WHERE { ?city ?p ?o }"
    engines["oxigraph"].select(query, BOUND)
    text, options = seen["ox"]
    assert text == query
    assert options["substitutions"] == {pyoxigraph.Variable("city"): pyoxigraph.NamedNode(SEONGNAM)}
    dataset = engines["rdflib"].dataset
    original = dataset.query
    monkeypatch.setattr(
        dataset, "query", lambda q, **kw: seen.update(rdflib=(q, kw)) or original(q, **kw)
    )
    engines["rdflib"].select(query, BOUND)
    assert seen["rdflib"] == (query, {"initBindings": BOUND})


def test_a_query_that_does_not_parse_cannot_have_values_inserted():
    with pytest.raises(CatalogError, match="does not parse"):
        insert_values("SELECT ?x WHERE { ?x ?p }", {"x": SEONGNAM})


def stored(folder, name: str, body: str):
    header = "".join(f"# {k}: x\n" for k in ("title", "title-ko", "description", "keywords", "use"))
    path = folder / f"{name}.rq"
    path.write_text(header + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "body",
    [
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n",
        "PREFIX city: <https://w3id.org/wegokg/id/city/>\nDESCRIBE city:seongnam\n",
    ],
    ids=["construct", "describe"],
)
def test_a_stored_query_that_is_not_select_or_ask_is_refused_when_read(tmp_path, body):
    with pytest.raises(QueryFileError, match=r"graph\.rq:6: a stored query is a SELECT or an ASK"):
        read_stored_query(stored(tmp_path, "graph", body))


def test_a_stored_query_that_does_not_parse_is_refused_with_its_line(tmp_path):
    # pyoxigraph names the line where it gave up: the faulty one or the next.
    path = stored(tmp_path, "broken", "SELECT ?s\nWHERE { ?s ?p ?o }\nORDER BY ORDER BY ?s\n")
    with pytest.raises(QueryFileError, match=r"broken\.rq:[89]: the query does not parse"):
        read_stored_query(path)


def test_a_stored_query_that_calls_a_service_is_refused(tmp_path):
    path = stored(tmp_path, "far", "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }\n")
    with pytest.raises(QueryFileError, match=r"far\.rq:6: SERVICE is refused"):
        read_stored_query(path)


def test_every_stored_query_is_select_or_ask():
    for query in QueryCatalog.from_folder(ROOT / "queries"):
        assert outer_where(query.text).form in ("SELECT", "ASK"), query.name


@pytest.fixture
def broken_catalog(checkout_copy):
    path = checkout_copy / "queries" / "award-winners.rq"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("ORDER BY", "ORDER BY ORDER BY", 1), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "ORDER BY" in row)
    return checkout_copy, line


@pytest.mark.parametrize("fmt", ["text", "json", "github", "junit", "sarif", "shacl"])
def test_validate_fails_on_a_stored_query_that_does_not_parse(broken_catalog, fmt):
    root, line = broken_catalog
    done = wegokg("--root", str(root), "validate", "--format", fmt)
    assert done.returncode == 1
    assert "queries/award-winners.rq" in done.stdout
    if fmt == "json":
        found = [v for v in json.loads(done.stdout)["violations"] if v["check"] == "queries"]
        assert [(v["file"].endswith("queries/award-winners.rq"), v["line"]) for v in found] == [
            (True, line)
        ]
    if fmt == "text":
        assert f"queries/award-winners.rq:{line}:" in done.stdout


def test_site_refuses_a_stored_query_that_does_not_parse(broken_catalog, tmp_path):
    root, _ = broken_catalog
    done = wegokg("--root", str(root), "site", "-o", str(tmp_path / "site"))
    assert done.returncode == 1
    assert not (tmp_path / "site").exists()


def test_oxigraph_binds_an_unprojected_parameter_without_rdflibs_parser(monkeypatch):
    """A SELECT's outer WHERE group is found by a scan on the default (pyoxigraph) path; the
    rows are those of the parse's placement, and the scan leaves what it cannot be sure of
    (a subquery, \\u escapes) to the parse."""
    import pyoxigraph

    import wegokg.query.engines
    from wegokg.query.engines import OxigraphEngine, _values_in_outer_where

    store = pyoxigraph.Store()
    p = pyoxigraph.NamedNode("http://example.org/p")
    for s, o in (("a", "x"), ("b", "y")):
        store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(f"http://example.org/{s}"), p,
                                  pyoxigraph.Literal(o)))  # fmt: skip
    query = (
        '# a comment with a { brace\nSELECT ?o (EXISTS { ?s ?p "{" } AS ?e) '
        "WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o"
    )
    bindings = {"s": pyoxigraph.NamedNode("http://example.org/b")}
    engine = OxigraphEngine(store)
    scanned = engine.select(query, bindings)
    monkeypatch.setattr(wegokg.query.engines, "_values_in_outer_where", lambda q, b: None)
    assert scanned == engine.select(query, bindings)  # the parse's placement
    assert [row[0].value for row in scanned.rows] == ["y"]
    assert "VALUES (?s)" in _values_in_outer_where(query, bindings).split("WHERE {", 1)[1]
    assert _values_in_outer_where("SELECT ?o { { SELECT ?s ?o {} } }", bindings) is None
    assert _values_in_outer_where("SELECT ?o \\u007B ?s ?p ?o }", bindings) is None
    assert _values_in_outer_where("ASK { ?s ?p ?o }", {"o": pyoxigraph.Literal("x")}) is None
