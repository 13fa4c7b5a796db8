"""`graphsvc info`: the figures of the data the command answers from (the built-in graph by default)."""

import json

import click

from graphsvc import __version__
from graphsvc.answers.figures import PLAN_FIGURES, figures
from graphsvc.commands import text_or_json
from graphsvc.engine import session

LABELS = {
    "plans": "Plans",
    "aims": "Aims",
    "strands": "Strands",
    "objectives": "Objectives",
    "delivery_items": "Delivery items",
    "activities": "Activities",
    "actions": "Actions",
    "success_measures": "Success measures",
    "units": "Organisational units",
    "business_groups": "  of which business groups",
    "posts": "Posts",
    "people": "People",
    "partner_agencies": "Partner agencies",
}


@click.command()
@text_or_json
def info(output_format):
    """Print the figures of the graph: the built-in plans, or the --store or --sparql-endpoint given."""
    result = figures(session.current())
    if output_format == "json":
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"graphsvc {__version__}: {session.source().describe()}, {result['triples']} triples")
    for name, label in LABELS.items():
        click.echo(f"{label:<28}{result[name]:>6}")
    click.echo("")
    for plan in result["by_plan"]:
        parts = [f"{plan[k]} {k.replace('_', ' ')}" for k in PLAN_FIGURES if plan[k]]
        click.echo(f"{plan['id']:<9}{plan['title']}: {', '.join(parts)}")
