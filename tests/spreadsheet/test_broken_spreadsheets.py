"""A corpus of broken spreadsheets, each made by breaking the exported built-in plan in one way
(or several), and the exact problem list an import reports for it: sheet, row, column, reason.
"""

import pytest

from graphsvc.spreadsheet.files import FORMATS, read_tables, write_tables
from graphsvc.spreadsheet.importer import import_tables
from graphsvc.spreadsheet.problems import ImportProblems
from graphsvc.spreadsheet.table import Table

from .conftest import sheet


def set_cell(name, key, column, text):
    """Edit: in sheet `name`, on the row whose first cell is `key` (or row number `key`), set a cell."""

    def edit(tables):
        table = sheet(tables, name)
        index = key - 2 if isinstance(key, int) else next(i for i, r in enumerate(table.rows) if r[0] == key)
        table.rows[index][table.header.index(column)] = text

    return edit


def add_cell(name, key, text):
    """Edit: a value after the last column of a row, under no header."""

    def edit(tables):
        next(r for r in sheet(tables, name).rows if r[0] == key).append(text)

    return edit


def rename_column(name, old, new):
    def edit(tables):
        table = sheet(tables, name)
        table.header[table.header.index(old)] = new

    return edit


def drop_sheet(name):
    def edit(tables):
        tables.remove(sheet(tables, name))

    return edit


def add_sheet(name):
    def edit(tables):
        tables.append(Table(name, ["ref"], [["1"]]))

    return edit


CORPUS = {
    "missing ref": (
        "2007-10",
        [set_cell("measures", "1.1.3", "ref", "")],
        [
            "sheet 'measures', row 4, column 'ref': missing ref",
        ],
    ),
    "duplicate ref": (
        "2007-10",
        [set_cell("measures", "1.1.3", "ref", "1.1.2")],
        [
            "sheet 'measures', row 4, column 'ref': duplicate ref '1.1.2' (first on row 3)",
        ],
    ),
    "ref that cannot be part of an IRI": (
        "2007-10",
        [set_cell("measures", "1.1.3", "ref", "1.1 3")],
        [
            "sheet 'measures', row 4, column 'ref': ref '1.1 3' cannot be part of an IRI "
            '(no spaces or any of <>"{}|\\^`#?/%)',
        ],
    ),
    "measure pointing to an unknown item": (
        "2007-10",
        [set_cell("measures", "2.1.1", "item", "9.9")],
        [
            "sheet 'measures', row 10, column 'item': unknown ref '9.9' (not on the items sheet)",
        ],
    ),
    "unparseable target": (
        "2007-10",
        [set_cell("measures", "7.1.1", "target value", "fifty")],
        [
            "sheet 'measures', row 27, column 'target value': unparseable target value 'fifty' (expected a number, e.g. 50.0)",
        ],
    ),
    "unparseable target unit": (
        "2007-10",
        [set_cell("measures", "5.1.1", "target unit", "per cent")],
        [
            "sheet 'measures', row 18, column 'target unit': unparseable target unit 'per cent' "
            "(expected a QUDT unit name, e.g. PERCENT)",
        ],
    ),
    "unparseable dates": (
        "2004-5",
        [
            set_cell("activities", "1-1", "target date", "30/04/2004"),
            set_cell("activities", "1-2", "target date", "2004-09-31"),
            set_cell("activities", "1-2", "target month", "2004-13"),
        ],
        [
            "sheet 'activities', row 2, column 'target date': unparseable target date '30/04/2004' "
            "(expected a date written YYYY-MM-DD)",
            "sheet 'activities', row 3, column 'target date': unparseable target date '2004-09-31' "
            "(day is out of range for month)",
            "sheet 'activities', row 3, column 'target month': unparseable target month '2004-13' "
            "(expected a month written YYYY-MM)",
        ],
    ),
    "unknown unit": (
        "2007-10",
        [set_cell("responsibilities", 2, "name", "Borough Comand Units")],
        [
            "sheet 'responsibilities', row 2, column 'name': no unit, post or person called 'Borough Comand Units'; "
            "did you mean: Borough Command Units (unit)?",
        ],
    ),
    "unknown name without a close match": (
        "2007-10",
        [set_cell("actions", "1.1-1", "mentions", "Nobody")],
        [
            "sheet 'actions', row 2, column 'mentions': no unit, post or person called 'Nobody'",
        ],
    ),
    "unknown concept and source line": (
        "2007-10",
        [set_cell("measures", "1.1.1", "direction", "up"), set_cell("items", "1.1", "source lines", "40, forty")],
        [
            "sheet 'items', row 2, column 'source lines': unparseable source line 'forty' (give line numbers, e.g. 77, 86)",
            "sheet 'measures', row 2, column 'direction': unknown value 'up' (expected one of 'increase', 'decrease')",
        ],
    ),
    "responsibility for both an item and an activity, and for nothing": (
        "2004-5",
        [
            set_cell("responsibilities", 2, "item", "1.1"),
            set_cell("responsibilities", 3, "activity", ""),
        ],
        [
            "sheet 'responsibilities', row 2, column 'item / activity': give exactly one of item or activity",
            "sheet 'responsibilities', row 2, column 'item': unknown ref '1.1' (not on the items sheet)",
            "sheet 'responsibilities', row 3, column 'item / activity': give exactly one of item or activity",
        ],
    ),
    "missing text": (
        "2007-10",
        [set_cell("items", "1.2", "what we seek to do", "")],
        [
            "sheet 'items', row 3, column 'what we seek to do': missing what we seek to do",
        ],
    ),
    "a value under no header": (
        "2007-10",
        [add_cell("items", "1.2", "Cdr Smith")],
        [
            "sheet 'items', row 3, column 'F': a value in a column with no header",
        ],
    ),
    "missing and misspelt columns, unknown sheet": (
        "2007-10",
        [
            rename_column("measures", "item", "itme"),
            add_sheet("measure"),
        ],
        [
            "sheet 'measures', row 1, column 'item': missing column",
            "sheet 'measures', row 1, column 'itme': unknown column",
            "sheet 'measure': unknown sheet (the layout has: plan, documents, vision, aims, schemes, strands, "
            "indicators, data sources, footnotes, items, actions, measures, objectives, themes, activities, "
            "responsibilities, abbreviations, assumptions, organisation, partners)",
        ],
    ),
    "no plan sheet": (
        "2004-5",
        [drop_sheet("plan")],
        [
            "sheet 'plan': missing sheet: every workbook needs its plan sheet",
        ],
    ),
    "several problems at once": (
        "2007-10",
        [
            set_cell("items", "1.3", "strand", "8"),
            set_cell("measures", "1.1.3", "ref", "1.1.1"),
            set_cell("measures", "1.1.1", "item", "1.4"),
            set_cell("footnotes", "7", "marker", ""),
        ],
        [
            "sheet 'footnotes', row 8, column 'marker': missing marker",
            "sheet 'items', row 4, column 'strand': unknown ref '8' (not on the strands sheet)",
            "sheet 'measures', row 2, column 'item': unknown ref '1.4' (not on the items sheet)",
            "sheet 'measures', row 4, column 'ref': duplicate ref '1.1.1' (first on row 2)",
            "sheet 'measures', row 27, column 'footnotes': unknown marker '7' (not on the footnotes sheet)",
        ],
    ),
}


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("case", CORPUS)
def test_broken_spreadsheet_reports_exactly_its_problems(case, file_format, exported, tmp_path):
    plan, edits, expected = CORPUS[case]
    tables = exported[plan]
    for edit in edits:
        edit(tables)
    target = tmp_path / ("broken.xlsx" if file_format == "xlsx" else "broken")
    write_tables(tables, target, file_format)
    with pytest.raises(ImportProblems) as raised:
        import_tables(read_tables(target))
    assert [str(p) for p in raised.value.problems] == expected


def test_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("ref,label\n", encoding="utf-8")
    with pytest.raises(ImportProblems) as raised:
        read_tables(path)
    assert [str(p) for p in raised.value.problems] == ["plan.xlsx is not an XLSX workbook (File is not a zip file)"]


def test_a_csv_file_that_is_not_utf8(exported, tmp_path):
    write_tables(exported["2004-5"], tmp_path, "csv")
    (tmp_path / "themes.csv").write_bytes("id,label\nx,caf\xe9\n".encode("latin-1"))
    with pytest.raises(ImportProblems) as raised:
        read_tables(tmp_path)
    assert [str(p) for p in raised.value.problems] == ["sheet 'themes': themes.csv is not UTF-8 text (byte 14)"]
