"""The vocabulary: every term has Korean and English labels and comments, every reused term is a
real term of its vocabulary, and a misspelt term anywhere is caught."""

from __future__ import annotations

import pytest
from conftest import ROOT
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from wegokg.core.namespaces import PREFIXES, WEGO
from wegokg.validation.terms import check_terms, rdflib_knows

ONTOLOGY = Graph().parse(ROOT / "ontology" / "wego.ttl")
TERMS = sorted(
    s
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for s in ONTOLOGY.subjects(RDF.type, kind)
    if str(s).startswith(WEGO)
)


def texts(term: URIRef, predicate: URIRef) -> dict[str, str]:
    return {o.language: str(o) for o in ONTOLOGY.objects(term, predicate) if o.language}


def test_the_vocabulary_has_classes_and_properties():
    assert len(TERMS) > 60


@pytest.mark.parametrize("term", TERMS, ids=lambda t: str(t)[len(WEGO) :])
def test_every_term_has_korean_and_english_labels_and_comments(term):
    assert set(texts(term, RDFS.label)) == {"en", "ko"}
    assert set(texts(term, RDFS.comment)) == {"en", "ko"}
    assert (term, RDFS.isDefinedBy, URIRef(WEGO[:-1])) in ONTOLOGY


def test_the_ontology_header_is_complete():
    header = URIRef(WEGO[:-1])
    dct, vann = PREFIXES["dct"], PREFIXES["vann"]
    for predicate in (OWL.versionIRI, OWL.versionInfo, URIRef(dct + "license"),
                      URIRef(dct + "creator"), URIRef(dct + "description"),
                      URIRef(vann + "preferredNamespacePrefix")):  # fmt: skip
        assert ONTOLOGY.value(header, predicate) is not None, predicate


def test_the_ontology_version_is_the_package_version():
    from wegokg.core.version import VERSION as version

    header = URIRef(WEGO[:-1])
    assert str(ONTOLOGY.value(header, OWL.versionInfo)) == version
    assert str(ONTOLOGY.value(header, OWL.versionIRI)).endswith("/" + version)


IMPORTED = sorted(
    (path.stem, s)
    for path in (ROOT / "ontology" / "imports").glob("*.ttl")
    for s in Graph().parse(path).subjects(RDFS.isDefinedBy, None)
)
# rdflib ships a copy of every vocabulary we import but the Web Annotation one (oa).
CHECKABLE = [(prefix, term) for prefix, term in IMPORTED if rdflib_knows(prefix, "") is not None]


def test_only_the_web_annotation_extract_lacks_a_reference_copy():
    assert {prefix for prefix, _ in IMPORTED} - {prefix for prefix, _ in CHECKABLE} == {"oa"}


@pytest.mark.parametrize("prefix,term", CHECKABLE, ids=lambda x: str(x).rsplit("/", 1)[-1])
def test_every_imported_term_exists_in_its_vocabulary(prefix, term):
    namespace = PREFIXES[prefix]
    assert str(term).startswith(namespace)
    assert rdflib_knows(prefix, str(term)[len(namespace) :]), f"{term} is not in {namespace}"


def test_a_misspelt_term_is_caught_with_its_line(tmp_path):
    broken = tmp_path / "typo.ttl"
    broken.write_text(
        "@prefix wego: <https://w3id.org/wegokg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "\n"
        "wego:Thing rdfs:subClasOf wego:Claim .\n"
        "wego:Other rdfs:subClassOf wego:Claimm .\n"
    )
    declarations = [ONTOLOGY]
    problems = {(p.term, p.line) for p in check_terms(declarations, [broken])}
    assert problems == {
        (PREFIXES["rdfs"] + "subClasOf", 4),
        (WEGO + "Thing", 4),
        (WEGO + "Other", 5),
        (WEGO + "Claimm", 5),
    }


def test_the_repository_uses_no_undeclared_term():
    from wegokg.core.loading import read_graph_files

    read = read_graph_files(ROOT)
    declarations = [g for item, g in read if item.kind in ("ontology", "imports")]
    files = [item.path for item, _ in read]
    files += sorted((ROOT / "shapes").rglob("*.ttl")) + sorted((ROOT / "shapes").rglob("*.rq"))
    files += sorted((ROOT / "queries").glob("*.rq"))
    assert check_terms(declarations, files) == []
