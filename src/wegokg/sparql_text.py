"""What a SPARQL query's text shows before any parser reads it: its code, with strings, IRIs and
comments blanked (the keywords a read-only, offline engine must refuse are found there), and how
deeply it nests.

A parser descends once per level of ``{``, ``(`` and ``[``: pyoxigraph's crashes the process
(SIGSEGV) on 3,000 braces, its blank-node lists take seconds past 100 levels, and rdflib's runs
out of Python stack near 30. So a query nested deeper than ``MAX_NESTING`` is refused on every
engine before it is parsed. The scanner errs towards counting: it never hides a bracket that
some engine reads as one (SPARQL 1.1 Query, section 19.8 "Grammar", for the tokens it skips).
"""

from __future__ import annotations

import re

from wegokg.errors import UsageError

MAX_NESTING = 64
"""The deepest nesting of ``{``, ``(`` and ``[`` together that a query may have."""

# Section 19.2: \\uXXXX and \\UXXXXXXXX may stand for any character anywhere in a query, and
# rdflib expands them before it parses (pyoxigraph only inside IRIs and strings).
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Sections 19.8 [139] IRIREF and [156]-[159] the four string forms.
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRINGS = {  # written as "unrolled loops", which a regular expression runs without backtracking
    '"""': re.compile(r'"""[^"\\]*+(?:(?:\\.|"(?!""))[^"\\]*+)*+"""', re.DOTALL),
    "'''": re.compile(r"'''[^'\\]*+(?:(?:\\.|'(?!''))[^'\\]*+)*+'''", re.DOTALL),
    '"': re.compile(r'"[^"\\\n\r]*+(?:\\.[^"\\\n\r]*+)*+"'),
    "'": re.compile(r"'[^'\\\n\r]*+(?:\\.[^'\\\n\r]*+)*+'"),
}
_SPECIAL = re.compile(r"[#\"'<\\]")
_BRACKET = re.compile(r"[{}()\[\]]")


class QueryTooDeepError(UsageError):
    """A query nested deeper than MAX_NESTING: refused before any engine parses it."""

    def __init__(self, depth: int, limit: int = MAX_NESTING) -> None:
        self.depth, self.limit = depth, limit
        super().__init__(
            f"the query nests {{ }}, ( ) and [ ] {depth} deep, deeper than the limit of {limit}; "
            "flatten it (a long chain of groups or brackets can be written side by side)"
        )

    def __reduce__(self):
        return type(self), (self.depth, self.limit)


def expand_codepoints(query: str) -> str:
    """The query with its \\u and \\U escapes replaced by the characters they stand for."""

    def character(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _CODEPOINT.sub(character, query)


def code_only(query: str) -> str:
    """The query with comments removed and each string and IRI blanked (to ``""`` and ``<>``),
    so that keywords are found only where they are keywords. A bracket inside an IRI is kept
    (``<(>``), since ``<`` may also be the less-than operator; an escaped character of a
    prefixed name (``ex:a\\(``, ``ex:a\\'``) is dropped with its backslash."""
    out, at, failed = [], 0, set()
    while (found := _SPECIAL.search(query, at)) is not None:
        out.append(query[at : found.start()])
        at = found.start()
        char = query[at]
        if char == "#":
            end = query.find("\n", at)
            at = len(query) if end < 0 else end
            continue
        if char == "\\":  # only a prefixed name's escape outside strings and IRIs
            at += 2
            continue
        if char == "<":
            match = _IRIREF.match(query, at)
            if match is None:
                out.append("<")
                at += 1
            else:
                kept = "".join(c for c in match.group() if c in "()[]")
                out.append(f"<{kept}>")
                at = match.end()
            continue
        opener = query[at : at + 3] if query.startswith(char * 3, at) else char
        match = None if opener in failed else _STRINGS[opener].match(query, at)
        if match is None and len(opener) == 3:
            failed.add(opener)  # no end anywhere after here: later openers need not look again
            opener = char
            match = _STRINGS[opener].match(query, at)
        if match is None:  # a quote that ends nowhere: the parser stops here, so keep counting
            out.append(char)
            at += 1
            continue
        out.append('""')
        at = match.end()
    out.append(query[at:])
    return "".join(out)


def nesting_depth(query: str) -> int:
    """How deeply ``{``, ``(`` and ``[`` nest in the query's code, read both as pyoxigraph reads
    it and with its \\u escapes expanded, as rdflib does: the larger of the two."""
    deepest = 0
    for text in {query, expand_codepoints(query)}:
        depth = 0
        for bracket in _BRACKET.finditer(code_only(text)):
            if bracket.group() in "{([":
                depth += 1
                deepest = max(deepest, depth)
            elif depth:
                depth -= 1
    return deepest


def check_nesting(query: str, limit: int = MAX_NESTING) -> None:
    """Raise QueryTooDeepError if the query nests deeper than ``limit``."""
    depth = nesting_depth(query)
    if depth > limit:
        raise QueryTooDeepError(depth, limit)


# The tokens of a query's code (``code_only``), so that a word counts as a keyword only where it
# stands alone: variables (section 19.8 [143]-[144]), prefixed names and prefix declarations
# (``service:p``, ``PREFIX from: <…>``, ``ex:a.SERVICE``: [140]-[141], [169]), blank node labels
# (``_:from``) and language tags (``""@from``), which are skipped, and bare words. A full stop
# between a variable and a keyword (``?o.SERVICE``) ends the variable: no name hides a keyword.
_TOKEN = re.compile(
    r"(?P<skip>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+"
    r"|(?:[^\W\d][\w.-]*)?:(?:[\w:%.-]|\\.)*"
    r"|@[A-Za-z]+(?:-[A-Za-z0-9]+)*)"
    r"|(?P<word>\w+)"
)


def keywords(query: str) -> set[str]:
    """The bare words of a query, upper-cased, read both as pyoxigraph reads it and with its \\u
    escapes expanded, as rdflib does (``\\u0053ERVICE`` is SERVICE to rdflib)."""
    words = set()
    for text in {query, expand_codepoints(query)}:
        for match in _TOKEN.finditer(code_only(text)):
            if match.lastgroup == "word":
                words.add(match.group().upper())
    return words
