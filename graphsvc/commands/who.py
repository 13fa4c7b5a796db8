"""`graphsvc who NAME`: what an organisation, unit, post, person or partner answers for, how, and
whether each item can be measured."""

import json

import click
from rdflib import BNode

from graphsvc.answers import names, progress
from graphsvc.answers.accountability import BadFilter, answer
from graphsvc.answers.ownership import ROLE_ORDER
from graphsvc.audit import report as audit_report
from graphsvc.audit import sparql_audit
from graphsvc.engine import session
from graphsvc.engine.engines import QueryError, RdflibEngine
from graphsvc.spreadsheet.accountability import csv_text

HEADINGS = {"lead": "Leads", "supporting": "Supports", "partner": "Partner on"}


def _findings_on(engine, result: dict) -> list:
    """The audit's findings on the answer's items and their measures. The shapes as SPARQL find every
    finding at once (seconds at 1M triples); naming one costs queries (minutes for all of them at
    1M), so only those that can be about these items are named."""
    items = [item for role in ROLE_ORDER for item in result[role]]
    wanted = {item["iri"] for item in items} | {m["iri"] for item in items for m in item["measures"]}
    namer = audit_report.Namer(engine)
    named = [
        namer.finding(r.severity, r.focus, r.value, r.shape, r.message)
        for r in sparql_audit.run(engine)
        if isinstance(r.focus, BNode) or str(r.focus) in wanted  # a blank node is named by its element
    ]
    return audit_report.report(named).results


@click.command()
@click.argument("name", nargs=-1, required=True)
@click.option("--plan", help="Only this plan's items (its ref: 2007-10 or 2004-5).")
@click.option("--role", type=click.Choice(ROLE_ORDER), help="Only the items NAME has this role on.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="Output as readable text, as JSON, or as CSV (one row per item and role).",
)
@click.option(
    "--findings/--no-findings",
    default=None,
    help="Show the audit's open findings on each item (default: on, except with --engine rdflib, where"
    " the audit takes half a minute rather than a tenth of a second).",
)
@click.option(
    "--as-at",
    "as_at",
    metavar="PERIOD",
    callback=lambda ctx, param, value: _period(value),
    help="Show progress as at this period: a quarter (2008-Q3), a month (2008-07) or a financial year"
    " (2008-2009); default: this quarter.",
)
def who(name, plan, role, output_format, findings, as_at):
    """Items NAME leads, supports or partners on, rolled up through the organisation, by plan,
    each with whether its outcome is measurable, its partners, target date and audit findings.

    NAME is what you know it by: "SCD", "Specialist Crime Directorate", "AC SC",
    "Drugs Directorate", "Hitchcock", "BOCU", or an IRI. Quotes are optional.
    """
    engine = session.current()
    note = "the audit was not run (add --findings)"
    asked = {"plan": plan, "role": role, "with_progress": True, "as_at": as_at}
    try:
        result = answer(engine, " ".join(name), audit_note=note, **asked)
        if findings or (findings is None and not isinstance(engine, RdflibEngine)):
            try:
                found = _findings_on(engine, result)
            except QueryError as error:
                result = answer(engine, " ".join(name), audit_note=f"the audit failed: {error}", **asked)
            else:
                result = answer(engine, " ".join(name), findings=found, **asked)
    except (names.NameNotFound, names.AmbiguousName, BadFilter, QueryError) as error:
        raise click.ClickException(str(error)) from error
    if output_format == "json":
        click.echo(json.dumps(result, indent=2))
        return
    if output_format == "csv":
        click.echo(csv_text(result), nl=False)
        return
    entity = result["entity"]
    click.echo(f"{entity['label']} ({entity['kind']}) <{entity['iri']}>")
    click.echo(result["summary"]["overview"])
    if not result["audit"]["ran"]:
        click.echo(f"No audit findings shown: {result['audit']['note']}.")
    for joint in result["summary"]["jointly_owned"]:
        click.echo(f"Note: {joint['note']}.")
    click.echo(result["progress_counts"]["text"])
    reported = result["progress_counts"]["reported"]
    for plan_row in result["summary"]["by_plan"]:
        click.echo(f"\n{plan_row['title']} ({plan_row['plan']})")
        for each in ROLE_ORDER:
            rows = [item for item in result[each] if item["plan"] == plan_row["plan"]]
            if rows:
                click.echo(f"  {HEADINGS[each]} ({len(rows)})")
            for item in rows:
                parent = item["strand_or_objective"]
                click.echo(f"    {item['name']:<13} {parent['kind']} {parent['ref']}: {item['title']}")
                click.echo(f"    {'':<13} {item['how'].removeprefix(item['name'] + ' ')}")
                click.echo(f"    {'':<13} {item['verdict']}: {item['reason']}")
                extras = []
                if item["partners"]:
                    extras.append("partners: " + ", ".join(p["label"] for p in item["partners"]))
                if item["target_date"]:
                    extras.append(f"due {item['target_date']}")
                if item["findings"]:
                    extras.append(f"{len(item['findings'])} open finding{'s' * (len(item['findings']) != 1)}")
                if extras:
                    click.echo(f"    {'':<13} {'; '.join(extras)}")
                if reported and item["progress"]:
                    click.echo(f"    {'':<13} {_progress_line(item['progress'])}")


def _period(value: str | None) -> str | None:
    """The period's name, or a usage error (exit 2) saying why it is not one."""
    if value is None:
        return None
    try:
        return progress.as_period(value).name
    except progress.ProgressError as error:
        raise click.BadParameter(str(error), param_hint="--as-at") from error


def _progress_line(state: dict) -> str:
    """An item's progress in one line: "on track (2008-Q2); owner's RAG green, computed amber (they differ)"."""
    latest = state["latest"]
    said = f"{latest['status'] or 'no status'} ({latest['period']})" if latest else "no report yet"
    rags = f"owner's RAG {state['owner_rag'] or 'none'}, computed {state['computed_rag'] or 'none'}"
    if state["rags_differ"]:
        rags += " (they differ)"
    flags = [flag for flag in ("overdue", "stale") if state[flag]]
    return "; ".join([f"progress: {said}", rags, *flags])
