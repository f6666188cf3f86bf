"""Rewrite hand-written Turtle into one canonical layout, so that diffs of the dataset stay small.

A small lexer finds the statements, comments and section rulers; rdflib does the real parsing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from wegokg.core.atomic_publish import write_file
from wegokg.core.errors import LocatedDataError
from wegokg.core.file_reading import read_regular_file
from wegokg.core.iri import iri_problem, is_relative
from wegokg.core.namespaces import PREFIXES

LINE_WIDTH = 100
INDENT = 4


def _term(prefix: str, local: str) -> URIRef:
    return URIRef(PREFIXES[prefix] + local)


RDF_TYPE = _term("rdf", "type")
RDF_FIRST = _term("rdf", "first")
RDF_REST = _term("rdf", "rest")
RDF_NIL = _term("rdf", "nil")
OWL_INVERSE_OF = _term("owl", "inverseOf")
XSD_INTEGER = _term("xsd", "integer")
XSD_DECIMAL = _term("xsd", "decimal")
XSD_BOOLEAN = _term("xsd", "boolean")

# Predicates written first, in this order; every other predicate follows, sorted. sh:path leads
# so that a property shape reads (and sorts among its siblings) by the path it constrains.
FIRST_PREDICATES = [
    RDF_TYPE,
    _term("sh", "path"),
    _term("rdfs", "label"),
    _term("skos", "prefLabel"),
    _term("skos", "altLabel"),
    _term("rdfs", "comment"),
    _term("skos", "definition"),
    _term("skos", "scopeNote"),
    _term("skos", "editorialNote"),
]
LAST_PREDICATE = _term("rdfs", "isDefinedBy")

# Objects of these predicates are prose or queries, so they are always written """triple-quoted""".
LONG_TEXT_PREDICATES = frozenset(
    {
        _term("rdfs", "comment"),
        _term("skos", "definition"),
        _term("skos", "scopeNote"),
        _term("skos", "editorialNote"),
        _term("dct", "description"),
        _term("sh", "select"),
        _term("sh", "ask"),
    }
)

TOO_DEEP = "collections or blank nodes are nested too deeply to format"
RULER = re.compile(r"# -- .+")
MOVE_HINT = "move it directly above a subject, or make it a section ruler ('# -- Title')"

_SPARQL_DIRECTIVE = re.compile(r"(?i:PREFIX\s|BASE\s*<)")
_AT_PREFIX = re.compile(r"@prefix\s+([^\s:<]*):\s*<([^>]*)>\s*\.")
_SPARQL_PREFIX = re.compile(r"(?i:PREFIX)\s+([^\s:<]*):\s*<([^>]*)>")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# PN_CHARS_BASE of the Turtle grammar, without the invisible joiners U+200C and U+200D.
_LETTERS = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u2070-\u218f"
    "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_LOCAL_NAME = re.compile(f"[{_LETTERS}0-9_](?:[{_LETTERS}0-9_.-]*[{_LETTERS}0-9_-])?")

_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_LONG_ESCAPES = {"\\": "\\\\", "\r": "\\r"}


class TurtleFormatError(LocatedDataError, ValueError):
    """Input that cannot be formatted; ``str()`` is ``"{path}:{line}: {message}"``."""


@dataclass
class _Statement:
    text: str
    line: int
    is_directive: bool
    subject: URIRef | None = None


@dataclass
class _Comment:
    text: str
    line: int
    own_line: bool  # only whitespace before the '#'
    in_statement: bool


@dataclass
class _Section:
    ruler: str | None
    subjects: list[URIRef] = field(default_factory=list)


def format_turtle(text: str, path: str = "<string>") -> str:
    """Return ``text`` in the canonical layout; raise TurtleFormatError if that is impossible."""
    text = text.removeprefix("\ufeff")
    events = _split(text, path)
    declared = _read_prefixes(events, path)
    with _exact_literals():
        graph = _parse_statements(events, declared, path)
        header, sections, comments = _arrange(text, events, path)
        try:
            result = _Writer(graph, declared).document(header, sections, comments)
            _verify(text, result, path)
        except RecursionError:  # a collection parsed, but too deep to write back
            raise TurtleFormatError(path, 1, TOO_DEEP) from None
    return result


@contextmanager
def _exact_literals() -> Iterator[None]:
    """Keep literals exactly as written while parsing.

    By default rdflib rewrites lexical forms as it parses ("+3" becomes "3", and "2024-01-01Z"
    even loses its time zone); the formatter must write every literal back as it was. The switch
    is global, so it is restored at once.
    """
    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved


def check_file(path: Path) -> str | None:
    """Return the canonical text of the file if it differs from its contents, else None."""
    text = read_turtle_text(path)
    formatted = format_turtle(text, str(path))
    return None if formatted == text else formatted


def read_turtle_text(path: Path) -> str:
    """The file's text, exactly as stored; a byte that is not UTF-8 is named with its line."""
    raw = read_regular_file(path)
    try:
        # Decoded without newline translation, so that \r\n line endings count as not canonical.
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        byte = raw[error.start]
        raise TurtleFormatError(
            str(path),
            line,
            f"the file is not UTF-8: byte 0x{byte:02x} at column {column} ({error.reason}); "
            "save it as UTF-8",
        ) from None


def format_file(path: Path) -> bool:
    """Rewrite the file in the canonical layout; return True if it changed. A symbolic link stays
    a link: the file it points to is rewritten."""
    formatted = check_file(path)
    if formatted is None:
        return False
    write_file(path, formatted.encode("utf-8"))  # through a link, keeping the file's mode
    return True


# -- Splitting the text into statements and comments ---------------------------------------------


def _is_name_char(char: str) -> bool:
    return char != "" and (char.isalnum() or char in "_-.:%\\" or ord(char) > 127)


def _ends_statement(text: str, i: int) -> bool:
    """Whether the '.' at text[i] ends a statement, rather than being part of a number or a name."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if after != "" and after in "0123456789":  # a decimal such as 1.5 or .5
        return False
    return not (_is_name_char(before) and _is_name_char(after))


def _string_end(text: str, i: int) -> int:
    """Offset just after the string literal that starts at text[i], or -1 if it is not closed."""
    quote = text[i]
    long = text.startswith(quote * 3, i)
    close = quote * 3 if long else quote
    j = i + len(close)
    while j < len(text):
        if text[j] == "\\":
            j += 2
        elif long and text[j] == quote:
            # Like rdflib, read """a"""" as 'a"': the last three quotes of a run close the string.
            end = j
            while end < len(text) and text[end] == quote:
                end += 1
            if end - j >= 3:
                return end
            j = end
        elif text[j] == quote:
            return j + 1
        elif text[j] == "\n" and not long:
            return -1
        else:
            j += 1
    return -1


def _split(text: str, path: str) -> list[_Statement | _Comment]:
    """Statements and comments in source order; only brackets, strings, IRIs and '.' are lexed."""
    events: list[_Statement | _Comment] = []
    i, line = 0, 1
    start: int | None = None  # offset of the statement being read
    start_line = depth = 0
    is_directive = sparql_directive = False
    code_on_line = False
    while i < len(text):
        char = text[i]
        if char == "\n":
            line += 1
            code_on_line = False
            i += 1
            continue
        if char in " \t\r":
            i += 1
            continue
        if char == "#":
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            events.append(_Comment(text[i:end].rstrip(), line, not code_on_line, start is not None))
            i = end
            continue
        code_on_line = True
        if start is None:
            start, start_line, depth = i, line, 0
            sparql_directive = _SPARQL_DIRECTIVE.match(text, i) is not None
            is_directive = char == "@" or sparql_directive
        if char == "<":
            end = text.find(">", i)
            if end < 0 or "\n" in text[i:end]:
                raise TurtleFormatError(path, line, "unterminated IRI")
            _check_iri(text[i + 1 : end], path, line)
            i = end + 1
            # A SPARQL-style PREFIX or BASE has no '.'; it ends with its IRI.
            if sparql_directive:
                events.append(_Statement(text[start:i], start_line, True))
                start = None
            continue
        if char in "\"'":
            end = _string_end(text, i)
            if end < 0:
                raise TurtleFormatError(path, line, "unterminated string")
            line += text.count("\n", i, end)
            i = end
            continue
        if char == "\\":  # an escape in a prefixed name, such as ex:a\,b
            i += 2
            continue
        if char == "_" and text.startswith("_:", i) and not _is_name_char(text[i - 1 : i]):
            raise TurtleFormatError(
                path, line, "labeled blank nodes (_:x) are not supported; write [ ... ] inline"
            )
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
            if depth < 0:
                raise TurtleFormatError(path, line, f"unmatched '{char}'")
        elif char == "." and depth == 0 and _ends_statement(text, i):
            events.append(_Statement(text[start : i + 1], start_line, is_directive))
            start = None
        i += 1
    if start is not None:
        raise TurtleFormatError(path, start_line, "statement does not end with '.'")
    return events


def _check_iri(iri: str, path: str, line: int) -> None:
    # A backslash is allowed only in \u and \U escapes (Turtle's UCHAR); the IRI they spell is
    # checked as loading checks it. Invisible characters are the quality check's to report.
    try:
        text = _unescape_iri(iri)
    except ValueError:  # an escape past U+10FFFF
        text = "\\"
    relative = is_relative(text)
    if "\\" in _UCHAR.sub("", iri) or iri_problem(
        "x:" + text if relative else text, allow_invisible=True
    ):
        raise TurtleFormatError(path, line, f"invalid character in IRI <{iri}>")
    # Without @base a relative IRI would resolve against wherever the file happens to be.
    if relative:
        raise TurtleFormatError(path, line, f"relative IRI <{iri}>; write the full IRI")


def _unescape_iri(iri: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)


# -- Parsing -------------------------------------------------------------------------------------


def _read_prefixes(events: list[_Statement | _Comment], path: str) -> dict[str, str]:
    """The prefixes the file declares, checked against PREFIXES."""
    declared: dict[str, str] = {}
    for event in events:
        if not isinstance(event, _Statement) or not event.is_directive:
            continue
        if event.text.startswith("@base") or event.text[:4].upper() == "BASE":
            raise TurtleFormatError(path, event.line, "@base is not allowed; write full IRIs")
        match = _AT_PREFIX.fullmatch(event.text) or _SPARQL_PREFIX.fullmatch(event.text)
        if match is None:
            raise TurtleFormatError(path, event.line, "cannot read this directive")
        name, iri = match.group(1), _unescape_iri(match.group(2))
        if name in PREFIXES and iri != PREFIXES[name]:
            raise TurtleFormatError(
                path, event.line, f"prefix '{name}:' must be <{PREFIXES[name]}>, not <{iri}>"
            )
        if declared.get(name, iri) != iri:
            raise TurtleFormatError(
                path, event.line, f"prefix '{name}:' is declared twice with different IRIs"
            )
        declared[name] = iri
    return declared


def _bad_syntax_message(error: BadSyntax) -> str:
    # BadSyntax's str() is a multi-line dump of the surrounding text; the reason alone reads better.
    return getattr(error, "_why", None) or str(error).splitlines()[0]


def _parse_statements(
    events: list[_Statement | _Comment], declared: dict[str, str], path: str
) -> Graph:
    """Parse each statement on its own, to learn its subject; return the union of their triples."""
    graph = Graph()
    declarations = [(name, f"@prefix {name}: <{iri}> .\n") for name, iri in declared.items()]
    for event in events:
        if not isinstance(event, _Statement) or event.is_directive:
            continue
        # Declare only the prefixes the statement can mention: parsing is much slower with all.
        head = "".join(line for name, line in declarations if f"{name}:" in event.text)
        part = Graph()
        try:
            part.parse(data=head + event.text, format="turtle")
        except BadSyntax as error:
            line = event.line + max(error.lines - head.count("\n"), 0)
            raise TurtleFormatError(path, line, _bad_syntax_message(error)) from None
        except ValueError as error:  # rdflib's complaint about, for example, a bad language tag
            raise TurtleFormatError(path, event.line, str(error)) from None
        except RecursionError:
            raise TurtleFormatError(path, event.line, TOO_DEEP) from None
        named = {subject for subject in part.subjects() if isinstance(subject, URIRef)}
        if len(named) != 1:
            raise TurtleFormatError(
                path,
                event.line,
                "the subject of a statement must be an IRI; "
                "write a blank node as [ ... ] inside the statement that uses it",
            )
        event.subject = named.pop()
        graph += part
    return graph


def _verify(source: str, result: str, path: str) -> None:
    """Refuse any output whose graph differs from the input's."""
    try:
        before = Graph().parse(data=source, format="turtle")
    except BadSyntax as error:
        raise TurtleFormatError(path, error.lines + 1, _bad_syntax_message(error)) from None
    try:
        after = Graph().parse(data=result, format="turtle")
    except BadSyntax as error:
        message = (
            f"internal error: the formatted text does not parse ({_bad_syntax_message(error)})"
        )
        raise TurtleFormatError(path, 1, message) from None
    if not _same_graph(before, after):
        raise TurtleFormatError(path, 1, "internal error: formatting would change the graph")


def _same_graph(before: Graph, after: Graph) -> bool:
    """``rdflib.compare.isomorphic``, one IRI subject at a time when the blank nodes allow it.

    Comparing whole graphs gets very slow with hundreds of blank nodes; but when every blank node
    hangs below one IRI subject, the graphs are isomorphic exactly when each subject's part is.
    """
    parts_before, parts_after = _parts(before), _parts(after)
    if parts_before is None or parts_after is None:
        return isomorphic(before, after)
    return parts_before.keys() == parts_after.keys() and all(
        isomorphic(part, parts_after[subject]) for subject, part in parts_before.items()
    )


def _parts(graph: Graph) -> dict[Node, Graph] | None:
    """The triples of each IRI subject and the blank nodes below it; None unless they cover the
    graph exactly once (no blank node left over or shared)."""
    parts: dict[Node, Graph] = {}
    for subject in set(graph.subjects()):
        if isinstance(subject, BNode):
            continue
        part = parts[subject] = Graph()
        todo, seen = [subject], {subject}
        while todo:
            node = todo.pop()
            for predicate, obj in graph.predicate_objects(node):
                part.add((node, predicate, obj))
                if isinstance(obj, BNode) and obj not in seen:
                    seen.add(obj)
                    todo.append(obj)
    return parts if sum(len(part) for part in parts.values()) == len(graph) else None


# -- Header, sections and attached comments ------------------------------------------------------


def _arrange(
    text: str, events: list[_Statement | _Comment], path: str
) -> tuple[list[str], list[_Section], dict[URIRef, list[str]]]:
    """Split the file into its header, its sections and the comments attached to each subject."""
    first = next((k for k, e in enumerate(events) if isinstance(e, _Statement)), len(events))
    body_start = first
    statement = events[first] if first < len(events) else None
    if isinstance(statement, _Statement) and not statement.is_directive:
        # Comments directly above the first subject belong to it, not to the header.
        above = statement.line - 1
        while body_start > 0 and events[body_start - 1].line == above:
            body_start -= 1
            above -= 1
    header: list[str] = []
    if body_start > 0:
        lines = text.split("\n")
        header = [line.rstrip() for line in lines[events[0].line - 1 : events[body_start - 1].line]]

    sections = [_Section(None)]
    comments: dict[URIRef, list[str]] = {}
    pending: list[_Comment] = []  # comment lines waiting for the subject below them

    def floating() -> TurtleFormatError:
        return TurtleFormatError(
            path, pending[0].line, f"comment is not directly above a subject; {MOVE_HINT}"
        )

    for event in events[body_start:]:
        if isinstance(event, _Comment):
            if event.in_statement:
                raise TurtleFormatError(
                    path, event.line, f"comment inside a statement; {MOVE_HINT}"
                )
            if not event.own_line:
                raise TurtleFormatError(
                    path, event.line, f"comment at the end of a line; {MOVE_HINT}"
                )
            if pending and event.line != pending[-1].line + 1:
                raise floating()
            if RULER.match(event.text):
                if pending:
                    raise floating()
                sections.append(_Section(event.text))
            else:
                pending.append(event)
            continue
        if pending and (event.is_directive or event.line != pending[-1].line + 1):
            raise floating()
        if event.subject is None:
            continue
        # A subject written in several statements becomes one block, where it first appears.
        if event.subject not in comments:
            comments[event.subject] = []
            sections[-1].subjects.append(event.subject)
        comments[event.subject].extend(comment.text for comment in pending)
        pending = []
    if pending:
        raise floating()
    return header, sections, comments


# -- Writing -------------------------------------------------------------------------------------


def _uchar(char: str) -> str:
    return f"\\u{ord(char):04X}"


def _escape(text: str, table: dict[str, str]) -> str:
    out = []
    for char in text:
        if char in table:
            out.append(table[char])
        # Other control characters and the Unicode line separators would be invisible, or
        # look like line breaks, in an editor.
        elif (char < " " and char not in "\n\t") or char in "\x7f\x85\u2028\u2029":
            out.append(_uchar(char))
        else:
            out.append(char)
    return "".join(out)


def _short_string(lexical: str) -> str:
    return '"' + _escape(lexical, _SHORT_ESCAPES) + '"'


def _long_string(lexical: str) -> str:
    escaped = _escape(lexical, _LONG_ESCAPES)
    # Spaces before a line break are part of the value, but the file may not have trailing
    # spaces; escaped, they keep their value.
    escaped = re.sub(r"[^\S\n]+(?=\n)", lambda m: "".join(map(_uchar, m.group())), escaped)
    # Escape a '"' that would make three in a row, and the quotes at the very end, which would
    # otherwise run into the closing quotes.
    pieces: list[str] = []
    run = 0
    for char in escaped:
        if char == '"':
            pieces.append('\\"' if run == 2 else '"')
            run = 0 if run == 2 else run + 1
        else:
            pieces.append(char)
            run = 0
    k = len(pieces) - 1
    while k >= 0 and pieces[k] == '"':
        pieces[k] = '\\"'
        k -= 1
    return '"""' + "".join(pieces) + '"""'


def _literal_key(literal: Literal) -> tuple[int, str, str, str]:
    language = (literal.language or "").lower()
    rank = {"en": 0, "ko": 1}.get(language, 2 if language else 3)
    return rank, language, str(literal), str(literal.datatype or "")


class _Writer:
    """Writes blocks from a graph, remembering which prefixes the written text uses."""

    def __init__(self, graph: Graph, declared: dict[str, str]) -> None:
        self.graph = graph
        extra = {name: iri for name, iri in sorted(declared.items()) if name not in PREFIXES}
        self.namespace_of = {**PREFIXES, **extra}
        # Longest namespace first, so the most specific prefix wins; the sort is stable, so for
        # the same namespace a PREFIXES name beats one the file made up.
        self.namespaces = sorted(self.namespace_of.items(), key=lambda item: -len(item[1]))
        self.used: set[str] = set()

    def document(
        self, header: list[str], sections: list[_Section], comments: dict[URIRef, list[str]]
    ) -> str:
        body: list[str] = []
        for section in sections:
            if section.ruler is not None:
                body.append(section.ruler)
            for subject in self.ordered(section.subjects):
                lines = [*comments[subject], self.iri(subject), *self.predicates(subject, INDENT)]
                body.append("\n".join([*lines, "."]))
        # The prefix block comes last, because only now is it known which prefixes are used.
        chunks = ["\n".join(header)] if header else []
        if self.used:
            chunks.append(self.prefix_block())
        chunks.extend(body)
        return ("\n\n".join(chunks) + "\n") if chunks else ""

    def prefix_block(self) -> str:
        names = [name for name in PREFIXES if name in self.used]
        names += sorted(name for name in self.used if name not in PREFIXES)
        width = max(len(name) for name in names) + 1
        return "\n".join(
            f"@prefix {(name + ':').ljust(width)} <{self.namespace_of[name]}> ." for name in names
        )

    def ordered(self, subjects: list[URIRef]) -> list[URIRef]:
        """Subjects sorted by written form, each inverse property right after its pair."""
        order = sorted(subjects, key=self.iri)
        members = set(subjects)
        pair: dict[URIRef, URIRef] = {}
        for subject in order:
            inverses = [o for o in self.graph.objects(subject, OWL_INVERSE_OF) if o in members]
            inverses = [o for o in inverses if o != subject]
            if inverses:
                pair[subject] = min(inverses, key=self.iri)
        for subject in order:
            other = pair.get(subject)
            # When both sides declare the pair, the one that sorts first leads.
            if (
                other is not None
                and pair.get(other) == subject
                and self.iri(subject) < self.iri(other)
            ):
                del pair[subject]
        followers: dict[URIRef, list[URIRef]] = defaultdict(list)
        for subject in order:
            if subject in pair:
                followers[pair[subject]].append(subject)
        result: list[URIRef] = []
        placed: set[URIRef] = set()

        def place(subject: URIRef) -> None:
            if subject not in placed:
                placed.add(subject)
                result.append(subject)
                for follower in followers[subject]:
                    place(follower)

        for subject in order:
            if subject not in pair:
                place(subject)
        # Whatever is left is a ring of three or more inverses; keep it in sorted order.
        for subject in order:
            place(subject)
        return result

    def iri(self, iri: str) -> str:
        for name, namespace in self.namespaces:
            if not iri.startswith(namespace):
                continue
            local = iri[len(namespace) :]
            # Conservative: letters and digits (as Turtle defines them), '_', '-' and '.'.
            if _LOCAL_NAME.fullmatch(local) and all(c.isalnum() or c in "_-." for c in local):
                self.used.add(name)
                return f"{name}:{local}"
        return f"<{iri}>"

    def predicate_key(self, predicate: URIRef) -> tuple[int, str]:
        if predicate in FIRST_PREDICATES:
            return FIRST_PREDICATES.index(predicate), ""
        if predicate == LAST_PREDICATE:
            return len(FIRST_PREDICATES) + 1, ""
        return len(FIRST_PREDICATES), self.iri(predicate)

    def predicates(self, node: Node, indent: int) -> list[str]:
        """One line (or more) per predicate of the node, each ending with ' ;'."""
        lines = []
        pad = " " * indent
        for predicate in sorted(set(self.graph.predicates(node)), key=self.predicate_key):
            objects = self.objects(node, predicate, indent + INDENT)
            head = pad + ("a" if predicate == RDF_TYPE else self.iri(predicate))
            one_line = f"{head} {', '.join(objects)} ;"
            if len(one_line) <= LINE_WIDTH and not any("\n" in text for text in objects):
                lines.append(one_line)
                continue
            lines.append(head)
            for k, text in enumerate(objects):
                end = "," if k < len(objects) - 1 else " ;"
                lines.append(" " * (indent + INDENT) + text + end)
        return lines

    def objects(self, node: Node, predicate: URIRef, indent: int) -> list[str]:
        """The written objects, sorted: IRIs, then literals, then blank nodes and lists."""
        keyed = []
        for obj in self.graph.objects(node, predicate):
            text = self.term(obj, predicate, indent)
            if isinstance(obj, URIRef):
                keyed.append(((0, text), text))
            elif isinstance(obj, Literal):
                keyed.append(((1, *_literal_key(obj)), text))
            else:
                keyed.append(((2, text), text))
        return [text for _, text in sorted(keyed)]

    def term(self, obj: Node, predicate: URIRef, indent: int) -> str:
        """The written object; ``indent`` is its column when it starts a line of its own."""
        if isinstance(obj, URIRef):
            return self.iri(obj)
        if isinstance(obj, Literal):
            return self.literal(obj, predicate in LONG_TEXT_PREDICATES)
        items = self.list_items(obj)
        if items is not None:
            return self.collection(items, indent)
        inner = self.predicates(obj, indent + INDENT)
        return "\n".join(["[", *inner, " " * indent + "]"]) if inner else "[]"

    def literal(self, literal: Literal, long: bool) -> str:
        lexical, datatype = str(literal), literal.datatype
        if datatype == XSD_INTEGER and re.fullmatch(r"0|-?[1-9][0-9]*", lexical):
            return lexical
        if datatype == XSD_BOOLEAN and lexical in ("true", "false"):
            return lexical
        if datatype == XSD_DECIMAL and re.fullmatch(r"-?[0-9]+\.[0-9]+", lexical):
            return lexical
        text = _long_string(lexical) if long or "\n" in lexical else _short_string(lexical)
        if literal.language:
            return f"{text}@{literal.language}"
        if datatype is not None:
            return f"{text}^^{self.iri(datatype)}"
        return text

    def list_items(self, node: Node) -> list[Node] | None:
        """The items of a well-formed RDF list of blank nodes starting at node, else None."""
        items = []
        while node != RDF_NIL:
            if not isinstance(node, BNode):
                return None
            firsts = list(self.graph.objects(node, RDF_FIRST))
            rests = list(self.graph.objects(node, RDF_REST))
            if len(firsts) != 1 or len(rests) != 1 or len(set(self.graph.predicates(node))) != 2:
                return None
            items.append(firsts[0])
            node = rests[0]
        return items

    def collection(self, items: list[Node], indent: int) -> str:
        texts = [self.term(item, RDF_FIRST, indent + INDENT) for item in items]
        one_line = f"( {' '.join(texts)} )"
        # The 2 leaves room for the ' ;' or ',' that follows.
        if indent + len(one_line) + 2 <= LINE_WIDTH and not any("\n" in t for t in texts):
            return one_line
        lines = [" " * (indent + INDENT) + text for text in texts]
        return "\n".join(["(", *lines, " " * indent + ")"])
