"""`graphsvc backup DIR --out FILE` and `graphsvc restore FILE DIR`: a store and its written
reports as one N-Quads file, and a new store built back from it."""

import click

from graphsvc.commands import StoreFailure, refuse_remote_source
from graphsvc.engine import backup as backups
from graphsvc.engine.journal import JournalError
from graphsvc.engine.store import StoreError


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The N-Quads file to write.")
def backup(directory, out):
    """Write the store at DIRECTORY (its served generation and its written reports) to one N-Quads file."""
    refuse_remote_source("backup", "copies a store folder (the store is its DIRECTORY argument)")
    try:
        count = backups.backup(directory, out)
    except (StoreError, JournalError, OSError) as error:
        raise StoreFailure(str(error)) from None
    click.echo(f"Backed up {count} quads of {directory} to {out}")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.argument("directory", type=click.Path(file_okay=False))
def restore(file, directory):
    """Build a new store at DIRECTORY (new or empty) from a backup FILE, written reports included."""
    refuse_remote_source("restore", "builds a store folder (its DIRECTORY argument)")
    try:
        count = backups.restore(file, directory)
    except (StoreError, JournalError, OSError) as error:
        raise StoreFailure(str(error)) from None
    click.echo(f"Restored {count} quads from {file} into {directory}")
