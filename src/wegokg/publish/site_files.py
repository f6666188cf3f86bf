"""Serve a built site folder, with content negotiation on resource IRIs.

A resource IRI such as ``/id/city/seongnam`` names a thing, not a document: it answers 303 See
Other to the document that describes it in the form the client accepts (``.html``, ``.ttl``,
``.jsonld`` or ``.nt``, chosen by ``wegokg.publish.negotiation``), or 406 when none is acceptable.
Documents are served with their media type, and every answer carries ``Vary: Accept`` so that
caches keep the forms apart.
"""

from __future__ import annotations

from pathlib import Path

from wegokg.publish.negotiation import DOCUMENTS, choose

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".rdf": "application/rdf+xml",
    ".rq": "application/sparql-query",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".sha256": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
}
# Files named without a suffix that the site is known to hold (VoID at /.well-known/void).
SUFFIXLESS = {"void": "text/turtle; charset=utf-8", "SHA256SUMS": "text/plain; charset=utf-8"}


class SiteFolder:
    """A folder of static files; answers are (status, file or redirect target, media type)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def find(self, url_path: str, accept: str | None) -> tuple[int, str | Path, str]:
        """What to answer for a request path: (200, file, media type), (303, location, ""),
        (404, "", "") or (406, message, "")."""
        relative = url_path.lstrip("/")
        target = self._inside(relative)
        if target is None:
            return 404, "", ""
        if target.is_dir():
            index = target / "index.html"
            if index.is_file():
                if relative and not url_path.endswith("/"):
                    return 303, url_path + "/", ""
                return 200, index, MEDIA_TYPES[".html"]
        if target.is_file():
            return 200, target, self.media_type(target)
        # A resource IRI (its page exists): the document the Accept header chooses, by the
        # table that the nginx and Apache rules of deploy/ are generated from.
        if not target.with_name(target.name + ".html").is_file():
            return 404, "", ""
        chosen = choose(accept)
        if chosen is None:
            offered = ", ".join(d.media_type for d in DOCUMENTS)
            return 406, f"no document of {url_path} is acceptable; it is offered as {offered}", ""
        if not target.with_name(f"{target.name}.{chosen.suffix}").is_file():
            return 404, "", ""
        return 303, f"{url_path}.{chosen.suffix}", ""

    def media_type(self, path: Path) -> str:
        if not path.suffix:
            return SUFFIXLESS.get(path.name, "application/octet-stream")
        return MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")

    def _inside(self, relative: str) -> Path | None:
        """The path under the root, or None if it would leave the root (``..``, symlinks)."""
        if "\x00" in relative:
            return None
        candidate = (self.root / relative).resolve()
        if candidate != self.root and self.root not in candidate.parents:
            return None
        return candidate
