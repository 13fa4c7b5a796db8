"""`graphsvc export`: a plan as a spreadsheet (an XLSX workbook or a folder of CSV files)."""

from pathlib import Path

import click

from graphsvc.commands import refuse_remote_source
from graphsvc.engine.graph import GraphLoadError
from graphsvc.spreadsheet.export import ExportError, export_plan
from graphsvc.spreadsheet.files import FORMATS, PlanNotFound, default_target, plan_graph, write_tables


@click.command("export")
@click.argument("plan")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(FORMATS),
    default="xlsx",
    show_default=True,
    help="One XLSX workbook, or a folder of CSV files (one per sheet).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Where to write [default: plan-REF.xlsx, or the folder plan-REF-csv].",
)
def export(plan, file_format, out):
    """Write a plan as a spreadsheet (XLSX workbook or CSV folder).

    PLAN is a built-in plan's ref such as 2007-10, or a plan's Turtle file. The sheets and columns
    are described in docs/spreadsheets.md; `graphsvc import` reads the result back into the same graph.
    """
    refuse_remote_source("export", "writes a built-in plan or a plan file as a spreadsheet")
    try:
        source = plan_graph(plan)
        tables = export_plan(source)
    except (PlanNotFound, GraphLoadError, ExportError) as error:
        raise click.ClickException(str(error)) from error
    ref = tables[0].rows[0][0]
    target = out or default_target(ref, file_format)
    try:
        write_tables(tables, target, file_format)
    except OSError as error:
        raise click.ClickException(f"cannot write {target}: {error.strerror}") from error
    rows = sum(len(t.rows) for t in tables)
    click.echo(f"Wrote plan {ref} to {target}: {len(tables)} sheets, {rows} rows.")
