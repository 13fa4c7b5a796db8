"""A browsed table (graphsvc.answers.browse) as a sheet, for `graphsvc items --format csv` and the
/browse pages' CSV and XLSX downloads alike."""

import io

from graphsvc.answers.browse import FACETS
from graphsvc.spreadsheet import csv_io, xlsx_io
from graphsvc.spreadsheet.table import Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table(found: dict) -> Table:
    """The rows: name, title, then each facet (several values joined by "; "), then the IRI."""
    facets = FACETS[found["table"]]
    header = ["name", "title", *facets.values(), "iri"]
    rows = [[row["name"], row["title"], *("; ".join(row[key]) for key in facets), row["iri"]] for row in found["rows"]]
    return Table(found["table"], header, rows)


def csv_text(found: dict) -> str:
    return csv_io.text(table(found))


def xlsx_bytes(found: dict) -> bytes:
    out = io.BytesIO()
    xlsx_io.write([table(found)], out)
    return out.getvalue()
