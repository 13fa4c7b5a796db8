"""Site.extra was a dict read by string keys in four modules, and Site.audit a report or a string."""

import dataclasses

from graphsvc.audit.report import AuditReport
from graphsvc.web.app import create_app
from graphsvc.web.http.site import AuditState, Site


def test_site_has_named_fields_and_one_audit_state():
    assert "extra" not in {field.name for field in dataclasses.fields(Site)}
    served = create_app().extensions["graphsvc"]
    assert isinstance(served.audit, AuditState) and isinstance(served.audit.report, AuditReport)
    assert served.settings.sparql_row_cap == 10_000 and served.answers_from == "memory"


def test_health_reads_the_typed_fields():
    app = create_app({"AUDIT": False})
    health = app.test_client().get("/health").get_json()
    assert health["answers_from"] == "memory" and health["queries"]["workers"] == 2
