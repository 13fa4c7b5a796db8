"""The accountability answer as a table: one row per item and role, in words an analyst reads.

The CSV and the XLSX are written by csv_io and xlsx_io, so every cell is neutralised against
formula injection as every other export is.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from graphsvc.roles import ROLE_ORDER
from graphsvc.spreadsheet import csv_io, progress_columns, xlsx_io
from graphsvc.spreadsheet.table import Table

ROLE_NAMES = {"lead": "leads", "supporting": "supports", "partner": "partner on"}
HEADER = [
    "Plan",
    "Item",
    "Title",
    "Strand or objective",
    "Role",
    "How",
    "Measurable outcome",
    "Why",
    "Owners",
    "Partner agencies",
    "Target date",
    "Open findings",
    "Item page",
    "Owner pages",
    "Partner pages",
    *progress_columns.HEADER,  # appended, so that the columns before keep their places
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table(answer: dict, link: Callable[[str], str] = str) -> Table:
    """The answer's items, one row per item and role; ``link`` turns an IRI into the page address.
    The progress columns are empty unless the answer was made with its progress."""
    rows = []
    for role in ROLE_ORDER:
        for item in answer[role]:
            parent = item["strand_or_objective"]
            findings = item.get("findings")
            rows.append(
                [
                    item["plan"],
                    item["name"],
                    item["title"],
                    f"{parent['kind']} {parent['ref']}: {parent['title']}",
                    ROLE_NAMES[role],
                    item["via"],
                    item["verdict"],
                    item["reason"],
                    "; ".join(owner["label"] for owner in item["owners"]),
                    "; ".join(partner["label"] for partner in item["partners"]),
                    item["target_date"] or "",
                    "(audit not run)" if findings is None else "\n".join(f["message"] for f in findings),
                    link(item["iri"]),
                    " ".join(link(owner["iri"]) for owner in item["owners"]),
                    " ".join(link(partner["iri"]) for partner in item["partners"]),
                    *progress_columns.cells(item.get("progress")),
                ]
            )
    return Table("accountability", list(HEADER), rows)


def csv_text(answer: dict, link: Callable[[str], str] = str) -> str:
    return csv_io.text(table(answer, link))


def xlsx_bytes(answer: dict, link: Callable[[str], str] = str) -> bytes:
    out = io.BytesIO()
    xlsx_io.write([table(answer, link)], out)
    return out.getvalue()
