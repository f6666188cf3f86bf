"""The one check of IRIs and endpoint URLs: is this a usable IRI, and if not, why.

``iri_problem`` reads an absolute IRI by the grammar of RFC 3987 (section 2.2): it names the
first character outside the IRI's character classes itself, then lets pyoxigraph's parser
(oxiri, the one every engine here uses) judge the structure, such as ``]`` outside a host. The
project adds two rules: no relative references (nothing resolves them the same way everywhere),
and no space or invisible character (RFC 3987 allows some, as ucschar, but in a hand-written IRI
they are typing accidents). Loaded data keeps its invisible characters (``allow_invisible``):
the quality check shapes/checks/invisible-character-in-iri.rq reports them with their place.
``endpoint_problem`` adds what a SPARQL endpoint needs: an absolute http(s) URL with a host.
Both return a sentence saying what is wrong, or None, so that each caller raises the error type
of its own layer.
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
_SCHEME_AND_MORE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S")
# The usual IRI, all of whose characters are plainly allowed: the character loop can be skipped.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*")
# Spaces and invisible characters that RFC 3987 allows (as ucschar) but no one types on purpose:
# the same class as the quality check shapes/checks/invisible-character-in-iri.rq.
INVISIBLE = re.compile("[\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]")
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


def iri_problem(value: str, allow_invisible: bool = False) -> str | None:
    """What makes ``value`` not a usable absolute IRI (RFC 3987 and the project's rules, see the
    module), or None if it is one."""
    if is_relative(value):
        return "it does not start with a scheme such as https:"
    if value.count("#") > 1:
        return "it has more than one '#'"
    if not _PLAIN.fullmatch(value) and (problem := _character_problem(value, allow_invisible)):
        return problem
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(value)
    except ValueError as error:
        return str(error)
    return None


def is_iri(value: str, allow_invisible: bool = False) -> bool:
    """Whether ``value`` is a usable absolute IRI (``iri_problem`` finds nothing)."""
    return iri_problem(value, allow_invisible) is None


def is_relative(value: str) -> bool:
    """Whether ``value`` is a relative reference: it does not start with a scheme."""
    return _SCHEME.match(value) is None


def looks_like_iri(value: str) -> bool:
    """``<…>``, ``scheme:…`` or ``prefix:…``: text meant as an IRI (maybe a faulty one), not as
    a resource's name."""
    return value.startswith("<") or _SCHEME_AND_MORE.match(value) is not None


def _character_problem(value: str, allow_invisible: bool) -> str | None:
    for position, char in enumerate(value):
        if not allow_invisible and INVISIBLE.match(char):
            return f"it contains {_describe(char)} at position {position}"
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
