"""Options and values (issue 16, section 2): every numeric option refuses nan, inf, 0 and negative
values through one argparse type; every URL option uses the --endpoint check; a mistyped prefix in
a parameter is named, with the known prefixes."""

from __future__ import annotations

import pytest
from support.inprocess import wegokg

from wegokg.core.errors import UsageError
from wegokg.publish.upload import Store

NUMERIC_OPTIONS = {
    # (a --site that does not exist stops serve, were the value accepted, instead of serving)
    "serve --timeout": ["serve", "--site", "/nonexistent", "--timeout"],
    "serve --workers": ["serve", "--site", "/nonexistent", "--workers"],
    "serve --max-rows": ["serve", "--site", "/nonexistent", "--max-rows"],
    "search --limit": ["search", "seongnam", "--limit"],
    "validate --max-violations": ["validate", "--max-violations"],
    "query run --timeout": ["query", "run", "award-winners", "--timeout"],
    "sparql --timeout": ["sparql", "ASK {}", "--timeout"],
    "load --timeout": ["load", "--endpoint", "http://127.0.0.1:9/", "--timeout"],
}


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1"])
@pytest.mark.parametrize("option", NUMERIC_OPTIONS.values(), ids=NUMERIC_OPTIONS.keys())
def test_every_numeric_option_refuses_values_that_are_not_positive_numbers(option, value):
    done = wegokg(*option[:-1], f"{option[-1]}={value}")  # = so that -inf is not an option
    assert done.returncode == 2, done.stderr
    assert f"not {value!r}" in done.stderr and "Traceback" not in done.stderr


def test_search_limit_minus_one_is_refused_not_miscounted():
    done = wegokg("search", "seongnam", "--limit", "-1")
    assert done.returncode == 2 and "more;" not in done.stdout


@pytest.mark.parametrize("url", ["not a url", "sparql", "ftp://example.org/", "https://"])
def test_site_refuses_a_site_url_that_is_not_an_http_url(tmp_path, url):
    done = wegokg("site", "-o", str(tmp_path / "site"), "--site-url", url)
    assert done.returncode == 2 and "--site-url" in done.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    "arguments",
    [
        ["--endpoint", "http://x y/"],
        ["--endpoint", "http://x%20y/"],
        ["--endpoint", "http://127.0.0.1:9/", "--graph-store", "http://x y/"],
        ["--endpoint", "http://127.0.0.1:9/", "--update", "sparql"],
    ],
    ids=["endpoint", "endpoint-escaped-host", "graph-store", "update"],
)
def test_load_refuses_an_invalid_url_as_a_usage_error(arguments):
    done = wegokg("load", *arguments)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr


def test_a_store_checks_its_url_as_an_endpoint_is_checked():
    with pytest.raises(UsageError, match="not a valid IRI"):
        Store("http://x y/")
    assert Store("http://127.0.0.1:7878/store").url == "http://127.0.0.1:7878/store"


def test_a_mistyped_prefix_in_a_parameter_is_named_with_the_known_ones():
    done = wegokg("query", "run", "city-profile", "--param", "city=nope:seongnam")
    assert done.returncode == 2
    assert "prefix nope: is unknown" in done.stderr
    assert "city, concept" in done.stderr  # the known prefixes, listed


@pytest.mark.parametrize("value", ["city:seongnam", "<nope:seongnam>", "urn:x-wegokg:nowhere"])
def test_a_known_prefix_a_bracketed_iri_and_a_urn_are_still_taken(value):
    done = wegokg("query", "run", "city-profile", "--param", f"city={value}", "--format", "csv")
    assert done.returncode == 0, done.stderr
