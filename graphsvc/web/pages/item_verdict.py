"""The verdict an item or activity page leads with: who owns it and through whom, whether it has a
measurable outcome and why, its partners, dates, progress and caveats, its open findings, and the
trail plan > strand > item (plan > objective > activity).

Built from ownership.item_detail() (the same answer as `graphsvc item`), the organisation chart
ownership rolls up through, the audit's findings and one query (queries/item_verdict.rq) for the
plan, caveats and progress.
"""

from __future__ import annotations

from rdflib import URIRef

from graphsvc.answers import ownership, verdicts
from graphsvc.audit.report import Namer
from graphsvc.engine.engines import Engine
from graphsvc.queries import query
from graphsvc.web.pages.terms import local_path
from graphsvc.words import joined


def _above(engine: Engine, leads: list[dict]) -> list[dict]:
    """Whom the item counts for: everything the leads' accountability rolls up to, nearest first, by
    the audit's own roll-up (so this page and /validation count an item for the same owners)."""
    return [
        {"iri": agent.iri, "name": agent.name, "href": local_path(agent.iri)}
        for agent in Namer(engine).counts_for([lead["iri"] for lead in leads])
    ]


def _people(entries: list[dict]) -> list[dict]:
    return [{"iri": e["iri"], "label": e["label"], "where": e["where"], "href": local_path(e["iri"])} for e in entries]


def _measurable(item: dict) -> dict:
    measures = [
        {
            "ref": m["ref"],
            "title": m["title"],
            "measurability": m["measurability"],
            "reason": m["reason"],
            "href": local_path(m["iri"]),
        }
        for m in item["measures"]
    ]
    found = verdicts.measurable_outcome(item["kind"], measures)
    return {"answer": found["answer"], "text": found["text"], "measures": measures}


def _findings(item: dict, report) -> list[dict] | None:
    """The audit's findings on the item or its measures and actions (None without an audit)."""
    if report is None:
        return None
    own = {item["iri"], *(m["iri"] for m in item["measures"]), *(a["iri"] for a in item["actions"])}
    return [
        {"severity": f.severity, "check": f.shape, "message": f.message, "fix": f.fix, "href": local_path(f.focus)}
        for f in report.results
        if f.focus in own
    ]


def verdict(engine: Engine, iri: str, audit) -> dict:
    """The verdict of the item or activity ``iri`` as JSON-ready data (``audit``: the served
    site.AuditState, or None: its report's findings on the item, or why there are none)."""
    report = audit.report if audit is not None else None
    item = ownership.item_detail(engine, iri)
    rows = engine.query(query("item_verdict"), {"item": URIRef(iri)}).rows
    plan = next((row for row in rows if "plan" in row), None)
    caveats: dict[str, dict] = {}
    for row in rows:
        if "caveat" in row:
            caveats[str(row["caveat"])] = {
                "text": str(row["caveatText"]),
                "on": str(row["onLabel"]) if "onLabel" in row else None,
                "href": local_path(str(row["on"])),
            }
    statuses = sorted({str(row.get("statusLabel", row["status"])) for row in rows if "status" in row})
    entries = any("entry" in row for row in rows)
    leads = _people(item["leads"])
    above = _above(engine, item["leads"])
    if leads:
        owner_text = f"Led by {joined([lead['where'] for lead in leads])}"
        if above:
            owner_text += f"; so it counts for {joined([a['name'] for a in above])}"
    else:
        owner_text = "No lead is named"
    so = item["strand_or_objective"]
    trail = [
        {
            "kind": "plan",
            "label": str(plan["planTitle"]) if plan else item["plan_title"],
            "href": local_path(str(plan["plan"])) if plan else None,
        },
        {
            "kind": so["kind"],
            "label": f"{so['kind'].capitalize()} {so['ref']}: {so['title']}",
            "href": local_path(so["iri"]),
        },
        {"kind": item["kind"], "label": _named(item), "href": None},
    ]
    if statuses:
        progress = joined(statuses)
    elif entries:
        progress = "none printed (the plan's progress column is empty)"
    else:
        progress = "the printed plan has no progress column" if item["kind"] != "activity" else "none printed"
    return {
        "owner": {"text": owner_text, "leads": leads, "supporting": _people(item["supporting"]), "counts_for": above},
        "measurable": _measurable(item),
        "partners": [
            {**p, "stated_in": e.get("stated_in")} for p, e in zip(_people(item["partners"]), item["partners"])
        ],
        "target_date": item["target_date"],
        "progress": progress,
        "caveats": list(caveats.values()),
        "findings": _findings(item, report),
        "findings_note": None if report is not None else (audit.why_none if audit is not None else "no audit"),
        "trail": trail,
    }


def _named(item: dict) -> str:
    """ "Item 1.1", "Activity 1-5": an activity has no printed ref, and its name already says its kind."""
    name = item["ref"] or item["name"]
    if not name.lower().startswith(item["kind"].lower()):
        name = f"{item['kind']} {name}"
    return name[:1].upper() + name[1:]
