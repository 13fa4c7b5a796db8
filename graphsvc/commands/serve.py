"""`graphsvc serve`: the web front end and SPARQL endpoint on waitress, a production WSGI server."""

import click

from .. import graph
from ..engine import ENGINE_KINDS


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--time-limit", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a SPARQL query may run.")
@click.option("--row-cap", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Rows (or triples) a SPARQL answer may hold; longer answers are cut and flagged.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(min=1), help="Worker threads.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Serve the persisted store built by `graphsvc load DIR` (starts without parsing).")
@click.pass_context
def serve(context, host, port, time_limit, row_cap, threads, store_dir):
    """Serve the built-in graph (or a store, or a SPARQL endpoint): pages, linked data and /sparql.

    With the group's --sparql-endpoint URL every page and /sparql answer from that endpoint.
    """
    import waitress

    from ..store import StoreError
    from ..web.app import create_app

    options = context.parent.params if context.parent else {}
    endpoint = options.get("sparql_endpoint")
    if endpoint and store_dir:
        raise click.UsageError("serve answers from one source: give --store or --sparql-endpoint, not both")
    settings = {"SPARQL_TIME_LIMIT": time_limit, "SPARQL_ROW_CAP": row_cap}
    if endpoint:
        click.echo(f"graphsvc: answering from the SPARQL endpoint {endpoint}", err=True)
        settings["SPARQL_ENDPOINT"] = endpoint
    elif store_dir:
        click.echo(f"graphsvc: opening the store {store_dir}", err=True)
        settings["STORE"] = store_dir
    else:
        kind = options.get("engine_kind") or ENGINE_KINDS[0]
        click.echo(f"graphsvc: loading the built-in graph into {kind} and auditing it ...", err=True)
        settings.update({"GRAPH": graph.default(), "ENGINE": kind})
    try:
        app = create_app(settings)
    except StoreError as error:
        raise click.ClickException(str(error)) from error
    try:
        server = waitress.create_server(app, host=host, port=port, threads=threads, ident="graphsvc")
    except OSError as error:  # address in use, not allowed, unknown host
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    click.echo(f"graphsvc: serving on http://{host}:{port}/ (SPARQL endpoint http://{host}:{port}/sparql)", err=True)
    server.run()
