"""The row-level problem list an import reports, all at once, instead of stopping at the first."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is (sheet, row, column) and why."""

    sheet: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        place = [f"sheet {self.sheet!r}"]
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column is not None:
            place.append(f"column {self.column!r}")
        return f"{', '.join(place)}: {self.reason}"


class ImportProblems(Exception):
    """Raised when the input has problems; nothing is imported. str() is one line per problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
