"""The `graphsvc` subcommands, one module each; graphsvc.cli registers them."""

import click

from graphsvc.engine import session


def refuse_remote_source(command: str, why: str) -> None:
    """A usage error for a command that works on files only, given a store or an endpoint: it says
    so rather than quietly reading the built-in graph."""
    source = session.source()
    if not source.in_memory:
        option = "--sparql-endpoint" if source.endpoint else "--store"
        raise click.UsageError(f"{command} {why}: it does not read {source.describe()} (drop {option})")


# The --format option of the commands that print an answer as readable text or as JSON.
text_or_json = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output as readable text or as JSON.",
)


class StoreFailure(click.ClickException):
    """A store that cannot be opened, loaded or locked: one line, and exit status 2 (a usage or
    input mistake is 1), so that scripts can tell the store's state from their own arguments."""

    exit_code = 2
