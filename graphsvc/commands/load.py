"""`graphsvc load DIR [FILES...]`: build a persisted store for `graphsvc serve --store DIR`."""

import time

import click

from graphsvc.commands import refuse_remote_source
from graphsvc.engine import store
from graphsvc.engine.graph import GraphLoadError


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.argument("files", nargs=-1, type=click.Path())
def load(directory, files):
    """Load the ontology and FILES (default: the built-in plans) into the store at DIRECTORY.

    The load is atomic: if it fails, the store keeps serving what it had before.
    """
    refuse_remote_source("load", "builds a store from files (the store is its DIRECTORY argument)")
    started = time.perf_counter()
    try:
        generation = store.build(directory, files or None)
    except GraphLoadError as error:
        raise click.ClickException(f"load failed, store unchanged: {error}") from error
    triples = len(store.open_read_only(directory))
    click.echo(
        f"{directory}: {triples} triples in generation {generation.name} ({time.perf_counter() - started:.2f} s)"
    )
