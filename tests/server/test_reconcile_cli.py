"""`wegokg reconcile FILE --column NAME`: the reconciliation columns beside the names, extended
properties each with its source, every other cell kept, ambiguous and unknown names marked and
never guessed, TSV and Excel's UTF-8 CSV with a byte-order mark read and written back alike, and
the input never touched."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest
from conftest import ROOT

from wegokg.cli.main import main
from wegokg.core.namespaces import ID
from wegokg.core.repository import Repository
from wegokg.server.reconcile.service import ReconcileService
from wegokg.server.reconcile.spreadsheet import reconcile_file

CITY, SOURCE = ID + "city/", ID + "source/"
FIXTURE = ROOT / "tests" / "fixtures" / "reconcile" / "jeju-province-and-a-second-country.ttl"
MIXED = (
    "id,city,note\r\n"
    '1,Seongnam-si,"first, with a comma"\r\n'
    "2,성남,\r\n"
    "3,SAO PAULO,third\r\n"
    "4,조지타운,fourth\r\n"
    "5,Atlantis,fifth\r\n"
    "6,,sixth\r\n"
)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows_of(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))


def test_a_csv_of_mixed_korean_and_english_names_gets_the_expected_columns(tmp_path, capsys):
    source = tmp_path / "cities.csv"
    source.write_bytes(b"\xef\xbb\xbf" + MIXED.encode())  # as Excel saves "CSV UTF-8"
    before = digest(source)
    out = tmp_path / "out.csv"
    code, _, err = run(capsys, "reconcile", source, "--column", "city", "--type", "City",
                       "--extend", "country,wikidata", "-o", out)  # fmt: skip
    assert code == 0, err
    assert "6 rows: 4 matched, 0 ambiguous, 1 unmatched, 1 empty" in err
    assert digest(source) == before, "the input file was changed"
    written = out.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf") and b"\r\n" in written
    text = written.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header == ["id", "city", "wegokg_iri", "wegokg_label", "score", "match", "country",
                      "country_source", "wikidata", "wikidata_source", "note"]  # fmt: skip
    rows = rows_of(text)
    assert [(r["id"], r["city"], r["note"]) for r in rows] == [
        tuple(r.values()) for r in rows_of(MIXED)
    ]
    by_id = {r["id"]: r for r in rows}
    assert (by_id["1"]["wegokg_iri"], by_id["1"]["wegokg_label"]) == (CITY + "seongnam", "Seongnam")
    assert (by_id["2"]["wegokg_iri"], by_id["2"]["wegokg_label"]) == (CITY + "seongnam", "성남시")
    assert (by_id["3"]["wegokg_iri"], by_id["3"]["wegokg_label"]) == (
        CITY + "sao-paulo",
        "São Paulo",
    )
    assert (by_id["4"]["wegokg_iri"], by_id["4"]["wegokg_label"]) == (
        CITY + "george-town",
        "조지타운",
    )
    assert all(by_id[i]["match"] == "matched" and by_id[i]["score"] == "100" for i in "1234")
    assert by_id["1"]["country"] == "South Korea"
    assert by_id["2"]["country"] == "대한민국"  # the label in the language of the row's name
    assert by_id["1"]["country_source"] == SOURCE + "seongnam-2021-10-20"
    assert by_id["1"]["wikidata"] == "Q42108"
    assert by_id["1"]["wikidata_source"] == SOURCE + "external-ids"
    assert by_id["5"]["match"] == "unmatched" and by_id["5"]["wegokg_iri"] == ""
    assert by_id["6"]["match"] == "" and by_id["6"]["wegokg_iri"] == ""


def test_a_tsv_file_is_read_and_written_as_tsv(tmp_path, capsys):
    source = tmp_path / "names.tsv"
    source.write_text("name\tyear\nGoyang\t2021\n고양시\t2020\n", encoding="utf-8")
    code, out, err = run(capsys, "reconcile", source, "--column", "name")
    assert code == 0, err
    rows = rows_of(out, "\t")
    assert [(r["name"], r["year"], r["wegokg_iri"]) for r in rows] == [
        ("Goyang", "2021", CITY + "goyang"),
        ("고양시", "2020", CITY + "goyang"),
    ]


def test_an_ambiguous_name_is_marked_with_its_candidates_and_not_guessed(tmp_path):
    service = ReconcileService.from_repository(Repository(ROOT, extra_files=[FIXTURE]))
    source = tmp_path / "jeju.csv"
    source.write_text("name\nJeju\n", encoding="utf-8")
    text, summary = reconcile_file(source, "name", service)
    [row] = rows_of(text)
    assert row["wegokg_iri"] == "" and row["wegokg_label"] == ""
    assert row["match"].startswith("ambiguous: ")
    assert "city:jeju" in row["match"] and "place:jeju-province" in row["match"]
    assert summary.counts["ambiguous"] == 1
    text, _ = reconcile_file(source, "name", service, type_name="City")
    assert rows_of(text)[0]["wegokg_iri"] == CITY + "jeju"


def test_a_misspelt_name_is_unmatched_with_its_nearest_candidate(tmp_path, capsys):
    source = tmp_path / "typo.csv"
    source.write_text("name\nSeongnma\n", encoding="utf-8")
    code, out, _ = run(capsys, "reconcile", source, "--column", "name")
    [row] = rows_of(out)
    assert code == 0
    assert row["wegokg_iri"] == ""
    assert row["match"] == "unmatched: nearest city:seongnam (Seongnam)"
    assert 75 <= float(row["score"]) < 100


@pytest.mark.parametrize(
    "args, message",
    [
        (["--column", "town"], "no column 'town'; the columns are: 'name'"),
        (["--column", "name", "--type", "Planet"], "no class is named 'Planet'"),
        (["--column", "name", "--extend", "population"], "--extend 'population' is not a property"),
    ],
)
def test_bad_options_exit_2_with_one_line_and_write_nothing(tmp_path, capsys, args, message):
    source = tmp_path / "in.csv"
    source.write_text("name\nSeongnam\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code, stdout, err = run(capsys, "reconcile", source, *args, "-o", out)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert stdout == "" and not out.exists()


def test_the_input_is_never_the_output(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text("name\nSeongnam\n", encoding="utf-8")
    before = digest(source)
    code, _, err = run(capsys, "reconcile", source, "--column", "name", "-o", source)
    assert code == 2 and "is the input file" in err
    assert digest(source) == before


def test_a_file_that_is_not_utf8_is_refused(tmp_path, capsys):
    source = tmp_path / "latin1.csv"
    source.write_bytes("name\nSão Paulo\n".encode("latin-1"))
    code, _, err = run(capsys, "reconcile", source, "--column", "name")
    assert code == 2 and "is not UTF-8" in err


def test_a_file_reconciled_twice_is_refused(tmp_path, capsys):
    source = tmp_path / "again.csv"
    source.write_text("name,wegokg_iri\nSeongnam,\n", encoding="utf-8")
    code, _, err = run(capsys, "reconcile", source, "--column", "name")
    assert code == 2 and "already has the column(s) wegokg_iri" in err


def test_the_readme_example_prints_what_the_readme_shows(capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = ".venv/bin/wegokg reconcile docs/examples/cities.csv --column city --type City "
    command += "--extend country,wikidata"
    assert f"```sh\n{command}\n```" in readme
    shown = readme.split(f"{command}\n```\n\n```\n", 1)[1].split("```", 1)[0]
    code, out, err = run(capsys, "reconcile", ROOT / "docs/examples/cities.csv", "--column", "city",
                         "--type", "City", "--extend", "country,wikidata")  # fmt: skip
    assert code == 0
    assert shown == out + err
