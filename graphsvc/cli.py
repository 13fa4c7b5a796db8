"""The `graphsvc` command: a group that registers the subcommands in graphsvc.commands."""

import click

from . import __version__, session
from .commands.export import export
from .commands.import_plan import import_plan
from .commands.info import info
from .commands.item import item
from .commands.load import load
from .commands.map import map_command
from .commands.partners import partners
from .commands.query import query
from .commands.serve import serve
from .commands.validate import validate
from .commands.who import who
from .engine import ENGINE_KINDS


@click.group()
@click.version_option(__version__, prog_name="graphsvc")
@click.option(
    "--engine",
    "engine_kind",
    type=click.Choice(ENGINE_KINDS),
    envvar="GRAPHSVC_ENGINE",
    help=f"Embedded engine over the built-in graph [default: {session.DEFAULT_KIND}].",
)
@click.option(
    "--sparql-endpoint",
    metavar="URL",
    envvar="GRAPHSVC_SPARQL_ENDPOINT",
    help="Ask this SPARQL 1.1 endpoint instead of the built-in graph.",
)
def main(engine_kind, sparql_endpoint):
    """Who is accountable for what in a strategy, and is each commitment measurable."""
    session.configure(engine_kind, sparql_endpoint)


main.add_command(info)
main.add_command(who)
main.add_command(item)
main.add_command(partners)
main.add_command(map_command)
main.add_command(query)
main.add_command(load)
main.add_command(serve)
main.add_command(export)
main.add_command(import_plan)
main.add_command(validate)
