"""`graphsvc import`: a plan spreadsheet turned into Turtle, checked, then run through the shapes.

The workbook or CSV files are read, imported and audited in a confined child, as an upload to
the web is (graphsvc.sandbox.uploads): a file over the size cap, or a workbook whose reading runs past
the time limit or the memory cap, is one problem line and nothing is written.
"""

from pathlib import Path

import click

from graphsvc import settings
from graphsvc.commands import refuse_remote_source
from graphsvc.commands.validate import FILE_LIMITS, file_limits, format_text
from graphsvc.sandbox import uploads
from graphsvc.spreadsheet.files import source_files
from graphsvc.spreadsheet.problems import ImportProblems


@click.command("import")
@click.argument("source", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The Turtle file to write.")
@settings.options("import", only=FILE_LIMITS)
@click.pass_context
def import_plan(context, source, out, **given):
    """Turn a plan spreadsheet into Turtle, then audit it against the shapes.

    FILE is an .xlsx workbook or a folder of CSV files, laid out as `graphsvc export` writes
    them. Every problem is listed (sheet, row, column, reason) and nothing is written unless the
    whole file is good; the imported plan is then audited against the shapes.
    """
    refuse_remote_source("import", "turns a spreadsheet into a Turtle file")
    max_mb, limits = file_limits(context, "import", given)
    try:
        read = [uploads.Upload(name, data) for name, data in source_files(source, max_mb)]
        done = uploads.checked_import(read, limits)
    except ImportProblems as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(error.problems)} problem(s) in {source}; nothing written") from None
    try:
        out.write_text(done.turtle, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {out}: {error.strerror}") from error
    click.echo(f"Wrote {out}: {done.triples} triples.")
    click.echo(format_text(done.report, str(out)))
