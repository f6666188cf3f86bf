"""HTML building blocks: escaping, bilingual text, safe links and the frame around every page.

Every value from the data goes through ``text()`` or ``attr()``, and an href is only ever a
relative path into the site or an http(s) IRI: anything else (``javascript:``, ``data:``) is shown
as text. Bilingual pairs carry ``class="bi"`` and their ``lang``; the language switch is three
radio buttons and a CSS rule, so it needs no script.
"""

from __future__ import annotations

import json
from html import escape

from wegokg.publish.site.layout import Page, is_web_link
from wegokg.publish.site.words import WORDS

SITE_NAME = {"en": "WeGO Knowledge Graph", "ko": "WeGO 지식 그래프"}


def text(value: object) -> str:
    return escape(str(value), quote=True)


def attr(value: object) -> str:
    return '"' + escape(str(value), quote=True) + '"'


def bi(en: str | None, ko: str | None, tag: str = "span") -> str:
    """A bilingual pair: both languages, each in its own element with its ``lang``.

    A name known in one language only is shown under both settings of the switch.
    """
    if en and ko:
        return (
            f'<{tag} class="bi" lang="en">{text(en)}</{tag}> '
            f'<{tag} class="bi" lang="ko">{text(ko)}</{tag}>'
        )
    only, lang = (en, "en") if en else (ko, "ko")
    return f'<{tag} lang="{lang}">{text(only or "")}</{tag}>'


def link(href: str, inner_html: str, *, outside: bool = False) -> str:
    """An ``<a>`` to a site-relative path, or to an http(s) IRI when ``outside``."""
    if outside and not is_web_link(href):
        return f"<code>{text(href)}</code>"
    rel = ' rel="external"' if outside else ""
    return f"<a href={attr(href)}{rel}>{inner_html}</a>"


def script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` can close it."""
    raw = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
    return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


NAV = (
    ("index.html", "Home", "처음"),
    ("ontology.html", "Ontology", "온톨로지"),
    ("classes.html", "Classes", "클래스"),
    ("queries.html", "Queries", "질의"),
    ("search.html", "Search", "찾기"),
)


def frame(
    page: Page,
    title_en: str,
    title_ko: str | None,
    body: str,
    *,
    head_extra: str = "",
    description: str = "",
) -> str:
    """A whole HTML document: head, header with navigation and language switch, body, footer."""
    title = title_en if not title_ko or title_ko == title_en else f"{title_en} · {title_ko}"
    nav = " ".join(link(page.href(target), bi(en, ko)) for target, en, ko in NAV)
    meta = f'\n<meta name="description" content={attr(description)}>' if description else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{text(title)} · {SITE_NAME["en"]}</title>{meta}
<link rel="stylesheet" href={attr(page.href("style.css"))}>
{head_extra}</head>
<body>
<input type="radio" name="lang" id="show-both" class="switch" checked>
<input type="radio" name="lang" id="show-en" class="switch">
<input type="radio" name="lang" id="show-ko" class="switch">
<header>
<p class="site">{link(page.href("index.html"), bi(SITE_NAME["en"], SITE_NAME["ko"]))}</p>
<nav aria-label="site">{nav}</nav>
<p class="langs">Language / 언어:
<label for="show-both">EN + 한국어</label>
<label for="show-en">English</label>
<label for="show-ko" lang="ko">한국어</label></p>
</header>
<main>
{body}
</main>
<footer>
<p>{say("data_and_vocabulary_under")}
<a href="https://creativecommons.org/licenses/by/4.0/" rel="external license">CC BY 4.0</a>.
{say("every_fact_names_its")}</p>
</footer>
</body>
</html>
"""


def say(key: str, tag: str = "span") -> str:
    """One of the site's fixed phrases (words.WORDS), in both languages."""
    en, ko = WORDS[key]
    return bi(en, ko, tag)
