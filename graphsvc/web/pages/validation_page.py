"""``/validation``: the shapes audit of the served graph, run once at start-up: the plain answers
first, then the findings counted by owner up the organisation and by check, each with its fix.

``?owner=<IRI or name>`` lists one owner's findings (the rows of the owners' table link there);
``/validation.csv`` is every finding, one a row, as `graphsvc validate --format csv` writes them.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from graphsvc.audit import report as audit_report
from graphsvc.spreadsheet import csv_io
from graphsvc.spreadsheet.table import Table
from graphsvc.web.http import site
from graphsvc.web.http.representation import check_suffix, respond
from graphsvc.web.pages.terms import local_path


def failed_check(finding: dict) -> str:
    """A finding in a few words, for a printed report: the element and the check it fails, by the
    shape's own label ("4.1.2 fails 'success measures are measurable'")."""
    label = audit_report.checks_described().get(finding.get("shape"), {}).get("label") or finding.get("shape")
    name = finding.get("ref") or str(finding.get("focus") or "").rstrip("/").rsplit("/", 1)[-1]
    return f"{name} fails '{label}'"


blueprint = Blueprint("validation_page", __name__)


def _served_report():
    served = site.current()
    if served.audit.report is None:
        abort(503, description=f"the validation report is not available: {served.audit.why_none}")
    return served.audit.report


def _report() -> dict:
    report = _served_report()
    data = report.to_json()
    data["by_owner"] = audit_report.gaps_per_owner(report.results)
    data["by_severity"] = report.totals["by_severity"]
    for result in data["results"]:
        result["href"] = local_path(result["focus"]) if result.get("focus") else None
    for row in data["by_organisation"]:
        row["href"] = local_path(row["iri"]) if row.get("iri") else None
        row["filter"] = row.get("iri") or row["owner"]
    owner = request.args.get("owner", "").strip()
    shown = data["results"]
    if owner:
        chosen = next((row for row in data["by_organisation"] if owner in (row.get("iri"), row["owner"])), None)
        if chosen is None:
            abort(404, description=f"no finding counts for {owner!r}: the owners are listed at /validation")
        kept = {id(f) for f in audit_report.findings_of(report.results, owner)}
        shown = [r for f, r in zip(report.results, data["results"]) if id(f) in kept]
        data["owner"] = chosen
    data["shown"] = _by_check(shown)
    return data


def _by_check(results: list[dict]) -> list[dict]:
    """Findings grouped by check, most severe first, each group with what the check asks."""
    about = audit_report.checks_described()
    groups: dict[str, dict] = {}
    for result in sorted(results, key=lambda r: audit_report.SEVERITIES.index(r["severity"])):
        group = groups.setdefault(
            result["shape"],
            {
                "check": result["shape"],
                "severity": result["severity"],
                **about.get(result["shape"], {}),
                "findings": [],
            },
        )
        group["findings"].append(result)
    return list(groups.values())


@blueprint.route("/validation.csv")
def report_csv():
    report = _served_report()
    body = csv_io.text(Table("findings", audit_report.CSV_HEADER, audit_report.csv_rows(report.results)))
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": 'attachment; filename="validation.csv"',
            "Link": '</validation>; rel="canonical"',
        },
    )


@blueprint.route("/validation")
@blueprint.route("/validation.<fmt>")
def report(fmt=None):
    served = site.current()
    _served_report()
    return respond(
        "/validation", check_suffix(fmt), "validation.html", _report, lambda: served.audit.report.report_graph
    )
