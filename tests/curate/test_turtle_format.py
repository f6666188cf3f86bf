"""Tests for the canonical Turtle layout written by wegokg.curate.turtle_format."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import rdflib
from conftest import ROOT
from rdflib import Graph
from rdflib.compare import isomorphic

from wegokg.curate.turtle_format import TurtleFormatError, check_file, format_file, format_turtle

FIXTURES = ROOT / "tests" / "fixtures" / "fmt"
FORMATTED = ["ontology", "shape", "literals"]

HEAD = (
    "@prefix wego: <https://w3id.org/wegokg/ontology#> .\n"
    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
)


def parse(text: str) -> Graph:
    # Compare exact lexical forms, as the formatter promises to keep them.
    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        return Graph().parse(data=text, format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = saved


def body(text: str) -> str:
    """The formatted text after the prefix block."""
    return format_turtle(text).split("\n\n", 1)[1]


def error_for(text: str) -> TurtleFormatError:
    with pytest.raises(TurtleFormatError) as caught:
        format_turtle(text, "test.ttl")
    return caught.value


# -- Fixtures ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FORMATTED)
def test_fixture_is_written_in_the_expected_layout(name: str) -> None:
    source = (FIXTURES / f"{name}.in.ttl").read_text(encoding="utf-8")
    expected = (FIXTURES / f"{name}.out.ttl").read_text(encoding="utf-8")
    assert format_turtle(source) == expected


@pytest.mark.parametrize("name", FORMATTED)
def test_formatted_fixture_has_the_same_graph_as_its_input(name: str) -> None:
    source = (FIXTURES / f"{name}.in.ttl").read_text(encoding="utf-8")
    assert isomorphic(parse(source), parse(format_turtle(source)))


@pytest.mark.parametrize("name", FORMATTED)
def test_formatting_twice_gives_the_same_text(name: str) -> None:
    once = format_turtle((FIXTURES / f"{name}.in.ttl").read_text(encoding="utf-8"))
    assert format_turtle(once) == once


@pytest.mark.parametrize("name", FORMATTED)
def test_check_file_reports_canonical_file_as_none(name: str) -> None:
    assert check_file(FIXTURES / f"{name}.out.ttl") is None


@pytest.mark.parametrize("name", FORMATTED)
def test_output_has_no_trailing_spaces_and_one_final_newline(name: str) -> None:
    text = (FIXTURES / f"{name}.out.ttl").read_text(encoding="utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert all(line == line.rstrip() for line in text.split("\n"))


# -- Prefixes ------------------------------------------------------------------------------------


def test_prefix_block_follows_prefixes_order_aligns_and_drops_unused() -> None:
    source = (
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
        "@prefix zz: <http://example.org/zz#> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix aa: <http://example.org/aa#> .\n"
        "@prefix wego: <https://w3id.org/wegokg/ontology#> .\n"
        "\n"
        'wego:X schema:name "x"^^xsd:string ; zz:p aa:o .\n'
    )
    prefixes = format_turtle(source).split("\n\n")[0]
    assert prefixes == (
        "@prefix wego:   <https://w3id.org/wegokg/ontology#> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        "@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix aa:     <http://example.org/aa#> .\n"
        "@prefix zz:     <http://example.org/zz#> ."
    )


def test_full_iris_under_known_namespaces_become_prefixed_names() -> None:
    source = (
        "<https://w3id.org/wegokg/ontology#City> "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://www.w3.org/2002/07/owl#Class> ;\n"
        "    <http://www.w3.org/2000/01/rdf-schema#seeAlso> <https://schema.org/a/b> .\n"
    )
    assert format_turtle(source) == (
        "@prefix wego: <https://w3id.org/wegokg/ontology#> .\n"
        "@prefix owl:  <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "\n"
        "wego:City\n"
        "    a owl:Class ;\n"
        "    rdfs:seeAlso <https://schema.org/a/b> ;\n"
        ".\n"
    )


def test_known_prefix_bound_to_another_iri_is_an_error() -> None:
    error = error_for(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix wego: <http://x/> .\n"
    )
    assert error.line == 2
    assert "wego:" in error.message


def test_base_is_an_error() -> None:
    assert error_for("@base <http://example.org/> .\n").line == 1
    assert error_for(HEAD + "BASE <http://example.org/>\n").line == 4


# -- Subject blocks ------------------------------------------------------------------------------


def test_predicates_follow_the_style_template_order() -> None:
    source = HEAD + (
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "wego:X rdfs:isDefinedBy wego: ; wego:zeta 1 ; rdfs:subClassOf owl:Thing ;\n"
        '    skos:editorialNote "e" ; skos:scopeNote "s" ; skos:definition "d" ;\n'
        '    rdfs:comment "c" ; skos:altLabel "alt" ; skos:prefLabel "pref" ; rdfs:label "l" ;\n'
        "    a owl:Class .\n"
    )
    predicates = [line.split()[0] for line in body(source).split("\n")[1:-2]]
    assert predicates == [
        "a",
        "rdfs:label",
        "skos:prefLabel",
        "skos:altLabel",
        "rdfs:comment",
        "skos:definition",
        "skos:scopeNote",
        "skos:editorialNote",
        "rdfs:subClassOf",
        "wego:zeta",
        "rdfs:isDefinedBy",
    ]


def test_objects_sort_iris_then_english_korean_other_languages_untagged() -> None:
    source = HEAD + (
        'wego:X rdfs:label "b", "fr"@fr, "ko"@ko, "de"@de, "a", "en"@en ;\n'
        "    rdfs:seeAlso wego:B, wego:A .\n"
    )
    assert body(source) == (
        "wego:X\n"
        '    rdfs:label "en"@en, "ko"@ko, "de"@de, "fr"@fr, "a", "b" ;\n'
        "    rdfs:seeAlso wego:A, wego:B ;\n"
        ".\n"
    )


def test_objects_go_on_one_line_only_when_it_fits_in_100_columns() -> None:
    fits = body(HEAD + f'wego:X rdfs:label "{"x" * 81}" .\n').split("\n")[1]
    assert len(fits) == 100
    assert fits.endswith('" ;')
    assert body(HEAD + f'wego:X rdfs:label "{"x" * 82}" .\n').split("\n")[1:3] == [
        "    rdfs:label",
        f'        "{"x" * 82}" ;',
    ]
    names = ", ".join(f"wego:LongClassName{n}" for n in range(5))
    assert body(HEAD + f"wego:X rdfs:seeAlso {names} .\n") == (
        "wego:X\n"
        "    rdfs:seeAlso\n"
        "        wego:LongClassName0,\n"
        "        wego:LongClassName1,\n"
        "        wego:LongClassName2,\n"
        "        wego:LongClassName3,\n"
        "        wego:LongClassName4 ;\n"
        ".\n"
    )


def test_same_subject_in_two_statements_becomes_one_block() -> None:
    source = HEAD + "wego:A a owl:Class .\nwego:B a owl:Class .\nwego:A rdfs:label 'A' .\n"
    assert body(source) == (
        'wego:A\n    a owl:Class ;\n    rdfs:label "A" ;\n.\n\nwego:B\n    a owl:Class ;\n.\n'
    )


# -- Sections and comments -----------------------------------------------------------------------


def test_rulers_are_kept_and_subjects_sorted_inside_each_section() -> None:
    source = HEAD + (
        "\nwego:Z a owl:Class .\nwego:Y a owl:Class .\n"
        "# -- Second ----\n"
        "wego:B a owl:Class .\n\n\nwego:A a owl:Class .\n"
    )
    assert body(source) == (
        "wego:Y\n    a owl:Class ;\n.\n\n"
        "wego:Z\n    a owl:Class ;\n.\n\n"
        "# -- Second ----\n\n"
        "wego:A\n    a owl:Class ;\n.\n\n"
        "wego:B\n    a owl:Class ;\n.\n"
    )


def test_attached_comments_move_with_their_subject() -> None:
    source = HEAD + (
        "\n# About B,\n#   in two lines.\nwego:B a owl:Class .\n"
        "   # About A.\nwego:A a owl:Class .\n"
    )
    assert body(source) == (
        "# About A.\nwego:A\n    a owl:Class ;\n.\n\n"
        "# About B,\n#   in two lines.\nwego:B\n    a owl:Class ;\n.\n"
    )


def test_header_comment_is_kept_verbatim_above_the_prefixes() -> None:
    source = "# Title\n#\n#   Indented.   \n\n" + HEAD + "wego:A a owl:Class .\n"
    assert format_turtle(source).startswith("# Title\n#\n#   Indented.\n\n@prefix wego:")


def test_stray_comment_is_an_error_naming_its_line() -> None:
    with pytest.raises(TurtleFormatError) as caught:
        check_file(FIXTURES / "stray_comment.ttl")
    error = caught.value
    assert error.line == 6
    assert "directly above a subject" in error.message
    assert "# -- " in error.message
    assert str(error) == f"{FIXTURES / 'stray_comment.ttl'}:6: {error.message}"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("wego:A a owl:Class ;\n    # inside\n    rdfs:label 'a' .\n", 5),
        ("wego:A a owl:Class .  # at the end of a line\n", 4),
        ("wego:A a owl:Class .\n# dangling at the end\n", 5),
        ("# above a ruler\n# -- Section\nwego:A a owl:Class .\n", 4),
    ],
)
def test_misplaced_comment_is_an_error_naming_its_line(text: str, line: int) -> None:
    assert error_for(HEAD + text).line == line


def test_hash_inside_strings_and_iris_is_not_a_comment() -> None:
    source = HEAD + 'wego:A rdfs:label "# not a comment" ; rdfs:seeAlso <http://x.org/#a> .\n'
    assert "# not a comment" in format_turtle(source)


# -- Inverse properties --------------------------------------------------------------------------


def test_inverse_property_follows_its_pair() -> None:
    source = HEAD + (
        "wego:hasMember a owl:ObjectProperty ; owl:inverseOf wego:memberOf .\n"
        "wego:locatedIn a owl:ObjectProperty .\n"
        "wego:memberOf a owl:ObjectProperty .\n"
    )
    subjects = [line for line in body(source).split("\n") if line.startswith("wego:")]
    assert subjects == ["wego:locatedIn", "wego:memberOf", "wego:hasMember"]


def test_mutual_inverses_are_led_by_the_one_that_sorts_first() -> None:
    source = HEAD + (
        "wego:memberOf owl:inverseOf wego:hasMember .\n"
        "wego:locatedIn a owl:ObjectProperty .\n"
        "wego:hasMember owl:inverseOf wego:memberOf .\n"
    )
    subjects = [line for line in body(source).split("\n") if line.startswith("wego:")]
    assert subjects == ["wego:hasMember", "wego:memberOf", "wego:locatedIn"]


# -- Blank nodes and lists -----------------------------------------------------------------------


def test_nested_blank_nodes_and_lists_in_a_shape_round_trip() -> None:
    source = (FIXTURES / "shape.in.ttl").read_text(encoding="utf-8")
    formatted = format_turtle(source)
    assert '            sh:in ( "b" "a" ) ;\n' in formatted
    assert "                (\n                    [\n" in formatted
    assert isomorphic(parse(source), parse(formatted))


def test_long_list_goes_one_item_per_line() -> None:
    items = " ".join(f'"item number {n}"' for n in range(8))
    formatted = body(HEAD + f"wego:X rdfs:seeAlso ( {items} ) .\n")
    assert formatted.split("\n")[1:4] == [
        "    rdfs:seeAlso",
        "        (",
        '            "item number 0"',
    ]
    assert formatted.endswith('            "item number 7"\n        ) ;\n.\n')


def test_blank_node_subject_is_an_error() -> None:
    assert error_for(HEAD + "\n[ a owl:Class ] rdfs:label 'x' .\n").line == 5


def test_labeled_blank_node_is_an_error() -> None:
    assert error_for(HEAD + "wego:A rdfs:seeAlso _:b .\n").line == 4


# -- Literals ------------------------------------------------------------------------------------


def test_triple_quoted_comment_with_quotes_and_backslashes_round_trips() -> None:
    values = ['ends with a quote"', 'three """ quotes', 'a \\ backslash and ""', '"', '""""']
    subject = rdflib.URIRef("https://w3id.org/wegokg/ontology#X")
    graph = Graph()
    for value in values:
        graph.add((subject, rdflib.RDFS.comment, rdflib.Literal(value, lang="en")))
    formatted = format_turtle(graph.serialize(format="turtle"))
    assert '"""ends with a quote\\""""@en' in formatted
    assert {str(o) for o in parse(formatted).objects()} == set(values)


def test_literals_keep_their_exact_lexical_form() -> None:
    source = HEAD + (
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        'wego:X rdfs:seeAlso 42, -3, "007"^^xsd:integer, 0.50, "1"^^xsd:boolean, false,\n'
        '    "2024-01-01Z"^^xsd:date, 1e3, "multi\\nline" .\n'
    )
    formatted = format_turtle(source)
    expected = [
        "42",
        "-3",
        '"007"^^xsd:integer',
        "0.50",
        '"1"^^xsd:boolean',
        "false",
        '"2024-01-01Z"^^xsd:date',
        '"1e3"^^xsd:double',
        '"""multi\nline"""',
    ]
    for text in expected:
        assert text in formatted
    assert isomorphic(parse(source), parse(formatted))


def test_trailing_spaces_inside_a_multiline_string_are_escaped() -> None:
    formatted = format_turtle(HEAD + 'wego:X rdfs:comment "one  \\ntwo" .\n')
    assert '"""one\\u0020\\u0020\ntwo"""' in formatted


# -- Errors --------------------------------------------------------------------------------------


def test_syntax_error_names_its_line() -> None:
    path = FIXTURES / "syntax_error.ttl"
    with pytest.raises(TurtleFormatError) as caught:
        check_file(path)
    assert caught.value.line == 7
    assert str(caught.value).startswith(f"{path}:7: ")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('wego:A rdfs:label "unterminated .\n', 4),
        ("wego:A a owl:Class\n", 4),
        ("wego:A a owl:Class .\nwego:B a unknown:Class .\n", 5),
        ("wego:A rdfs:seeAlso <relative> .\n", 4),
    ],
)
def test_unreadable_input_is_an_error_naming_its_line(text: str, line: int) -> None:
    assert error_for(HEAD + text).line == line


# -- Files ---------------------------------------------------------------------------------------


def test_format_file_rewrites_through_a_temp_file_in_the_same_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data.ttl"
    path.write_text((FIXTURES / "ontology.in.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    path.chmod(0o644)
    replaced: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def spy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        replaced.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    assert format_file(path) is True
    assert len(replaced) == 1
    temp, target = replaced[0]
    assert temp.parent == tmp_path and target == path
    assert path.read_text(encoding="utf-8") == (FIXTURES / "ontology.out.ttl").read_text(
        encoding="utf-8"
    )
    assert sorted(tmp_path.iterdir()) == [path]  # no temp file left behind
    assert path.stat().st_mode & 0o777 == 0o644
    assert format_file(path) is False
    assert check_file(path) is None


def test_format_file_leaves_file_untouched_on_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    original = (FIXTURES / "stray_comment.ttl").read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    with pytest.raises(TurtleFormatError):
        format_file(path)
    assert path.read_text(encoding="utf-8") == original
    assert sorted(tmp_path.iterdir()) == [path]


def test_check_file_reports_crlf_line_endings_as_not_canonical(tmp_path: Path) -> None:
    canonical = (FIXTURES / "shape.out.ttl").read_text(encoding="utf-8")
    path = tmp_path / "crlf.ttl"
    path.write_bytes(canonical.replace("\n", "\r\n").encode("utf-8"))
    assert check_file(path) == canonical
