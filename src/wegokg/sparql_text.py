"""The one reader of SPARQL text before any parser reads it: its code, with strings, IRIs and
comments blanked or set aside (``code_only``, ``mask``), and what shows there: its keywords, its
query form, its variables, and how deeply it nests. Every module that looks at a query's text
(the read-only and dataset guards, the engines, the catalog, the SHACL rule compiler) asks here.

A parser descends once per level of ``{``, ``(`` and ``[``: pyoxigraph's crashes the process
(SIGSEGV) on 3,000 braces, its blank-node lists take seconds past 100 levels, and rdflib's runs
out of Python stack near 30. So a query nested deeper than ``MAX_NESTING`` is refused on every
engine before it is parsed. The scanner errs towards counting: it never hides a bracket that
some engine reads as one (SPARQL 1.1 Query, section 19.8 "Grammar", for the tokens it skips).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wegokg.errors import UsageError

MAX_NESTING = 64
"""The deepest nesting of ``{``, ``(`` and ``[`` together that a query may have."""

# Section 19.2: \\uXXXX and \\UXXXXXXXX may stand for any character anywhere in a query, and
# rdflib expands them before it parses (pyoxigraph only inside IRIs and strings).
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Sections 19.8 [139] IRIREF and [156]-[159] the four string forms.
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
# Written as "unrolled loops", which a regular expression runs without backtracking. Turtle's
# strings are the same four forms, so the term check (terms.py) builds its scanner from these.
STRING_PATTERNS = {
    '"""': r'"""[^"\\]*+(?:(?:\\.|"(?!""))[^"\\]*+)*+"""',
    "'''": r"'''[^'\\]*+(?:(?:\\.|'(?!''))[^'\\]*+)*+'''",
    '"': r'"[^"\\\n\r]*+(?:\\.[^"\\\n\r]*+)*+"',
    "'": r"'[^'\\\n\r]*+(?:\\.[^'\\\n\r]*+)*+'",
}
_STRINGS = {
    opener: re.compile(pattern, re.DOTALL if len(opener) == 3 else 0)
    for opener, pattern in STRING_PATTERNS.items()
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


def segments(query: str) -> Iterator[tuple[str, str]]:
    """The query cut into (kind, text) pieces that together are the whole text: ``code``,
    ``comment``, ``iri``, ``string``, ``escape`` (a prefixed name's ``\\x`` outside strings and
    IRIs) and ``quote`` (a quote whose string never ends: a parser stops there)."""
    at, failed = 0, set()
    while (found := _SPECIAL.search(query, at)) is not None:
        if found.start() > at:
            yield "code", query[at : found.start()]
        at = found.start()
        char = query[at]
        if char == "#":
            end = query.find("\n", at)
            end = len(query) if end < 0 else end
            yield "comment", query[at:end]
            at = end
            continue
        if char == "\\":
            yield "escape", query[at : at + 2]
            at += 2
            continue
        if char == "<":
            match = _IRIREF.match(query, at)
            if match is None:  # the less-than operator
                yield "code", "<"
                at += 1
            else:
                yield "iri", match.group()
                at = match.end()
            continue
        opener = query[at : at + 3] if query.startswith(char * 3, at) else char
        match = None if opener in failed else _STRINGS[opener].match(query, at)
        if match is None and len(opener) == 3:
            failed.add(opener)  # no end anywhere after here: later openers need not look again
            opener = char
            match = _STRINGS[opener].match(query, at)
        if match is None:
            yield "quote", char
            at += 1
            continue
        yield "string", match.group()
        at = match.end()
    if at < len(query):
        yield "code", query[at:]


def code_only(query: str) -> str:
    """The query with comments removed and each string and IRI blanked (to ``""`` and ``<>``),
    so that keywords are found only where they are keywords. A bracket inside an IRI is kept
    (``<(>``), since ``<`` may also be the less-than operator; an escaped character of a
    prefixed name (``ex:a\\(``, ``ex:a\\'``) is dropped with its backslash; a quote that ends
    nowhere is kept, so that the brackets after it are still counted."""
    out = []
    for kind, text in segments(query):
        if kind in ("code", "quote"):
            out.append(text)
        elif kind == "iri":
            out.append("<" + "".join(c for c in text if c in "()[]") + ">")
        elif kind == "string":
            out.append('""')
    return "".join(out)


def code_start(query: str) -> int | None:
    """The offset of the query's first code (past the comments and blank space before it), or
    None if it has none."""
    at = 0
    for kind, text in segments(query):
        if kind != "comment" and text.strip():
            return at + len(text) - len(text.lstrip())
        at += len(text)
    return None


class UnendingStringError(ValueError):
    """A query with a string that never ends, which ``mask`` cannot set aside."""


def mask(query: str) -> tuple[str, list[str]]:
    """The query's code, without its comments and with each string and IRI replaced by a
    placeholder (``\\x00N\\x00``) that ``unmask`` puts back, so that text surgery on the code
    never takes a brace, a keyword or a variable in a string for the query's own. Raises
    UnendingStringError for a string that never ends, ValueError for a NUL character."""
    if "\x00" in query:
        raise ValueError("a NUL character")
    out, pieces = [], []
    for kind, text in segments(query):
        if kind in ("code", "escape"):
            out.append(text)
        elif kind == "comment":
            out.append(" ")
        elif kind == "quote":
            raise UnendingStringError("a string that never ends")
        else:
            out.append(f"\x00{len(pieces)}\x00")
            pieces.append(text)
    return "".join(out), pieces


def unmask(code: str, pieces: list[str]) -> str:
    """The code of ``mask`` with its strings and IRIs put back."""
    return re.sub("\x00(\\d+)\x00", lambda m: pieces[int(m.group(1))], code)


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
    return {word for text in {query, expand_codepoints(query)} for word in words(code_only(text))}


def words(code: str) -> list[str]:
    """The bare words of the code (of ``code_only`` or ``mask``), in order and upper-cased."""
    return [m.group().upper() for m in _TOKEN.finditer(code) if m.lastgroup == "word"]


def keyword_search(pattern: re.Pattern, code: str, pos: int = 0) -> re.Match | None:
    """The first match of ``pattern`` in the code (of ``code_only`` or ``mask``) at or after
    ``pos`` that starts at a bare word: ``WHERE {`` is found, ``?where {``, ``ex:a.WHERE`` and
    ``""@where`` are not."""
    for token in _TOKEN.finditer(code):
        if (
            token.lastgroup == "word"
            and token.start() >= pos
            and (match := pattern.match(code, token.start())) is not None
        ):
            return match
    return None


_VARIABLE = re.compile(r"[?$]([\w\u00b7\u0300-\u036f\u203f-\u2040]+)")


def variables(code: str) -> set[str]:
    """The names of the variables (``?x``, ``$x``) in the code (of ``code_only`` or ``mask``);
    a ``?`` in a string, an IRI or a comment is none."""
    return {v.group(1) for m in _TOKEN.finditer(code) if (v := _VARIABLE.fullmatch(m.group()))}


def closing_bracket(code: str, start: int) -> int | None:
    """Where the bracket that opens at ``start`` in the code closes, or None if it never does."""
    opening = code[start]
    closing = {"{": "}", "(": ")", "[": "]"}[opening]
    depth = 0
    for index in range(start, len(code)):
        if code[index] == opening:
            depth += 1
        elif code[index] == closing:
            depth -= 1
            if depth == 0:
                return index
    return None


QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
# The prologue (BASE and PREFIX declarations) of a query's code, and the word after it.
_PROLOGUE = re.compile(r"\s*(?:BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)", re.IGNORECASE)
_FORM = re.compile(r"\s*([A-Za-z]+)")


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE: the first keyword after the prologue (section
    4.1, [2] Query and [29] Update). UPDATE if either reading (as pyoxigraph reads the query, or
    with its \\u escapes expanded, as rdflib does) starts an update; anything else not a form is
    taken as SELECT and left to the engine's parser, which reports where it fails."""
    forms = [_form(code_only(text)) for text in (query, expand_codepoints(query))]
    return "UPDATE" if "UPDATE" in forms else forms[0]


def _form(code: str) -> str:
    position = 0
    while (match := _PROLOGUE.match(code, position)) and match.end() > position:
        position = match.end()
    match = _FORM.match(code, position)
    keyword = match.group(1).upper() if match else ""
    if keyword in UPDATE_KEYWORDS:
        return "UPDATE"
    return keyword if keyword in QUERY_FORMS else "SELECT"
