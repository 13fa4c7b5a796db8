"""`graphsvc export` and `graphsvc import` on the command line."""

from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from graphsvc.cli import main
from graphsvc.commands.validate import format_text
from graphsvc.spreadsheet.audit import audit_plan


def test_export_then_import_writes_the_plan_and_prints_the_audit(plan_graphs, tmp_path):
    runner = CliRunner()
    workbook = tmp_path / "plan.xlsx"
    exported = runner.invoke(main, ["export", "--format", "xlsx", "2007-10", "--out", str(workbook)])
    assert exported.exit_code == 0, exported.output
    assert exported.output == f"Wrote plan 2007-10 to {workbook}: 20 sheets, 247 rows.\n"
    turtle = tmp_path / "plan.ttl"
    imported = runner.invoke(main, ["import", str(workbook), "--out", str(turtle)])
    assert imported.exit_code == 0, imported.output
    lines = imported.output.splitlines()
    assert lines[0] == f"Wrote {turtle}: 1397 triples."
    assert lines[1:] == format_text(audit_plan(plan_graphs["2007-10"]), str(turtle)).splitlines()
    assert lines[1].startswith(f"Audit of {turtle}: violations found (")
    assert any("1.3 'Tackle emerging drug threats'" in line for line in lines[2:])
    assert "mps-priority-2004-5" not in imported.output  # the other plan's document is described
    assert isomorphic(Graph().parse(turtle), plan_graphs["2007-10"])


def test_csv_export_of_the_2004_5_plan(plan_graphs, tmp_path):
    folder = tmp_path / "csv"
    result = CliRunner().invoke(main, ["export", "--format", "csv", "2004-5", "--out", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "activities.csv").is_file() and (folder / "data-sources.csv").is_file()
    turtle = tmp_path / "plan.ttl"
    assert CliRunner().invoke(main, ["import", str(folder), "--out", str(turtle)]).exit_code == 0
    assert isomorphic(Graph().parse(turtle), plan_graphs["2004-5"])


def test_a_broken_file_lists_its_problems_and_writes_nothing(tmp_path):
    runner = CliRunner()
    folder = tmp_path / "csv"
    runner.invoke(main, ["export", "--format", "csv", "2007-10", "--out", str(folder)])
    measures = folder / "measures.csv"
    text = measures.read_text(encoding="utf-8-sig")
    measures.write_text(text.replace("\n1.1.3,1.1,", "\n1.1.2,1.1,"), encoding="utf-8")
    turtle = tmp_path / "plan.ttl"
    result = runner.invoke(main, ["import", str(folder), "--out", str(turtle)])
    assert result.exit_code == 1
    assert not turtle.exists()
    assert result.stderr.splitlines() == [
        "sheet 'measures', row 4, column 'ref': duplicate ref '1.1.2' (first on row 3)",
        f"Error: 1 problem(s) in {folder}; nothing written",
    ]


def test_unknown_plan_is_one_line():
    result = CliRunner().invoke(main, ["export", "nope"])
    assert result.exit_code == 1
    assert (
        result.output == "Error: no plan file 'nope' and no built-in plan with that ref (built-in: 2007-10, 2004-5)\n"
    )
