"""Sentence-level coverage: how much of each article's own text the graph accounts for.

Each stored article's extent (wego:bodyStart to wego:bodyEnd: headline, byline, date and body) is
split into sentences, and every sentence is marked

- ``cited`` when some quote of that article overlaps it,
- ``explained`` when a wego:UncitedPassage of that article overlaps it, which records in the data
  why it is left out (off-topic, or a fact not yet modelled) in one line,
- ``uncited`` otherwise: a sentence the graph silently ignores.

"Full coverage" means no uncited sentence: every sentence is either the evidence of some fact, or
its omission is a recorded decision.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from wegokg.core.namespaces import WEGO, shorten
from wegokg.validation.evidence import OA, PROV, _instances, _integer, body_extent, source_texts
from wegokg.validation.report import Violation

if TYPE_CHECKING:
    from wegokg.validation.context import ValidationContext

CITED, EXPLAINED, UNCITED = "cited", "explained", "uncited"

# A sentence ends at a full stop, question or exclamation mark followed by white space ("…열린다.
# 이 행사는"), and at every line break, so that the headline, byline and date lines count as units.
_SENTENCE_END = re.compile(r"[.?!](?=\s)")


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article, with what accounts for it."""

    start: int
    end: int
    text: str
    status: str
    quotes: tuple[str, ...] = ()
    passages: tuple[str, ...] = ()
    reason: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class ArticleCoverage:
    article: str
    text_file: str
    body_start: int
    body_end: int
    sentences: tuple[Sentence, ...]

    def count(self, status: str) -> int:
        return sum(1 for s in self.sentences if s.status == status)

    @property
    def percent(self) -> float:
        return _percent(len(self.sentences) - self.count(UNCITED), len(self.sentences))


@dataclass
class CoverageReport:
    articles: list[ArticleCoverage] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(a.count(status) for a in self.articles)

    @property
    def total(self) -> int:
        return sum(len(a.sentences) for a in self.articles)

    @property
    def percent(self) -> float:
        """Share of all sentences of all articles that are cited or explained."""
        return _percent(self.total - self.count(UNCITED), self.total)

    def uncited(self) -> list[tuple[str, Sentence]]:
        return [(a.article, s) for a in self.articles for s in a.sentences if s.status == UNCITED]

    def to_json(self) -> str:
        articles = []
        for a in self.articles:
            item = {k: v for k, v in asdict(a).items() if k != "sentences"}
            item["sentences"] = [asdict(s) for s in a.sentences]
            item.update({status: a.count(status) for status in (CITED, EXPLAINED, UNCITED)})
            item["percent"] = a.percent
            articles.append(item)
        total = {"sentences": self.total, "percent": self.percent}
        total.update({status: self.count(status) for status in (CITED, EXPLAINED, UNCITED)})
        return json.dumps({"articles": articles, "total": total}, ensure_ascii=False, indent=2)

    def to_text(self, width: int = 50) -> str:
        lines = []
        for a in self.articles:
            lines.append(
                f"{shorten(a.article)} ({a.text_file}, offsets {a.body_start}-{a.body_end})"
            )
            for s in a.sentences:
                text = s.text if len(s.text) <= width else s.text[: width - 1] + "…"
                if s.status == CITED:
                    why = ", ".join(shorten(q) for q in s.quotes)
                elif s.status == EXPLAINED:
                    why = f"{shorten(s.reason or '')}: {s.comment or ''}"
                else:
                    why = "no quote and no recorded reason"
                lines.append(f"  {s.start:>5}-{s.end:<5} {s.status:<9} {text}  [{why}]")
            lines.append(f"  {_summary(len(a.sentences), a.count, a.percent)}")
        lines.append(f"Total: {_summary(self.total, self.count, self.percent)}")
        return "\n".join(lines) + "\n"


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text[start:end]``, without surrounding spaces."""
    spans = []
    line_start = start
    for line in text[start:end].split("\n"):
        cut = 0
        for bound in [m.end() for m in _SENTENCE_END.finditer(line)] + [len(line)]:
            piece = line[cut:bound]
            left = cut + len(piece) - len(piece.lstrip())
            right = bound - (len(piece) - len(piece.rstrip()))
            if right > left:
                spans.append((line_start + left, line_start + right))
            cut = bound
        line_start += len(line) + 1
    return spans


def coverage(graph: Graph, data_dir: Path) -> CoverageReport:
    """The coverage of every news article that records its extent and whose text can be read.

    ``graph`` is the loaded data (a Dataset whose default graph is the union, or any graph holding
    the union); ``data_dir`` is the folder that wego:textFile paths are relative to.
    """
    texts, _ = source_texts(graph, data_dir)  # unreadable texts are the evidence check's to report
    report = CoverageReport()
    # Each quote and passage is read once and filed under its article, and each article's
    # sentences are swept once against its spans in offset order: linear in the data, where
    # matching every article against every quote was quadratic (7 minutes at 10^6 triples).
    all_quotes = _spans_by_article(graph, URIRef(WEGO + "Quote"))
    all_passages = _spans_by_article(graph, URIRef(WEGO + "UncitedPassage"))
    for article in sorted(_instances(graph, URIRef(WEGO + "NewsArticle")), key=str):
        extent = body_extent(graph, article)
        text = texts.get(str(article))
        if extent is None or text is None or not 0 <= extent[0] < extent[1] <= len(text):
            continue  # the shapes and the evidence check report a missing or impossible extent
        spans = split_sentences(text, *extent)
        cited_by = _overlaps(spans, all_quotes.get(article, []))
        explained_by = _overlaps(spans, all_passages.get(article, []))
        sentences = []
        for (start, end), citing, explaining in zip(spans, cited_by, explained_by, strict=True):
            if citing:
                sentence = Sentence(start, end, text[start:end], CITED, quotes=citing)
            elif explaining:
                first = URIRef(explaining[0])
                reason = graph.value(first, URIRef(WEGO + "uncitedReason"))
                comment = graph.value(first, RDFS.comment)
                sentence = Sentence(
                    start,
                    end,
                    text[start:end],
                    EXPLAINED,
                    passages=explaining,
                    reason=str(reason) if reason is not None else None,
                    comment=str(comment) if comment is not None else None,
                )
            else:
                sentence = Sentence(start, end, text[start:end], UNCITED)
            sentences.append(sentence)
        text_file = str(graph.value(article, URIRef(WEGO + "textFile")))
        report.articles.append(
            ArticleCoverage(str(article), text_file, extent[0], extent[1], tuple(sentences))
        )
    return report


def _spans_by_article(graph: Graph, cls: URIRef) -> dict[URIRef, list[tuple[str, int, int]]]:
    """(IRI, start, end) of every ``cls`` node, filed under the article it is located in, each
    article's list in offset order."""
    by_article: dict[URIRef, set[tuple[str, int, int]]] = {}
    for node in graph.subjects(RDF.type, cls):
        article = graph.value(node, URIRef(PROV + "wasQuotedFrom"))
        start = _integer(graph.value(node, URIRef(OA + "start")))
        end = _integer(graph.value(node, URIRef(OA + "end")))
        if isinstance(article, URIRef) and start is not None and end is not None:
            by_article.setdefault(article, set()).add((str(node), start, end))
    return {
        article: sorted(spans, key=lambda span: (span[1], span[0]))
        for article, spans in by_article.items()
    }


def _overlaps(
    sentences: list[tuple[int, int]], spans: list[tuple[str, int, int]]
) -> list[tuple[str, ...]]:
    """For each sentence (in offset order), the IRIs of the spans that overlap it, in offset order.

    One sweep: a span enters when the sentence's end passes its start, and leaves once a sentence
    starts at or after its end (sentences only move forward, so it overlaps no later one)."""
    result = []
    active: list[tuple[str, int, int]] = []
    next_span = 0
    for start, end in sentences:
        while next_span < len(spans) and spans[next_span][1] < end:
            active.append(spans[next_span])
            next_span += 1
        active = [span for span in active if span[2] > start]
        result.append(tuple(iri for iri, _, _ in active))
    return result


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


def _summary(total: int, count, percent: float) -> str:
    return (
        f"{total} sentences: {count(CITED)} cited, {count(EXPLAINED)} explained, "
        f"{count(UNCITED)} uncited ({percent:.1f} % cited or explained)"
    )


class CoverageChecker:
    """The checker that warns of each article sentence no quote cites and no passage explains."""

    name = "coverage"
    severity = "WARN"
    help = (
        "Every sentence of an article, between wego:bodyStart and wego:bodyEnd, is cited by a "
        "quote or explained by a wego:UncitedPassage, so that nothing the article says is left "
        "out unnoticed. Fix: quote the sentence as the evidence of a fact, or record a "
        "wego:UncitedPassage with its reason; 'wegokg coverage' shows each article's sentences."
    )

    def check(self, context: ValidationContext) -> Iterator[Violation]:
        report = coverage(context.evidence, context.repository.data_folder)
        for article, sentence in report.uncited():
            file, line = context.locate(article)
            yield Violation(
                file=file,
                line=line,
                focus_node=article,
                severity=self.severity,
                check=self.name,
                shape=self.name,
                message=f"the sentence at offsets {sentence.start}-{sentence.end} is neither cited "
                f"by a quote nor explained: {sentence.text!r}. Fix: quote it as the evidence of a "
                "fact, or record a wego:UncitedPassage with its reason (see `wegokg coverage`)",
            )
