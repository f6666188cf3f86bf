"""Accept headers and the document each must get (None: 406 Not Acceptable), by the rule of
wegokg.publish.negotiation. The same matrix is asked of the table, of the generated patterns run in
Python, and of wegokg serve, nginx and Apache httpd."""

from __future__ import annotations

CHROME = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,"
    "*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

ACCEPT_MATRIX: list[tuple[str | None, str | None]] = [
    # No header, an empty one, anything.
    (None, "html"),
    ("", "html"),
    ("*/*", "html"),
    # Browsers.
    (FIREFOX, "html"),
    (CHROME, "html"),
    # One type.
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("TEXT/Turtle", "ttl"),
    # q-values decide, not the order.
    ("text/turtle;q=0.5, text/html", "html"),
    ("text/turtle;q=0.5, application/ld+json", "jsonld"),
    ("application/ld+json;q=0.9, text/turtle", "ttl"),
    ("text/turtle;q=1.0, application/rdf+xml;q=0.5, text/html;q=0.1", "ttl"),
    ("text/turtle;q=0.333, application/ld+json;q=0.334", "jsonld"),
    ("text/turtle;Q=0.3, application/n-triples;q=0.2", "ttl"),
    ("text/turtle, application/ld+json;q=0.9, */*;q=0.1", "ttl"),
    ("application/ld+json, text/html;q=0.5", "jsonld"),
    # Wildcards, and a named type over a wildcard.
    ("text/*", "html"),
    ("application/*", "jsonld"),
    ("text/*, text/html;q=0.1", "ttl"),
    ("text/*;q=0.5, application/ld+json;q=0.4", "html"),
    ("application/*, text/turtle;q=0.9", "jsonld"),
    ("*/*;q=0.1, application/n-triples", "nt"),
    ("application/ld+json, */*", "jsonld"),
    ("*/*, application/n-triples", "nt"),
    ("text/turtle;q=0, */*", "html"),
    ("text/html;q=0, */*", "ttl"),
    # Equal q and equal specificity: the table's order (HTML, Turtle, JSON-LD, N-Triples).
    ("application/ld+json, text/turtle", "ttl"),
    ("application/n-triples, application/ld+json", "jsonld"),
    # Parameters other than q change nothing; spaces are allowed around ';' and ','.
    ('application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"', "jsonld"),
    ("text/turtle;charset=utf-8;q=0.8, application/ld+json;q=0.7", "ttl"),
    ("text/html;level=1;q=0.2, text/turtle;q=0.1", "html"),
    ("  text/turtle  ;  q=0.5 ,application/n-triples;q=0.25", "ttl"),
    ("text/turtle;q=0.5;ext=1, application/ld+json;q=0.4", "ttl"),
    # A type listed twice: the first counts.
    ("text/turtle;q=0.1, text/turtle, application/n-triples;q=0.5", "nt"),
    # Types the site does not serve, a misspelt one, an invalid q: ignored.
    ("application/rdf+xml, text/turtle;q=0.9", "ttl"),
    ("application/json, application/ld+json", "jsonld"),
    ("text/turtles, application/n-triples;q=0.5", "nt"),
    ("text/turtle;q=2, application/n-triples;q=0.1", "nt"),
    ("text/turtle;q=0.5000, application/ld+json;q=0.01", "jsonld"),
    # Nothing acceptable: 406.
    ("application/rdf+xml", None),
    ("image/png", None),
    ("text/turtle;q=0", None),
    ("text/turtle;q=2", None),
    ("*/*;q=0", None),
]
