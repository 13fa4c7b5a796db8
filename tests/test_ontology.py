"""The ontology is well formed, documented and closed over what the data and shapes use."""

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import SKOS

from graphsvc import resources
from graphsvc.engine import graph
from graphsvc.namespaces import GS

DEFINITION = (RDFS.comment, SKOS.definition)


@pytest.fixture(scope="module")
def ontology():
    return graph.ontology()


def test_one_versioned_ontology(ontology):
    ontologies = list(ontology.subjects(RDF.type, OWL.Ontology))
    assert ontologies == [URIRef(str(GS).rstrip("#"))]
    assert ontology.value(ontologies[0], OWL.versionInfo) is not None


def _own_terms(g):
    return {t for t in g.all_nodes() if isinstance(t, URIRef) and str(t).startswith(str(GS))}


def test_every_own_class_and_property_is_labelled_and_defined(ontology):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = [t for kind in kinds for t in ontology.subjects(RDF.type, kind) if t in _own_terms(ontology)]
    assert len(terms) > 40
    for term in terms:
        assert ontology.value(term, RDFS.label), f"{term} has no rdfs:label"
        assert any(ontology.value(term, p) for p in DEFINITION), f"{term} has no definition"


def test_every_vocabulary_concept_is_labelled_defined_and_in_a_scheme(ontology):
    for concept in ontology.subjects(SKOS.inScheme, None):
        assert ontology.value(concept, SKOS.prefLabel), concept
        assert ontology.value(concept, SKOS.definition), concept


def test_ontology_is_closed_over_data_and_shapes(ontology):
    """Every gs: term that data/ or shapes/ uses is defined (declared with a type) in ontology/."""
    defined = set(ontology.subjects(RDF.type, None))
    for path in [*resources.data_files(), *resources.shape_files()]:
        used = _own_terms(graph.load([path]))
        undefined = sorted(str(t) for t in used - defined)
        assert not undefined, f"{Path(path).name} uses undefined terms: {undefined}"


def test_data_types_are_declared_classes(default_graph, ontology):
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    for cls in set(default_graph.objects(None, RDF.type)):
        if str(cls).startswith(str(GS)):
            assert cls in classes, f"{cls} is used as a type but is not an owl:Class"
