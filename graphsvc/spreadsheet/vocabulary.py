"""The words cells use for things outside the plan: concepts, classes and the organisation's names.

Concept and class labels come from the ontology and agent names from the organisation
graph (data/organisation.ttl), so a new unit or a new status needs no change here.
"""

from dataclasses import dataclass
from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graphsvc import resources
from graphsvc.answers import names
from graphsvc.engine import graph
from graphsvc.engine.engines import embedded

AGENT_TYPES = tuple(URIRef(iri) for iri in names.KINDS)


@cache
def ontology() -> Graph:
    return graph.ontology()


@cache
def organisation() -> Graph:
    paths = [p for p in resources.data_files() if p.name == "organisation.ttl"]
    return graph.load(paths)


def concepts(scheme: URIRef) -> dict[str, URIRef]:
    """The scheme's concepts by their label, e.g. {"increase": gs:Increase, ...}."""
    onto = ontology()
    return {str(onto.value(c, SKOS.prefLabel)): c for c in onto.subjects(SKOS.inScheme, scheme)}


def class_label(cls: URIRef) -> str:
    return str(ontology().value(cls, RDFS.label))


class UnknownName(ValueError):
    """A name that is not the name of anything known, or of several things."""


@cache
def _organisation_engine():
    return embedded(organisation(), "rdflib")


@dataclass(frozen=True)
class Names:
    """The organisation's agents and the ontology's classes, by the name export writes for them."""

    labels: dict[URIRef, str]  # an agent's prefLabel, a class's rdfs:label
    classes: dict[str, URIRef]  # by case-folded label

    def resolve(self, name: str, classes: bool = False) -> URIRef:
        """The agent (or, if classes, the agent or ontology class) the name names.

        Agents are found by graphsvc.answers.names (labels, other labels, initials...) over the
        organisation graph alone, so that a plan's import never depends on other plans.
        """
        if classes and " ".join(name.split()).casefold() in self.classes:
            return self.classes[" ".join(name.split()).casefold()]
        try:
            return URIRef(names.resolve(_organisation_engine(), name).iri)
        except (names.NameNotFound, names.AmbiguousName) as error:
            raise UnknownName(str(error)) from error

    def name_of(self, iri) -> str | None:
        return self.labels.get(iri)


@cache
def known_names() -> Names:
    org = organisation()
    labels = {
        agent: str(org.value(agent, SKOS.prefLabel))
        for rdf_type in AGENT_TYPES
        for agent in org.subjects(RDF.type, rdf_type)
    }
    onto = ontology()
    classes = {}
    for cls in onto.subjects(RDF.type, OWL.Class):
        label = onto.value(cls, RDFS.label)
        if label is not None:
            labels[cls] = str(label)
            classes[str(label).casefold()] = cls
    return Names(labels, classes)
