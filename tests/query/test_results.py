"""Result formats: the W3C SPARQL 1.1 JSON, CSV and TSV formats, and a terminal table that keeps
Korean columns aligned."""

from __future__ import annotations

import csv
import io
import json

from pyoxigraph import Literal, NamedNode

from wegokg.query.engines import Results
from wegokg.query.results import to_csv, to_json, to_table, to_tsv

INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
SEONGNAM = NamedNode("https://w3id.org/wegokg/id/city/seongnam")
SEOUL = NamedNode("https://w3id.org/wegokg/id/city/seoul")
RESULTS = Results(
    ("city", "name", "count"),
    (
        (SEONGNAM, Literal("성남시", language="ko"), Literal("158", datatype=INTEGER)),
        (SEOUL, Literal('say "hi", then\ttab'), None),
    ),
)


def test_json_follows_the_sparql_results_format():
    document = json.loads(to_json(RESULTS))
    assert document["head"] == {"vars": ["city", "name", "count"]}
    first, second = document["results"]["bindings"]
    assert first["city"] == {"type": "uri", "value": "https://w3id.org/wegokg/id/city/seongnam"}
    assert first["name"] == {"type": "literal", "value": "성남시", "xml:lang": "ko"}
    assert first["count"] == {"type": "literal", "value": "158", "datatype": INTEGER.value}
    assert "count" not in second


def test_csv_quotes_values_and_ends_lines_with_crlf():
    text = to_csv(RESULTS)
    assert text.startswith("city,name,count\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[2] == ["https://w3id.org/wegokg/id/city/seoul", 'say "hi", then\ttab', ""]


def test_tsv_writes_terms_in_turtle_syntax():
    lines = to_tsv(RESULTS).splitlines()
    assert lines[0] == "?city\t?name\t?count"
    assert lines[1].split("\t") == [
        "<https://w3id.org/wegokg/id/city/seongnam>",
        '"성남시"@ko',
        "158",  # pyoxigraph's writer (issue 13) abbreviates numbers, as Turtle and the W3C allow
    ]
    assert lines[2].split("\t")[1] == '"say \\"hi\\", then\\ttab"'


def test_the_table_shows_labels_and_aligns_korean_text():
    labels = {"https://w3id.org/wegokg/id/city/seongnam": "성남시"}
    lines = to_table(RESULTS, labels).splitlines()
    assert lines[2].startswith("성남시      성남시")
    assert lines[3].startswith("city:seoul  say")  # no label: the prefixed name
    assert lines[-1] == "(2 rows)"
    # Korean characters take two columns, so the next column starts where the header's does.
    assert lines[0].index("name") == 12


def test_the_table_cuts_long_cells_to_fit_a_terminal():
    long = Results(("quote",), ((Literal("가" * 50),),))
    line = to_table(long, max_width=20).splitlines()[2]
    assert line == "가" * 9 + "…"


def test_xml_follows_the_sparql_results_format_and_escapes_markup():
    from xml.etree import ElementTree

    from wegokg.query.results import to_xml

    hostile = Results(("text",), ((Literal('<b>&"</b>\x01'),),))
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ElementTree.fromstring(to_xml(RESULTS).encode())
    assert [v.get("name") for v in root.iterfind("r:head/r:variable", ns)] == list(
        RESULTS.variables
    )
    first, second = root.iterfind("r:results/r:result", ns)
    name = first.find("r:binding[@name='name']/r:literal", ns)
    assert (name.text, name.get("{http://www.w3.org/XML/1998/namespace}lang")) == ("성남시", "ko")
    assert first.find("r:binding[@name='count']/r:literal", ns).get("datatype") == INTEGER.value
    assert first.find("r:binding[@name='city']/r:uri", ns).text == SEONGNAM.value
    assert second.find("r:binding[@name='count']", ns) is None
    (text,) = ElementTree.fromstring(to_xml(hostile).encode()).iter(f"{{{ns['r']}}}literal")
    assert text.text == '<b>&"</b>\ufffd'  # a control character XML 1.0 cannot carry


def test_an_ask_answer_in_each_format():
    from xml.etree import ElementTree

    from wegokg.query.results import boolean_to

    assert json.loads(boolean_to(True, "json")) == {"head": {}, "boolean": True}
    root = ElementTree.fromstring(boolean_to(False, "xml").encode())
    assert root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "false"
    # CSV and TSV, undefined for ASK by the W3C, as pyoxigraph writes them (issue 13; this was a
    # column named "boolean" before).
    assert boolean_to(True, "csv") == "true"
    assert boolean_to(False, "tsv") == "false"


def test_results_are_pyoxigraphs_own_bytes():
    """The documents are pyoxigraph's serializer's output, byte for byte (issue 13)."""
    import pyoxigraph

    store = pyoxigraph.Store()
    city, name = SEONGNAM, pyoxigraph.NamedNode("http://x/name")
    store.add(pyoxigraph.Quad(city, name, pyoxigraph.Literal("성남시", language="ko")))
    query = "SELECT ?city ?name WHERE { ?city ?p ?name }"
    rows = Results(("city", "name"), ((SEONGNAM, Literal("성남시", language="ko")),))
    for fmt, write in (("json", to_json), ("csv", to_csv), ("tsv", to_tsv)):
        formats = pyoxigraph.QueryResultsFormat
        wanted = {"json": formats.JSON, "csv": formats.CSV, "tsv": formats.TSV}[fmt]
        assert write(rows).encode() == store.query(query).serialize(format=wanted)


def test_first_rows_cuts_at_the_cap_and_says_whether_there_were_more():
    """The server's cap: pyoxigraph's rows cut after max_rows, still a whole document."""
    import pyoxigraph

    from wegokg.query.results import first_rows, serialize

    store = pyoxigraph.Store()
    for i in range(50):
        subject = pyoxigraph.NamedNode(f"http://example.org/{i:02}")
        text = pyoxigraph.Literal(f"line {i}\nand\tmore")  # escaped in TSV: still one line
        store.add(pyoxigraph.Quad(subject, pyoxigraph.NamedNode("http://example.org/p"), text))
    query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
    for cap, rows, more in ((0, 0, True), (7, 7, True), (49, 49, True), (50, 50, False),
                            (80, 50, False)):  # fmt: skip
        kept, truncated = first_rows(store.query(query), cap)
        document = json.loads(serialize(kept, "json"))
        bindings = document["results"]["bindings"]
        assert (len(bindings), truncated) == (rows, more)
        assert document["head"]["vars"] == ["s", "o"]
        if rows:
            assert bindings[-1]["o"]["value"] == f"line {rows - 1}\nand\tmore"
