"""Read a built site's HTML pages with the standard library's parser, for the site tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class ParsedPage:
    path: Path
    html_lang: str | None = None
    headings: list[int] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, value)
    ids: set[str] = field(default_factory=set)
    duplicate_ids: set[str] = field(default_factory=set)
    tags: list[tuple[str, dict]] = field(default_factory=list)
    scripts: list[tuple[str | None, str]] = field(default_factory=list)  # (type, content)
    text: str = ""


class _Reader(HTMLParser):
    def __init__(self, page: ParsedPage) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.chunks: list[str] = []
        self.script: tuple[str | None, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.page.tags.append((tag, attributes))
        if tag == "html":
            self.page.html_lang = attributes.get("lang")
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.page.headings.append(int(tag[1]))
        if "id" in attributes:
            if attributes["id"] in self.page.ids:
                self.page.duplicate_ids.add(attributes["id"])
            self.page.ids.add(attributes["id"])
        for name in ("href", "src", "action"):
            if name in attributes:
                self.page.links.append((tag, name, attributes[name] or ""))
        if tag == "script":
            self.script = (attributes.get("type"), [])

    def handle_endtag(self, tag):
        if tag == "script" and self.script is not None:
            self.page.scripts.append((self.script[0], "".join(self.script[1])))
            self.script = None

    def handle_data(self, data):
        if self.script is not None:
            self.script[1].append(data)
        else:
            self.chunks.append(data)


def parse_page(path: Path) -> ParsedPage:
    page = ParsedPage(path)
    reader = _Reader(page)
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    page.text = "".join(reader.chunks)
    return page


def parse_site(root: Path) -> dict[str, ParsedPage]:
    return {
        path.relative_to(root).as_posix(): parse_page(path) for path in sorted(root.rglob("*.html"))
    }
