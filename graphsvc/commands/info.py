"""`graphsvc info`: the built-in graph's figures."""

import json

import click

from .. import __version__, graph
from ..figures import PLAN_FIGURES, figures

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
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output as readable text or as JSON.",
)
def info(output_format):
    """Load the ontology and the built-in plans and print the graph's figures."""
    result = figures(graph.default())
    if output_format == "json":
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"graphsvc {__version__}: built-in graph of {result['triples']} triples")
    for name, label in LABELS.items():
        click.echo(f"{label:<28}{result[name]:>6}")
    click.echo("")
    for plan in result["by_plan"]:
        parts = [f"{plan[k]} {k.replace('_', ' ')}" for k in PLAN_FIGURES if plan[k]]
        click.echo(f"{plan['id']:<9}{plan['title']}: {', '.join(parts)}")
