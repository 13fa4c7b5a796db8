"""The progress sheet of a workbook (layout.PROGRESS) read into checked reports: every row is
checked first, and the problems are listed by sheet, row and column as a plan import lists them."""

from __future__ import annotations

from graphsvc.answers import progress_writes
from graphsvc.spreadsheet import layout
from graphsvc.spreadsheet.problems import ImportProblems, Problem, whole_file
from graphsvc.spreadsheet.table import Table

SHEET = layout.PROGRESS
_HEADERS = [column.header for column in SHEET.columns]

# Which column a refusal is about, by the words of its one line.
_COLUMN_BY_WORDS = (
    ("not a reporting period", "period"),
    ("period", "period"),
    ("narrative", "narrative"),
    ("value", "value"),
    ("status", "status"),
    ("RAG", "rag"),
    ("evidence", "evidence"),
    ("--by", "by"),
    ("attributed", "by"),
    ("is no report", "supersedes"),
    ("superseded", "supersedes"),
)


def _column(reason: str) -> str:
    for words, column in _COLUMN_BY_WORDS:
        if words in reason:
            return column
    return "item or measure"


def drafts(tables: list[Table]) -> list[tuple[int, progress_writes.Draft]]:
    """The rows of the progress sheet as drafts, by row number; ImportProblems for a missing sheet,
    unknown or missing columns and empty required cells."""
    found = [t for t in tables if t.name == SHEET.name]
    if not found:
        raise ImportProblems([whole_file(f"no sheet named {SHEET.name!r}: its columns are {', '.join(_HEADERS)}")])
    table = found[0]
    problems = [Problem(SHEET.name, 1, header, "not a column of this sheet") for header in table.header
                if header and header not in _HEADERS]  # fmt: skip
    problems += [Problem(SHEET.name, 1, c.header, "column missing") for c in SHEET.columns
                 if c.required and c.header not in table.header]  # fmt: skip
    if problems:
        raise ImportProblems(problems)
    rows = []
    for number, cells, stray in table.numbered_rows():
        for column in stray:
            problems.append(Problem(SHEET.name, number, None, f"a value in column {column}, which has no header"))
        for column in SHEET.columns:
            if column.required and not cells.get(column.header, "").strip():
                problems.append(Problem(SHEET.name, number, column.header, "required, and empty"))
        evidence = [line.strip() for line in cells.get("evidence", "").splitlines() if line.strip()]
        draft = progress_writes.Draft(
            cells.get("item or measure", ""),
            cells.get("period", ""),
            cells.get("status", ""),
            cells.get("by") or None,
            cells.get("rag") or None,
            cells.get("value") or None,
            cells.get("narrative") or None,
            evidence,
            cells.get("supersedes", "").strip() or None,
        )
        rows.append((number, draft))
    if problems:
        raise ImportProblems(problems)
    if not rows:
        raise ImportProblems([Problem(SHEET.name, None, None, "no reports: the sheet has no rows")])
    return rows


def checked(engine, tables: list[Table]) -> list[progress_writes.Prepared]:
    """Every row checked against the report shapes in one run; ImportProblems unless all are good."""
    rows = drafts(tables)
    prepared, errors = progress_writes.prepare_many(engine, [draft for _, draft in rows], "workbook")
    if errors:
        raise ImportProblems([Problem(SHEET.name, rows[n][0], _column(e), e) for n, e in errors.items()])
    return prepared
