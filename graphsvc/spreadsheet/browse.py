"""A browsed table (graphsvc.answers.browse) as a sheet, for `graphsvc items --format csv` and the
/browse pages' CSV and XLSX downloads alike."""

import io

from graphsvc.answers.browse import FACETS
from graphsvc.spreadsheet import csv_io, progress_columns, xlsx_io
from graphsvc.spreadsheet.table import Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table(found: dict, states: dict[str, dict] | None = None) -> Table:
    """The rows: name, title, then each facet (several values joined by "; "), then the IRI, then, given
    ``states`` (progress_view.for_items, by IRI), the progress columns, appended after the rest."""
    facets = FACETS[found["table"]]
    header = ["name", "title", *facets.values(), "iri"]
    rows = [[row["name"], row["title"], *("; ".join(row[key]) for key in facets), row["iri"]] for row in found["rows"]]
    if states is not None:
        header += progress_columns.HEADER
        rows = [
            cells + progress_columns.cells(states.get(row["iri"]))
            for cells, row in zip(rows, found["rows"], strict=True)
        ]
    return Table(found["table"], header, rows)


def csv_text(found: dict, states: dict[str, dict] | None = None) -> str:
    return csv_io.text(table(found, states))


def xlsx_bytes(found: dict, states: dict[str, dict] | None = None) -> bytes:
    out = io.BytesIO()
    xlsx_io.write([table(found, states)], out)
    return out.getvalue()
