"""A sheet as read or written: a header and rows of cell texts (row 1 is the header)."""

from dataclasses import dataclass, field


@dataclass
class Table:
    name: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    file: str = ""  # the workbook or CSV file it was read from ("" when made in memory)

    def numbered_rows(self):
        """(spreadsheet row number, {header: cell}, [numbers of filled columns with no header])
        for each row that is not blank; columns are numbered from 1 as A, B, ... are."""
        for number, cells in enumerate(self.rows, start=2):
            if any(c.strip() for c in cells):
                padded = [*cells, *[""] * (len(self.header) - len(cells))]
                stray = [
                    i
                    for i, cell in enumerate(padded, start=1)
                    if cell.strip() and (i > len(self.header) or not self.header[i - 1])
                ]
                yield number, dict(zip(self.header, padded)), stray
