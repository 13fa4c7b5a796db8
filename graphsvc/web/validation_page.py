"""``/validation``: the shapes audit of the served graph, run once at start-up, counts first."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort

from . import site
from .representation import check_suffix, respond
from .terms import local_path

blueprint = Blueprint("validation_page", __name__)

SEVERITIES = ("Violation", "Warning", "Info")


def _report() -> dict:
    audit = site.current().audit.report
    data = audit.to_json()
    by_owner: dict[str, Counter] = {}
    for finding in audit.results:  # a finding on an item with two leads counts for each
        for owner in (finding.owner or "(no owner)").split("; "):
            by_owner.setdefault(owner, Counter())[finding.severity] += 1
    data["by_owner"] = [
        {"owner": owner, **{s: counts[s] for s in SEVERITIES}, "total": sum(counts.values())}
        for owner, counts in sorted(by_owner.items(), key=lambda kv: -sum(kv[1].values()))
    ]
    data["by_severity"] = {s: sum(1 for f in audit.results if f.severity == s) for s in SEVERITIES}
    for result in data["results"]:
        result["href"] = local_path(result["focus"]) if result.get("focus") else None
    order = {s: n for n, s in enumerate(SEVERITIES)}
    data["results"].sort(key=lambda r: (order.get(r["severity"], 9), r.get("owner") or "", r.get("ref") or ""))
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
