"""A plan written in the template workbook was told its own rows were invalid: the import added a
violation for every row's missing source document and line (13 for a one-item plan)."""

import json
from pathlib import Path

from click.testing import CliRunner

from graphsvc.cli import main
from graphsvc.spreadsheet.files import read_tables, write_tables

NEW_PLAN = Path(__file__).parents[1] / "spreadsheet" / "new_plan"


def test_a_plan_written_in_a_workbook_has_no_source_findings(tmp_path):
    workbook = tmp_path / "my plan.xlsx"
    write_tables(read_tables(NEW_PLAN), workbook, "xlsx")
    result = CliRunner().invoke(main, ["import", str(workbook), "--out", str(tmp_path / "plan.ttl")])
    assert result.exit_code == 0, result.output
    turtle = (tmp_path / "plan.ttl").read_text()
    assert "<https://w3id.org/graphsvc/id/document/2008-11/my-plan.xlsx> a gs:Workbook" in turtle
    assert 'gs:sourceSheet "items"' in turtle
    report = CliRunner().invoke(main, ["validate", str(tmp_path / "plan.ttl"), "--format", "json"])
    findings = json.loads(report.output)["results"]
    assert not [f for f in findings if f["shape"].startswith("integrity:Source")], findings
    assert not [f for f in findings if f["shape"] == "integrity:CellSourceLine"], findings
