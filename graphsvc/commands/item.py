"""`graphsvc item REF`: one delivery item or activity in full, with its source quote."""

import json

import click

from graphsvc.answers.ownership import ItemNotFound, item_detail
from graphsvc.commands import text_or_json
from graphsvc.engine import session
from graphsvc.engine.engines import QueryError


def _people(title: str, entries: list[dict]) -> list[str]:
    """Each agent as the document writes it, then where it sits in the organisation, set apart, so
    that "(TP)" is never read as the document's own words where it printed none."""
    lines = [f"{title}:"] if entries else []
    for entry in entries:
        written = entry["as_written"] or entry["label"]
        sits = _sits(entry)
        shown = entry["where"] in (written, entry["label"]) or sits in written  # the document said it already
        lines.append(f"  {written}" + ("" if shown else f" — {sits}"))
    return lines


def _sits(entry: dict) -> str:
    """Where the organisation chart puts an agent: "part of TP", "post in SCD", "Head of SIU"."""
    where, label = entry["where"], entry["label"]
    inner = where[len(label) + 2 : -1] if where.startswith(label + " (") and where.endswith(")") else where
    return f"part of {inner}" if entry["kind"] == "unit" else inner


@click.command()
@click.argument("ref")
@click.option("--plan", metavar="ID", help="The plan's notation (2007-10 or 2004-5) when a ref is not unique.")
@text_or_json
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
        for action in detail["actions"]:
            lines.append(f"  - {action['title']}")
            lines += [f"    Caveat: {caveat}" for caveat in action["caveats"]]
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
