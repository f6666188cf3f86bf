"""The JSON-LD exports: the context, and compacted documents with every key and array sorted.

rdflib writes them: compacted JSON-LD is the one export that pyoxigraph does not write (it writes
expanded JSON-LD only), so only these go through an rdflib Dataset (see wegokg.publish.dumps).
"""

from __future__ import annotations

import json

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from wegokg.core.namespaces import ONTOLOGY_IRI, PREFIXES, WEGO

SCHEMA_VIEW_CONTEXT = {"@vocab": PREFIXES["schema"], "xsd": PREFIXES["xsd"]}


def json_ld_context(ontology: Graph) -> dict:
    """Compact keys: prefixes, plain names for our own properties, language maps for names."""
    context: dict = {"id": "@id", "type": "@type"}
    context.update({prefix: namespace for prefix, namespace in PREFIXES.items()})
    for key, iri in (("label", RDFS.label), ("altLabel", PREFIXES["skos"] + "altLabel")):
        context[key] = {"@id": str(iri), "@container": "@language"}
    context["comment"] = {"@id": str(RDFS.comment), "@container": "@language"}
    for prop in sorted(ontology.subjects(RDF.type, OWL.ObjectProperty), key=str):
        if str(prop).startswith(WEGO):
            context[str(prop)[len(WEGO) :]] = {"@id": str(prop), "@type": "@id"}
    for prop in sorted(ontology.subjects(RDF.type, OWL.DatatypeProperty), key=str):
        if str(prop).startswith(WEGO):
            entry: dict = {"@id": str(prop)}
            ranges = list(ontology.objects(prop, RDFS.range))
            if len(ranges) == 1 and str(ranges[0]).startswith(str(XSD)) and ranges[0] != XSD.string:
                entry["@type"] = str(ranges[0])
            context[str(prop)[len(WEGO) :]] = entry
    return {"@context": context}


def schema_view_json_ld(dataset: Dataset) -> bytes:
    """The schema.org view of every resource as JSON-LD, schema.org as the default vocabulary
    (the context inline), sorted like every export."""
    from wegokg.publish.schema_view import schema_view

    view = schema_view(dataset)
    raw = view.serialize(format="json-ld", context=SCHEMA_VIEW_CONTEXT, auto_compact=True)
    value = canonical_json(json.loads(raw))
    value["@context"] = SCHEMA_VIEW_CONTEXT
    return json_bytes(value)


def json_ld_document(dataset: Dataset) -> bytes:
    """JSON-LD with the context inline (no fetching), named graphs kept, everything sorted."""
    context = json_ld_context(dataset.graph(URIRef(ONTOLOGY_IRI)))
    raw = dataset.serialize(format="json-ld", context=context["@context"], auto_compact=True)
    return json_bytes(canonical_json(json.loads(raw)))


def canonical_json(value):
    """The same JSON with every object's keys and every array sorted (no wegokg document holds an
    RDF list, whose order would matter)."""
    if isinstance(value, dict):
        return {k: canonical_json(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [canonical_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def json_bytes(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
