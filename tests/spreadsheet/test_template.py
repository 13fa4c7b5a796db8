"""The empty template workbook behind /import: every sheet with its headers and a guide to each column,
reachable from every page's navigation."""

from io import BytesIO

from openpyxl import load_workbook

from graphsvc.sandbox import uploads
from graphsvc.spreadsheet import layout
from graphsvc.spreadsheet.problems import ImportProblems
from graphsvc.web.app import create_app


def test_the_template_downloads_with_every_sheet_and_a_guide():
    client = create_app({"AUDIT": False}).test_client()
    assert b'href="/import"' in client.get("/").data  # the navigation leads to it
    assert b'href="/import/template.xlsx"' in client.get("/import").data
    answer = client.get("/import/template.xlsx")
    assert answer.status_code == 200 and "attachment" in answer.headers["Content-Disposition"]
    workbook = load_workbook(BytesIO(answer.data), read_only=True)
    editable = [sheet for sheet in layout.SHEETS if not sheet.reference_only]
    assert workbook.sheetnames == [layout.GUIDE, *(sheet.name for sheet in editable)]
    measures = next(sheet for sheet in editable if sheet.name == "measures")
    header = next(workbook["measures"].iter_rows(values_only=True))
    assert list(header) == [column.header for column in measures.columns]
    guide = [row for row in workbook[layout.GUIDE].iter_rows(values_only=True)]
    assert ("measures", "target value") in {(row[0], row[1]) for row in guide}
    assert all(row[3] for row in guide[1:])  # every column is explained


def test_the_guide_sheet_is_not_read_as_data():
    answer = create_app({"AUDIT": False}).test_client().get("/import/template.xlsx")
    try:
        uploads.checked_import([uploads.Upload("template.xlsx", answer.data)], uploads.limits(30))
    except ImportProblems as error:
        reasons = [problem.reason for problem in error.problems]
    else:
        raise AssertionError("an empty template imported as a plan")
    assert not any("unknown sheet" in reason for reason in reasons)
    assert any("plan" in reason for reason in reasons)
