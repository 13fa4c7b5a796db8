"""An empty plan workbook to fill in: every sheet of the layout with its headers, and a guide sheet
that says, column by column, what to write (from the layout's own descriptions, so it cannot drift)."""

from io import BytesIO

from graphsvc.spreadsheet import layout, xlsx_io
from graphsvc.spreadsheet.table import Table

GUIDE_HEADER = ["sheet", "column", "required", "what to write"]


def tables() -> list[Table]:
    guide = Table(layout.GUIDE, GUIDE_HEADER)
    sheets = []
    for sheet in layout.SHEETS:
        if sheet.reference_only:
            continue
        sheets.append(Table(sheet.name, [column.header for column in sheet.columns]))
        guide.rows.append([sheet.name, "", "", sheet.doc])
        for column in sheet.columns:
            required = "yes" if column.required or column.header == sheet.key else ""
            guide.rows.append([sheet.name, column.header, required, explain(sheet, column)])
    return [guide, *sheets]


# What a cell of each kind takes, where the layout gives a column no words of its own.
KINDS = {
    layout.TEXT: "Text, as printed.",
    layout.LINES: "Line numbers of the source document, comma-separated.",
    layout.DECIMAL: "A number, e.g. 50.0.",
    layout.DATE: "A date, YYYY-MM-DD.",
    layout.MONTH: "A month, YYYY-MM.",
    layout.YEAR: "A year, YYYY.",
    layout.UNIT: "A QUDT unit by its name, e.g. PERCENT.",
    layout.NAME: "The name of a unit, post, person or partner agency, as the organisation knows it.",
    layout.FLAG: "yes or no.",
    layout.TOP_CONCEPTS: "yes or no.",
    layout.IRI: "prefix:local (e.g. gs:Lead) or a full IRI in <angle brackets>.",
}


def explain(sheet: layout.Sheet, column: layout.Column) -> str:
    """The column's own words, else what its kind of cell takes."""
    if column.doc:
        text = column.doc
    elif column.header == sheet.key:
        text = "The row's id: other sheets refer to the row by it."
    elif column.kind == layout.REF:
        text = f"The id of a row of the '{column.target}' sheet."
    elif column.kind == layout.CONCEPT:
        text = f"A label of the {str(column.scheme).rsplit('#', 1)[-1]} scheme, e.g. increase."
    elif column.kind == layout.KIND:
        text = "The kind of row: " + ", ".join(str(c).rsplit("#", 1)[-1] for c in column.choices) + "."
    else:
        text = KINDS.get(column.kind, "Text.")
    return text + (" Several: one a line." if column.multi and column.kind != layout.LINES else "")


def workbook() -> bytes:
    """The template as XLSX bytes."""
    out = BytesIO()
    xlsx_io.write(tables(), out)
    return out.getvalue()
