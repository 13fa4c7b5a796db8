"""The `graphsvc` command: a group that registers the subcommands in graphsvc.commands.

The group's options choose the source every command answers from (graphsvc.engine.sources); a
command that cannot use a store or an endpoint refuses them with a usage error.
"""

import click

from graphsvc import __version__, settings
from graphsvc.commands import StoreFailure
from graphsvc.commands.backup import backup, restore
from graphsvc.commands.browse import items, measures
from graphsvc.commands.export import export
from graphsvc.commands.import_plan import import_plan
from graphsvc.commands.info import info
from graphsvc.commands.item import item
from graphsvc.commands.load import load
from graphsvc.commands.map import map_command
from graphsvc.commands.partners import partners
from graphsvc.commands.progress import progress_command
from graphsvc.commands.query import query
from graphsvc.commands.serve import serve
from graphsvc.commands.validate import validate
from graphsvc.commands.who import who
from graphsvc.engine import session
from graphsvc.engine.sources import SourceError
from graphsvc.engine.store import StoreError


class _Group(click.Group):
    """The command group: a store opened by any command (``--store DIR``) that is missing or
    damaged ends it with one line and status 2, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except StoreError as error:
            raise StoreFailure(str(error)) from None


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="graphsvc")
@settings.options("graphsvc")
def main(engine, sparql_endpoint, store, reports_dir, sparql_results):
    """Who is accountable for what in a strategy, and is each commitment measurable."""
    try:
        session.configure(engine, sparql_endpoint, store, reports_dir, sparql_results)
    except SourceError as error:
        raise click.UsageError(str(error)) from error


for command in (
    info,
    who,
    item,
    items,
    measures,
    partners,
    map_command,
    query,
    load,
    serve,
    export,
    import_plan,
    validate,
):
    main.add_command(command)
main.add_command(progress_command, "progress")
main.add_command(backup)
main.add_command(restore)
