"""The wegokg command: exit codes 0/1/2/3, located errors without tracebacks, and lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from support.inprocess import wegokg

WEGOKG = Path(sys.executable).with_name("wegokg")


def installed(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    """The installed command in a process of its own (the other tests run it in this process:
    see support/inprocess.py)."""
    return subprocess.run(
        [str(WEGOKG), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def imported_after(*args: str) -> set[str]:
    code = (
        "import sys\nfrom wegokg.cli.main import main\n"
        f"try:\n    main({list(args)!r})\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in ('rdflib', 'pyshacl', 'pyoxigraph', 'SPARQLWrapper')"
        " if m in sys.modules]\n"
        "print('LOADED:' + ' '.join(loaded), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    line = next(x for x in done.stderr.splitlines() if x.startswith("LOADED:"))
    return set(line.removeprefix("LOADED:").split())


def test_help_imports_neither_rdflib_nor_pyshacl():
    assert imported_after("--help") == set()


def test_a_query_does_not_import_pyshacl():
    assert "pyshacl" not in imported_after("query", "run", "host-city-bids", "--format", "csv")


@pytest.mark.parametrize(
    "args",
    [
        ("query", "run", "award-winners"),
        ("query", "run", "city-profile", "--param", "city=city:goyang", "--format", "json"),
        ("query", "list"),
        ("sparql", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"),
        ("sparql", "ASK { ?s ?p ?o }", "--format", "xml"),
    ],
)
def test_the_default_engine_runs_queries_without_rdflib(args):
    """Issue 13, 6(a): on the default engine the rows are pyoxigraph's, so neither rdflib nor
    pyshacl nor SPARQLWrapper is loaded (pyoxigraph is: the query did run)."""
    assert imported_after(*args) == {"pyoxigraph"}


def test_the_rdflib_engine_still_loads_rdflib():
    assert "rdflib" in imported_after("query", "run", "award-winners", "--engine", "rdflib")


def test_validate_passes_on_the_repository():
    done = wegokg("validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "The data conforms: 0 error(s), 0 warning(s)." in done.stdout


def test_validate_json_is_machine_readable():
    report = json.loads(wegokg("validate", "--format", "json").stdout)
    assert report["conforms"] is True and report["violations"] == []


def drop_seongnams_korean_label(repository: Path) -> Path:
    """Break the data: Seongnam loses its Korean label. Returns the file changed."""
    cities = repository / "data" / "curated" / "cities.ttl"
    text = cities.read_text(encoding="utf-8")
    cities.write_text(
        text.replace('rdfs:label "Seongnam"@en, "성남시"@ko ;', 'rdfs:label "Seongnam"@en ;'),
        encoding="utf-8",
    )
    return cities


def test_validate_exits_1_with_a_located_message_on_broken_data(checkout_copy):
    cities = drop_seongnams_korean_label(checkout_copy)
    done = wegokg("validate", cwd=checkout_copy)
    assert done.returncode == 1
    line = next(
        i
        for i, row in enumerate(cities.read_text(encoding="utf-8").splitlines(), 1)
        if row == "city:seongnam"
    )
    assert f"data/curated/cities.ttl:{line}: city:seongnam" in done.stdout
    assert "shape:LabelShape [rdfs:label]" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_turtle_syntax_error_exits_1_naming_file_and_line(checkout_copy):
    path = checkout_copy / "data" / "curated" / "countries.ttl"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = lines.index("country:malaysia") + 2  # the line after the subject
    lines[number - 1] = lines[number - 1].replace(" ;", "")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = wegokg("validate", cwd=checkout_copy)
    assert done.returncode == 1
    assert "countries.ttl:" in done.stderr and "Turtle syntax error" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unusable_shape_exits_3_with_the_reason(checkout_copy):
    rules = checkout_copy / "shapes" / "rules.ttl"
    text = rules.read_text(encoding="utf-8")
    spans = "BIND (?end - ?start AS ?span)"
    assert text.count(spans) == 1
    rules.write_text(text.replace(spans, "VALUES ?q { 1 }\n" + spans), encoding="utf-8")
    done = wegokg("validate", cwd=checkout_copy)
    assert done.returncode == 3
    assert "the SHACL shapes cannot be used" in done.stderr and "VALUES" in done.stderr
    assert "Traceback" not in done.stderr


def test_export_refuses_invalid_data_and_writes_nothing(checkout_copy):
    people = checkout_copy / "data" / "curated" / "people.ttl"
    people.write_text(
        people.read_text(encoding="utf-8").replace('"오세훈"@ko', '"오세훈"@ja'), encoding="utf-8"
    )
    done = wegokg("export", "-o", "out", cwd=checkout_copy)
    assert done.returncode == 1
    assert "nothing was exported" in done.stderr
    assert not (checkout_copy / "out").exists()


@pytest.mark.parametrize(
    "args,message",
    [
        (["frobnicate"], "invalid choice"),
        (["query", "run", "award-winner"], "Did you mean: award-winners?"),
        (["query", "run", "city-profile", "--param", "city"], "write --param NAME=VALUE"),
        (["query", "run", "city-profile", "--param", "city=not an iri"], "takes an IRI"),
        (["query", "run", "award-winners", "--engine", "jena"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2_with_a_message(args, message):
    done = wegokg(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unreachable_endpoint_exits_3():
    done = wegokg("query", "run", "award-winners", "--endpoint", "http://127.0.0.1:9/query")
    assert done.returncode == 3
    assert "did not answer" in done.stderr


def test_query_list_and_show():
    listing = wegokg("query", "list").stdout
    assert "conflicting-claims" in listing and "Where do the sources disagree?" in listing
    assert "출처끼리 어긋나는 내용은 무엇인가?" in wegokg("query", "list", "--lang", "ko").stdout
    assert (
        "# param: city (iri, default city:seongnam)"
        in wegokg("query", "show", "city-profile").stdout
    )


def test_query_run_table_uses_labels_in_the_chosen_language():
    english = wegokg("query", "run", "host-city-bids").stdout
    korean = wegokg("query", "run", "host-city-bids", "--lang", "ko").stdout
    assert "Mexico City" in english and "São Paulo" in english
    assert "멕시코시티" in korean and "상파울루" in korean


def test_lang_also_chooses_the_language_of_a_query_with_a_lang_parameter():
    korean = wegokg("query", "run", "aims-and-themes", "--lang", "ko", "--format", "csv").stdout
    assert "지속가능한 발전 모색" in korean and "WeGO aims to seek" not in korean
    english = wegokg(
        "query", "run", "aims-and-themes", "--lang", "ko", "--param", "lang=en", "--format", "csv"
    ).stdout
    assert "WeGO aims to seek sustainable development" in english


def test_korean_tables_name_the_attendance_modes_in_korean():
    korean = wegokg("query", "run", "participants", "--lang", "ko").stdout
    assert "온라인" in korean and "AttendanceMode" not in korean


def test_query_run_gives_sparql_json_on_every_embedded_engine():
    outputs = [
        json.loads(
            wegokg(
                "query", "run", "executive-committee", "--engine", engine, "--format", "json"
            ).stdout
        )
        for engine in ("rdflib", "oxigraph")
    ]
    assert outputs[0] == outputs[1]
    assert outputs[0]["results"]["bindings"][1]["term"]["value"].endswith("/term/wego-6th-term")


def test_stats_reports_coverage():
    out = wegokg("stats").stdout
    assert "facts with a source and a quote: " in out and "(100%)" in out
    assert "source:newspim-2021-10-13" in out


def test_quote_prints_the_offsets_of_a_passage():
    done = wegokg("quote", "data/sources/004_5b0afd051804e015.txt", "만장일치로")
    assert done.returncode == 0
    text = (ROOT / "data/sources/004_5b0afd051804e015.txt").read_text(encoding="utf-8")
    start = text.index("만장일치로")
    assert done.stdout.splitlines()[:2] == [f"oa:start {start} ;", f"oa:end {start + 5} ;"]
    assert wegokg("quote", "data/sources/004_5b0afd051804e015.txt", "not there").returncode == 1


def test_fmt_check_passes_on_the_repository():
    done = wegokg("fmt", "--check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_tour_validates_and_shows_queries():
    done = wegokg("tour")
    assert done.returncode == 0
    assert "The data conforms" in done.stdout
    assert "Where do the sources disagree?" in done.stdout


@pytest.mark.parametrize(
    "args,status,message",
    [
        (["validate"], 1, "shape:LabelShape [rdfs:label]"),
        (["frobnicate"], 2, "invalid choice"),
        (["query", "run", "award-winners", "--endpoint", "http://127.0.0.1:9/q"], 3, "did not"),
    ],
    ids=["invalid data", "usage", "endpoint down"],
)
def test_the_installed_command_exits_with_the_status_and_prints_no_traceback(
    checkout_copy, args, status, message
):
    drop_seongnams_korean_label(checkout_copy)
    done = installed(*args, cwd=checkout_copy)
    assert done.returncode == status, done.stdout + done.stderr
    assert message in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
