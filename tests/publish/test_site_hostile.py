"""Hostile data stays inert in the site: names, quotes and query texts that contain <script>,
"><img onerror=…>, quotes and & show as text, and javascript: IRIs are never links.

The fixture tests/fixtures/site/hostile.trig is a few statements, each trying one trick."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from conftest import ROOT
from rdflib import Dataset
from support.site_pages import parse_site

from wegokg.publish.site import build_site
from wegokg.publish.site.pages import SEARCH_SCRIPT
from wegokg.query.catalog import QueryCatalog

FIXTURES = ROOT / "tests" / "fixtures" / "site"
HOSTILE_TEXTS = [
    "<script>alert('label')</script>",
    '"><img src=x onerror=alert(1)>',
    'Tom & "Jerry" \'s',
    "</script><script>alert('quote')</script> & \"quoted\"",
    "Article </script><script>alert(2)</script>",
    "claim & <em>co</em>",
    "Names <script>alert('title')</script>",
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    dataset = Dataset(default_union=True)
    dataset.parse(FIXTURES / "hostile.trig", format="trig")
    out = tmp_path_factory.mktemp("hostile") / "site"
    build_site(
        dataset,
        out,
        catalog=QueryCatalog.from_folder(FIXTURES / "queries"),
        version="0.0.0",
    )
    return out


@pytest.fixture(scope="module")
def hostile_pages(hostile_site):
    return parse_site(hostile_site)


def test_hostile_names_and_quotes_show_as_text(hostile_pages):
    shown = "\n".join(page.text for page in hostile_pages.values())
    for hostile in HOSTILE_TEXTS:
        assert hostile in shown, hostile


def test_no_hostile_markup_becomes_an_element_or_attribute(hostile_pages):
    for name, page in hostile_pages.items():
        tags = {tag for tag, _ in page.tags}
        assert not tags & {"img", "iframe", "em", "b"}, name
        for tag, attributes in page.tags:
            handlers = [a for a in attributes if a.startswith("on")]
            assert not handlers, f"{name}: <{tag}> has {handlers}"


def test_the_only_scripts_are_json_and_the_search_script(hostile_pages, hostile_site):
    for name, page in hostile_pages.items():
        for kind, content in page.scripts:
            if kind in ("application/ld+json", "application/json"):
                json.loads(content)  # still one whole JSON value: nothing closed the element
            else:
                assert content == "", name  # no inline code: the search script is a file
        sources = [value for tag, attribute, value in page.links if tag == "script"]
        assert sources in ([], ["search.js"]), name
    assert (hostile_site / "search.js").read_text(encoding="utf-8") == SEARCH_SCRIPT


def test_embedded_json_ld_keeps_the_hostile_text_as_data(hostile_pages):
    page = hostile_pages["id/quote/hostile.html"]
    (content,) = [c for kind, c in page.scripts if kind == "application/ld+json"]
    assert "</script>" not in content
    assert "</script><script>alert('quote')</script>" in json.dumps(
        json.loads(content), ensure_ascii=False
    )


def test_javascript_iris_are_shown_but_never_linked(hostile_pages):
    seen_as_text = False
    for page in hostile_pages.values():
        for _, _, value in page.links:
            assert urlsplit(value).scheme in ("", "http", "https"), value
        seen_as_text |= "javascript:alert(document.cookie)" in page.text
    assert seen_as_text


def test_a_hostile_language_tag_stays_inside_its_attribute(hostile_pages):
    page = hostile_pages["id/quote/hostile.html"]
    langs = {a.get("lang") for tag, a in page.tags if tag == "blockquote"}
    assert langs == {'ko" onmouseover="alert(3)'}
