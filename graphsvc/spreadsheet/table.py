"""A sheet as read or written: a header and rows of cell texts (row 1 is the header)."""

from dataclasses import dataclass, field


@dataclass
class Table:
    name: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def numbered_rows(self):
        """(spreadsheet row number, {header: cell}) for each row that is not blank."""
        for number, cells in enumerate(self.rows, start=2):
            if any(c.strip() for c in cells):
                padded = [*cells, *[""] * (len(self.header) - len(cells))]
                yield number, dict(zip(self.header, padded))
