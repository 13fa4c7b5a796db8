"""`graphsvc who NAME`: what an organisation, unit, post, person or partner answers for, and how."""

import json

import click

from graphsvc.answers import names
from graphsvc.answers.ownership import ROLE_ORDER, accountability
from graphsvc.engine import session
from graphsvc.engine.engines import QueryError

HEADINGS = {"lead": "Leads", "supporting": "Supports", "partner": "Partner on"}


@click.command()
@click.argument("name", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output as readable text or as JSON.",
)
def who(name, output_format):
    """Items NAME leads, supports or partners on, rolled up through the organisation, by plan.

    NAME is what you know it by: "SCD", "Specialist Crime Directorate", "AC SC",
    "Drugs Directorate", "Hitchcock", "BOCU", or an IRI. Quotes are optional.
    """
    try:
        answer = accountability(session.current(), " ".join(name))
    except (names.NameNotFound, names.AmbiguousName, QueryError) as error:
        raise click.ClickException(str(error)) from error
    if output_format == "json":
        click.echo(json.dumps(answer, indent=2))
        return
    entity = answer["entity"]
    click.echo(f"{entity['label']} ({entity['kind']}) <{entity['iri']}>")
    click.echo(answer["summary"]["text"])
    for joint in answer["summary"]["jointly_owned"]:
        click.echo(f"Note: {joint['note']}.")
    for plan in answer["summary"]["by_plan"]:
        click.echo(f"\n{plan['title']} ({plan['plan']})")
        for role in ROLE_ORDER:
            rows = [item for item in answer[role] if item["plan"] == plan["plan"]]
            if rows:
                click.echo(f"  {HEADINGS[role]} ({len(rows)})")
            for item in rows:
                parent = item["strand_or_objective"]
                click.echo(f"    {item['name']:<13} {parent['kind']} {parent['ref']}: {item['title']}")
                click.echo(f"    {'':<13} {item['how'].removeprefix(item['name'] + ' ')}")
