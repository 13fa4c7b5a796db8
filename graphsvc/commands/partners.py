"""`graphsvc partners`: the outside agencies the plans depend on, and who inside owns that work."""

import json

import click

from graphsvc.answers.dependencies import partners as partner_answer
from graphsvc.commands import text_or_json
from graphsvc.engine import session
from graphsvc.engine.engines import QueryError


def _owners(owners: list[dict], role: str) -> str:
    return "; ".join(owner["where"] for owner in owners if owner["role"] == role) or "none"


@click.command()
@text_or_json
def partners(output_format):
    """Every partner agency with the items that depend on it and the units and posts that own them."""
    try:
        answer = partner_answer(session.current())
    except QueryError as error:
        raise click.ClickException(str(error)) from error
    if output_format == "json":
        click.echo(json.dumps(answer, indent=2))
        return
    summary = answer["summary"]
    click.echo(
        f"{summary['partners']} partner agencies; {summary['items_with_partners']} of"
        f" {summary['items']} items depend on one"
    )
    for agency in answer["partners"]:
        click.echo(f"\n{agency['label']} <{agency['iri']}>")
        for item in agency["items"]:
            click.echo(f"  {item['plan']} {item['name']}: {item['title']}")
            click.echo(f'      written "{item["as_written"]}" in <{item["stated_in"]}>')
            click.echo(f"      led by {_owners(item['owners'], 'lead')}")
            click.echo(f"      supported by {_owners(item['owners'], 'supporting')}")
    click.echo("\nExternal dependencies by item:")
    for item in answer["items"]:
        if item["partners"]:
            names = ", ".join(partner["label"] for partner in item["partners"])
            click.echo(f"  {item['plan']} {item['name']}: {names}")
    without = summary["items"] - summary["items_with_partners"]
    click.echo(f"  ({without} other items name no partner agency)")
