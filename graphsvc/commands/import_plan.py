"""`graphsvc import`: a plan spreadsheet turned into Turtle, checked, then run through the shapes."""

from pathlib import Path

import click

from ..spreadsheet.audit import audit_plan
from ..spreadsheet.files import read_tables
from ..spreadsheet.importer import import_tables
from ..spreadsheet.problems import ImportProblems
from .validate import format_text


@click.command("import")
@click.argument("source", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The Turtle file to write.")
def import_plan(source, out):
    """Turn a plan spreadsheet into Turtle, then audit it against the shapes.

    FILE is an .xlsx workbook or a folder of CSV files, laid out as `graphsvc export` writes
    them. Every problem is listed (sheet, row, column, reason) and nothing is written unless the
    whole file is good; the imported plan is then audited against the shapes.
    """
    try:
        plan = import_tables(read_tables(source))
    except ImportProblems as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(error.problems)} problem(s) in {source}; nothing written")
    try:
        out.write_text(plan.serialize(format="turtle"), encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {out}: {error.strerror}") from error
    click.echo(f"Wrote {out}: {len(plan)} triples.")
    click.echo(format_text(audit_plan(plan), str(out)))
