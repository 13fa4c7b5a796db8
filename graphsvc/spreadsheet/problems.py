"""The row-level problem list an import reports, all at once, instead of stopping at the first."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is (sheet, row, column) and why.

    A problem with the file as a whole (not a workbook, no such folder) has no sheet.
    """

    sheet: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        if not self.sheet:
            return self.reason
        place = [f"sheet {self.sheet!r}"]
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column is not None:
            place.append(f"column {self.column!r}")
        return f"{', '.join(place)}: {self.reason}"


def whole_file(reason: str) -> Problem:
    return Problem("", None, None, reason)


class ImportProblems(Exception):
    """Raised when the input has problems; nothing is imported. str() is one line per problem."""

    def __init__(self, problems: list[Problem], more: int = 0):
        self.problems = problems
        self.more = more  # problems found beyond those listed (an upload lists the first few hundred)
        lines = [str(p) for p in problems] + ([f"and {more} more"] if more else [])
        super().__init__("\n".join(lines))
