"""The shapes audit of an imported plan, read together with the organisation it names."""

from .. import validation
from . import vocabulary


def audit_plan(plan) -> validation.AuditReport:
    """Audit the plan as the service would hold it: with the organisation (the audit adds the ontology)."""
    return validation.audit(vocabulary.organisation() + plan)


def audit_lines(report: validation.AuditReport) -> list[str]:
    """The audit as lines of text: a verdict with counts, then one line per finding."""
    counts = report.totals["by_severity"]
    verdict = "conforms" if report.conforms else "does not conform"
    lines = [f"Shapes audit: {verdict} ({counts['Violation']} violations, {counts['Warning']} warnings, "
             f"{counts['Info']} notes)."]
    for finding in report.results:
        lines.append(f"  {finding.severity:<9} {finding.message}")
    return lines
