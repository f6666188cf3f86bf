"""The site, the query page and the preview card are rendered from Jinja2 templates with
autoescape; no module of the package writes HTML in a Python string, and scripts and stylesheets
are files of their own."""

from __future__ import annotations

import re

from conftest import ROOT

from wegokg.publish.site.layout import Page
from wegokg.publish.site.render import environment, render_page, static_file

PACKAGE = ROOT / "src" / "wegokg"
# An element written out in Python: the start of a tag that the pages use, in code or a string.
# (Not <head> or <link>, which the SPARQL XML results format has too.)
ELEMENT = re.compile(
    r"<(html|body|div|p|a|span|table|thead|tbody|tr|th|td|ul|ol|li|dl|dt|dd|h[1-6]|section|"
    r"blockquote|form|input|label|textarea|button|nav|header|footer|main|meta|style|img)[\s>/]"
)


def test_no_module_of_the_package_writes_html():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ELEMENT.search(line)
    ]
    assert found == []


def test_templates_escape_every_value_by_default():
    assert environment().autoescape is True
    page = render_page(
        "classes.html",
        Page("classes.html"),
        '<script>alert("title")</script>',
        None,
        classes=[{"href": "x.html", "en": "<b>bold</b>", "ko": None, "short": "&", "count": 1}],
    )
    assert "<script>alert" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(" in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert '<td class="iri">&amp;</td>' in page


def test_scripts_and_stylesheets_are_files_of_their_own():
    for name in ("style.css", "search.js", "query.css", "reconcile-preview.css"):
        assert static_file(name).strip()
    templates = (PACKAGE / "site" / "templates").glob("*.html")
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert "<style" not in text, template.name
        # Only JSON data blocks and scripts loaded from a file.
        for tag in re.findall(r"<script[^>]*>", text):
            assert 'type="application/' in tag or "src=" in tag, (template.name, tag)
