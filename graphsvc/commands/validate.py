"""`graphsvc validate`: the shapes audit of the built-in plans or of a user's own plan files.

Exit codes are for CI jobs: 0 no Violation, 1 Violations, 2 input that cannot be read.
A user's files are read and audited in a confined child (graphsvc.sandbox.uploads): a file over the
size cap, or one whose parse runs past the time limit or the memory cap, is a one-line exit 2.
"""

import json
import textwrap

import click

from graphsvc import settings
from graphsvc.audit import report as audit_report
from graphsvc.audit.sparql_audit import audit_engine
from graphsvc.audit.validation import SEVERITIES, SHAPE_SETS, AuditReport, audit
from graphsvc.engine import graph, session
from graphsvc.engine.graph import GraphLoadError
from graphsvc.sandbox import uploads
from graphsvc.spreadsheet import csv_io
from graphsvc.spreadsheet.table import Table

EXIT_VIOLATIONS = 1
EXIT_UNREADABLE = 2


def _table(title: str, heading: str, rows: list[dict]) -> list[str]:
    width = max(len(heading), *(len(row["owner"]) for row in rows))
    lines = ["", title, f"  {heading:<{width}}  " + "  ".join(f"{s:>9}" for s in SEVERITIES)]
    return lines + [f"  {row['owner']:<{width}}  " + "  ".join(f"{row[s]:>9}" for s in SEVERITIES) for row in rows]


def format_text(report: AuditReport, source: str) -> str:
    """The counts and the plain answers first, then the gaps per owner up the organisation and per lead,
    then the findings grouped by lead and severity, each with what would fix it."""
    totals = report.totals
    counts = ", ".join(f"{s}: {totals['by_severity'][s]}" for s in SEVERITIES)
    verdict = "no violations" if report.conforms else "violations found"
    lines = [f"Audit of {source}: {verdict} ({counts})"]
    answers = audit_report.plain_answers(report)
    if answers:
        lines += [""] + [f"  {answer['text']}" for answer in answers]
    if not report.results:
        return "\n".join(lines)
    lines += _table("Gaps per lead", "lead", audit_report.gaps_per_owner(report.results))
    lines += _table("Gaps per owner, up the organisation", "owner", audit_report.gaps_per_organisation(report.results))
    lines += textwrap.wrap(audit_report.COUNTING_RULE, 100, initial_indent="  ", subsequent_indent="  ")
    for owner, found in audit_report.grouped_by_owner(report.results).items():
        lines += ["", owner]
        for severity in SEVERITIES:
            findings = [f for f in found if f.severity == severity]
            if findings:
                lines.append(f"  {severity} ({len(findings)})")
                for f in findings:
                    lines.append(f"    - {f.message} [{f.shape}]")
                    lines += [f"      fix: {f.fix}"] if f.fix else []
    return "\n".join(lines)


def format_csv(report: AuditReport) -> str:
    """Every finding, one a row, for a spreadsheet: formula-like cells neutralised as every export is."""
    return csv_io.text(Table("findings", audit_report.CSV_HEADER, audit_report.csv_rows(report.results)))


FILE_LIMITS = ("FILE_MAX_MB", "FILE_TIME_LIMIT", "FILE_MEMORY_MB")


def file_limits(context: click.Context, command: str, given: dict) -> tuple[float, uploads.Limits]:
    """The size cap of a user's file and the confined child's limits, as the command's options say
    (shared with `graphsvc import`; names and defaults in graphsvc.settings)."""
    chosen = settings.values(context, command, given)
    return chosen["FILE_MAX_MB"], uploads.limits(chosen["FILE_TIME_LIMIT"], chosen["FILE_MEMORY_MB"])


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--shapes",
    "shape_choice",
    type=click.Choice([*SHAPE_SETS, "all"]),
    default="all",
    show_default=True,
    help="Which shape set(s) to run.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "csv", "turtle"]),
    default="text",
    show_default=True,
    help="A readable report, JSON findings, the findings as CSV (one a row), or the sh:ValidationReport as Turtle.",
)
@settings.options("validate", only=FILE_LIMITS)
@click.pass_context
def validate(ctx, files, shape_choice, output_format, **given):
    """Audit the built-in plans (or the --store or --sparql-endpoint given), or FILES (Turtle, JSON-LD,
    RDF/XML plan files) with the ontology.

    Exit code 0 when there is no Violation, 1 when there are Violations, 2 when a file cannot be read.
    """
    shape_sets = SHAPE_SETS if shape_choice == "all" else (shape_choice,)
    source = session.source()
    if files and not source.in_memory:
        raise click.UsageError(f"validate audits FILES on their own, or {source.describe()} without FILES: not both")
    try:
        if files:
            max_mb, limits = file_limits(ctx, "validate", given)
            report = uploads.checked_audit(files, shape_sets, max_mb, limits)
        elif source.in_memory:
            report = audit(graph.default(), shape_sets)
        else:  # the shapes' SPARQL form, asked of the store or the endpoint
            report = audit_engine(session.current(), shape_sets)
    except GraphLoadError as error:
        click.echo(f"graphsvc validate: {error}", err=True)
        ctx.exit(EXIT_UNREADABLE)
    if output_format == "json":
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    elif output_format == "csv":
        click.echo(format_csv(report), nl=False)
    elif output_format == "turtle":
        click.echo(report.report_graph.serialize(format="turtle"))
    else:
        audited = ", ".join(files) if files else "the built-in plans" if source.in_memory else source.describe()
        click.echo(format_text(report, audited))
    ctx.exit(0 if report.totals["by_severity"]["Violation"] == 0 else EXIT_VIOLATIONS)
