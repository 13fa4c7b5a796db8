"""`graphsvc progress add | list | import | owners`: write progress reports, checked first, read them
back, and see who has items due, overdue, stale or not yet reported on.

A write goes where the source keeps its reports: the journal beside a store (`--store DIR`), the
REPORTS_DIR folder for the built-in graph, or the endpoint's graph of written reports. Bad input
and a refused write (a newer report exists) are one line and exit status 2, with nothing written.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click

from graphsvc.answers import names, periods, progress, progress_view, progress_writes
from graphsvc.engine import session
from graphsvc.refs import natural_key


class Refused(click.ClickException):
    """A report not written: one line, exit status 2."""

    exit_code = 2


def _writable_source():
    source = session.source()
    if source.in_memory and not source.reports:
        raise Refused(
            "the built-in graph keeps no reports between runs: give --store DIR or --reports-dir DIR to keep them"
        )
    return source


def _written(source, engine, prepared) -> list:
    try:
        records = progress_writes.write(source, engine, prepared)
    except progress_writes.WriteError as error:
        raise Refused(str(error)) from None
    session.forget()  # the next read sees what was written
    return records


@click.group()
def progress_command():
    """Progress reports on delivery items, activities and success measures, period by period."""


@progress_command.command("add")
@click.argument("element", metavar="ITEM-OR-MEASURE")
@click.option("--period", required=True, help="Reporting period: 2008-2009, 2008-2009/Q1, 2008-Q3 or 2008-07.")
@click.option("--status", required=True, help=f"How it stands: {', '.join(progress_writes.STATUSES)}.")
@click.option("--rag", help="The owner's RAG: red, amber or green.")
@click.option("--value", help="The value reached (quantified success measures only), in the target's unit.")
@click.option("--note", help="The narrative: required when red or off track.")
@click.option("--evidence", multiple=True, help="A link that bears the report out (repeatable).")
@click.option("--by", "by", required=True, help="The person or post reporting: an IRI, its last part, or a name.")
@click.option(
    "--supersedes", help="The report this one corrects (the newest for the element and period): its IRI or last part."
)
def add(element, period, status, rag, value, note, evidence, by, supersedes):
    """Add one report, checked against the report shapes first."""
    source = _writable_source()
    engine = session.current()
    draft = progress_writes.Draft(element, period, status, by, rag, value, note, list(evidence), supersedes)
    try:
        prepared = progress_writes.prepare(engine, draft, "cli")
    except progress_writes.WriteError as error:
        raise Refused(str(error)) from None
    (record,) = _written(source, engine, [prepared])
    click.echo(f"Added {record.report}: {prepared.element.name} for {prepared.period.name}")


COLUMNS = ("ref", "period", "status", "owner_rag", "value", "by", "generated", "report", "revises", "narrative")


def listed(engine, source, element: str | None, period: str | None) -> list[dict]:
    """Reports as rows: the element's ref, the report's own fields and how it was written."""
    known = progress.elements(engine)
    iri = progress.find(engine, element).iri if element else None
    within = periods.parse(period) if period else None
    audits = {record.report: record.audit for record in progress_writes.records(source)}
    rows = []
    for report in progress.reports(engine, iri):
        if within and not (within.begin <= report.period.begin and report.period.end <= within.end):
            continue
        found = known.get(report.element)
        row = {"element": report.element, "ref": found.ref if found else None, **report.as_dict()}
        row["written"] = audits.get(report.iri)
        rows.append(row)
    return rows


@progress_command.command("list")
@click.argument("element", required=False, metavar="[ITEM-OR-MEASURE]")
@click.option("--period", help="Only reports for periods within this one.")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
def list_command(element, period, output_format):
    """Every report (or one element's), oldest period first, corrections included."""
    engine = session.current()
    try:
        rows = listed(engine, session.source(), element, period)
    except (progress.ProgressError, periods.PeriodError) as error:
        raise Refused(str(error)) from None
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
    elif output_format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, [*COLUMNS, "interface"], extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "interface": (row["written"] or {}).get("interface")})
        click.echo(out.getvalue(), nl=False)
    elif not rows:
        click.echo("No reports.")
    else:
        for row in rows:
            rag = f", {row['owner_rag']}" if row["owner_rag"] else ""
            value = f", value {row['value']:g}" if row["value"] is not None else ""
            click.echo(f"{row['ref'] or row['element']}  {row['period']}: {row['status']}{rag}{value}")
            by = (row["by"] or "").rsplit("/", 1)[-1]
            corrects = f"; corrects {row['revises']}" if row["revises"] else ""
            click.echo(f"    {row['report']} by {by or 'unknown'} at {row['generated']}{corrects}")
            if row["narrative"]:
                click.echo(f"    {row['narrative']}")


@progress_command.command("import")
@click.argument("source", metavar="FILE", type=click.Path(path_type=Path))
def import_command(source):
    """Add a whole period's reports from the "progress" sheet of a workbook (or progress.csv in a
    folder): every row is checked first, and nothing is written unless every row is good."""
    from graphsvc.spreadsheet import progress_sheet
    from graphsvc.spreadsheet.files import read_tables
    from graphsvc.spreadsheet.problems import ImportProblems

    target = _writable_source()
    engine = session.current()
    try:
        prepared = progress_sheet.checked(engine, read_tables(source))
    except ImportProblems as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise Refused(f"{len(error.problems)} problem(s) in {source}; nothing written") from None
    records = _written(target, engine, prepared)
    click.echo(f"Added {len(records)} report(s) from {source}")


FLAGS = progress_view.COUNT_WORDS  # the counts, in the words and order the pages use


@progress_command.command("owners")
@click.argument("name", nargs=-1)
@click.option("--as-at", "as_at", help="The period to read the state at: 2008-Q3, 2008-07... (default: this quarter).")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
def owners_command(name, as_at, output_format):
    """Per owner, rolled up as ownership is (a unit's items count for its business group and the
    force too): how many items, activities and measures are due this period, overdue, stale and
    with no report yet. With NAME ("SCD", a person, a post), that owner's, element by element."""
    engine = session.current()
    try:
        at = progress.as_period(as_at)
        if name:
            entity = names.resolve(engine, " ".join(name))
            rows = [progress.of_owner(engine, entity.iri, at)]
        else:
            rows = progress.by_owner(engine, at)
    except (progress.ProgressError, names.NameNotFound, names.AmbiguousName) as error:
        raise Refused(str(error)) from None
    known = progress.elements(engine)
    for row in rows:
        row["as_at"] = at.name
        for flag in FLAGS:  # in plan order, as the pages list them
            row[flag] = sorted((_element(known[iri]) for iri in row[flag]), key=lambda e: natural_key(e["name"]))
    if output_format == "json":
        click.echo(json.dumps(rows if not name else rows[0], indent=2))
    elif output_format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["owner", "owner_iri", "as_at", *FLAGS])
        for row in rows:
            writer.writerow([row["label"] or row["agent"], row["agent"], at.name, *(row["counts"][f] for f in FLAGS)])
        click.echo(out.getvalue(), nl=False)
    elif name:
        row = rows[0]
        click.echo(f"{row['label'] or row['agent']}, as at {at.label}:")
        for flag, words in FLAGS.items():
            click.echo(f"  {words}: {row['counts'][flag]}")
            for element in row[flag]:
                click.echo(f"    {element['name']}: {element['label'] or element['element']}")
    else:
        click.echo(f"As at {at.label}: " + ", ".join(f"{w}" for w in FLAGS.values()))
        for row in rows:
            counts = "  ".join(f"{row['counts'][f]:>4}" for f in FLAGS)
            click.echo(f"  {counts}  {row['label'] or row['agent']}")


def _element(found: progress.Element) -> dict:
    return {"element": found.iri, "ref": found.ref, "name": found.name, "kind": found.kind, "label": found.label}
