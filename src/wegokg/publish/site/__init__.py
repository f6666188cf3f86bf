"""The static linked-data site: a page per resource with its RDF beside it, class indexes, the
ontology's documentation, the query catalog with results, downloads, VoID and a sitemap.

``build_site(dataset, out_dir, catalog=…, version=…)`` writes it; ``wegokg site -o DIR`` and
``wegokg serve`` call it. The URL layout is in ``layout``; deploy/ holds the server rules. The
pages are Jinja2 templates (templates/, rendered by ``render``); the stylesheets and the search
script are files in static/.
"""

from __future__ import annotations

from wegokg.publish.site.build import (
    OutputFolderError,
    SiteError,
    SiteSummary,
    build_site,
    check_output_folder,
)
from wegokg.publish.site.layout import DOCUMENT_TYPES, document, site_path

__all__ = [
    "DOCUMENT_TYPES",
    "OutputFolderError",
    "SiteError",
    "SiteSummary",
    "build_site",
    "check_output_folder",
    "document",
    "site_path",
]
