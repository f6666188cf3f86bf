"""Coverage: every sentence of each article's extent is cited by a quote or explained in the data,
and a sentence that is neither is reported, by `wegokg coverage` and as a warning of validation."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT
from rdflib import Graph
from support.inprocess import wegokg

from wegokg.core.namespaces import PREFIXES
from wegokg.validation.coverage import CITED, EXPLAINED, UNCITED, coverage, split_sentences
from wegokg.validation.run import validate

SOURCE = PREFIXES["source"]
REPRINT = ROOT / "tests" / "fixtures" / "coverage" / "reprint-citing-only-its-headline.ttl"


def test_sentences_end_at_a_full_stop_before_a_space_and_at_every_line_break():
    text = "메뉴\n제목 한 줄\n첫 문장이다. 둘째 문장이다.\n\n  셋째 줄\n광고"
    start, end = text.index("제목"), text.index("\n광고")
    spans = [text[s:e] for s, e in split_sentences(text, start, end)]
    assert spans == ["제목 한 줄", "첫 문장이다.", "둘째 문장이다.", "셋째 줄"]


def test_every_sentence_of_both_articles_is_cited_or_explained(dataset):
    report = coverage(dataset, ROOT / "data")
    assert [a.article for a in report.articles] == [
        SOURCE + "newspim-2021-10-13",
        SOURCE + "seongnam-2021-10-20",
    ]
    assert report.uncited() == []
    assert report.percent == 100.0
    assert all(len(a.sentences) > 10 for a in report.articles)


def test_the_headline_is_cited_and_the_page_button_inside_the_extent_is_explained(dataset):
    seongnam = {a.article: a for a in coverage(dataset, ROOT / "data").articles}[
        SOURCE + "seongnam-2021-10-20"
    ]
    by_text = {s.text: s for s in seongnam.sentences}
    headline = by_text["성남시, WeGO 집행위원도시 선정…2023년까지 활동"]
    assert headline.status == CITED
    assert headline.quotes == (PREFIXES["quote"] + "seongnam-title",)
    button = by_text["기사수정"]
    assert button.status == EXPLAINED
    assert button.reason == PREFIXES["concept"] + "off-topic"
    assert button.comment


def test_nothing_outside_the_extent_is_counted(dataset):
    sentences = [s for a in coverage(dataset, ROOT / "data").articles for s in a.sentences]
    assert not any("가장 많이 본 뉴스" in s.text or "CES 2025" in s.text for s in sentences)


def test_a_sentence_that_no_quote_cites_is_reported_as_uncited(tmp_path: Path):
    (tmp_path / "sources").mkdir()
    text = "메뉴\n제목\n인용한 문장이다. 인용하지 않은 문장이다.\n광고"
    (tmp_path / "sources" / "a.txt").write_text(text, encoding="utf-8")
    cited = "인용한 문장이다."
    start, body_start, body_end = text.index(cited), text.index("제목"), text.index("\n광고")
    graph = Graph().parse(
        format="turtle",
        data=f"""
        @prefix wego: <{PREFIXES["wego"]}> .
        @prefix oa: <{PREFIXES["oa"]}> .
        @prefix prov: <{PREFIXES["prov"]}> .
        @prefix rdfs: <{PREFIXES["rdfs"]}> .
        wego:NewsArticle rdfs:subClassOf wego:SourceDocument .
        <{SOURCE}a> a wego:NewsArticle ; wego:textFile "sources/a.txt" ;
            wego:bodyStart {body_start} ; wego:bodyEnd {body_end} .
        <{PREFIXES["quote"]}a> a wego:Quote ; prov:wasQuotedFrom <{SOURCE}a> ;
            oa:exact "{cited}" ; oa:start {start} ; oa:end {start + len(cited)} .
        """,
    )
    report = coverage(graph, tmp_path)
    assert [s.status for s in report.articles[0].sentences] == [UNCITED, CITED, UNCITED]
    ((article, sentence),) = [u for u in report.uncited() if u[1].text != "제목"]
    assert article == SOURCE + "a"
    assert sentence.text == "인용하지 않은 문장이다."
    assert text[sentence.start : sentence.end] == sentence.text
    assert report.percent == round(100 / 3, 1)


def test_validation_warns_about_each_uncited_sentence_where_the_article_is_written():
    report = validate(ROOT, extra_files=[REPRINT])
    warnings = [v for v in report.violations if v.check == "coverage"]
    assert report.conforms, report.to_text()
    assert warnings and all(v.severity == "WARN" for v in warnings)
    assert {v.focus_node for v in warnings} == {SOURCE + "seongnam-2021-10-20-reprint"}
    assert all(Path(v.file).resolve() == REPRINT.resolve() and v.line > 0 for v in warnings)
    assert any("‘제6기 집행위원도시’로 활동하게 됐다." in v.message for v in warnings)
    assert not any("2023년까지 활동'" in v.message for v in warnings)  # the headline is cited


def test_the_coverage_command_prints_a_table_and_json():
    table = wegokg("coverage")
    assert table.returncode == 0, table.stderr
    assert table.stdout.rstrip().splitlines()[-1].endswith("(100.0 % cited or explained)")
    done = wegokg("coverage", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["total"]["uncited"] == 0 and data["total"]["percent"] == 100.0
    assert {a["article"] for a in data["articles"]} == {
        SOURCE + "newspim-2021-10-13",
        SOURCE + "seongnam-2021-10-20",
    }
