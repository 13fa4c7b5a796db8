"""``/id/report/...``: each progress report's own page (and its RDF and JSON), so that every report
IRI the writing side mints dereferences, as the plans' IRIs do.

Reports live in named graphs, which the plans' page queries do not look into: a report page reads
the report through the progress answers (queries/progress_reports.rq) and its RDF through
queries/report_describe.rq. It says what the report says, what it is on, who wrote it, when and
through which interface (the journal's audit entry), and which reports correct it.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort
from rdflib import URIRef

from graphsvc.answers import names, progress, progress_writes
from graphsvc.namespaces import ID
from graphsvc.queries import query
from graphsvc.web.http import site
from graphsvc.web.http.representation import respond, split_suffix

blueprint = Blueprint("report_page", __name__)

# How a write came in, as the report page says it ("written with the command line").
INTERFACE_WORDS = {"cli": "the command line", "web": "the web", "workbook": "a workbook"}


def _when(instant: str) -> str:
    """A report's time as people read it: "6 December 2026, 04:44 UTC" (times are written in UTC)."""
    try:
        made = datetime.fromisoformat(instant)
    except ValueError:
        return instant
    return f"{made.day} {made:%B %Y, %H:%M} UTC"


@blueprint.route("/id/report/<path:rest>")
def report(rest: str):
    stem, suffix = split_suffix(rest)
    iri = f"{ID}report/{stem}"
    served = site.current()
    engine = served.engine
    found = progress.report(engine, iri)
    if found is None:
        abort(404, description=f"no progress report {iri}")

    def page() -> dict:
        if found.get("by"):
            try:
                found["by_label"] = names.resolve(engine, found["by"]).label
            except names.NameNotFound:
                found["by_label"] = found["by"].rsplit("/", 1)[-1]
        written = next((r.audit for r in progress_writes.records(served.source) if r.report == iri), None)
        if written:
            written = {
                **written,
                "interface_words": INTERFACE_WORDS.get(written.get("interface"), written.get("interface")),
            }
        found["generated_words"] = _when(found["generated"])
        name = found["element_ref"] or found["element_label"] or found["element"]
        return {
            "iri": iri,
            "kind": "report",
            "title": f"Report on {found['element_kind'] or 'element'} {name} for {found['period']}",
            "report": found,
            "written": written,
        }

    return respond(
        f"/id/report/{stem}",
        suffix,
        "report.html",
        page,
        lambda: engine.query(query("report_describe"), {"s": URIRef(iri)}).graph,
        cached=True,
    )
