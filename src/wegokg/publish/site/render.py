"""Render the site's pages (and the server's query page) from the Jinja2 templates in templates/,
with autoescape on: every value from the data is escaped unless it is marked as markup here.

The templates, the stylesheets and the search script are package data, so the wheel carries them.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources as package_files

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from wegokg.publish.site.layout import Page
from wegokg.publish.site.words import WORDS

SITE_NAME = {"en": "WeGO Knowledge Graph", "ko": "WeGO 지식 그래프"}
NAV = (
    ("index.html", "Home", "처음"),
    ("ontology.html", "Ontology", "온톨로지"),
    ("classes.html", "Classes", "클래스"),
    ("queries.html", "Queries", "질의"),
    ("search.html", "Search", "찾기"),
)
# The files of static/ that the site copies to its root, beside the pages that link them.
SITE_STATIC = ("style.css", "search.js")


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("wegokg.publish.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(WORDS=WORDS, SITE_NAME=SITE_NAME, NAV=NAV)
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


def render_page(template: str, page: Page, title_en: str, title_ko: str | None, **context) -> str:
    """A whole site page: ``template`` inside the frame, its links relative to ``page``."""
    title = title_en if not title_ko or title_ko == title_en else f"{title_en} · {title_ko}"
    context.setdefault("description", "")
    return render(template, href=page.href, title=title, **context)


def static_file(name: str) -> bytes:
    """One of the files in static/ (a stylesheet or a script), as bytes."""
    return package_files.files("wegokg.publish.site").joinpath("static", name).read_bytes()


def script_json(value: object) -> Markup:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` can close it."""
    raw = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
    return Markup(raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
