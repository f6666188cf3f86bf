"""The static name index behind the site's search box: every named resource with its names,
normalized as ``wegokg.query.search`` normalizes them. The search page's script (static/search.js,
pages.SEARCH_SCRIPT) repeats ``normalize`` in JavaScript; a test runs both on the same samples.
"""

from __future__ import annotations

from wegokg.publish.site.layout import site_path
from wegokg.query.search import Entry, name_index, normalize

__all__ = ["Entry", "name_index", "normalize", "search_documents"]


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
