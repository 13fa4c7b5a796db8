"""The shapes audit of an imported plan, read together with the organisation it names."""

from functools import cache

from rdflib import Graph
from rdflib.namespace import DCTERMS

from graphsvc.audit import validation
from graphsvc.engine import graph
from graphsvc.spreadsheet import vocabulary


@cache
def _organisation_context() -> Graph:
    """The organisation, with the source documents it cites described as the plan files describe them.

    The organisation cites both built-in plans' documents; without their descriptions an audit
    of one plan alone would report the other plan's document as having no file name.
    """
    organisation = vocabulary.organisation()
    context = Graph() + organisation
    built_in = graph.default()
    for document in set(organisation.objects(None, DCTERMS.source)):
        for triple in built_in.triples((document, None, None)):
            context.add(triple)
    return context


def audit_plan(plan: Graph) -> validation.AuditReport:
    """Audit the plan as the service would hold it: with the organisation (the audit adds the ontology)."""
    return validation.audit(_organisation_context() + plan)
