"""The preview card of the reconciliation service in a real browser (Debian's chromium, driven by
Playwright), at the size OpenRefine gives its iframe: both of Seongnam's labels, its type and a
sourced fact are visible, with no console error. The screenshot goes to the artifacts folder, and
with WEGOKG_UPDATE_DOCS=1 also to docs/, where the README shows it."""

from __future__ import annotations

import os
import shutil
import urllib.parse

import pytest
from conftest import ROOT, require
from test_browser import CHROMIUM, FLAGS, korean_font_installed

from wegokg.core.namespaces import ID

pytestmark = [pytest.mark.server, pytest.mark.browser]

SCREENSHOT = ROOT / "docs" / "reconcile-preview-seongnam.png"


def test_the_preview_card_of_seongnam_shows_its_labels_type_and_a_sourced_fact(
    wegokg_server, artifacts
):
    require(CHROMIUM.is_file(), "Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    require(korean_font_installed(), "a Korean font, or Korean shows as blank (fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python (pip install -e '.[dev]')")
    manifest_preview = "/reconcile/preview?id=" + urllib.parse.quote(ID + "city/seongnam", safe="")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = chromium.new_page(viewport={"width": 400, "height": 180})
            problems = []
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(wegokg_server.url + manifest_preview)
            assert page.locator("h1").inner_text() == "Seongnam"
            assert page.locator(".subtitle").inner_text() == "성남시"
            assert page.locator(".type").inner_text() == "City"
            assert page.locator(".fact").is_visible()
            assert page.locator(".source a").inner_text().strip()
            shot = artifacts / SCREENSHOT.name
            page.screenshot(path=shot)
            assert problems == []
        finally:
            chromium.close()
    if os.environ.get("WEGOKG_UPDATE_DOCS") == "1":
        shutil.copyfile(shot, SCREENSHOT)
    assert SCREENSHOT.is_file(), "run once with WEGOKG_UPDATE_DOCS=1 to put the screenshot in docs/"
