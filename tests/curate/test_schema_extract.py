"""The schema.org extract is rebuilt from a schema.org release (wegokg.curate.schema_extract):
each term with its label, superclasses, domains and ranges, and every term those mention."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from wegokg.curate.schema_extract import extract
from wegokg.curate.turtle_format import format_turtle

UPSTREAM = """
@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
schema:Thing a rdfs:Class ; rdfs:label "Thing" .
schema:Place a rdfs:Class ; rdfs:label "Place" ; rdfs:subClassOf schema:Thing .
schema:Event a rdfs:Class ; rdfs:label "Event" ; rdfs:subClassOf schema:Thing .
schema:StatisticalVariable a rdfs:Class ; rdfs:label "StatisticalVariable" .
schema:location a rdf:Property ; rdfs:label "location" ;
    schema:domainIncludes schema:Event, schema:StatisticalVariable ;
    schema:rangeIncludes schema:Place .
"""
S = "https://schema.org/"


def test_a_named_property_brings_its_domains_ranges_and_their_superclasses():
    text = extract(Graph().parse(data=UPSTREAM, format="turtle"), Graph(), ["location"], "99.0")
    graph = Graph().parse(data=format_turtle(text), format="turtle")
    location = URIRef(S + "location")
    assert set(graph.objects(location, URIRef(S + "domainIncludes"))) == {URIRef(S + "Event")}
    assert set(graph.objects(location, URIRef(S + "rangeIncludes"))) == {URIRef(S + "Place")}
    assert (URIRef(S + "Place"), RDFS.subClassOf, URIRef(S + "Thing")) in graph
    assert (URIRef(S + "Thing"), RDFS.label, None) in graph
    # newer than rdflib's copy of schema.org, so the term check could not know it
    assert not any(str(s).endswith("StatisticalVariable") for s in graph.subjects())
    assert "release 99.0" in text
