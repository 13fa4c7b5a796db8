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
@click.pass_context
def serve(context, host, port, time_limit, row_cap, threads):
    """Serve the built-in graph: pages, linked data and a read-only SPARQL endpoint at /sparql."""
    import waitress

    from ..web.app import create_app

    options = context.parent.params if context.parent else {}
    if options.get("sparql_endpoint"):
        raise click.UsageError("serve answers from the built-in graph: drop --sparql-endpoint")
    kind = options.get("engine_kind") or ENGINE_KINDS[0]
    click.echo(f"graphsvc: loading the built-in graph into {kind} and auditing it ...", err=True)
    app = create_app({"GRAPH": graph.default(), "ENGINE": kind,
                      "SPARQL_TIME_LIMIT": time_limit, "SPARQL_ROW_CAP": row_cap})
    click.echo(f"graphsvc: serving on http://{host}:{port}/ (SPARQL endpoint http://{host}:{port}/sparql)", err=True)
    waitress.serve(app, host=host, port=port, threads=threads, ident="graphsvc")
