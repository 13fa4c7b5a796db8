"""`graphsvc load DIR [FILES...]`: build a persisted store for `graphsvc serve --store DIR`."""

import time

import click

from graphsvc.commands import StoreFailure, refuse_remote_source
from graphsvc.engine import store
from graphsvc.engine.graph import GraphLoadError


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.argument("files", nargs=-1, type=click.Path())
@click.option(
    "--rollback",
    is_flag=True,
    help="Serve the generation before the current one again (checked first); restart servers to serve it.",
)
def load(directory, files, rollback):
    """Load the ontology and FILES (default: the built-in plans) into the store at DIRECTORY.

    The load is atomic: if it fails, the store keeps serving what it had before. One load runs at
    a time (a second one exits with status 2); a store's damage, a full disk or a lock held
    elsewhere also exit with status 2, bad input files with 1.
    """
    refuse_remote_source("load", "builds a store from files (the store is its DIRECTORY argument)")
    if rollback:
        _roll_back(directory, files)
        return
    started = time.perf_counter()
    try:
        generation = store.build(directory, files or None)
    except GraphLoadError as error:
        raise click.ClickException(f"load failed, store unchanged: {error}") from None
    except store.StoreError as error:
        raise StoreFailure(str(error)) from None
    try:
        triples = len(store.open_read_only(directory, int(generation.name)))
    except store.StoreError as error:
        raise StoreFailure(str(error)) from None
    click.echo(
        f"{directory}: {triples} triples in generation {generation.name} ({time.perf_counter() - started:.2f} s)"
    )


def _roll_back(directory, files) -> None:
    if files:
        raise click.UsageError("--rollback loads no files: give the store's DIRECTORY only")
    try:
        rolled_back_from = store.current_generation(directory)
        number = store.roll_back(directory)
    except store.StoreError as error:
        raise StoreFailure(str(error)) from None
    click.echo(
        f"{directory}: generation {number} is current again (generation {rolled_back_from} stays until the "
        "next load); restart servers to serve it"
    )
