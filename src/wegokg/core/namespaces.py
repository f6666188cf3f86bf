"""The one place where the base IRI, the namespaces and their prefixes are defined.

Every Turtle file, stored query and export takes its prefixes from ``PREFIXES``, in this order.
"""

from __future__ import annotations

BASE = "https://w3id.org/wegokg/"
ONTOLOGY_IRI = BASE + "ontology"
SHAPES_IRI = BASE + "shapes"
DATASET_IRI = BASE + "dataset"
# Where `wegokg serve` answers SPARQL behind the w3id redirect (the site and releases name it).
DEFAULT_ENDPOINT = BASE + "sparql"
ID = BASE + "id/"
GRAPH = BASE + "graph/"

# Prefix name -> namespace IRI. The order is the order of every prefix block we write.
PREFIXES: dict[str, str] = {
    # Our vocabulary and identifiers.
    "wego": ONTOLOGY_IRI + "#",
    "award": ID + "award/",
    "category": ID + "category/",
    "channel": ID + "channel/",
    "city": ID + "city/",
    "concept": ID + "concept/",
    "country": ID + "country/",
    "event": ID + "event/",
    "fact": ID + "fact/",
    "organization": ID + "organization/",
    "passage": ID + "passage/",
    "person": ID + "person/",
    "place": ID + "place/",
    "plan": ID + "plan/",
    "post": ID + "post/",
    "project": ID + "project/",
    "quote": ID + "quote/",
    "role": ID + "role/",
    "source": ID + "source/",
    "term": ID + "term/",
    "graph": GRAPH,
    "shape": SHAPES_IRI + "#",
    # Vocabularies we reuse.
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

WEGO = PREFIXES["wego"]

# Outside links that make this linked data. They are not ours, so the term check skips them.
EXTERNAL_ID_NAMESPACES = (
    "http://www.wikidata.org/entity/",
    "https://sws.geonames.org/",
)


def shorten(iri: str) -> str:
    """Return ``prefix:local`` for an IRI under a known namespace, else the IRI itself."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]) :]
        if local and "/" not in local and "#" not in local:
            return f"{best}:{local}"
    return iri


def sparql_prefix_block(names: list[str] | None = None) -> str:
    """PREFIX lines for the given prefixes (all of them by default), in the canonical order."""
    chosen = PREFIXES if names is None else {n: PREFIXES[n] for n in PREFIXES if n in names}
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in chosen.items())
