"""The compiled SHACL path reports exactly what pySHACL reports.

``wegokg.validation.shacl`` compiles the shapes into SPARQL queries that check all targets at once,
instead of running pySHACL, which checks one focus node at a time. These tests run pySHACL the slow
way once per batch of data and require the same set of (focus node, shape, path, constraint
component) from the compiled path, and the same messages: on the real data, on the real data with
every invalid fixture added at once, and on data with many violations of many kinds.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import ROOT, require
from support.invalid_fixtures import expectations
from support.layout import copy_repository

from wegokg.core.repository import Repository
from wegokg.validation.context import ValidationContext
from wegokg.validation.shacl import (
    COMPONENT_NAMES,
    ShaclResult,
    Unsupported,
    compile_shapes,
    pyshacl_results,
    union_store,
)

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "invalid").glob("*.ttl"))
GENERATOR = ROOT / "benchmarks" / "generate.py"
FOLDERS = ("award", "category", "city", "country", "fact", "quote", "source")


def key(result: ShaclResult) -> tuple:
    return (result.focus, result.shape, result.path, result.component)


def both_ways(repository: Repository) -> tuple[list[ShaclResult], list[ShaclResult]]:
    """The results of the compiled path and of pySHACL over the same data (in a pyoxigraph
    store, as before the compiled path: pySHACL takes minutes over an rdflib Graph here)."""
    context = ValidationContext(repository)
    fast = list(compile_shapes(repository.shapes).run(context.store))
    slow = list(pyshacl_results(repository.shapes, union_store(context.store)))
    return fast, slow


def assert_same_results(fast: list[ShaclResult], slow: list[ShaclResult]) -> None:
    fast_keys, slow_keys = {key(r) for r in fast}, {key(r) for r in slow}
    assert sorted(fast_keys - slow_keys) == [], "reported by the compiled path only"
    assert sorted(slow_keys - fast_keys) == [], "reported by pySHACL only"
    fast_messages = {(key(r), r.message, r.severity) for r in fast}
    slow_messages = {(key(r), r.message, r.severity) for r in slow}
    assert fast_messages == slow_messages


def test_the_real_data_gets_the_same_results_as_pyshacl():
    assert_same_results(*both_ways(Repository.at(ROOT)))


def test_every_invalid_fixture_and_many_violations_get_the_same_results_as_pyshacl(tmp_path):
    # One pySHACL run over all of them at once (each breaks its own nodes): pySHACL takes about
    # 0.1 s of CPU per result it builds, so a run per fixture would take minutes.
    broken = tmp_path / "broken.ttl"
    broken.write_text(many_violations(3), encoding="utf-8")
    fast, slow = both_ways(Repository.at(ROOT, extra_files=[*FIXTURES, broken]))
    assert_same_results(fast, slow)
    for fixture in FIXTURES:
        named = {focus for _, focus in expectations(fixture)}
        if not named:
            continue  # it breaks only a check outside SHACL (its "# expect-check:" lines)
        assert named & {r.focus for r in fast}, f"{fixture.name} breaks nothing"
    exercised = {r.component for r in fast}
    assert sorted(top_level_components() - exercised) == [], "components no data breaks"


def top_level_components() -> set[str]:
    """The constraint components that the targeted shapes (and their property shapes) use."""
    from rdflib.namespace import SH

    shapes = Repository.at(ROOT).shapes
    used = set()
    for shape in set(shapes.subjects(SH.targetClass, None)):
        for node in (shape, *shapes.objects(shape, SH.property)):
            for predicate in shapes.predicates(node, None):
                name = str(predicate).removeprefix(str(SH))
                if name in COMPONENT_NAMES:
                    used.add(str(SH) + COMPONENT_NAMES[name])
                elif name == "sparql":
                    used.add(str(SH) + "SPARQLConstraintComponent")
    return used


def test_generated_data_with_deliberate_violations_gets_the_same_results_as_pyshacl(tmp_path):
    require(GENERATOR.exists(), f"the scale generator {GENERATOR} (branch bench) is not here")
    spec = importlib.util.spec_from_file_location("generate", GENERATOR)
    generate = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = generate  # its dataclasses look their module up there
    spec.loader.exec_module(generate)
    manifest = generate.generate(1000, tmp_path / "generated", seed=7, fraction=0.5)
    fast, slow = both_ways(Repository.at(tmp_path / "generated"))
    assert_same_results(fast, slow)
    assert len(fast) >= sum(manifest["violations"].values()) > 0


def test_shapes_it_cannot_compile_are_left_to_pyshacl():
    from rdflib import Graph

    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:shape> a sh:NodeShape ; sh:targetNode <urn:focus> ;
            sh:property [ sh:path ( <urn:a> <urn:b> ) ; sh:minCount 1 ] .
        """,
        format="turtle",
    )
    with pytest.raises(Unsupported):
        compile_shapes(shapes)


def many_violations(count: int) -> str:
    """Turtle with ``count`` nodes of each kind, each breaking the shapes in several ways."""
    lines = [
        "@prefix wego: <https://w3id.org/wegokg/ontology#> .",
        "@prefix schema: <https://schema.org/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix oa: <http://www.w3.org/ns/oa#> .",
        "@prefix org: <http://www.w3.org/ns/org#> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        *(f"@prefix {folder}: <https://w3id.org/wegokg/id/{folder}/> ." for folder in FOLDERS),
        "@prefix concept: <https://w3id.org/wegokg/id/concept/> .",
        "",
    ]
    for n in range(count):
        lines += [
            # A city with an IRI outside its folder, two English labels, an untagged alternative
            # label, a literal sameAs, two countries (one not a country) and no evidence.
            f'<https://w3id.org/wegokg/id/place/City_{n}> a wego:City ; rdfs:label "A"@en, '
            f'"B"@en ; skos:altLabel "untagged" ; schema:sameAs "Q{n}" ; schema:containedInPlace '
            f"country:korea, city:seoul .",
            # A quote with an ill-formed start, a negative end, an empty text, two sources and a
            # span that does not match.
            f'quote:bad-{n} a wego:Quote ; oa:start "x{n}"^^xsd:integer ; oa:end -{n} ; '
            f'oa:exact "" ; prov:wasQuotedFrom source:a, source:b .',
            f'quote:span-{n} a wego:Quote ; oa:start 0 ; oa:end {n + 50} ; oa:exact "짧다" ; '
            f"prov:wasQuotedFrom <https://w3id.org/wegokg/id/source/seongnam-2021-10-20> .",
            # A claim whose source gives none of its quotes, and whose evidence is not a quote.
            f"fact:claim-{n} a wego:Claim ; prov:wasDerivedFrom city:seoul ; "
            f"wego:evidence quote:span-{n}, city:seoul .",
            # A membership that ends before it starts.
            f'fact:membership-{n} a wego:Membership ; schema:startDate "2020-0{n % 9 + 1}-01"'
            f'^^xsd:date ; schema:endDate "2019"^^xsd:gYear ; org:member city:seoul .',
            # A placement without rank or medal, and two sharing a rank.
            f"fact:placement-{n} a wego:Placement ; wego:edition award:e{n} .",
            f"fact:placement-{n}-a a wego:Placement ; wego:edition award:e{n} ; "
            f"wego:category category:c ; wego:rank 1 .",
            f"fact:placement-{n}-b a wego:Placement ; wego:edition award:e{n} ; "
            f"wego:category category:c ; wego:rank 1 .",
            f"award:e{n} a wego:AwardEdition .",
            # A speech by a city, of a type from the wrong scheme, at position zero.
            f"fact:speech-{n} a wego:Speech ; wego:speaker city:seoul ; wego:speechType "
            f"concept:gold-prize ; schema:position 0 .",
            # A participation with a made-up attendance mode.
            f"fact:participation-{n} a wego:Participation ; wego:attendanceMode "
            f"schema:Telepathy{n} .",
            "",
        ]
    return "\n".join(lines)


def test_a_rule_that_does_not_parse_is_reported_as_unusable_shapes(tmp_path):
    from wegokg.validation.run import validate
    from wegokg.validation.shacl import ShapesError

    copy = copy_repository(tmp_path)
    rules = copy / "shapes" / "rules.ttl"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("SELECT $this ?source", "SELECT $this ?source {{"), "utf-8")
    with pytest.raises(ShapesError, match="cannot be used"):
        list(validate(copy).violations)


def test_rules_written_in_unusual_ways_compile_and_agree_with_pyshacl():
    """No WHERE keyword, braces and keywords inside strings, IRIs and comments, a projected
    expression: the compiled path reads each rule as SPARQL does (the fuzzer found the first)."""
    import pyoxigraph
    from rdflib import Graph

    shapes = Graph().parse(
        format="turtle",
        data='''
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <urn:shape> a sh:NodeShape ; sh:targetClass <urn:Thing> ;
            sh:sparql [ sh:message "no WHERE: {$this}" ;
                        sh:select "SELECT $this { $this <urn:p#q> ?x FILTER (?x = '} {') }" ] ;
            sh:sparql [ sh:message "a comment: {$value}" ; sh:select """
                SELECT $this ?value  # WHERE { in a comment
                WHERE { $this <http://www.w3.org/2000/01/rdf-schema#label> ?value .
                        FILTER (?value = '#{ }') }""" ] ;
            sh:sparql [ sh:message "an expression: {?shown}" ; sh:select """
                SELECT $this (STR(?n) AS ?shown)
                WHERE { $this <urn:n> ?n . FILTER NOT EXISTS { $this <urn:ok> true } }""" ] .
        ''',
    )
    store = pyoxigraph.Store()
    store.load(
        b"""<urn:a> a <urn:Thing> ; <urn:p#q> "} {" ; <urn:n> 1 ;
                    <http://www.w3.org/2000/01/rdf-schema#label> "#{ }" .
            <urn:b> a <urn:Thing> ; <urn:p#q> "other" ; <urn:n> 2 ; <urn:ok> true .""",
        format=pyoxigraph.RdfFormat.TURTLE,
    )
    fast = list(compile_shapes(shapes).run(store))
    slow = list(pyshacl_results(shapes, store))
    assert_same_results(fast, slow)
    assert {(r.focus, r.message) for r in fast} == {
        ("urn:a", "no WHERE: urn:a"),
        ("urn:a", "a comment: #{ }"),
        ("urn:a", "an expression: 1"),
    }


def test_rules_with_alternative_paths_agree_with_pyshacl():
    """An alternative path of plain predicates is run as a VALUES join (pyoxigraph joins a union
    as a cartesian product): in the candidates, in a FILTER NOT EXISTS test and in a rule that
    projects the value, with prefixed names and IRIs, the results stay pySHACL's."""
    import pyoxigraph
    from rdflib import Graph

    shapes = Graph().parse(
        format="turtle",
        data='''
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <urn:shape> a sh:NodeShape ; sh:targetClass <urn:Thing> ;
            sh:sparql [ sh:message "unnamed" ; sh:prefixes <urn:prefixes> ; sh:select """
                SELECT $this WHERE { $this ex:p|<urn:q> ?any .
                    FILTER NOT EXISTS { $this rdfs:label|ex:alt ?name ; ex:text ?text .
                                        FILTER (CONTAINS(?text, STR(?name))) } }""" ] ;
            sh:sparql [ sh:message "value {?value}" ; sh:prefixes <urn:prefixes> ; sh:select """
                SELECT $this ?value WHERE { $this ex:p|<urn:q>|ex:p ?value .
                    FILTER (?value != "ok") }""" ] .
        <urn:prefixes> sh:declare [ sh:prefix "ex" ; sh:namespace "urn:ex:" ] .
        ''',
    )
    store = pyoxigraph.Store()
    store.load(
        b"""@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            <urn:a> a <urn:Thing> ; <urn:ex:p> "x" ; rdfs:label "A" ; <urn:ex:text> "B said" .
            <urn:b> a <urn:Thing> ; <urn:q> "ok" ; <urn:ex:alt> "B" ; <urn:ex:text> "B said" .
            <urn:c> a <urn:Thing> ; <urn:q> "y" ; <urn:ex:alt> "C" ; <urn:ex:text> "B said" .""",
        format=pyoxigraph.RdfFormat.TURTLE,
    )
    compiled = compile_shapes(shapes)
    texts = [t for q in compiled.queries for t in (q.sparql, *(test for _, test in q.tests))]
    assert all("VALUES ?alt" in text for text in texts), texts
    fast = list(compiled.run(store))
    slow = list(pyshacl_results(shapes, store))
    assert_same_results(fast, slow)
    assert {(r.focus, r.message) for r in fast} == {
        ("urn:a", "unnamed"),
        ("urn:c", "unnamed"),
        ("urn:a", "value x"),
        ("urn:c", "value y"),
    }


def test_every_kind_of_count_agrees_with_pyshacl():
    """sh:minCount 1 is a NOT EXISTS and sh:maxCount 1 a pair of values; the other counts are
    counted: all agree with pySHACL, on focus nodes with none, one, two and three values."""
    import pyoxigraph
    from rdflib import Graph

    counts = [(1, None), (None, 1), (1, 1), (2, None), (None, 2), (0, 0), (2, 3), (3, None)]
    properties = " ".join(
        f'sh:property [ sh:path <urn:p> ; sh:message "{low} {high}" '
        + (f"; sh:minCount {low} " if low is not None else "")
        + (f"; sh:maxCount {high} " if high is not None else "")
        + "] ;"
        for low, high in counts
    )
    shapes = Graph().parse(
        format="turtle",
        data=f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:shape> a sh:NodeShape ; {properties} sh:targetClass <urn:Thing> .""",
    )
    store = pyoxigraph.Store()
    store.load(
        b"""<urn:none> a <urn:Thing> .
            <urn:one> a <urn:Thing> ; <urn:p> 1 .
            <urn:two> a <urn:Thing> ; <urn:p> 1, "1" .
            <urn:three> a <urn:Thing> ; <urn:p> 1, 2, <urn:x> .""",
        format=pyoxigraph.RdfFormat.TURTLE,
    )
    fast = list(compile_shapes(shapes).run(store))
    slow = list(pyshacl_results(shapes, store))
    assert_same_results(fast, slow)
    assert len(fast) == 17  # 1 + 2 + 3 + 2 + 1 + 3 + 2 + 3, in the order of ``counts``


def test_a_query_that_fails_on_its_thread_leaves_nothing_of_pyoxigraph_to_other_threads(
    monkeypatch,
):
    """The queries run on worker threads, and pyoxigraph's query solutions may only be dropped
    on the thread that made them: an error in a query reaches the caller, and collecting its
    remains later on this thread drops nothing of pyoxigraph's."""
    import dataclasses
    import gc

    import pyoxigraph
    from rdflib import Graph

    shapes = Graph().parse(
        format="turtle",
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:shape> a sh:NodeShape ; sh:targetClass <urn:Thing> ;
            sh:sparql [ sh:message "m" ; sh:select "SELECT $this ?x WHERE { $this <urn:p> ?x }" ] .
        """,
    )
    store = pyoxigraph.Store()
    store.load(b'<urn:a> a <urn:Thing> ; <urn:p> "a", "b" .', format=pyoxigraph.RdfFormat.TURTLE)

    def failing(row):
        raise KeyError("a row it cannot read")

    compiled = compile_shapes(shapes)
    broken = type(compiled)([dataclasses.replace(q, make=failing) for q in compiled.queries])
    unraisable = []
    monkeypatch.setattr("sys.unraisablehook", unraisable.append)
    with pytest.raises(KeyError, match="a row it cannot read"):
        list(broken.run(store))
    gc.collect()
    assert [str(u.exc_value) for u in unraisable] == []


@pytest.mark.parametrize("keyword", ["MINUS { $this a <urn:x> }", "VALUES ?q { 1 }"])
def test_sparql_that_shacl_does_not_allow_is_refused_before_any_data_is_read(keyword):
    """SHACL-SPARQL has no MINUS and no VALUES (pre-binding's syntax rules): refused at once, in
    the words of pySHACL's refusal, instead of after pySHACL has checked every other shape."""
    from rdflib import Graph

    from wegokg.validation.shacl import ShapesError, check_readable

    shapes = Graph().parse(
        format="turtle",
        data=f'''
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:shape> a sh:NodeShape ; sh:targetClass <urn:Thing> ;
            sh:sparql [ sh:select """SELECT $this WHERE {{ $this <urn:p> ?x . {keyword} }}""" ] .
        ''',
    )
    with pytest.raises(ShapesError, match="cannot be used: .* does not allow"):
        check_readable(shapes)
