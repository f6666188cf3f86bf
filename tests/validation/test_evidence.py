"""The evidence check: a quote must be found character for character at its offsets in the stored
text of its source, and that text must be the one its SHA-256 names."""

from __future__ import annotations

import pytest
from conftest import ROOT
from rdflib import Graph, Literal, URIRef

from wegokg.core.namespaces import PREFIXES
from wegokg.validation.evidence import check_quotes, find_quote
from wegokg.validation.run import validate

OA = PREFIXES["oa"]
QUOTE = URIRef(PREFIXES["quote"] + "seongnam-lead")
EXACT = (
    "성남시(시장 은수미)는 오는 2023년 말까지 세계스마트시티기구(WeGO·위고) "
    "‘제6기 집행위원도시’로 활동하게 됐다."
)


def union(dataset) -> Graph:
    graph = Graph()
    for triple in dataset.triples((None, None, None)):
        graph.add(triple)
    return graph


@pytest.fixture
def data(dataset) -> Graph:
    return union(dataset)


def test_every_quote_in_the_data_is_found_at_its_offsets(data):
    assert check_quotes(data, ROOT / "data") == []
    text = (ROOT / "data/sources/004_5b0afd051804e015.txt").read_text(encoding="utf-8")
    start, end = (
        int(data.value(QUOTE, URIRef(OA + "start"))),
        int(data.value(QUOTE, URIRef(OA + "end"))),
    )
    assert text[start:end] == EXACT == str(data.value(QUOTE, URIRef(OA + "exact")))


def test_a_quote_altered_by_one_character_is_caught(data):
    altered = EXACT.replace("제6기", "제5기")
    assert altered != EXACT and len(altered) == len(EXACT)
    data.set((QUOTE, URIRef(OA + "exact"), Literal(altered)))
    problems = check_quotes(data, ROOT / "data")
    assert [p.focus_node for p in problems] == [str(QUOTE)]
    assert "does not occur in the source text" in problems[0].message


def test_a_quote_with_wrong_offsets_is_caught_and_told_where_it_is(data):
    start = int(data.value(QUOTE, URIRef(OA + "start")))
    data.set((QUOTE, URIRef(OA + "start"), Literal(start + 1)))
    data.set((QUOTE, URIRef(OA + "end"), Literal(start + 1 + len(EXACT))))
    problems = check_quotes(data, ROOT / "data")
    assert [p.focus_node for p in problems] == [str(QUOTE)]
    assert f"occurs at {start}-{start + len(EXACT)}" in problems[0].message


def test_a_changed_source_text_is_caught_by_its_digest(dataset_copy, data):
    copy = dataset_copy / "data"
    article = copy / "sources" / "004_5b0afd051804e015.txt"
    article.write_text(
        article.read_text(encoding="utf-8").replace("안남훈", "안남운"), encoding="utf-8"
    )
    problems = check_quotes(data, copy)
    assert [p.focus_node for p in problems] == [PREFIXES["source"] + "seongnam-2021-10-20"]
    assert "SHA-256" in problems[0].message


def test_a_quote_from_a_korean_article_must_hold_korean_text(data):
    text = (ROOT / "data/sources/000_fa9aa0f98d6df127.txt").read_text(encoding="utf-8")
    exact = "donglee@newspim.com"
    ((start, end),) = find_quote(text, exact)
    quote = URIRef(PREFIXES["quote"] + "newspim-email")
    data.add((quote, URIRef(OA + "exact"), Literal(exact)))
    data.add((quote, URIRef(OA + "start"), Literal(start)))
    data.add((quote, URIRef(OA + "end"), Literal(end)))
    data.add(
        (
            quote,
            URIRef(PREFIXES["prov"] + "wasQuotedFrom"),
            URIRef(PREFIXES["source"] + "newspim-2021-10-13"),
        )
    )
    data.add((quote, URIRef(PREFIXES["rdf"] + "type"), URIRef(PREFIXES["wego"] + "Quote")))
    problems = check_quotes(data, ROOT / "data")
    assert [p.focus_node for p in problems] == [str(quote)]
    assert "must contain Korean text" in problems[0].message


def test_find_quote_gives_every_occurrence():
    assert find_quote("abcabc", "bc") == [(1, 3), (4, 6)]
    assert find_quote("abc", "x") == []
    assert find_quote("abc", "") == []


def test_validate_reports_an_altered_quote_at_its_file_and_line(dataset_copy):
    broken = dataset_copy
    article = broken / "data" / "articles" / "seongnam-2021-10-20.ttl"
    text = article.read_text(encoding="utf-8")
    assert text.count("‘제6기 집행위원도시’로 활동하게 됐다.") == 1
    article.write_text(
        text.replace(
            "‘제6기 집행위원도시’로 활동하게 됐다.", "‘제6기 집행위원도시’로 활동하게 됐다!"
        ),
        encoding="utf-8",
    )
    report = validate(broken)
    assert not report.conforms
    (problem,) = [v for v in report.violations if v.check == "evidence"]
    assert problem.focus_node == str(QUOTE)
    assert problem.file.endswith("data/articles/seongnam-2021-10-20.ttl")
    lines = article.read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1] == "quote:seongnam-lead"


ARTICLE = URIRef(PREFIXES["source"] + "seongnam-2021-10-20")
WEGO = PREFIXES["wego"]


def test_the_articles_extents_start_and_end_on_line_boundaries(data):
    text = (ROOT / "data/sources/004_5b0afd051804e015.txt").read_text(encoding="utf-8")
    start = int(data.value(ARTICLE, URIRef(WEGO + "bodyStart")))
    end = int(data.value(ARTICLE, URIRef(WEGO + "bodyEnd")))
    assert text[start:].startswith("성남시, WeGO 집행위원도시 선정")
    assert text[:end].endswith("성남시가 2번째다.")
    assert "가장 많이 본 뉴스" not in text[start:end]


def test_an_extent_that_starts_mid_line_is_caught(data):
    start = int(data.value(ARTICLE, URIRef(WEGO + "bodyStart")))
    data.set((ARTICLE, URIRef(WEGO + "bodyStart"), Literal(start + 3)))
    problems = check_quotes(data, ROOT / "data")
    assert [p.focus_node for p in problems] == [str(ARTICLE)]
    assert "is not at the start of a line" in problems[0].message


def test_an_extent_beyond_the_text_or_backwards_is_caught(data):
    data.set((ARTICLE, URIRef(WEGO + "bodyEnd"), Literal(10**6)))
    problems = check_quotes(data, ROOT / "data")
    assert [p.focus_node for p in problems] == [str(ARTICLE)]
    assert "0 <= start < end <=" in problems[0].message
    data.set((ARTICLE, URIRef(WEGO + "bodyEnd"), Literal(5)))
    assert [p.focus_node for p in check_quotes(data, ROOT / "data")] == [str(ARTICLE)]


def test_an_uncited_passage_must_be_found_at_its_offsets_too(data):
    passage = URIRef(PREFIXES["passage"] + "seongnam-2021-10-20-edit-button")
    start = int(data.value(passage, URIRef(OA + "start")))
    data.set((passage, URIRef(OA + "start"), Literal(start + 1)))
    data.set((passage, URIRef(OA + "end"), Literal(start + 5)))
    problems = check_quotes(data, ROOT / "data")
    assert [p.focus_node for p in problems] == [str(passage)]
