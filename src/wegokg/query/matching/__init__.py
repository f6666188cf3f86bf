"""Matching names to resources: one engine for ``wegokg search``, names given as query
parameters, the reconciliation service and ``wegokg reconcile``, and drafting.

    from wegokg.query.matching import NameIndex, normalize
    index = NameIndex.from_repository(repository)
    index.match("Seongnam-si", types=["City"])
    # [Candidate(iri="…/city/seongnam", name="Seongnam", score=100.0, match=True, …)]
"""

from wegokg.query.matching.index import Candidate, NameEntry, NameIndex, UnknownTypeError
from wegokg.query.matching.keys import name_keys, normalize, script_language

__all__ = [
    "Candidate",
    "NameEntry",
    "NameIndex",
    "UnknownTypeError",
    "name_keys",
    "normalize",
    "script_language",
]
