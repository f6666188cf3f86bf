"""The static name index behind the site's search box: every named resource with its names.

LOCAL STAND-IN: ``normalize`` and ``name_index`` mirror the interface of ``wegokg.search`` (branch
``sparqlload``), which this branch cannot import yet. On merge, delete them here and import
``normalize``, ``name_index`` and ``Entry`` from ``wegokg.search``; ``search_documents`` stays.
The inline script of the search page (pages.SEARCH_SCRIPT) repeats ``normalize`` in JavaScript.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from wegokg.namespaces import BASE
from wegokg.site.layout import site_path


def normalize(text: str) -> str:
    """Case- and accent-insensitive form: NFKD, combining marks dropped, casefolded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@dataclass(frozen=True)
class Entry:
    iri: str
    types: tuple[str, ...]
    label_en: str | None
    label_ko: str | None
    names: tuple[tuple[str, str], ...]  # (text, lang)


def name_index(dataset: Dataset) -> list[Entry]:
    """Every resource of ours with a label or an alternative name, sorted by IRI."""
    named: dict[URIRef, list[Literal]] = {}
    for prop in (RDFS.label, SKOS.altLabel):
        for subject, name in dataset.subject_objects(prop):
            ours = isinstance(subject, URIRef) and str(subject).startswith(BASE)
            if ours and isinstance(name, Literal):
                named.setdefault(subject, []).append(name)
    entries = []
    for subject in sorted(named, key=str):
        names = sorted({(str(n), n.language or "") for n in named[subject]})
        labels = {n.language: str(n) for n in dataset.objects(subject, RDFS.label) if n.language}
        types = sorted({str(t) for t in dataset.objects(subject, RDF.type)})
        entries.append(
            Entry(str(subject), tuple(types), labels.get("en"), labels.get("ko"), tuple(names))
        )
    return entries


def search_documents(entries: list[Entry], type_labels: dict[str, str]) -> list[dict]:
    """The JSON index the search page filters: site path, labels, type and normalized names."""
    documents = []
    for entry in entries:
        path = site_path(entry.iri)
        if path is None:
            continue
        documents.append(
            {
                "path": path + ".html",
                "en": entry.label_en or "",
                "ko": entry.label_ko or "",
                "type": ", ".join(type_labels.get(t, t) for t in entry.types),
                "names": sorted({normalize(text) for text, _ in entry.names}),
            }
        )
    return documents
