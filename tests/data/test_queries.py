"""Every stored query answers its competency question: the rows expected from the articles (in
tests/expected/), the same on rdflib, on pyoxigraph and through a real SPARQL endpoint."""

from __future__ import annotations

import csv

import pytest
from conftest import ROOT
from pyoxigraph import NamedNode

from wegokg.core.namespaces import shorten
from wegokg.query.catalog import QueryCatalog
from wegokg.query.engines import EndpointEngine, OxigraphEngine, RdflibEngine, Results

CATALOG = QueryCatalog.from_folder(ROOT / "queries")
EXPECTED = ROOT / "tests" / "expected"
NAMES = [q.name for q in CATALOG]


def readable(results: Results, columns: list[str]) -> list[list[str]]:
    """Rows as the expected files write them: prefixed names, literals by their lexical form."""
    index = [results.variables.index(c) for c in columns]
    rows = []
    for row in results.rows:
        cells = []
        for i in index:
            term = row[i]
            if term is None:
                cells.append("")
            elif isinstance(term, NamedNode):
                cells.append(shorten(term.value))
            else:
                cells.append(term.value)
        rows.append(cells)
    return rows


def expected_rows(name: str) -> tuple[list[str], list[list[str]]]:
    with (EXPECTED / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


@pytest.fixture(scope="module")
def engines(dataset):
    return {"rdflib": RdflibEngine(dataset), "oxigraph": OxigraphEngine.from_dataset(dataset)}


def test_there_are_at_least_fifteen_competency_questions():
    assert len(CATALOG) >= 15


@pytest.mark.parametrize("name", NAMES)
def test_query_returns_the_rows_the_articles_give(name, engines):
    assert (EXPECTED / f"{name}.csv").exists(), f"write tests/expected/{name}.csv from the sources"
    header, expected = expected_rows(name)
    results = CATALOG.get(name).select(engines["rdflib"])
    assert set(header) <= set(results.variables)
    assert readable(results, header) == expected


@pytest.mark.parametrize("name", NAMES)
def test_oxigraph_gives_the_same_results_as_rdflib(name, engines):
    stored = CATALOG.get(name)
    assert stored.select(engines["oxigraph"]) == stored.select(engines["rdflib"])


@pytest.mark.server
@pytest.mark.parametrize("name", NAMES)
def test_a_sparql_endpoint_gives_the_same_results_as_rdflib(name, engines, oxigraph_endpoint):
    stored = CATALOG.get(name)
    remote = stored.select(EndpointEngine(oxigraph_endpoint))
    assert remote == stored.select(engines["rdflib"])


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_parameter_changes_the_answer(engines, engine):
    results = CATALOG.get("city-profile").select(engines[engine], {"city": "city:goyang"})
    rows = readable(results, ["subject", "property", "value"])
    # Goyang: a city of South Korea, first place in Efficient Government, an executive committee
    # city since 2017 (the Seongnam article), and at the award ceremony (Newspim).
    assert ["city:goyang", "schema:containedInPlace", "country:south-korea"] in rows
    assert ["fact:goyang-executive-committee-2017", "org:member", "city:goyang"] in rows
    assert ["fact:wego-awards-4-efficient-government-1", "wego:winner", "city:goyang"] in rows
    assert not any("seongnam" in cell for row in rows for cell in row)


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_bound_parameter_gives_the_rows_of_the_values_block(engines, engine):
    # The engines bind parameters their own way (initBindings, substitutions); an endpoint gets a
    # VALUES block at the outer WHERE. Both give the same rows, for every stored query.
    for stored in CATALOG:
        values = {p.name: p.default for p in stored.parameters if p.default}
        if values:
            bound = stored.select(engines[engine], values)
            assert bound == engines[engine].select(stored.render(values)), stored.name
