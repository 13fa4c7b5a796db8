"""Tables as one XLSX workbook, a worksheet per sheet, through openpyxl."""

from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from graphsvc.spreadsheet.neutralise import neutralise
from graphsvc.spreadsheet.problems import ImportProblems, whole_file
from graphsvc.spreadsheet.table import Table

MAX_WIDTH = 60  # characters; longer texts wrap


def write(tables: list[Table], target: Path | BinaryIO):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.name)
        sheet.append(table.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([neutralise(cell) for cell in row])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.data_type = "s"  # never a formula, whatever the text
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        for number, column in enumerate(sheet.iter_cols(), start=1):
            widest = max(len(line) for cell in column for line in str(cell.value or "").split("\n"))
            sheet.column_dimensions[get_column_letter(number)].width = min(max(widest, 8) + 2, MAX_WIDTH)
    workbook.save(target)


def _text(value) -> str:
    """A cell's value as the text a person typed: dates as YYYY-MM-DD, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def read(source: Path | BinaryIO, name: str = "workbook") -> list[Table]:
    try:
        workbook = load_workbook(source, read_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise ImportProblems([whole_file(f"{name} is not an XLSX workbook ({reason})")]) from error
    tables = []
    for sheet in workbook.worksheets:
        rows = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        if rows:
            tables.append(Table(sheet.title, [h.strip() for h in rows[0]], rows[1:], file=name))
    workbook.close()
    return tables
