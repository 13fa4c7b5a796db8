"""Tables as a folder of CSV files, one per sheet ("data sources" is data-sources.csv).

Files are written UTF-8 with a byte-order mark so that spreadsheet programs read the
dashes and bullets of the plans correctly; reading accepts them with or without one.
"""

import csv
import io
from pathlib import Path

from graphsvc.spreadsheet.neutralise import neutralise
from graphsvc.spreadsheet.problems import ImportProblems, Problem, whole_file
from graphsvc.spreadsheet.table import Table


def file_name(sheet: str) -> str:
    return sheet.replace(" ", "-") + ".csv"


def _write_rows(table: Table, handle) -> None:
    writer = csv.writer(handle)
    writer.writerow(table.header)
    writer.writerows([neutralise("" if cell is None else str(cell)) for cell in row] for row in table.rows)


def write(tables: list[Table], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in tables:
        path = folder / file_name(table.name)
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            _write_rows(table, handle)
        paths.append(path)
    return paths


def text(table: Table) -> str:
    """One table as CSV text, neutralised as the files are (callers add a byte-order mark if they save it)."""
    out = io.StringIO(newline="")
    _write_rows(table, out)
    return out.getvalue()


def read_files(files: list[tuple[str, bytes]], source: str) -> list[Table]:
    """The tables of CSV files given as (file name, bytes), as a folder or an upload holds them."""
    tables, problems = [], []
    for name, data in files:
        sheet = Path(name).stem.replace("-", " ")
        try:
            records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        except UnicodeDecodeError as error:
            problems.append(Problem(sheet, None, None, f"{name} is not UTF-8 text (byte {error.start})"))
            continue
        except csv.Error as error:
            problems.append(Problem(sheet, None, None, f"{name} is not readable CSV: {error}"))
            continue
        if records:
            tables.append(Table(sheet, [h.strip() for h in records[0]], records[1:], file=name))
    if problems:
        raise ImportProblems(problems)
    if not tables:
        raise ImportProblems([whole_file(f"{source} has no .csv files")])
    return tables
