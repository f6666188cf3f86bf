"""A dataset of two triples (Seongnam's labels, in its source's graph) that exports in a few
milliseconds, for the tests of how exports are written rather than of what they hold."""

from __future__ import annotations

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDFS

from wegokg.core.namespaces import PREFIXES


def small_dataset() -> Dataset:
    dataset = Dataset(default_union=True)
    graph = dataset.graph(URIRef(PREFIXES["source"] + "seongnam-2021-10-20"))
    city = URIRef(PREFIXES["city"] + "seongnam")
    graph.add((city, RDFS.label, Literal("성남시", lang="ko")))
    graph.add((city, RDFS.label, Literal("Seongnam", lang="en")))
    return dataset
