"""The `graphsvc` command: a group that registers the subcommands in graphsvc.commands.

The group's options choose the source every command answers from (graphsvc.sources); a
command that cannot use a store or an endpoint refuses them with a usage error.
"""

import click

from . import __version__, session, settings
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
from .sources import SourceError


@click.group()
@click.version_option(__version__, prog_name="graphsvc")
@settings.options("graphsvc")
def main(engine, sparql_endpoint, store):
    """Who is accountable for what in a strategy, and is each commitment measurable."""
    try:
        session.configure(engine, sparql_endpoint, store)
    except SourceError as error:
        raise click.UsageError(str(error)) from error


for command in (info, who, item, partners, map_command, query, load, serve, export, import_plan, validate):
    main.add_command(command)
