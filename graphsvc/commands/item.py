"""`graphsvc item REF`: one delivery item or activity in full, with its source quote."""

import json

import click

from graphsvc.answers.ownership import ItemNotFound, item_detail
from graphsvc.engine import session
from graphsvc.engine.engines import QueryError


def _people(title: str, entries: list[dict]) -> list[str]:
    lines = [f"{title}:"] if entries else []
    for entry in entries:
        written = (
            f' (written "{entry["as_written"]}")' if entry["as_written"] not in (entry["label"], entry["where"]) else ""
        )
        lines.append(f"  {entry['where']}{written}")
    return lines


@click.command()
@click.argument("ref")
@click.option("--plan", metavar="ID", help="The plan's notation (2007-10 or 2004-5) when a ref is not unique.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output as readable text or as JSON.",
)
def item(ref, plan, output_format):
    """An item's leads, supporting units, partners, actions, measures and source quote.

    REF is an item's ref ("1.3"), a 2004-5 activity's objective and row ("1-3"), or an IRI.
    """
    try:
        detail = item_detail(session.current(), ref, plan)
    except (ItemNotFound, QueryError) as error:
        raise click.ClickException(str(error)) from error
    if output_format == "json":
        click.echo(json.dumps(detail, indent=2))
        return
    parent = detail["strand_or_objective"]
    lines = [
        f"{detail['name']} ({detail['kind']}, {detail['plan_title']}) <{detail['iri']}>",
        detail["title"],
        f"{parent['kind'].capitalize()} {parent['ref']}: {parent['title']}",
    ]
    if detail["target_date"]:
        lines.append(f"Target date: {detail['target_date']}; theme: {detail['theme']}")
    lines += _people("Lead", detail["leads"]) + _people("Supporting", detail["supporting"])
    lines += _people("Partners", detail["partners"])
    if detail["actions"]:
        lines.append("Actions:")
        lines += [f"  - {action['title']}" for action in detail["actions"]]
    if detail["measures"]:
        lines.append("Measures:")
    for measure in detail["measures"]:
        lines.append(f"  {measure['ref']} {measure['title']}")
        lines.append(f"        {measure['measurability']}: {measure['reason']}")
        for label, key in (("indicator", "indicators"), ("data source", "data_sources")):
            if measure[key]:
                lines.append(f"        {label}{'s' * (len(measure[key]) > 1)}: {'; '.join(measure[key])}")
    source = detail["source"]
    lines.append(f"Source: {source['document']}, line {', '.join(map(str, source['lines']))}:")
    lines += [f"  | {line}" for line in source["quote"].splitlines()]
    lines += [f"Reading note: {note}" for note in detail["reading_notes"]]
    click.echo("\n".join(lines))
