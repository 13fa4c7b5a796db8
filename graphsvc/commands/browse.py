"""`graphsvc items` and `graphsvc measures`: every item or success measure, filtered by facets,
with each facet's counts; the same tables as /browse/items and /browse/measures."""

import json

import click

from graphsvc.answers import progress, progress_view
from graphsvc.answers.browse import FACETS, UnknownFacet, browse
from graphsvc.engine import session
from graphsvc.spreadsheet import browse as sheet


def _command(table: str, help_text: str):
    facets = FACETS[table]

    def run(output_format, as_at, **given):
        filters = {key: list(values) for key, values in given.items() if values}
        engine = session.current()
        try:
            found = browse(engine, table, filters)
            at = progress.as_period(as_at)
        except UnknownFacet as error:
            raise click.UsageError(str(error)) from error
        except progress.ProgressError as error:
            raise click.BadParameter(str(error), param_hint="--as-at") from error
        if output_format == "json":
            click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        elif output_format == "csv":  # with each row's progress columns at the end
            states = progress_view.for_items(engine, (row["iri"] for row in found["rows"]), at)
            click.echo(sheet.csv_text(found, states), nl=False)
        else:
            click.echo(as_text(found))

    options = [
        click.option(
            f"--{key.replace('_', '-')}", key, multiple=True, metavar="VALUE", help=f"Only rows with this {label}."
        )
        for key, label in facets.items()
    ]
    options.append(
        click.option(
            "--format",
            "output_format",
            type=click.Choice(["text", "json", "csv"]),
            default="text",
            show_default=True,
            help="A readable table with the facets' counts, JSON, or CSV rows.",
        )
    )
    options.append(
        click.option(
            "--as-at",
            "as_at",
            metavar="PERIOD",
            help="The CSV's progress columns as at this period (2008-Q3, 2008-07, 2008-2009); default: this quarter.",
        )
    )
    for option in reversed(options):
        run = option(run)
    return click.command(table, help=help_text)(run)


def as_text(found: dict) -> str:
    lines = [f"{found['count']} of {found['of']} {found['table']}"]
    lines += [f"  {row['name']}: {row['title']}" for row in found["rows"]]
    for facet in found["facets"]:
        if facet["values"]:
            counts = ", ".join(f"{v['value']} ({v['count']})" for v in facet["values"][:8])
            more = f" and {len(facet['values']) - 8} more" if len(facet["values"]) > 8 else ""
            lines.append(f"{facet['label']}: {counts}{more}")
    return "\n".join(lines)


items = _command("items", "Every delivery item and activity, filtered by facets (repeat an option for any of several).")
measures = _command("measures", "Every success measure, filtered by facets (repeat an option for any of several).")
