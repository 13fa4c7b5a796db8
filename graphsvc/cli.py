"""The `graphsvc` command: a group that registers the subcommands in graphsvc.commands."""

import click

from . import __version__
from .commands.info import info
from .commands.load import load


@click.group()
@click.version_option(__version__, prog_name="graphsvc")
def main():
    """Who is accountable for what in a strategy, and is each commitment measurable."""


main.add_command(info)
main.add_command(load)
