"""The ontology is in OWL 2 DL: HermiT (the reasoner owlready2 ships, run on Java) loads it and
finds it consistent. HermiT refuses datatypes outside the OWL 2 datatype map, so this also keeps
ranges such as xsd:date out of the ontology (the shapes check those values instead)."""

import shutil

import pytest
from rdflib import RDFS, XSD, Graph, URIRef

from graphsvc.engine import graph

owlready2 = pytest.importorskip("owlready2")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java (default-jre-headless)"),
]


def test_hermit_finds_the_ontology_consistent(tmp_path):
    path = tmp_path / "ontology.nt"
    graph.ontology().serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load(format="ntriples")
    assert len(list(ontology.classes())) > 20  # the ontology was read, not an empty file
    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)  # raises if inconsistent
    assert list(world.inconsistent_classes()) == []


def test_hermit_rejects_a_datatype_outside_the_owl2_map(tmp_path):
    """The check can fail: the old range of gs:targetPeriod (xsd:gYearMonth) is refused."""
    period = URIRef("https://w3id.org/graphsvc/def#targetPeriod")
    data = Graph()
    data += graph.ontology()  # a copy: the loaded ontology may be shared
    data.set((period, RDFS.range, XSD.gYearMonth))
    path = tmp_path / "old.nt"
    data.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load(format="ntriples")
    with pytest.raises(owlready2.OwlReadyJavaError, match="gYearMonth"):
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
