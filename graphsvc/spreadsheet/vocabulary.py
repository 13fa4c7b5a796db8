"""The words cells use for things outside the plan: concepts, classes and the organisation's names.

Concept and class labels come from the ontology and agent names from the organisation
graph (data/organisation.ttl), so a new unit or a new status needs no change here.
"""

import difflib
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, ORG, OWL, RDF, RDFS, SKOS

from .. import graph, resources
from ..namespaces import GS

AGENT_TYPES = (ORG.FormalOrganization, ORG.OrganizationalUnit, GS.BusinessGroup, ORG.Post,
               FOAF.Person, GS.PartnerAgency)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


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


@dataclass(frozen=True)
class Names:
    """Names of the organisation's agents (labels and other labels) and of the ontology's classes."""

    by_key: dict[str, frozenset[URIRef]]
    labels: dict[URIRef, str]  # the name export writes: the prefLabel (a class's rdfs:label)
    spellings: tuple[str, ...]  # every name, for suggestions
    classes: frozenset[URIRef]

    def resolve(self, name: str, classes: bool = False) -> URIRef:
        """The agent (or, if classes, the agent or class) the name names."""
        found = {i for i in self.by_key.get(_key(name), ()) if classes or i not in self.classes}
        if len(found) == 1:
            return found.pop()
        if found:
            options = ", ".join(sorted(repr(self.labels[f]) for f in found))
            raise UnknownName(f"{name!r} names more than one thing: {options}")
        close = difflib.get_close_matches(name, self.spellings, n=3, cutoff=0.6)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        raise UnknownName(f"unknown name {name!r}{hint}")

    def name_of(self, iri) -> str | None:
        return self.labels.get(iri)


@cache
def names() -> Names:
    org = organisation()
    by_key: dict[str, set[URIRef]] = {}
    labels: dict[URIRef, str] = {}
    spellings: set[str] = set()
    agents = {s for t in AGENT_TYPES for s in org.subjects(RDF.type, t)}
    for agent in agents:
        labels[agent] = str(org.value(agent, SKOS.prefLabel))
        for label in (*org.objects(agent, SKOS.prefLabel), *org.objects(agent, SKOS.altLabel)):
            by_key.setdefault(_key(str(label)), set()).add(agent)
            spellings.add(str(label))
    onto = ontology()
    classes = set()
    for cls in onto.subjects(RDF.type, OWL.Class):
        label = onto.value(cls, RDFS.label)
        if label is not None:
            classes.add(cls)
            labels[cls] = str(label)
            by_key.setdefault(_key(str(label)), set()).add(cls)
    return Names({k: frozenset(v) for k, v in by_key.items()}, labels,
                 tuple(sorted(spellings)), frozenset(classes))
