"""The validation report page: the audit run once at start-up, counts first, findings linked."""

import json

from rdflib import Graph
from rdflib.namespace import SH

SCD_LEAD = "Assistant Commissioner Specialist Crime"


def test_counts_per_owner_and_severity_come_first(client, app):
    audit = app.extensions["graphsvc"].audit.report
    report = json.loads(client.get("/validation.json").data)
    assert report["by_severity"]["Violation"] == sum(1 for f in audit.results if f.severity == "Violation") > 0
    owners = {row["owner"]: row for row in report["by_owner"]}
    assert owners[SCD_LEAD]["total"] == sum(1 for f in audit.results if SCD_LEAD in (f.owner or ""))
    html = client.get("/validation").get_data(as_text=True)
    assert html.index("The answers") < html.index("Findings by owner") < html.index("Every finding (")


def test_findings_link_to_their_element(client):
    report = json.loads(client.get("/validation.json").data)
    item_13 = next(r for r in report["results"] if r["ref"] == "1.3" and r["severity"] == "Violation")
    assert item_13["href"] == "/id/item/2007-10/1.3" and "no measurable success measure" in item_13["message"]
    html = client.get("/validation").get_data(as_text=True)
    assert '<a href="/id/item/2007-10/1.3">delivery item 1.3</a>' in html
    assert client.get(item_13["href"]).status_code == 200


def test_report_as_shacl_rdf(client):
    report = Graph().parse(data=client.get("/validation.ttl").data, format="turtle")
    assert (None, SH.conforms, None) in report and len(set(report.subjects(SH.resultSeverity, None))) > 0


def test_audit_is_run_once_at_start_up(client, app):
    audit = app.extensions["graphsvc"].audit.report
    client.get("/validation")
    assert app.extensions["graphsvc"].audit.report is audit
