"""The one SPARQL-text scanner (wegokg.core.sparql_text): strings, IRIs and comments are skipped the
same way for every question asked of a query's text (keywords, form, variables, brackets)."""

from __future__ import annotations

import re

import pytest

from wegokg.core.sparql_text import (
    closing_bracket,
    code_only,
    keyword_search,
    keywords,
    mask,
    query_form,
    segments,
    unmask,
    variables,
)

# (query, its code)
CODE = [
    ('SELECT * { ?s ?p "a \\" SERVICE" }', 'SELECT * { ?s ?p "" }'),
    ("SELECT * { ?s ?p 'it\\'s FROM' }", 'SELECT * { ?s ?p "" }'),
    ('SELECT * { ?s ?p """a "quoted" \\""" { SERVICE\nline""" }', 'SELECT * { ?s ?p "" }'),
    ("SELECT * { ?s ?p '''x '' { '''}", 'SELECT * { ?s ?p ""}'),
    ("SELECT * { <http://a.org/x#SERVICE> ?p ?o }", "SELECT * { <> ?p ?o }"),
    ("SELECT * { <(> ?p ?o }", "SELECT * { <(> ?p ?o }"),
    ("SELECT * # FROM <x> {\n{ ?s ?p ?o }", "SELECT * \n{ ?s ?p ?o }"),
    ("SELECT * { ?s ex:a\\{ ?o }", "SELECT * { ?s ex:a ?o }"),
    ("SELECT * { FILTER (?a < ?b) }", "SELECT * { FILTER (?a < ?b) }"),
    ('SELECT * { ?s ?p "never ends }', 'SELECT * { ?s ?p "never ends }'),
]


@pytest.mark.parametrize(("query", "code"), CODE)
def test_the_code_blanks_strings_iris_and_comments(query, code):
    assert code_only(query) == code
    assert "".join(text for _, text in segments(query)) == query


# (query, whether SERVICE is a keyword of it, whether FROM is)
KEYWORDS = [
    ("SELECT * { ?s ?p ?o.SERVICE <http://x> { ?a ?b ?c } }", True, False),
    ("SELECT * { ?s service:p ?o }", False, False),
    ("PREFIX from: <http://x/> SELECT * { ?s from:p ?o }", False, False),
    ("SELECT * { \\u0053ERVICE <http://x> { ?a ?b ?c } }", True, False),
    ('SELECT * { ?s ?p "x"@from }', False, False),
    ("SELECT * { _:from ?p ?o }", False, False),
    ("SELECT * { ?s ?p ex:a.SERVICE }", False, False),
    ("SELECT ?from { ?from ?p $service }", False, False),
    ('SELECT * { ?s ?p "SERVICE FROM" } # SERVICE FROM', False, False),
    ("SELECT * FROM <http://x> { ?s ?p ?o }", False, True),
    ("select * from named <http://x> { ?s ?p ?o }", False, True),
]


@pytest.mark.parametrize(("query", "service", "from_"), KEYWORDS)
def test_a_keyword_is_found_only_where_it_stands_alone(query, service, from_):
    words = keywords(query)
    assert ("SERVICE" in words, "FROM" in words) == (service, from_)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT"),
        ("# ask whether it holds\nPREFIX x: <http://x.org/a#>\nask { ?s ?p ?o }", "ASK"),
        ("BASE <http://x.org/#>\nPREFIX : <#b>\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://x.org/a>", "DESCRIBE"),
        ("PREFIX x: <http://x.org/#>\n# SELECT here\nINSERT DATA { x:a x:b x:c }", "UPDATE"),
        ("PREFIX x:<http://x.org/INSERT>SELECT * { ?s ?p ?o }", "SELECT"),
        ("PREFIX x:<http://x.org/>INSERT DATA { x:a x:b x:c }", "UPDATE"),
        ("DROP SILENT GRAPH <http://x.org/g>", "UPDATE"),
        ("with <http://x.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
        ("\\u0049NSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", "UPDATE"),
        ("{ ?s ?p ?o }", "SELECT"),  # not a form: left to the parser
    ],
)
def test_the_form_is_the_first_keyword_after_the_prologue(query, form):
    assert query_form(query) == form


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("SELECT ?a $b { ?a ?p ?c }", {"a", "b", "c", "p"}),
        ('SELECT * { ?s ?p "?in_a_string" }', {"s", "p"}),
        ("SELECT * { <http://x/?q=1> ?p ?o } # ?comment", {"p", "o"}),
        ("SELECT * { ?s ?p ?o.?t ?u ?v }", {"s", "p", "o", "t", "u", "v"}),
        ("SELECT * { ?s ex:a?b ?o }", {"s", "b", "o"}),
    ],
)
def test_variables_are_found_in_the_code_only(query, names):
    assert variables(code_only(query)) == names


def test_a_keyword_search_skips_variables_prefixed_names_and_language_tags():
    where = re.compile(r"WHERE\s*\{", re.IGNORECASE)
    code = 'SELECT ?where { ?s ex:a.WHERE { } } "x"@where {'
    assert keyword_search(where, code) is None
    found = keyword_search(where, "SELECT ?this ?where WHERE { ?this ?p ?where }")
    assert found is not None and found.start() == 20


def test_a_mask_sets_strings_and_iris_aside_and_puts_them_back():
    query = 'SELECT ?x { ?x <http://a.org/#x> "}" . } # { comment'
    code, pieces = mask(query)
    assert pieces == ["<http://a.org/#x>", '"}"']
    assert code.count("{") == 1 and code.count("}") == 1 and "comment" not in code
    assert unmask(code, pieces) == query.replace("# { comment", " ")
    assert closing_bracket(code, code.index("{")) == code.index("}")


@pytest.mark.parametrize("query", ['SELECT * { ?s ?p "never ends }', "SELECT * { \x00 }"])
def test_a_mask_refuses_what_it_cannot_set_aside(query):
    with pytest.raises(ValueError):
        mask(query)


@pytest.mark.parametrize(("query", "code"), CODE)
def test_the_code_of_the_code_is_the_code(query, code):
    assert code_only(code) == code


# -- The SHACL rule surgery reads the rule's code through sparql_text ------------------------


@pytest.mark.parametrize(
    ("rule", "left"),
    [
        ("SELECT $this WHERE { $this ?p ?values . FILTER (?values > 1) }", False),
        ("SELECT $this WHERE { $this ex:a.MINUS ?o }", False),
        ("SELECT $this WHERE { $this ?p ?o MINUS { $this ?q ?o } }", True),
        ("SELECT $this WHERE { { SELECT ?this WHERE { ?this ?p ?o } } }", True),
        ("SELECT $this WHERE { $this ?p $currentShape }", True),
        ('SELECT $this WHERE { $this ?p "VALUES SERVICE" }', False),
    ],
)
def test_a_rule_goes_to_pyshacl_only_for_what_it_uses(rule, left):
    from wegokg.validation.shacl.rule_text import left_to_pyshacl

    assert left_to_pyshacl(mask(rule)[0]) is left


def test_a_variable_named_where_is_not_the_keyword_where():
    from wegokg.validation.shacl.rule_text import inject_target, projected

    code = "SELECT ?this ?where WHERE { ?this ?p ?where }"
    assert projected("SELECT ?this ?where ") == ["this", "where"]
    joined = inject_target(code, "{ ?this a <http://x/C> }")
    assert joined == "SELECT ?this ?where WHERE { { ?this a <http://x/C> }  ?this ?p ?where }"


@pytest.mark.parametrize(
    ("query", "start"),
    [("SELECT", 0), ("# a\n  # b\n\n  ASK {}", 13), ("# only a comment\n", None), ("", None)],
)
def test_the_code_starts_past_the_comments_before_it(query, start):
    from wegokg.core.sparql_text import code_start

    assert code_start(query) == start
