"""The shapes audit of an imported plan, read together with the organisation it names."""

from .. import validation
from . import vocabulary


def audit_plan(plan) -> validation.AuditReport:
    """Audit the plan as the service would hold it: with the organisation (the audit adds the ontology)."""
    return validation.audit(vocabulary.organisation() + plan)

