"""``/browse/items`` and ``/browse/measures``: every item or success measure as a table with facets
and their counts; the selection is in the URL (``?lead=...&measurable=no``, a facet repeated for
any of several values) and the page downloads as CSV, XLSX or JSON; the CSV and XLSX end with each
row's progress as at this quarter, or the period ``?as-at=`` names."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, request

from graphsvc.answers import progress, progress_view
from graphsvc.answers.browse import FACETS, UnknownFacet, browse
from graphsvc.spreadsheet import browse as sheet
from graphsvc.web.http import site
from graphsvc.web.http.representation import Download, check_suffix, respond
from graphsvc.web.pages.terms import local_path

blueprint = Blueprint("browse", __name__)


def _toggled(filters: dict[str, list[str]], facet: str, value: str) -> str:
    """The query string with ``value`` of ``facet`` added to the selection, or taken out of it."""
    chosen = {key: list(values) for key, values in filters.items()}
    values = chosen.setdefault(facet, [])
    values.remove(value) if value in values else values.append(value)
    return urlencode([(key, v) for key, vs in chosen.items() for v in vs])


def _page(table: str, filters: dict[str, list[str]]) -> dict:
    found = browse(site.current().engine, table, filters)
    for facet in found["facets"]:
        for value in facet["values"]:
            value["chosen"] = value["value"] in filters.get(facet["facet"], [])
            value["href"] = f"/browse/{table}?" + _toggled(filters, facet["facet"], value["value"])
    for row in found["rows"]:
        row["href"] = local_path(row["iri"])
    found["facet_labels"] = FACETS[table]
    return found


@blueprint.route("/browse/<any(items, measures):table>")
@blueprint.route("/browse/<any(items, measures):table>.<fmt>")
def page(table: str, fmt=None):
    filters = {key: request.args.getlist(key) for key in request.args if key not in ("format", "as-at")}
    engine = site.current().engine
    try:
        browse(engine, table, filters)  # a facet that does not exist: 400, before anything else
        at = progress.as_period(request.args.get("as-at"))  # the downloads' progress columns, as at
    except UnknownFacet as error:
        abort(400, description=str(error))
    except progress.ProgressError as error:
        abort(400, description=f"as-at: {error}")
    as_at = [("as-at", at.name)] if request.args.get("as-at") else []
    query = urlencode([(key, v) for key, vs in filters.items() for v in vs] + as_at)
    name = f"{table}" + ("-selection" if filters else "")

    def sheet_of(write):
        found = _page(table, filters)
        return write(found, progress_view.for_items(engine, (row["iri"] for row in found["rows"]), at))

    downloads = {
        "csv": Download("text/csv; charset=utf-8", name, lambda: sheet_of(sheet.csv_text).encode("utf-8-sig")),
        "xlsx": Download(sheet.XLSX_TYPE, name, lambda: sheet_of(sheet.xlsx_bytes)),
    }
    return respond(
        f"/browse/{table}",
        check_suffix(fmt),
        "browse.html",
        lambda: _page(table, filters),
        query=query,
        downloads=downloads,
    )
