"""`wegokg draft`: a saved news page drafted into its article's file.

The two stored articles are drafted leave-one-out: with the article's own file removed from a copy
of the repository, the draft must find the same extent, quote every sentence exactly, and link
every known name the body contains. The expectations come from the real article files and from
the repository's labels read here with rdflib, not from the drafting code.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT, require
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from support.inprocess import wegokg
from support.layout import copy_repository

WITHOUT_KIWIPIEPY = {
    "test_other_commands_never_import_kiwipiepy",
    "test_without_kiwipiepy_draft_says_how_to_install",
}


@pytest.fixture(autouse=True)
def kiwipiepy_installed(request):
    """Skipped loudly without the extra 'curate'; in CI (which installs it), failed. The tests of
    the toolkit without kiwipiepy run either way."""
    if request.node.name in WITHOUT_KIWIPIEPY:
        return
    require(
        importlib.util.find_spec("kiwipiepy") is not None,
        "kiwipiepy and its model (pip install -e '.[curate]')",
    )


ID = "https://w3id.org/wegokg/id/"
WEGO = "https://w3id.org/wegokg/ontology#"
OA = "http://www.w3.org/ns/oa#"
SCHEMA = "https://schema.org/"
SEONGNAM = ("seongnam-2021-10-20", "004_5b0afd051804e015.txt")
NEWSPIM = ("newspim-2021-10-13", "000_fa9aa0f98d6df127.txt")
# The kinds of resource the issue names: city, country, organization, person, place, event, award
# and project; by class, so that the expected set does not depend on the drafting code's table.
KIND_CLASSES = {
    URIRef(SCHEMA + "Place"),
    URIRef(SCHEMA + "Event"),
    URIRef(SCHEMA + "Person"),
    URIRef(SCHEMA + "Organization"),
    URIRef(SCHEMA + "Project"),
    URIRef("http://www.w3.org/ns/org#Organization"),
    URIRef("http://xmlns.com/foaf/0.1/Person"),
}


def copy_without(into: Path, article: str) -> Path:
    """A copy of the dataset's folders with one article file left out."""
    folder = copy_repository(into)
    (folder / "data" / "articles" / f"{article}.ttl").unlink()
    return folder


def drafted(folder: Path, *args: str) -> tuple[dict, Graph]:
    result = wegokg("draft", *args, "--format", "json", cwd=folder)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    graph = Graph().parse(folder / report["output"], format="turtle")
    return report, graph


@pytest.fixture(scope="module")
def seongnam(tmp_path_factory):
    folder = copy_without(tmp_path_factory.mktemp("without-seongnam"), SEONGNAM[0])
    return folder, *drafted(folder, f"data/sources/{SEONGNAM[1]}")


@pytest.fixture(scope="module")
def newspim(tmp_path_factory):
    folder = copy_without(tmp_path_factory.mktemp("without-newspim"), NEWSPIM[0])
    return folder, *drafted(folder, f"data/sources/{NEWSPIM[1]}")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """A whole repository for the tests that must leave it unchanged."""
    return copy_repository(tmp_path_factory.mktemp("scratch"))


def real_article(name: str) -> Graph:
    return Graph().parse(ROOT / "data" / "articles" / f"{name}.ttl", format="turtle")


def quotes_of(graph: Graph) -> dict[str, tuple[int, int, str]]:
    return {
        str(q): (
            int(graph.value(q, URIRef(OA + "start"))),
            int(graph.value(q, URIRef(OA + "end"))),
            str(graph.value(q, URIRef(OA + "exact"))),
        )
        for q in graph.subjects(RDF.type, URIRef(WEGO + "Quote"))
    }


def known_names() -> dict[str, list[Literal]]:
    """Every resource of the issue's kinds with its labels and other names, read from the
    curated and reference files and the ontology's classes."""
    graph = Graph()
    for path in [
        ROOT / "ontology" / "wego.ttl",
        *(ROOT / "ontology" / "imports").glob("*.ttl"),
        *(ROOT / "data" / "curated").glob("*.ttl"),
        *(ROOT / "data" / "reference").glob("*.ttl"),
    ]:
        graph.parse(path, format="turtle")
    names: dict[str, list[Literal]] = {}
    for resource in set(graph.subjects(RDF.type, None)):
        # The classes above the resource's types, through rdfs:subClassOf and, both ways,
        # owl:equivalentClass (wego:Country is schema:Country, a schema:Place).
        classes, todo = set(), list(graph.objects(resource, RDF.type))
        while todo:
            cls = todo.pop()
            if cls not in classes:
                classes.add(cls)
                todo += [*graph.objects(cls, RDFS.subClassOf)]
                todo += [*graph.objects(cls, OWL.equivalentClass)]
                todo += [*graph.subjects(OWL.equivalentClass, cls)]
        if classes & KIND_CLASSES:
            found = [*graph.objects(resource, RDFS.label), *graph.objects(resource, SKOS.altLabel)]
            names[str(resource)] = [n for n in found if isinstance(n, Literal)]
    return names


def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept).casefold()


def linked_pairs(graph: Graph) -> set[tuple[str, str]]:
    """(resource, quote) of every wego:evidence link from a named resource (not the article)."""
    return {
        (str(s), str(o))
        for s, o in graph.subject_objects(URIRef(WEGO + "evidence"))
        if not str(s).startswith(ID + "source/")
    }


def check_leave_one_out(folder: Path, report: dict, graph: Graph, name: str, file: str) -> None:
    text = (ROOT / "data" / "sources" / file).read_text(encoding="utf-8")
    real = real_article(name)
    article = URIRef(ID + "source/" + name)
    real_start = int(real.value(article, URIRef(WEGO + "bodyStart")))
    real_end = int(real.value(article, URIRef(WEGO + "bodyEnd")))
    draft_article = URIRef(ID + "source/" + name)
    assert (graph.value(draft_article, RDF.type)) == URIRef(WEGO + "NewsArticle")
    start = int(graph.value(draft_article, URIRef(WEGO + "bodyStart")))
    end = int(graph.value(draft_article, URIRef(WEGO + "bodyEnd")))
    assert (start, end) == (real_start, real_end)
    assert report["extent"]["start"] == start and report["extent"]["end"] == end

    # Every quote is exact.
    quotes = quotes_of(graph)
    assert quotes
    for iri, (q_start, q_end, exact) in quotes.items():
        assert text[q_start:q_end] == exact, iri
        assert start <= q_start < q_end <= end

    # Every sentence of the real extent (cut at a full stop, question or exclamation mark before
    # a space, and at line ends) is quoted, except what the real file explains as a passage left
    # uncited.
    explained = [
        (int(real.value(p, URIRef(OA + "start"))), int(real.value(p, URIRef(OA + "end"))))
        for p in real.subjects(RDF.type, URIRef(WEGO + "UncitedPassage"))
    ]
    spans = [(s, e) for s, e, _ in quotes.values()]
    position = real_start
    for line in text[real_start:real_end].split("\n"):
        line_start, position = position, position + len(line) + 1
        if not line.strip() or any(s <= line_start < e for s, e in explained):
            continue
        cut = 0
        for bound in [m.end() for m in re.finditer(r"[.?!](?=\s)", line)] + [len(line)]:
            piece = line[cut:bound]
            left = line_start + cut + len(piece) - len(piece.lstrip())
            right = line_start + bound - (len(piece) - len(piece.rstrip()))
            cut = bound
            if right > left:
                assert any(s < right and left < e for s, e in spans), text[left:right]

    # Every known name in the body is linked (at least 95 %), and no link is wrong.
    body = folded(text[real_start:real_end])
    names = known_names()
    expected = {
        iri
        for iri, found in names.items()
        if any(n.language == "ko" and folded(str(n)) in body for n in found)
    }
    assert expected
    pairs = linked_pairs(graph)
    linked = {iri for iri, _ in pairs}
    missed = expected - linked
    assert len(expected & linked) >= 0.95 * len(expected), sorted(missed)
    for iri, quote in pairs:
        assert iri in names, f"{iri} is not of a kind the draft links"
        exact = folded(quotes[quote][2])
        assert any(
            folded(str(n)) in exact or folded(str(n)).removesuffix("시") in exact
            for n in names[iri]
        ), (iri, quote)


def test_seongnam_article_drafted_leave_one_out(seongnam):
    folder, report, graph = seongnam
    check_leave_one_out(folder, report, graph, *SEONGNAM)
    # None of the page's "뉴스21 통신" furniture is inside.
    text = (ROOT / "data" / "sources" / SEONGNAM[1]).read_text(encoding="utf-8")
    kept = text[report["extent"]["start"] : report["extent"]["end"]]
    assert "뉴스21 통신" not in kept and "많이 본" not in kept and "기사 메일전송" not in kept
    assert report["extent"]["cut_before"] == [{"line": 1, "text": "기사 메일전송"}]


def test_newspim_article_drafted_leave_one_out(newspim):
    folder, report, graph = newspim
    check_leave_one_out(folder, report, graph, *NEWSPIM)
    text = (ROOT / "data" / "sources" / NEWSPIM[1]).read_text(encoding="utf-8")
    kept = text[report["extent"]["start"] : report["extent"]["end"]]
    assert "베스트 기사" not in kept and "CES 2025" not in kept and "더보기" not in kept


def test_draft_describes_the_article_from_its_byline(newspim):
    _, report, graph = newspim
    article = URIRef(ID + "source/newspim-2021-10-13")
    assert graph.value(article, URIRef(SCHEMA + "publisher")) == URIRef(ID + "organization/newspim")
    assert graph.value(article, URIRef(SCHEMA + "author")) == URIRef(ID + "person/lee-dong-hoon")
    assert str(graph.value(article, URIRef(WEGO + "textFile"))) == f"sources/{NEWSPIM[1]}"
    assert str(graph.value(article, URIRef(SCHEMA + "inLanguage"))) == "ko"
    import hashlib

    digest = hashlib.sha256((ROOT / "data" / "sources" / NEWSPIM[1]).read_bytes()).hexdigest()
    assert str(graph.value(article, URIRef(WEGO + "sha256"))) == digest
    # The page gives no time zone: no datePublished is guessed, a TODO says what is missing.
    assert graph.value(article, URIRef(SCHEMA + "datePublished")) is None
    assert any("datePublished" in item for item in report["todo"])
    # The byline of the lead is its own quote, as in the real file.
    assert "[서울=뉴스핌] 이동훈 기자" in {exact for _, _, exact in quotes_of(graph).values()}


def test_numbers_and_dates_are_listed_never_asserted(seongnam, newspim):
    _, report, graph = seongnam
    counts = {(c["text"], c["value"]) for c in report["counts"]}
    assert {("58개국", 58), ("158개 도시", 158), ("7곳", 7)} <= counts
    dates = {d["text"]: d["resolved"] for d in report["dates"]}
    assert dates["지난 10월 18일"] == "2021-10-18"
    assert dates["지난해 10월"] == "2020-10"
    assert dates["오는 2023년 말"].startswith("2023")
    _, news, news_graph = newspim
    news_dates = {d["text"]: d["resolved"] for d in news["dates"]}
    assert news_dates["오는 18일 오후 3시"] == "2021-10-18 15:00"
    assert news_dates["2021년10월13일 14:50"] == "2021-10-13 14:50"
    assert news_dates["작년"] == "2020"
    approximate = {c["text"] for c in news["counts"] if c["approximate"]}
    assert {"50여 개 도시", "150여 명"} <= approximate
    # No claim: nothing derived from the article, and no value but offsets and hashes.
    for g in (graph, news_graph):
        assert not set(g.subjects(URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None))
        assert not set(g.objects(None, URIRef(SCHEMA + "value")))
    written = (seongnam[0] / seongnam[1]["output"]).read_text(encoding="utf-8")
    assert "# TODO count: '58개국' (58 개국)" in written
    assert "# TODO date: '지난해 10월' = 2020-10" in written


def test_draft_is_in_the_canonical_format_and_loads_with_full_coverage(seongnam, newspim):
    from wegokg.core.repository import Repository
    from wegokg.curate.turtle_format import format_turtle
    from wegokg.validation.coverage import coverage
    from wegokg.validation.evidence import check_quotes

    for folder, report, _ in (seongnam, newspim):
        written = (folder / report["output"]).read_text(encoding="utf-8")
        assert format_turtle(written) == written
        repository = Repository.at(folder)
        dataset = repository.dataset  # the draft loads with the rest
        assert check_quotes(dataset, repository.data_folder) == []
        source = ID + "source/" + Path(report["output"]).stem
        (article,) = [a for a in coverage(dataset, repository.data_folder).articles
                      if a.article == source]  # fmt: skip
        assert article.count("uncited") == 0 and article.percent == 100.0
        assert len(article.sentences) >= 10


def test_validation_lists_only_what_a_person_adds(seongnam):
    folder, report, _ = seongnam
    result = wegokg("validate", "--format", "json", cwd=folder)
    violations = json.loads(result.stdout)["violations"]
    mine = [v for v in violations if v["file"].endswith(report["output"])]
    # The English label and a zoned publication time; the evidence check finds nothing.
    assert {(v["check"], v.get("path")) for v in mine if v["severity"] == "ERROR"} == {
        ("shacl", "http://www.w3.org/2000/01/rdf-schema#label"),
        ("shacl", SCHEMA + "datePublished"),
    }


OWN_PAGE = """\
홈 > 뉴스 > 사회
로그인 회원가입
기사 공유
한빛시, 자율주행 셔틀 실증 사업 착수
김도윤 기자
입력 2024-03-05 09:30

한빛시(시장 박서연)는 오는 12일 노을대학교와 함께 자율주행 셔틀 실증 사업을 시작한다고 5일 밝혔다.

이번 사업에는 시민 30여 명이 참여하며, 서울시와 성남시도 자문 도시로 함께한다.

셔틀은 Hanbit Mobility Lab이 만든다.

사업은 2025년 말까지 이어질 예정이다.

kimdy@example.com
저작권자 © 예시일보 무단전재 및 재배포 금지
많이 본 기사
1. 다른 기사 제목입니다. 내용이 이어집니다...
2. 또 다른 기사입니다. 역시 이어집니다...
"""


def test_unknown_names_are_reported_and_nothing_invented(tmp_path, dataset_copy):
    folder = dataset_copy
    page = tmp_path / "hanbit-page.txt"
    page.write_text(OWN_PAGE, encoding="utf-8")
    report, graph = drafted(folder, str(page))
    # The page is copied into data/sources/, unchanged, and the draft points at the copy.
    copy = folder / "data" / "sources" / "hanbit-page.txt"
    assert copy.read_bytes() == page.read_bytes()
    assert report["text_file"] == "sources/hanbit-page.txt"
    # The extent: headline to the reporter's e-mail; menus and most-read stories cut.
    kept = OWN_PAGE[report["extent"]["start"] : report["extent"]["end"]]
    assert kept.startswith("한빛시, 자율주행") and kept.endswith("kimdy@example.com")
    assert "로그인" not in kept and "저작권자" not in kept and "다른 기사" not in kept
    # The unknown names, each at its offset.
    unknown = {(u["name"], u["start"]) for u in report["unknown"]}
    for name in ("한빛시", "박서연", "노을대학교", "김도윤", "Hanbit Mobility Lab"):
        assert any(n == name for n, _ in unknown), name
    for name, start in unknown:
        assert OWN_PAGE[start : start + len(name)] == name
    # The known ones are linked; nothing else is: no new resource, no fact, no guessed name.
    assert {iri for iri, _ in linked_pairs(graph)} == {ID + "city/seoul", ID + "city/seongnam"}
    subjects = {str(s) for s in graph.subjects()}
    allowed = (ID + "source/", ID + "quote/", ID + "passage/", ID + "city/")
    assert all(s.startswith(allowed) for s in subjects), subjects
    article = URIRef(report["source"].replace("source:", ID + "source/"))
    assert graph.value(article, URIRef(SCHEMA + "author")) is None
    assert graph.value(article, URIRef(SCHEMA + "publisher")) is None
    labels = list(graph.objects(None, RDFS.label))
    assert labels == [Literal("한빛시, 자율주행 셔틀 실증 사업 착수", lang="ko")]
    written = (folder / report["output"]).read_text(encoding="utf-8")
    assert "# TODO new name: '박서연' (NNP)" in written


def test_body_start_and_end_override_the_guess(scratch, tmp_path):
    out = tmp_path / "override.ttl"
    result = wegokg(
        "draft", f"data/sources/{NEWSPIM[1]}", "-o", str(out), "--body-end", "앞장서겠다",
        "--body-start", "기사입력", "--format", "json", cwd=scratch,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    text = (ROOT / "data" / "sources" / NEWSPIM[1]).read_text(encoding="utf-8")
    assert text[report["extent"]["start"] :].startswith("기사입력")
    assert text[: report["extent"]["end"]].endswith('앞장서겠다"고 말했다.')
    assert report["extent"]["guessed"] is False


def test_text_report_names_extent_quotes_and_names(seongnam, tmp_path):
    folder = seongnam[0]
    result = wegokg(
        "draft", f"data/sources/{SEONGNAM[1]}", "-o", str(tmp_path / "s.ttl"), cwd=folder
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Extent: 8-843 (guessed)" in out
    assert "first line kept: 성남시, WeGO 집행위원도시 선정…2023년까지 활동" in out
    assert "Quotes: 11" in out and "city:seongnam" in out and "Names unknown: 0" in out


def _listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in (folder / "data").rglob("*")}


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("page.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("page.txt", "서울시는 총회를 연다.".encode("cp949"), "not UTF-8"),
        ("page.txt", b"", "empty"),
        ("page.txt", "홈\n메뉴\n2024\n로그인\n".encode(), "no Korean or English sentence"),
    ],
    ids=["binary", "not-utf8", "empty", "no-sentence"],
)
def test_bad_input_gets_one_line_and_leaves_no_file(scratch, tmp_path, name, content, says):
    page = tmp_path / name
    page.write_bytes(content)
    before = _listing(scratch)
    out = tmp_path / "out.ttl"
    result = wegokg("draft", str(page), "-o", str(out), cwd=scratch)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("wegokg: ")
    assert says in result.stderr
    assert not out.exists() and _listing(scratch) == before


def test_existing_output_is_refused_without_force(scratch, tmp_path):
    out = tmp_path / "exists.ttl"
    out.write_text("# mine\n", encoding="utf-8")
    before = _listing(scratch)
    result = wegokg("draft", f"data/sources/{SEONGNAM[1]}", "-o", str(out), cwd=scratch)
    assert result.returncode == 2 and "--force" in result.stderr
    assert result.stderr.count("\n") == 1
    assert out.read_text(encoding="utf-8") == "# mine\n" and _listing(scratch) == before
    # The default output, the article's own file, is refused too.
    result = wegokg("draft", f"data/sources/{SEONGNAM[1]}", cwd=scratch)
    assert result.returncode == 2 and "already exists" in result.stderr
    assert _listing(scratch) == before


def test_other_commands_never_import_kiwipiepy():
    code = (
        "import sys\n"
        "from wegokg.cli.main import main\n"
        "for args in (['search', 'Seoul'], ['query', 'list'], ['coverage'], ['stats']):\n"
        "    main(args)\n"
        "assert 'kiwipiepy' not in sys.modules, 'kiwipiepy imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_without_kiwipiepy_draft_says_how_to_install(tmp_path):
    code = (
        "import sys\n"
        "sys.modules['kiwipiepy'] = None  # as if it were not installed\n"
        "from wegokg.cli.main import main\n"
        f"page, out = 'data/sources/{SEONGNAM[1]}', {str(tmp_path / 'x.ttl')!r}\n"
        "sys.exit(main(['draft', page, '-o', out]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and "pip install 'wegokg[curate]'" in result.stderr
    assert not (tmp_path / "x.ttl").exists()


def test_date_with_zone_and_publisher_given(scratch, tmp_path):
    page = tmp_path / "given.txt"
    page.write_text(OWN_PAGE, encoding="utf-8")
    out = tmp_path / "given.ttl"
    result = wegokg(
        "draft", str(page), "-o", str(out), "--date", "2024-03-05T09:30:00+09:00",
        "--publisher", "organization:newspim", "--format", "json", cwd=scratch,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    graph = Graph().parse(out, format="turtle")
    article = URIRef(ID + "source/newspim-2024-03-05")
    assert report["source"] == "source:newspim-2024-03-05"
    published = graph.value(article, URIRef(SCHEMA + "datePublished"))
    assert str(published) == "2024-03-05T09:30:00+09:00"
    assert graph.value(article, URIRef(SCHEMA + "publisher")) == URIRef(ID + "organization/newspim")
    (scratch / "data" / "sources" / "given.txt").unlink()  # the copy, for the other tests


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--date", "13 October", "--date '13 October'"),
        ("--publisher", "city:seoul", "not a wego:NewsPublisher"),
        ("--slug", "Not A Slug", "lower-case words"),
        ("--body-end", "no such line", "does not occur"),
    ],
)
def test_bad_options_get_one_line_and_leave_no_file(scratch, tmp_path, option, value, says):
    before = _listing(scratch)
    out = tmp_path / "out.ttl"
    result = wegokg("draft", f"data/sources/{SEONGNAM[1]}", "-o", str(out), option, value,
                    cwd=scratch)  # fmt: skip
    assert result.returncode == 2, result.stdout
    assert result.stderr.count("\n") == 1 and says in result.stderr
    assert not out.exists() and _listing(scratch) == before


def test_shared_names_are_listed_not_linked_even_in_a_repository_that_does_not_load(
    tmp_path, dataset_copy
):
    folder = dataset_copy
    curated = folder / "data" / "curated"
    (curated / "hanbit.ttl").write_text(
        "@prefix wego: <https://w3id.org/wegokg/ontology#> .\n"
        "@prefix city: <https://w3id.org/wegokg/id/city/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n"
        'city:hanbit-north\n    a wego:City ;\n    rdfs:label "Hanbit"@en, "한빛시"@ko ;\n.\n\n'
        'city:hanbit-south\n    a wego:City ;\n    rdfs:label "Hanbit-nam"@en, "한빛시"@ko ;\n.\n',
        encoding="utf-8",
    )
    (curated / "half-written.ttl").write_text("city:oops a wego:City ;\n", encoding="utf-8")
    page = tmp_path / "hanbit-page.txt"
    page.write_text(OWN_PAGE, encoding="utf-8")
    report, graph = drafted(folder, str(page))
    shared = [a for a in report["ambiguous"] if a["name"] == "한빛시"]
    assert len(shared) == 2  # the headline's and the lead's
    assert all(a["candidates"] == ["city:hanbit-north", "city:hanbit-south"] for a in shared)
    linked = {iri for iri, _ in linked_pairs(graph)}
    assert not {ID + "city/hanbit-north", ID + "city/hanbit-south"} & linked
    assert "한빛시" not in {u["name"] for u in report["unknown"]}
    written = (folder / report["output"]).read_text(encoding="utf-8")
    assert "# TODO shared name: '한빛시' at 27 could be city:hanbit-north, city:hanbit-south" in (
        written
    )


ENGLISH_PAGE = """\
Home | World | Cities
Sign in
Seongnam joins WeGO executive committee
By Jane Park
Published 2021-10-21

Seongnam, a city south of Seoul, was elected to the executive committee of the World Smart \
Sustainable Cities Organization on October 18. Seoul Mayor Oh Se-hoon opened the assembly at \
Dongdaemun Design Plaza. Representatives of Mexico City and Sao Paulo also attended.

The Hanbit Mobility Lab will advise the city.

jane@example.org
Copyright 2021 Example News. All rights reserved.
"""


def test_an_english_page_is_drafted_too(tmp_path, dataset_copy):
    folder = dataset_copy
    page = tmp_path / "english-page.txt"
    page.write_text(ENGLISH_PAGE, encoding="utf-8")
    report, graph = drafted(folder, str(page))
    assert report["language"] == "en"
    kept = ENGLISH_PAGE[report["extent"]["start"] : report["extent"]["end"]]
    assert kept.startswith("Seongnam joins") and "Copyright" not in kept and "Sign in" not in kept
    bodies = [exact for _, _, exact in quotes_of(graph).values()]
    assert "Seoul Mayor Oh Se-hoon opened the assembly at Dongdaemun Design Plaza." in bodies
    linked = {iri.removeprefix(ID) for iri, _ in linked_pairs(graph)}
    assert linked == {
        "city/seongnam", "city/seoul", "organization/wego", "person/oh-se-hoon",
        "place/dongdaemun-design-plaza", "city/mexico-city", "city/sao-paulo",
    }  # fmt: skip
    assert {u["name"] for u in report["unknown"]} == {"Jane Park", "Hanbit Mobility Lab"}
