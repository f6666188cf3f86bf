"""A visitor in a real browser: headless Chromium (Debian's chromium, driven by Playwright) opens
the site that 'wegokg serve' builds and serves, searches for 성남, follows the link to Seongnam's
page, reads its facts in both languages with the quote behind each, runs a stored query on the
query page, and meets no console error on the way. Screenshots go to the artifacts folder."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, free_port, require
from support.wegokg_server import running

from wegokg.query.catalog import QueryCatalog
from wegokg.query.engines import RdflibEngine

pytestmark = [pytest.mark.server, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
# Without these, Chromium tries to reach Google's services and fails noisily on a closed network.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]  # fmt: skip
HANGUL = re.compile("[\uac00-\ud7a3]")
LATIN = re.compile("[A-Za-z]")


def korean_font_installed() -> bool:
    if not shutil.which("fc-list"):
        return False
    listed = subprocess.run(["fc-list", ":lang=ko"], capture_output=True, text=True, timeout=60)
    return bool(listed.stdout.strip())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """'wegokg serve' with no --site: it builds the site of the data itself."""
    with running(free_port(), tmp_path_factory.mktemp("browser")) as running_server:
        yield running_server


@pytest.fixture(scope="module")
def browser():
    require(CHROMIUM.is_file(), "Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    require(korean_font_installed(), "a Korean font, or Korean shows as blank (fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records every console error and uncaught exception."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="ko-KR")
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda m: m.type == "error" and tab.problems.append(f"{m.text} {m.location}"))
    tab.on("pageerror", lambda error: tab.problems.append(f"uncaught: {error}"))
    yield tab
    context.close()


def test_a_visitor_finds_seongnam_and_reads_its_facts_with_their_quotes(page, server, artifacts):
    page.goto(server.url + "/")
    assert page.locator("h1").count() == 1
    page.screenshot(path=artifacts / "browser-home.png", full_page=True)

    page.fill("#q", "성남")
    page.locator("form[role=search] button").first.click()
    page.wait_for_selector("#results a")
    page.screenshot(path=artifacts / "browser-search.png", full_page=True)

    page.locator('#results a[href$="id/city/seongnam.html"]').click()
    page.wait_for_url("**/id/city/seongnam.html")
    heading = page.locator("h1")
    assert "Seongnam" in heading.locator('[lang="en"]').inner_text()
    assert "성남" in heading.locator('[lang="ko"]').inner_text()

    rows = [r.inner_text() for r in page.locator("table tbody tr").all() if r.is_visible()]
    assert any(HANGUL.search(r) for r in rows), "no fact is shown in Korean"
    assert any(LATIN.search(r) for r in rows), "no fact is shown in English"

    claims = page.locator("ul.incoming > li:has(dl.qualifiers)").all()
    assert len(claims) >= 3
    for claim in claims:
        quote = claim.locator(".evidence blockquote p").first
        assert quote.is_visible(), f"no visible quote for: {claim.inner_text()[:80]}"
        assert quote.inner_text().strip(), f"an empty quote for: {claim.inner_text()[:80]}"
    page.screenshot(path=artifacts / "browser-seongnam.png", full_page=True)
    assert page.problems == []


def test_the_query_page_runs_a_stored_query_and_shows_its_rows(page, server, dataset, artifacts):
    stored = QueryCatalog.from_folder(ROOT / "queries").get("award-winners")
    page.goto(server.url + "/query")
    page.get_by_role("link", name=stored.title, exact=True).click()
    page.wait_for_selector("#answer")
    expected = RdflibEngine(dataset).select(stored.render())
    assert page.locator("table tbody tr").count() == len(expected.rows) > 0
    assert page.locator("textarea#query").input_value().strip() == stored.render().strip()
    page.screenshot(path=artifacts / "browser-query.png", full_page=True)
    assert page.problems == []
