"""``/validation``: the shapes audit of the served graph, run once at start-up, counts first."""

from __future__ import annotations

from flask import Blueprint, abort

from graphsvc.audit import report as audit_report
from graphsvc.web.http import site
from graphsvc.web.http.representation import check_suffix, respond
from graphsvc.web.pages.terms import local_path

blueprint = Blueprint("validation_page", __name__)


def _report() -> dict:
    report = site.current().audit.report
    data = report.to_json()
    data["by_owner"] = audit_report.gaps_per_owner(report.results)
    data["by_severity"] = report.totals["by_severity"]
    for result in data["results"]:
        result["href"] = local_path(result["focus"]) if result.get("focus") else None
    return data


@blueprint.route("/validation")
@blueprint.route("/validation.<fmt>")
def report(fmt=None):
    served = site.current()
    if served.audit.report is None:
        abort(503, description=f"the validation report is not available: {served.audit.why_none}")
    return respond(
        "/validation", check_suffix(fmt), "validation.html", _report, lambda: served.audit.report.report_graph
    )
