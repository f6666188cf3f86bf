"""Where each resource lives in the site: IRIs under the base map to paths, documents beside them.

The resource ``https://w3id.org/wegokg/id/city/seongnam`` is the site path ``id/city/seongnam``;
its page is ``id/city/seongnam.html`` and its descriptions ``.ttl``, ``.jsonld`` and ``.nt`` (the
documents of ``wegokg.negotiation``). A hash IRI (``…/ontology#City``) gets the path
``ontology/City``. The content negotiation rules in deploy/ and ``wegokg serve`` rely on exactly
this layout.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from wegokg.iri import is_iri
from wegokg.namespaces import BASE
from wegokg.negotiation import DOCUMENTS

# Media types of the documents written beside each page, by file extension: the
# content-negotiation table's documents.
DOCUMENT_TYPES = {document.suffix: document.media_type for document in DOCUMENTS}
RDF_DOCUMENTS = ("ttl", "jsonld", "nt")

_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")
_WEB_LINK = re.compile(r"https?://", re.IGNORECASE)


class SitePathError(ValueError):
    """An IRI under the base that cannot be a file path in the site."""


def site_path(iri: str) -> str | None:
    """The site path of a resource IRI (``id/city/seongnam``), or None for an outside IRI."""
    if not iri.startswith(BASE):
        return None
    local = iri[len(BASE) :].replace("#", "/")
    segments = local.split("/")
    # Only plain segments: no dots, percent signs or empty parts that could climb out of the site.
    if not local or any(not _SEGMENT.fullmatch(s) or s.endswith(".") for s in segments):
        raise SitePathError(
            f"the IRI {iri!r} cannot be published as a page: every part of its path after "
            f"{BASE} must be letters, digits, '-', '_', '~' or '.' (not leading), "
            "so rename the resource"
        )
    return local


def document(path: str, extension: str) -> str:
    """The file of a site path in one form: ``id/city/seongnam`` -> ``id/city/seongnam.ttl``."""
    return f"{path}.{extension}"


def relative(target: str, from_file: str) -> str:
    """The href of the site file ``target`` from the page at ``from_file`` (both site paths)."""
    start = posixpath.dirname(from_file) or "."
    return posixpath.relpath(target, start)


def is_web_link(iri: str) -> bool:
    """True for an absolute http(s) IRI that is safe as an href (a usable IRI, with no space or
    invisible character to disguise where it leads); anything else is shown as text."""
    return _WEB_LINK.match(iri) is not None and is_iri(iri)


@dataclass(frozen=True)
class Page:
    """A page being written: its site file, so that links can be made relative to it."""

    file: str

    def href(self, target: str) -> str:
        return relative(target, self.file)
