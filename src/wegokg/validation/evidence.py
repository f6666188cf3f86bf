"""The evidence check: every quote is found, character for character, at its offsets in its
source's stored text, and that text is the one the source's SHA-256 names.

SHACL cannot read files, so this runs beside it. Offsets count Unicode code points with the end
excluded, as a W3C Web Annotation TextPositionSelector does.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from wegokg.core.file_reading import StoredTextError, read_stored_text
from wegokg.core.layout import TEXTS_FOLDER
from wegokg.core.namespaces import PREFIXES, WEGO
from wegokg.validation.report import Violation

if TYPE_CHECKING:
    from wegokg.validation.context import ValidationContext

OA = PREFIXES["oa"]
PROV = PREFIXES["prov"]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(frozen=True)
class EvidenceProblem:
    """A quote or source document whose evidence does not hold."""

    focus_node: str
    message: str
    path: str | None = None


class EvidenceChecker:
    """The checker for quotes and stored texts."""

    name = "evidence"
    severity = "ERROR"
    help = (
        "Every fact names its source and a verbatim quote, located by offsets in the stored text "
        "in data/sources/ whose SHA-256 is recorded, and the quote must be there character for "
        "character. Fix: copy the quote character for character from the stored text and find "
        "its offsets with 'wegokg quote FILE TEXT'."
    )

    def check(self, context: ValidationContext) -> Iterator[Violation]:
        for problem in check_quotes(context.evidence, context.repository.data_folder):
            file, line = context.locate(problem.focus_node)
            yield Violation(
                file=file,
                line=line,
                focus_node=problem.focus_node,
                severity=self.severity,
                check=self.name,
                shape=self.name,
                message=problem.message,
                path=problem.path,
            )


def source_texts(graph: Graph, data_dir: Path) -> tuple[dict[str, str], list[EvidenceProblem]]:
    """Read each source document's stored text, checking it against its SHA-256."""
    texts: dict[str, str] = {}
    problems: list[EvidenceProblem] = []
    for document in sorted(_instances(graph, URIRef(WEGO + "SourceDocument")), key=str):
        text_file = graph.value(document, URIRef(WEGO + "textFile"))
        digest = graph.value(document, URIRef(WEGO + "sha256"))
        if text_file is None:
            continue  # the SHACL shape reports the missing wego:textFile
        try:
            raw = read_stored_text(
                str(text_file), data_dir / Path(TEXTS_FOLDER).name, relative_to=data_dir
            )
        except StoredTextError as error:
            problems.append(
                EvidenceProblem(
                    str(document),
                    f"its wego:textFile {str(text_file)!r} cannot be read: {error.rule}",
                    WEGO + "textFile",
                )
            )
            continue
        actual = hashlib.sha256(raw).hexdigest()
        if digest is not None and str(digest) != actual:
            problems.append(
                EvidenceProblem(
                    str(document),
                    f"the SHA-256 of {text_file} is {actual}, not {digest}: the stored text has "
                    "changed, so every quote offset into it must be checked again",
                    WEGO + "sha256",
                )
            )
            continue
        try:
            texts[str(document)] = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(
                EvidenceProblem(
                    str(document), f"{text_file} is not UTF-8: {error}", WEGO + "textFile"
                )
            )
    return texts, problems


def check_quotes(graph: Graph, data_dir: Path) -> list[EvidenceProblem]:
    """Every quote's exact text sits at its offsets in its source's stored text."""
    texts, problems = source_texts(graph, data_dir)
    articles = {str(a) for a in _instances(graph, URIRef(WEGO + "NewsArticle"))}
    for article in sorted(articles & texts.keys()):
        problems += check_extent(graph, URIRef(article), texts[article])
    passages = set(graph.subjects(RDF.type, URIRef(WEGO + "UncitedPassage")))
    located = set(graph.subjects(RDF.type, URIRef(WEGO + "Quote"))) | passages
    for quote in sorted(located, key=str):
        exact = graph.value(quote, URIRef(OA + "exact"))
        start = _integer(graph.value(quote, URIRef(OA + "start")))
        end = _integer(graph.value(quote, URIRef(OA + "end")))
        source = graph.value(quote, URIRef(PROV + "wasQuotedFrom"))
        if exact is None or start is None or end is None or str(source) not in texts:
            continue  # missing parts are reported by the SHACL shapes or by source_texts
        text = texts[str(source)]
        exact = str(exact)
        found = text[start:end]
        if found != exact:
            problems.append(EvidenceProblem(str(quote), _mismatch(text, exact, start, end, found)))
        elif str(source) in articles and quote not in passages and not HANGUL.search(exact):
            problems.append(
                EvidenceProblem(
                    str(quote),
                    "a quote from a Korean article must contain Korean text; quote the sentence, "
                    "not only a name or number",
                    OA + "exact",
                )
            )
    return problems


def body_extent(graph: Graph, article: URIRef) -> tuple[int, int] | None:
    """The article's (wego:bodyStart, wego:bodyEnd), or None if either is missing."""
    start = _integer(graph.value(article, URIRef(WEGO + "bodyStart")))
    end = _integer(graph.value(article, URIRef(WEGO + "bodyEnd")))
    return None if start is None or end is None else (start, end)


def check_extent(graph: Graph, article: URIRef, text: str) -> list[EvidenceProblem]:
    """The article's extent lies inside its text and runs from the start of a line to the end of
    one, so that anyone can check it by eye: it begins with the headline's line and ends with the
    body's last line."""
    extent = body_extent(graph, article)
    if extent is None:
        return []  # the SHACL shape reports the missing offsets
    start, end = extent
    where = f"wego:bodyStart {start} and wego:bodyEnd {end}"
    if not 0 <= start < end <= len(text):
        message = f"{where} must satisfy 0 <= start < end <= {len(text)} (the text's length)"
        return [EvidenceProblem(str(article), message, WEGO + "bodyStart")]
    problems = []
    if (start > 0 and text[start - 1] != "\n") or text[start].isspace():
        problems.append(
            EvidenceProblem(
                str(article),
                f"wego:bodyStart {start} is not at the start of a line (the text there is "
                f"{text[max(0, start - 10) : start + 10]!r}): point it at the first character of "
                "the headline's line",
                WEGO + "bodyStart",
            )
        )
    if (end < len(text) and text[end] != "\n") or text[end - 1].isspace():
        problems.append(
            EvidenceProblem(
                str(article),
                f"wego:bodyEnd {end} is not at the end of a line (the text there is "
                f"{text[max(0, end - 10) : end + 10]!r}): point it just after the last character "
                "of the body's last line",
                WEGO + "bodyEnd",
            )
        )
    return problems


def find_quote(text: str, exact: str) -> list[tuple[int, int]]:
    """All (start, end) offsets at which ``exact`` occurs in ``text``."""
    spans = []
    start = text.find(exact)
    while exact and start != -1:
        spans.append((start, start + len(exact)))
        start = text.find(exact, start + 1)
    return spans


def _mismatch(text: str, exact: str, start: int, end: int, found: str) -> str:
    spans = find_quote(text, exact)
    if spans:
        where = ", ".join(f"{s}-{e}" for s, e in spans)
        return (
            f"oa:exact is not at offsets {start}-{end} (the text there is {found!r}); "
            f"it occurs at {where}: correct oa:start and oa:end"
        )
    return (
        f"oa:exact does not occur in the source text (at offsets {start}-{end} the text is "
        f"{found!r}){_first_difference(exact, found)}; copy the quote character for character "
        "from the stored article"
    )


def _first_difference(exact: str, found: str) -> str:
    """Where two strings that may look alike first differ, naming both code points."""
    position = next(
        (i for i, (a, b) in enumerate(zip(exact, found, strict=False)) if a != b),
        min(len(exact), len(found)),
    )
    if position == len(exact) == len(found):
        return ""
    quoted = _code_point(exact[position]) if position < len(exact) else "its end"
    stored = _code_point(found[position]) if position < len(found) else "its end"
    return (
        f"; they first differ at character {position + 1}: the quote has {quoted}, "
        f"the text {stored}"
    )


def _code_point(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def _integer(value: object) -> int | None:
    if isinstance(value, Literal):
        try:
            return int(value.toPython())
        except (TypeError, ValueError):
            return None
    return None


def _instances(graph: Graph, cls: URIRef) -> set[URIRef]:
    """Instances of ``cls`` or of any of its subclasses (as the loaded ontology declares them)."""
    classes = {cls} | set(graph.transitive_subjects(RDFS.subClassOf, cls))
    return {s for c in classes for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)}
