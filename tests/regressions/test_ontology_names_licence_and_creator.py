"""The ontology had no licence or creator. It now names both, beside its version IRI."""

from rdflib import OWL, URIRef
from rdflib.namespace import DCTERMS

from graphsvc.engine import graph

ONTOLOGY = URIRef("https://w3id.org/graphsvc/def")


def test_licence_creator_and_version_iri():
    g = graph.ontology()
    assert g.value(ONTOLOGY, DCTERMS.license) is not None
    assert g.value(ONTOLOGY, DCTERMS.creator) is not None
    assert g.value(ONTOLOGY, OWL.versionIRI) is not None
