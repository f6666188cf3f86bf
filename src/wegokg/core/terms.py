"""The one place that turns an RDF term into text, and converts terms between rdflib and pyoxigraph.

Terms are written by pyoxigraph (``str()`` of its terms is N-Triples, which is also SPARQL term
syntax): it escapes quotes, backslashes, line ends and every other control character, so that no
value can end the string or the query around it. IRIs are checked first by the one IRI check
(``wegokg.core.iri``), so that the error names the rule the IRI breaks. Each caller raises the
error of its own layer from the ``TermError`` raised here.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable
from typing import Any

from wegokg.core.iri import iri_problem


class TermError(ValueError):
    """A value that cannot be written as an RDF term (an unusable IRI, something not a term)."""


def to_oxigraph(term: Any) -> Any:
    """An rdflib term (or a pyoxigraph one, returned as it is) as a pyoxigraph term, its lexical
    form, language and datatype kept as they are."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal):
        return term
    if not _is_rdflib(term, "term", "Identifier"):
        raise TermError(f"not an RDF term: {term!r}")
    from rdflib import BNode, Literal, URIRef

    try:
        if isinstance(term, URIRef):
            return pyoxigraph.NamedNode(str(term))
        if isinstance(term, BNode):
            return pyoxigraph.BlankNode(str(term))
        if isinstance(term, Literal):
            if term.language:
                return pyoxigraph.Literal(str(term), language=term.language)
            if term.datatype:
                datatype = pyoxigraph.NamedNode(str(term.datatype))
                return pyoxigraph.Literal(str(term), datatype=datatype)
            return pyoxigraph.Literal(str(term))
    except ValueError as error:
        raise TermError(f"not a valid RDF term: {str(term)!r}: {error}") from None
    raise TermError(f"not an RDF term: {term!r}")


def to_rdflib(term: Any, *, as_written: bool = False) -> Any:
    """A pyoxigraph term (or None) as an rdflib term, its language tag lower-cased and a simple
    literal without the xsd:string datatype (rdflib's spelling of one). ``as_written`` keeps the
    language tag's case and a typed literal's lexical form (rdflib would rewrite an ill-formed
    "none"^^xsd:boolean as "false"): for pySHACL, which must see the data as it is. This imports
    rdflib: only the code that needs rdflib terms (its Graph, pyshacl) calls it."""
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef

    import wegokg.core.rdflib_quiet  # noqa: F401 (an ill-typed literal is kept without a traceback)

    if term is None:
        return None
    kind = type(term)
    if kind is pyoxigraph.Literal:
        if term.language:
            return Literal(term.value, lang=term.language if as_written else term.language.lower())
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        if as_written:
            return Literal(term.value, datatype=_rdflib_iri(datatype), normalize=False)
        return Literal(term.value, datatype=_rdflib_iri(datatype))
    if kind is pyoxigraph.NamedNode:
        return URIRef(term.value)
    if kind is pyoxigraph.BlankNode:
        return BNode(term.value)
    raise TermError(f"not a term rdflib can hold: {term!r}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_converter() -> Any:
    """``to_rdflib`` converting each distinct term once, for a whole graph's worth of terms:
    predicates, classes and sources repeat, and an rdflib term costs microseconds to build."""
    converted: dict[object, object] = {}

    def term(value):
        found = converted.get(value)
        if found is None:
            found = converted[value] = to_rdflib(value)
        return found

    return term


@functools.lru_cache(maxsize=256)
def _rdflib_iri(value: str) -> Any:
    from rdflib import URIRef

    return URIRef(value)


def term_text(term: Any, *, allow_blank: bool = True) -> str:
    """``term`` (rdflib or pyoxigraph) in N-Triples syntax, which SPARQL reads too: ``<iri>``,
    ``"text"@lang``, ``"text"^^<datatype>`` or ``_:label``. An IRI that the IRI check refuses
    raises TermError naming the rule; so does a blank node unless ``allow_blank``."""
    import pyoxigraph

    iri = term.value if isinstance(term, pyoxigraph.NamedNode) else None
    if iri is None and _is_rdflib(term, "term", "URIRef"):
        iri = str(term)
    if iri is not None and (reason := iri_problem(iri)):
        raise TermError(f"not a valid IRI: {iri!r}: {reason}")
    value = to_oxigraph(term)
    if isinstance(value, pyoxigraph.BlankNode) and not allow_blank:
        raise TermError(f"a blank node cannot be written here: _:{value.value}")
    elif isinstance(value, pyoxigraph.Literal) and (reason := iri_problem(value.datatype.value)):
        raise TermError(f"not a valid datatype IRI: {value.datatype.value!r}: {reason}")
    return str(value)


def string_text(text: str) -> str:
    """A plain string literal in SPARQL and N-Triples syntax, escaped by the same writer."""
    import pyoxigraph

    return str(pyoxigraph.Literal(text))


def _is_rdflib(term: Any, module: str, kind: str) -> bool:
    """Whether ``term`` is an rdflib term of this kind, without importing rdflib: if it is not
    imported, nothing can be one (the query path runs without it)."""
    found = sys.modules.get(f"rdflib.{module}")
    return found is not None and isinstance(term, getattr(found, kind))


def ntriples_lines(triples: Iterable) -> list[bytes]:
    """The sorted N-Triples of ``triples`` (rdflib or pyoxigraph ones, from one graph or
    several), one line per statement, each once, without line ends: the one writer of every
    N-Triples document wegokg writes (the export, the site's ``.nt`` pages, ``load``'s bodies,
    ``wegokg sparql --format ntriples``). pyoxigraph writes them, in canonical N-Triples:
    control characters as ``\\uXXXX``, language tags in lower case, ``xsd:string`` implicit."""
    import pyoxigraph

    term = to_oxigraph

    def triple(statement):
        if isinstance(statement, pyoxigraph.Triple):
            return statement
        subject, predicate, value = statement[:3]
        return pyoxigraph.Triple(term(subject), term(predicate), term(value))

    written = pyoxigraph.serialize(map(triple, triples), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return sorted_lines(written or b"")


def ntriples_document(lines: list[bytes]) -> bytes:
    """``ntriples_lines`` as a document: each line ended by a line feed (just one for none)."""
    return b"\n".join(lines) + b"\n"


def sorted_lines(data: bytes) -> list[bytes]:
    """The non-empty lines sorted, each once."""
    lines = sorted(set(data.splitlines()))
    del data
    return lines[1:] if lines and not lines[0] else lines
