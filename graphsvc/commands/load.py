"""`graphsvc load DIR [FILES...]`: build a persisted store for `graphsvc serve --store DIR`."""

import time

import click

from graphsvc.commands import StoreFailure, refuse_remote_source
from graphsvc.engine import store
from graphsvc.engine.graph import GraphLoadError


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.argument("files", nargs=-1, type=click.Path())
def load(directory, files):
    """Load the ontology and FILES (default: the built-in plans) into the store at DIRECTORY.

    The load is atomic: if it fails, the store keeps serving what it had before. One load runs at
    a time (a second one exits with status 2); a store's damage, a full disk or a lock held
    elsewhere also exit with status 2, bad input files with 1.
    """
    refuse_remote_source("load", "builds a store from files (the store is its DIRECTORY argument)")
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
