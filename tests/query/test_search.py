"""Search by name: labels and alternative names in Korean or English, compared without case or
accents, exact names ranked above prefixes above parts; and names accepted as IRI parameters."""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import Dataset, URIRef

from wegokg.cli.main import main
from wegokg.query.search import (
    EXACT,
    PREFIX,
    SUBSTRING,
    AmbiguousNameError,
    UnknownNameError,
    name_index,
    normalize,
    resolve,
    search,
)

EX = "http://example.org/"
SMALL = f"""
@prefix ex: <{EX}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:sao-paulo a ex:City ; rdfs:label "São Paulo"@en, "상파울루"@ko .
ex:sao-paulo-fc a ex:Club ; rdfs:label "São Paulo FC"@en .
ex:mayor a ex:Post ; rdfs:label "Mayor of São Paulo"@en, "상파울루 시장"@ko .
ex:seongnam a ex:City ; rdfs:label "Seongnam"@en, "성남시"@ko ; skos:altLabel "성남"@ko .
ex:springfield-il a ex:City ; rdfs:label "Springfield"@en .
ex:springfield-ma a ex:City ; rdfs:label "Springfield"@en .
"""


@pytest.fixture(scope="module")
def small_index():
    dataset = Dataset()
    dataset.graph(URIRef(EX + "graph")).parse(data=SMALL, format="turtle")
    return name_index(dataset)


@pytest.fixture(scope="module")
def real_index(dataset):
    return name_index(dataset)


def test_normalize_ignores_case_accents_and_extra_spaces():
    assert normalize("São Paulo") == normalize("Sao Paulo") == normalize("  sao   PAULO ")
    assert normalize("Straße") == normalize("STRASSE")
    assert normalize("성남") != normalize("서울")


def test_the_index_holds_each_named_resource_with_its_types_and_both_labels(small_index):
    entry = next(e for e in small_index if e.iri == EX + "seongnam")
    assert entry.types == (EX + "City",)
    assert (entry.label_en, entry.label_ko) == ("Seongnam", "성남시")
    assert set(entry.names) == {("Seongnam", "en"), ("성남시", "ko"), ("성남", "ko")}


def test_search_finds_a_name_without_its_accents(small_index):
    assert search(small_index, "sao paulo")[0].entry.iri == EX + "sao-paulo"


def test_search_ranks_exact_then_prefix_then_part(small_index):
    matches = search(small_index, "São Paulo")
    assert [(m.entry.iri, m.rank) for m in matches] == [
        (EX + "sao-paulo", EXACT),
        (EX + "sao-paulo-fc", PREFIX),
        (EX + "mayor", SUBSTRING),
    ]


def test_search_breaks_ties_by_label(small_index):
    matches = search(small_index, "s", lang="en")
    prefixes = [m.entry.display_label() for m in matches if m.rank == PREFIX]
    assert prefixes == sorted(prefixes, key=normalize)
    assert len(prefixes) >= 4


def test_search_finds_an_alternative_name_in_korean(small_index):
    match = search(small_index, "성남")[0]
    assert (match.entry.iri, match.rank, match.name) == (EX + "seongnam", EXACT, "성남")


def test_search_in_one_language_ignores_names_in_the_other(small_index):
    assert search(small_index, "성남", lang="en") == []
    assert [m.entry.iri for m in search(small_index, "seongnam", lang="ko")] == []


def test_a_name_resolves_to_its_one_resource(small_index):
    assert resolve(small_index, "상파울루") == EX + "sao-paulo"
    assert resolve(small_index, "sao paulo") == EX + "sao-paulo"
    assert resolve(small_index, "SaoPaulo") == EX + "sao-paulo"
    assert resolve(small_index, "Seongnam-si") == EX + "seongnam"


def test_an_ambiguous_name_lists_its_candidates(small_index):
    with pytest.raises(AmbiguousNameError) as caught:
        resolve(small_index, "springfield")
    candidates = {e.iri for e in caught.value.candidates}
    assert candidates == {EX + "springfield-il", EX + "springfield-ma"}


def test_an_unknown_name_suggests_the_nearest_names(small_index):
    with pytest.raises(UnknownNameError) as caught:
        resolve(small_index, "Seongnam City")
    assert "Seongnam" in caught.value.nearest
    with pytest.raises(UnknownNameError) as caught:
        resolve(small_index, "Seongnma")
    assert caught.value.nearest[0] == "Seongnam"
    with pytest.raises(UnknownNameError) as caught:
        resolve(small_index, "São")  # only a prefix: a name must be whole to stand for a thing
    assert "São Paulo" in caught.value.nearest


def test_the_real_index_leaves_out_the_imported_vocabularies(real_index, dataset):
    from wegokg.core.loading import IMPORTS_GRAPH

    imported_only = {str(s) for s in dataset.graph(IMPORTS_GRAPH).subjects()} - {
        str(s) for g in dataset.graphs() if g.identifier != IMPORTS_GRAPH for s in g.subjects()
    }
    assert imported_only, "the imports graph should hold terms of its own"
    assert not imported_only & {e.iri for e in real_index}


# -- The command line -----------------------------------------------------------------------


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_wegokg_search_prints_iri_type_and_both_labels(capsys, real_index):
    seongnam = resolve(real_index, "성남")
    entry = next(e for e in real_index if e.iri == seongnam)
    code, out, _ = run(capsys, "search", "성남")
    assert code == 0
    first = out.splitlines()[2]
    assert first.split()[0] == entry.prefixed
    assert entry.label_en in first and entry.label_ko in first
    assert all(t.rsplit("#", 1)[-1] in first for t in entry.types)


@pytest.mark.parametrize(
    "written, label",
    [("Georgetown", "George Town"), ("Seongnam-si", "Seongnam"), ("성남", "성남시")],
)
def test_wegokg_search_finds_a_name_written_with_other_spacing_or_a_suffix(capsys, written, label):
    code, out, _ = run(capsys, "search", written)
    assert code == 0
    first = out.splitlines()[2]
    assert label in first and first.rstrip().endswith("exact")


def test_wegokg_search_lists_a_misspelt_name_as_near(capsys, real_index):
    seongnam = resolve(real_index, "Seongnam")
    code, out, _ = run(capsys, "search", "Seongnma")
    assert code == 0
    first = out.splitlines()[2]
    assert first.split()[0] == next(e.prefixed for e in real_index if e.iri == seongnam)
    assert first.rstrip().endswith("near")


def test_wegokg_search_without_any_match_exits_1(capsys):
    code, out, err = run(capsys, "search", "Quetzaltenango")
    assert code == 1
    assert out == ""
    assert "no resource is named like 'Quetzaltenango'" in err


def test_a_name_is_accepted_where_a_parameter_takes_an_iri(capsys, real_index):
    by_name = run(capsys, "query", "run", "city-profile", "--param", "city=성남", "--format", "csv")
    iri = resolve(real_index, "성남")
    by_iri = run(capsys, "query", "run", "city-profile", "--param", f"city=<{iri}>", "--format",
                 "csv")  # fmt: skip
    assert by_name[0] == 0
    assert by_name == by_iri
    assert len(by_name[1].splitlines()) > 2


def test_an_ambiguous_parameter_name_is_refused_with_its_candidates(capsys, real_index):
    owners = defaultdict(set)
    for entry in real_index:
        for name, _ in entry.names:
            owners[normalize(name)].add(entry.prefixed)
    shared = next((n for n, iris in sorted(owners.items()) if len(iris) > 1), None)
    assert shared, "the real data has no name shared by two resources to test with"
    code, _, err = run(capsys, "query", "run", "city-profile", "--param", f"city={shared}")
    assert code == 2
    assert all(candidate in err for candidate in owners[shared])


def test_a_prefixed_name_parameter_is_still_taken_as_an_iri(capsys):
    code, out, _ = run(capsys, "query", "run", "city-profile", "--param", "city=city:goyang",
                       "--format", "csv")  # fmt: skip
    assert code == 0
    assert "goyang" in out


def test_a_parameter_name_with_a_romanized_suffix_finds_its_city(capsys, real_index):
    by_name = run(capsys, "query", "run", "city-profile", "--param", "city=Seongnam-si",
                  "--format", "csv")  # fmt: skip
    by_label = run(capsys, "query", "run", "city-profile", "--param", "city=성남시", "--format",
                   "csv")  # fmt: skip
    assert by_name[0] == 0
    assert by_name == by_label
