"""Checks of IRIs and endpoint URLs, at the boundary where a user hands them in.

``iri_problem`` checks the character classes of the IRI grammar of RFC 3987 (section 2.2): a
scheme, then only characters an IRI may hold. ``endpoint_problem`` adds what a SPARQL endpoint
needs: an absolute http(s) URL with a host. Both return a sentence saying what is wrong, or None,
so that each caller raises the error type of its own layer.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Seconds a call to an endpoint may take in all, unless --timeout says otherwise (kept here, beside
# the endpoint check, so that building the command line does not load the HTTP client).
DEFAULT_TIMEOUT = 30.0
# Megabytes a query worker may use beyond the loaded data, unless --max-memory says otherwise.
DEFAULT_MAX_MEMORY_MB = 2048

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_HEX = "0123456789abcdefABCDEF"
# unreserved, gen-delims and sub-delims of RFC 3986/3987; "%" is checked on its own.
_ASCII_ALLOWED = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;="
)
# ucschar of RFC 3987; iprivate is allowed only in the query part.
_UCSCHAR = (
    (0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF), (0x10000, 0x1FFFD), (0x20000, 0x2FFFD),
    (0x30000, 0x3FFFD), (0x40000, 0x4FFFD), (0x50000, 0x5FFFD), (0x60000, 0x6FFFD),
    (0x70000, 0x7FFFD), (0x80000, 0x8FFFD), (0x90000, 0x9FFFD), (0xA0000, 0xAFFFD),
    (0xB0000, 0xBFFFD), (0xC0000, 0xCFFFD), (0xD0000, 0xDFFFD), (0xE1000, 0xEFFFD),
)  # fmt: skip
_IPRIVATE = ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))


def iri_problem(value: str) -> str | None:
    """What makes ``value`` not an absolute IRI (RFC 3987), or None if it is one."""
    if not _SCHEME.match(value):
        return "it does not start with a scheme such as https:"
    if value.count("#") > 1:
        return "it has more than one '#'"
    for position, char in enumerate(value):
        code = ord(char)
        if char == "%":
            if len(value) < position + 3 or not all(
                c in _HEX for c in value[position + 1 : position + 3]
            ):
                return f"the '%' at position {position} is not followed by two hex digits"
        elif code < 0x80:
            if char not in _ASCII_ALLOWED:
                return f"it contains {_describe(char)} at position {position}"
        elif _within(code, _UCSCHAR) or (_within(code, _IPRIVATE) and _in_query(value, position)):
            continue
        else:
            return f"it contains {_describe(char)} at position {position}"
    return None


# IRI schemes that a parameter's value may use as they are; any other ``word:`` before the first
# colon must be one of the project's prefixes (a mistyped prefix is not taken as a scheme).
KNOWN_SCHEMES = frozenset(
    {"http", "https", "urn", "mailto", "tag", "data", "ftp", "file", "tel", "geo", "doi", "info"}
)


def endpoint_problem(url: str, what: str = "the endpoint") -> str | None:
    """What makes ``url`` unusable as a SPARQL endpoint (or as ``what``, such as a site's
    address), or None: only absolute http(s) URLs that are valid IRIs, with a host."""
    if problem := iri_problem(url):
        return f"{url!r} is not a valid IRI: {problem}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError as error:
        return f"{url!r} is not a valid URL: {error}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{url!r} is not an http(s) URL; give {what} as http://host/path"
    if not parts.hostname:
        return f"{url!r} names no host; give {what} as http://host/path"
    if not re.fullmatch(r"[\w.-]+|[0-9a-f:.]*:[0-9a-f:.]*", parts.hostname):
        return (
            f"{url!r} has a host name that is not one ({parts.hostname!r}); give {what} as "
            "http://host/path"
        )
    return None


def _in_query(value: str, position: int) -> bool:
    query_at, fragment_at = value.find("?"), value.find("#")
    return -1 < query_at < position and (fragment_at == -1 or position < fragment_at)


def _within(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _describe(char: str) -> str:
    import unicodedata

    name = unicodedata.name(char, "")
    if not name and unicodedata.category(char) == "Cc":
        name = "(a control character)"
    return f"U+{ord(char):04X} {name}".rstrip()
